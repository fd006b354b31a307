"""`read_inventory`: a seller/collection export -> detected format + a stream of rows.

Every record after the header yields exactly one `InventoryRow`, in file order: blank lines and
rows of empty fields give `error="empty row"`, malformed CSV gives the csv module's message,
an unreadable row gives its reason; nothing is dropped. Rows are produced lazily from the
file, so a 100k-row export is read in constant memory; iterating an `InventoryFile` again
re-reads the source (paths and bytes; a caller's stream can only be read once).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import ijson

from matching.formats.decoding import Opened, Source, TextStream, open_source, sep_line_delimiter
from matching.formats.decoding import sniff_delimiter as _sniff
from matching.formats.mapping import map_row
from matching.formats.spec import FormatSpec, Row, header_key
from matching.formats.table import FORMATS_BY_NAME, detect_format, generic_spec
from matching.parsing.listing import ParsedListing
from models.errors import InvalidInput
from models.sku import GAMES

_HEADER_SCAN_LIMIT = 50  # blank lines tolerated before the header


class UnknownFormatError(ValueError):
    """The header matches no known export format and no mapping was given."""


class FormatMismatchError(InvalidInput):
    """A forced format whose columns the file lacks: reading on would drop them silently."""

    default_code = "format_mismatch"


def missing_columns(spec: FormatSpec, header: list[str]) -> list[str]:
    """The spec's signature columns (as the tool writes them) that the header lacks and that the
    spec still reads (a mapping may have moved a field to another column)."""
    present = {header_key(h) for h in header}
    read = {key for keys in spec.columns.values() for key in keys}
    return [
        column
        for column in spec.signature_columns
        if header_key(column) in read and header_key(column) not in present
    ]


def _refuse_unfit(spec: FormatSpec, header: list[str]) -> None:
    missing = missing_columns(spec, header)
    if missing:
        raise FormatMismatchError(
            f"the file does not fit the {spec.name} format: it has no "
            f"{'column' if len(missing) == 1 else 'columns'} {', '.join(missing)}; map "
            "the columns yourself or let the format be detected",
            format=spec.name,
            missing_columns=missing,
            header=header,
        )


@dataclass(slots=True)
class InventoryRow:
    line_number: int  # 1-based line where the record starts (the item's position for JSON)
    raw: dict[str, Any]  # header name -> value as read ("_extra": fields beyond the header)
    listing: ParsedListing
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class InventoryFile:
    """A detected export. Iterate it for its `InventoryRow`s (lazily, from the source)."""

    detected_format: str
    tool: str
    header: list[str]
    encoding: str | None
    delimiter: str | None
    source_name: str | None
    spec: FormatSpec = field(repr=False)
    _opened: Opened = field(repr=False)
    _sep_line: bool = field(default=False, repr=False)

    def __iter__(self) -> Iterator[InventoryRow]:
        if self.spec.container == "json":
            return _iter_json(self)
        return _iter_csv(self)

    rows = __iter__


@dataclass(frozen=True, slots=True)
class Layout:
    """What an export's first lines say: JSON or CSV, its delimiter, its header."""

    container: str
    delimiter: str | None
    sep_line: bool
    header: list[str]


class _Utf8Bytes(io.RawIOBase):
    """Bytes view of a text stream, for ijson (which wants bytes)."""

    def __init__(self, text: TextStream) -> None:
        self._text = text
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while len(self._pending) < len(buffer):
            chunk = self._text.read(1 << 16)
            if not chunk:
                break
            self._pending += chunk.encode("utf-8")
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def _first_char(text: TextStream) -> str:
    while True:
        chunk = text.read(256)
        if not chunk:
            return ""
        stripped = chunk.lstrip("\ufeff \t\r\n")
        if stripped:
            return stripped[0]


def _clean_header(cell: str) -> str:
    return cell.replace("\ufeff", "").strip().strip('"').strip()


def inspect_layout(opened: Opened) -> Layout:
    with opened.open_text() as text:
        if _first_char(text) in "[{":
            return Layout("json", None, False, _json_keys(opened))
    with opened.open_text() as text:
        first = text.readline()
        declared = sep_line_delimiter(first.lstrip("\ufeff"))
        line = text.readline() if declared else first
        blanks = 0
        while line and not line.strip() and blanks < _HEADER_SCAN_LIMIT:
            line, blanks = text.readline(), blanks + 1
        delimiter = declared or _sniff(line)
        header = next(csv.reader([line], delimiter=delimiter), [])
    return Layout("csv", delimiter, bool(declared), [_clean_header(h) for h in header])


def _json_keys(opened: Opened) -> list[str]:
    with opened.open_text() as text:
        items = ijson.items(_Utf8Bytes(text), "item")
        try:
            first = next(items)
        except (StopIteration, ijson.JSONError):
            return []
        return [str(k) for k in first] if isinstance(first, dict) else []


