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

#: Listing fields a column map may name (besides `note:<label>` and `id:<name>`), with what a
#: column mapped to each holds, for people choosing a field (the mapping editor).
FIELD_DESCRIPTIONS: dict[str, str] = {
    "name": "Card name",
    "name_variant": "Card name with a variant tag, e.g. Lightning Bolt (Borderless)",
    "title": "Listing title (name, set, number, condition... read from one text)",
    "set_code": "Set code, e.g. LTR, LOB, sv9a",
    "set_name": "Set name",
    "number": "Collector number (199/165 is split)",
    "printed_total": "Printed set total (the 165 of 199/165)",
    "condition": "Condition",
    "printing": "Printing (Normal, Foil, 1st Edition...)",
    "foil": "Foil flag or word",
    "finish": "Finish (Normal, Foil, Holo, Reverse Holo...)",
    "edition": "Edition (1st, Unlimited, Limited)",
    "language": "Language",
    "quantity": "Quantity",
    "price": "Price",
    "currency": "Price currency (ISO 4217)",
    "rarity": "Rarity",
    "scryfall_id": "Scryfall id",
    "tcgplayer_id": "TCGplayer product id",
    "tcgplayer_sku_id": "TCGplayer SKU id",
    "cardmarket_id": "Cardmarket product id (idProduct)",
    "ygoprodeck_id": "Yu-Gi-Oh! passcode (YGOPRODeck id)",
    "game": "Game",
    "grade": "Grade, e.g. PSA 10 (or 10 beside a grader column)",
    "grader": "Grading company beside a bare grade",
}
FIELDS = tuple(FIELD_DESCRIPTIONS)


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
    #: The signature as the tool writes it (`Set code`), for people: `signature` keyed.
    signature_columns: tuple[str, ...] = ()

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
    return FormatSpec(
        name, tool, frozenset(_k(*signature)), keyed, signature_columns=signature, **kw
    )
