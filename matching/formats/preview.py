"""What an upload looks like before it is matched: `preview_inventory` answers the detected (or
forced) format, the encoding, the header, the first rows and the column mapping the format would
apply, so a seller can check it and map the columns a format does not know (the vendor page's
mapping editor). `header_hash` is a header's identity, the key a seller's saved mapping is
stored under.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from matching.formats.decoding import Source, open_source
from matching.formats.reader import (
    InventoryFile,
    UnknownFormatError,
    inspect_layout,
    inventory_file,
    read_inventory,
)
from matching.formats.spec import FIELDS, FormatSpec, header_key
from matching.formats.table import generic_spec

SAMPLE_ROWS = 5


def header_hash(header: list[str]) -> str:
    """The identity of a header: the sha256 of its distinct column keys (`header_key`), sorted,
    so `Card Name` = `CardName` and the columns' order does not matter (a mapping names
    columns, not positions)."""
    keys = sorted({header_key(h) for h in header if header_key(h)})
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()


def read_header(source: Source) -> list[str]:
    """The header of an export (a JSON list's first object's keys), as the file writes it."""
    return inspect_layout(open_source(source)).header


@dataclass(frozen=True)
class SampleRow:
    line_number: int
    values: list[str | None]  # one per header column
    error: str | None  # what reading it with the applied mapping says (None: readable)


@dataclass(frozen=True)
class InventoryPreview:
    format: str | None  # None: no format fits the header and no mapping was given
    tool: str | None
    encoding: str | None
    delimiter: str | None
    container: str
    header: list[str]
    header_hash: str
    #: Listing field -> the header column it is read from, as the format (+ mapping) applies it.
    mapping: dict[str, str]
    unmapped_fields: list[str]  # FIELDS no column fills
    unmapped_columns: list[str]  # header columns the mapping reads no field from (a hook may)
    sample: list[SampleRow]

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def applied_mapping(spec: FormatSpec, header: list[str]) -> dict[str, str]:
    """Field -> header column the spec reads it from (the first of its columns the header has)."""
    by_key: dict[str, str] = {}
    for name in header:
        by_key.setdefault(header_key(name), name)
    applied: dict[str, str] = {}
    for fld, keys in spec.columns.items():
        column = next((by_key[key] for key in keys if key in by_key), None)
        if column is not None:
            applied[fld] = column
    return applied


def preview_inventory(
    source: Source,
    *,
    format: str | None = None,
    mapping: Mapping[str, str] | None = None,
    game: str | None = None,
    sample_size: int = SAMPLE_ROWS,
) -> InventoryPreview:
    """The preview of an export. A header no format fits is not an error here (the answer has
    `format=None` and no mapping: the seller maps the columns); a forced format that does not
    fit raises `FormatMismatchError`, a bad mapping `ValueError`, as `read_inventory` does."""
    try:
        inventory = read_inventory(source, format=format, mapping=mapping, game=game)
    except UnknownFormatError:
        if format is not None or mapping:
            raise
        return _preview(_unmapped_inventory(source), sample_size, known=False)
    return _preview(inventory, sample_size, known=True)


def _unmapped_inventory(source: Source) -> InventoryFile:
    """A header no format knows, read with nothing mapped (for its columns and first rows)."""
    opened = open_source(source)
    layout = inspect_layout(opened)
    spec = dataclasses.replace(generic_spec({}), container=layout.container)
    return inventory_file(spec, opened, layout)


def _preview(inventory: InventoryFile, sample_size: int, *, known: bool) -> InventoryPreview:
    applied = applied_mapping(inventory.spec, inventory.header)
    return InventoryPreview(
        format=inventory.detected_format if known else None,
        tool=inventory.tool if known else None,
        encoding=inventory.encoding,
        delimiter=inventory.delimiter,
        container=inventory.spec.container,
        header=inventory.header,
        header_hash=header_hash(inventory.header),
        mapping=applied,
        unmapped_fields=[f for f in FIELDS if f not in applied],
        unmapped_columns=_unread_columns(inventory.header, applied),
        sample=_sample(inventory, sample_size, read=known),
    )


def _unread_columns(header: list[str], applied: Mapping[str, str]) -> list[str]:
    read = {header_key(column) for column in applied.values()}
    return [column for column in header if header_key(column) not in read]


def _sample(inventory: InventoryFile, size: int, *, read: bool) -> list[SampleRow]:
    rows = []
    for row in itertools.islice(inventory, size):
        values = [_text(row.raw.get(column)) for column in inventory.header]
        rows.append(SampleRow(row.line_number, values, row.error if read else None))
    return rows


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