def read_inventory(
    source: Source,
    *,
    format: str | None = None,
    mapping: Mapping[str, str] | None = None,
    game: str | None = None,
) -> InventoryFile:
    """Open a seller/collection export and detect its format.

    `source`: a path (str or Path), bytes, or a file object (binary or text).
    `format`: force a format by name (`FORMATS_BY_NAME`); default: detect from the header.
    `mapping`: listing field -> column name, for a CSV no tool wrote (`{"name": "Card",
    "set_code": "Set", "quantity": "Qty"}`); with `format` it overrides that format's columns.
    `game`: the game of every row (forces it; for the titles format it is the parser's hint).
    Raises `UnknownFormatError` when nothing matches, `FormatMismatchError` (naming the columns)
    when a forced format's columns are not in the file."""
    if game is not None and game not in GAMES:
        raise ValueError(f"game must be one of {', '.join(GAMES)}, got {game!r}")
    opened = open_source(source)
    layout = inspect_layout(opened)
    spec: FormatSpec | None
    if format is not None:
        if format == "generic":
            if not mapping:
                raise ValueError("the generic format needs a mapping")
            spec = generic_spec(mapping, game=game)
        elif format not in FORMATS_BY_NAME:
            raise ValueError(f"unknown format {format!r}; known: {', '.join(FORMATS_BY_NAME)}")
        else:
            spec = FORMATS_BY_NAME[format]
            if mapping:
                spec = generic_spec(mapping, game=game, base=spec)
            if spec.container == layout.container:
                _refuse_unfit(spec, layout.header)
    elif mapping:
        spec = generic_spec(mapping, game=game)
    else:
        spec = detect_format(layout.header, container=layout.container)
        if spec is None:
            shown = ", ".join(layout.header[:20]) or "(empty)"
            raise UnknownFormatError(
                f"no known export format has the columns [{shown}]: choose the format, or map "
                "the columns to fields (name, set, number, quantity...)"
            )
    if spec.name != "generic" and spec.container != layout.container:
        raise UnknownFormatError(
            f"the {spec.name!r} format reads {spec.container.upper()} files, but this file is "
            f"{layout.container.upper()}"
        )
    if game is not None:
        spec = dataclasses.replace(spec, game=game)
    if mapping and spec.name == "generic" and layout.container == "json":
        spec = dataclasses.replace(spec, container="json")
    missing = [
        column
        for fld, keys in spec.columns.items()
        for column in keys
        if mapping and fld in mapping and column not in {header_key(h) for h in layout.header}
    ]
    if missing:
        raise ValueError(f"the mapping names columns not in the header: {', '.join(missing)}")
    return inventory_file(spec, opened, layout)


def inventory_file(spec: FormatSpec, opened: Opened, layout: Layout) -> InventoryFile:
    """The `InventoryFile` reading an opened source, whose layout was inspected, with `spec`."""
    return InventoryFile(
        detected_format=spec.name,
        tool=spec.tool,
        header=layout.header,
        encoding=opened.encoding,
        delimiter=layout.delimiter,
        source_name=opened.name,
        spec=spec,
        _opened=opened,
        _sep_line=layout.sep_line,
    )


def _make_row(
    spec: FormatSpec, line: int, raw: dict[str, Any], keyed: dict[str, Any]
) -> InventoryRow:
    listing = ParsedListing(raw=raw)
    if not any(v is not None and str(v).strip() for v in keyed.values()):
        return InventoryRow(line, raw, listing, "empty row")
    try:
        error = map_row(spec, Row(keyed), listing)
    except Exception as exc:  # noqa: BLE001 - one bad row must never stop the file
        error = f"could not read row: {type(exc).__name__}: {exc}"
    return InventoryRow(line, raw, listing, error)


def _iter_csv(inventory: InventoryFile) -> Iterator[InventoryRow]:
    spec = inventory.spec
    with inventory._opened.open_text() as text:
        lines: Any = text
        consumed = 0
        if inventory._sep_line:
            text.readline()
            consumed = 1
        reader = csv.reader(lines, delimiter=inventory.delimiter or ",")
        header: list[str] | None = None
        keys: list[str] = []
        previous = 0
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                start = consumed + previous + 1
                previous = reader.line_num
                if header is None:
                    raise UnknownFormatError(f"unreadable header: {exc}") from exc
                yield InventoryRow(start, {}, ParsedListing(raw={}), f"malformed CSV: {exc}")
                continue
            start = consumed + previous + 1
            previous = reader.line_num
            if not record:
                continue  # a blank line is not a record
            if header is None:
                if not any(cell.strip() for cell in record):
                    continue  # blank lines before the header
                header = [_clean_header(h) for h in record]
                keys = [header_key(h) for h in header]
                continue
            raw: dict[str, Any] = dict(zip(header, record, strict=False))
            for name in header[len(record) :]:
                raw[name] = None
            if len(record) > len(header):
                raw["_extra"] = record[len(header) :]
            keyed: dict[str, Any] = {}
            for key, value in zip(keys, record, strict=False):
                keyed.setdefault(key, value)
            yield _make_row(spec, start, raw, keyed)


def _json_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _iter_json(inventory: InventoryFile) -> Iterator[InventoryRow]:
    spec = inventory.spec
    with inventory._opened.open_text() as text:
        items = ijson.items(_Utf8Bytes(text), "item")
        for position in itertools.count(1):
            try:
                item = next(items)
            except StopIteration:
                return
            except ijson.JSONError as exc:
                yield InventoryRow(position, {}, ParsedListing(raw={}), f"malformed JSON: {exc}")
                return
            if not isinstance(item, dict):
                yield InventoryRow(
                    position, {"_value": item}, ParsedListing(raw=item), "not a JSON object"
                )
                continue
            raw = {str(k): _json_value(v) for k, v in item.items()}
            keyed: dict[str, Any] = {}
            for key, value in raw.items():
                keyed.setdefault(header_key(key), value)
            yield _make_row(spec, position, raw, keyed)
