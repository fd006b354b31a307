"""What an export format is: a `FormatSpec` names the tool's *signature* (header columns that
must all be present for the format to be detected) and a column map from listing fields to the
tool's column names; `Row` is one record addressed by header key.

Header names are compared by `header_key`: lower-case letters and digits only, so `Folder
Name`, `FolderName` and `FOLDER NAME` are one column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from matching.parsing.listing import ParsedListing

_HEADER_DROP = re.compile(r"[^a-z0-9]+")


def header_key(name: str) -> str:
    """`Folder Name` -> `foldername`, `ID #` -> `id`, `\ufeffCount` -> `count`."""
    return _HEADER_DROP.sub("", name.lower())


class Row:
    """One record, addressed by header key; values are stripped, blank -> None."""

    def __init__(self, values: Mapping[str, str | None]) -> None:
        self._values = values

    def get(self, *keys: str) -> str | None:
        for key in keys:
            value = self._values.get(key)
            if value is not None and value.strip():
                return value.strip()
        return None

    def has(self, key: str) -> bool:
        return key in self._values


Hook = Callable[[ParsedListing, Row], str | None]  # returns an error message or None

#: Listing fields a column map may name (besides `note:<label>` and `id:<name>`).
FIELDS = (
    "name",
    "name_variant",
    "title",
    "set_code",
    "set_name",
    "number",
    "printed_total",
    "condition",
    "printing",
    "foil",
    "finish",
    "edition",
    "language",
    "quantity",
    "price",
    "currency",
    "rarity",
    "scryfall_id",
    "tcgplayer_id",
    "tcgplayer_sku_id",
    "cardmarket_id",
    "ygoprodeck_id",
    "game",
    "grade",
    "grader",
)


def is_column_field(name: str) -> bool:
    """A listing field a column map may name: one of `FIELDS`, `note:<label>` or `id:<name>`."""
    return name in FIELDS or name.startswith(("note:", "id:"))


@dataclass(frozen=True)
class FormatSpec:
    name: str
    tool: str  # human description
    signature: frozenset[str]  # header keys that must all be present
    columns: dict[str, tuple[str, ...]]  # field -> header keys, first non-blank wins
    game: str | None = None  # the game of every row (MTG-only tools)
    vocabulary: str = "tcgplayer"  # the tool whose words the columns hold (TOOL_VOCABULARIES)
    blank_foil_is_normal: bool = False  # an empty foil column means non-foil
    currency: str | None = None  # currency of price columns that carry no symbol
    hook: Hook | None = None
    container: str = "csv"  # "csv" | "json"
    notes: tuple[str, ...] = field(default_factory=tuple)

    def matches(self, keys: set[str]) -> bool:
        return self.signature <= keys


def _k(*names: str) -> tuple[str, ...]:
    return tuple(header_key(n) for n in names)


def build_spec(
    name: str, tool: str, signature: tuple[str, ...], columns: dict[str, tuple[str, ...]], **kw: Any
) -> FormatSpec:
    """A `FormatSpec` from the tool's own header names (keyed here); unknown fields raise."""
    keyed = {fld: _k(*cols) for fld, cols in columns.items()}
    unknown = [f for f in keyed if not is_column_field(f)]
    if unknown:
        raise ValueError(f"{name}: unknown fields {unknown}")
    return FormatSpec(name, tool, frozenset(_k(*signature)), keyed, **kw)
