"""Seller and collection export readers: `read_inventory(path_or_bytes)` detects the tool from
the header and streams one `InventoryRow` per record (docs/matching-input.md)."""

from matching.formats.reader import InventoryFile, InventoryRow, UnknownFormatError, read_inventory
from matching.formats.specs import FORMATS, FORMATS_BY_NAME, FormatSpec, detect_format, header_key

__all__ = [
    "FORMATS",
    "FORMATS_BY_NAME",
    "FormatSpec",
    "InventoryFile",
    "InventoryRow",
    "UnknownFormatError",
    "detect_format",
    "header_key",
    "read_inventory",
]
