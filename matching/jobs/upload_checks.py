"""An upload's problems said for people: sizes in MB (not byte counts) and, for a file that is
not an export at all (an image, a PDF, a spreadsheet or archive renamed `.csv`), what it looks
like instead of its first bytes.

`too_large` is the one `TooLarge` every size check raises (the API's Content-Length check before
reading the body, its read of the body, and intake's check of the content), so they all say the
same thing and carry the limit as numbers (`max_bytes`, `max_mb`) beside the sentence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from models.errors import InvalidInput, TooLarge

KILOBYTE = 1024
MEGABYTE = 1024 * KILOBYTE


def file_size(size: int, *, round_up: bool = False) -> str:
    """`26214400` -> "25 MB", `1572864` -> "1.5 MB", `2048` -> "2 KB", `20` -> "20 bytes".

    One decimal at most, trailing zeros dropped; `round_up` for a size compared with a limit,
    so a file just over 25 MB reads "25.1 MB", never "25 MB"."""
    if size < KILOBYTE:
        return f"{size} byte{'' if size == 1 else 's'}"
    unit, scale = ("MB", MEGABYTE) if size >= MEGABYTE else ("KB", KILOBYTE)
    value = size / scale
    if round_up:
        value = math.ceil(value * 10) / 10
    return f"{value:.1f}".rstrip("0").rstrip(".") + f" {unit}"


def too_large(max_bytes: int, *, size: int | None = None) -> TooLarge:
    """The refusal of an upload over `max_bytes` (its own size named when known)."""
    limit = file_size(max_bytes)
    if size is None:
        details = f"This file is larger than {limit}, the largest file a matching job accepts."
    else:
        details = (
            f"This file is {file_size(size, round_up=True)}; the largest file a matching job "
            f"accepts is {limit}."
        )
    details += " Split the export into smaller files and upload them one by one."
    return TooLarge(
        details,
        code="upload_too_large",
        max_bytes=max_bytes,
        max_mb=round(max_bytes / MEGABYTE, 1),
    )


@dataclass(frozen=True, slots=True)
class FileKind:
    """A kind of binary file recognised from its first bytes."""

    key: str
    described: str  # "a PNG image": what the sentence calls it
    advice: str  # what to upload instead


_EXPORT = "Upload the CSV or JSON export your collection tool saved."
_SPREADSHEET = "Save it from your spreadsheet program as CSV (File > Save as / Download as CSV)."

PNG = FileKind("png", "a PNG image", _EXPORT)
JPEG = FileKind("jpeg", "a JPEG image", _EXPORT)
GIF = FileKind("gif", "a GIF image", _EXPORT)
WEBP = FileKind("webp", "a WebP image", _EXPORT)
PDF = FileKind("pdf", "a PDF document", _EXPORT)
XLSX = FileKind("xlsx", "an Excel workbook (.xlsx)", _SPREADSHEET)
XLS = FileKind("xls", "an old Excel workbook (.xls)", _SPREADSHEET)
ODS = FileKind("ods", "an OpenDocument spreadsheet (.ods)", _SPREADSHEET)
ZIP = FileKind("zip", "a ZIP archive", "Unzip it and upload the CSV or JSON file inside.")
GZIP = FileKind("gzip", "a gzip-compressed file", "Decompress it and upload the CSV inside.")

#: Leading bytes of each kind (ZIP-based kinds are told apart by what the archive names).
MAGIC_NUMBERS: tuple[tuple[bytes, FileKind], ...] = (
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"%PDF-", PDF),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", XLS),
    (b"PK\x03\x04", ZIP),
    (b"PK\x05\x06", ZIP),
    (b"\x1f\x8b", GZIP),
)


def looks_like(content: bytes) -> FileKind | None:
    """The binary kind `content` starts like, or None (text, or a kind not listed)."""
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return WEBP
    for magic, kind in MAGIC_NUMBERS:
        if content.startswith(magic):
            return _zip_kind(content) if kind is ZIP else kind
    return None


def _zip_kind(content: bytes) -> FileKind:
    # An .xlsx or .ods is a ZIP archive; the names of its members are stored in the clear.
    head = content[:65536]
    if b"application/vnd.oasis.opendocument.spreadsheet" in head:
        return ODS
    if b"xl/" in content or b"[Content_Types].xml" in head:
        return XLSX
    return ZIP


def not_an_export(kind: FileKind) -> InvalidInput:
    """The refusal of a binary file given as an export (the code intake used before for it)."""
    return InvalidInput(
        f"This looks like {kind.described}, not a CSV or JSON export. {kind.advice}",
        code="unknown_format",
        looks_like=kind.key,
    )
