"""Logical query fields (what `indexer/query.py` nodes name) and the document fields behind them.

The tables are derived from the one declaration of document fields, `models.card_fields`.

Both engines compile the query tree through these tables, so a field means the same thing on
either engine. Unknown fields raise `UnknownFieldError` (the search API turns it into a 400).
"""

from __future__ import annotations

from indexer.query import FACETS
from models.card_fields import DOCUMENT_FIELDS, query_names
from models.text import fold


class UnknownFieldError(ValueError):
    """A query names a field the search document does not have (for this kind of node)."""


#: Analysed text fields (FieldMatch, Phrase): logical name -> document field.
TEXT_FIELDS = query_names("text")
#: Exact keyword fields (Term, case-insensitive): logical name -> document field.
KEYWORD_FIELDS = query_names("keyword")
#: Numeric fields (Range): logical name -> document field.
NUMERIC_FIELDS = query_names("numeric")

#: Set-valued colour fields (ColorSet) and the count field beside each.
COLOR_FIELDS = {
    "colors": "colors",
    "color": "colors",
    "c": "colors",
    "color_identity": "color_identity",
    "identity": "color_identity",
    "id": "color_identity",
}
COLOR_COUNT_FIELDS = {"colors": "colors_count", "color_identity": "color_identity_count"}
#: ColorSet is Magic's colour algebra (docs/query-language.md): it only concerns MTG documents,
#: whose colours are these letters (colourless = the empty set).
COLOR_UNIVERSE = frozenset({"W", "U", "B", "R", "G"})
COLOR_GAME = "MTG"

#: Facet name -> document keyword field.
FACET_FIELDS = {f.facet: f.name for f in DOCUMENT_FIELDS if f.facet}
assert set(FACET_FIELDS) == set(FACETS)

#: Buckets returned per facet.
FACET_SIZE = 50

#: Sort option -> document field (relevance sorts by score). Ties: print_id, same direction.
SORT_FIELDS = {f.sort: f.name for f in DOCUMENT_FIELDS if f.sort}
#: Second sort key before the tiebreak (sort by set: set code, then collector number).
SORT_SECONDARY = {"set": "number_sort"}
TIEBREAK_FIELD = "print_id"

#: Numeric fields stored as integers (the other numbers are floats).
INTEGER_FIELDS = frozenset(f.name for f in DOCUMENT_FIELDS if f.index in ("integer", "long"))


def text_field(name: str) -> str:
    try:
        return TEXT_FIELDS[name]
    except KeyError:
        raise UnknownFieldError(f"unknown text field {name!r}") from None


def keyword_field(name: str) -> str:
    try:
        return KEYWORD_FIELDS[name]
    except KeyError:
        raise UnknownFieldError(f"unknown keyword field {name!r}") from None


def numeric_field(name: str) -> str:
    try:
        return NUMERIC_FIELDS[name]
    except KeyError:
        raise UnknownFieldError(f"unknown numeric field {name!r}") from None


def color_field(name: str) -> tuple[str, str]:
    try:
        target = COLOR_FIELDS[name]
    except KeyError:
        raise UnknownFieldError(f"unknown colour field {name!r}") from None
    return target, COLOR_COUNT_FIELDS[target]


def facet_field(name: str) -> str:
    try:
        return FACET_FIELDS[name]
    except KeyError:
        raise UnknownFieldError(f"unknown facet {name!r}") from None


def normalize_keyword(value: str) -> str:
    """Keyword values are matched case- and accent-blind: both sides compare folded forms."""
    return fold(value)
