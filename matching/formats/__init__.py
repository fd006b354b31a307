"""Seller and collection export readers: `read_inventory(path_or_bytes)` detects the tool from
the header and streams one `InventoryRow` per record (docs/matching-input.md).

Modules: `spec` (what a format is: `FormatSpec`, `Row`, `header_key`), `table` (the known
formats, `detect_format`, `generic_spec`), `mapping` (`map_row`, the row-mapping engine),
`hooks` (what is peculiar to one tool), `games` (game inference from numbers, finishes,
rarities), `decoding` (encodings, delimiters), `reader` (`read_inventory`) and `preview`
(`preview_inventory`: format, header, sample rows and the applied mapping, for the mapping
editor)."""

from matching.formats.mapping import map_row
from matching.formats.preview import InventoryPreview, header_hash, preview_inventory
from matching.formats.reader import (
    FormatMismatchError,
    InventoryFile,
    InventoryRow,
    UnknownFormatError,
    read_inventory,
)
from matching.formats.spec import FormatSpec, Row, header_key
from matching.formats.table import FORMATS, FORMATS_BY_NAME, detect_format, generic_spec

__all__ = [
    "FORMATS",
    "FORMATS_BY_NAME",
    "FormatMismatchError",
    "FormatSpec",
    "InventoryFile",
    "InventoryPreview",
    "InventoryRow",
    "Row",
    "UnknownFormatError",
    "detect_format",
    "generic_spec",
    "header_hash",
    "header_key",
    "map_row",
    "preview_inventory",
    "read_inventory",
]
