"""Logical query fields (what `indexer/query.py` nodes name) and the document fields behind them.

Both engines compile the query tree through these tables, so a field means the same thing on
either engine. Unknown fields raise `UnknownFieldError` (the search API turns it into a 400).
"""

from __future__ import annotations

from indexer.analysis import fold
from indexer.query import FACETS


class UnknownFieldError(ValueError):
    """A query names a field the search document does not have (for this kind of node)."""


#: Analysed text fields (FieldMatch, Phrase): logical name -> document field.
TEXT_FIELDS = {
    "name": "names", "names": "names", "type_line": "type_line", "type": "type_line",
    "rules_text": "rules_text", "oracle": "rules_text", "text": "rules_text",
    "flavor_text": "flavor_text", "flavor": "flavor_text", "artist": "artist",
    "set_name": "set_name",
}  # fmt: skip

#: Exact keyword fields (Term, case-insensitive): logical name -> document field.
KEYWORD_FIELDS = {
    "game": "game", "set": "set_codes", "set_code": "set_codes", "rarity": "rarity_canonical",
    "rarity_code": "rarity_code", "language": "language", "lang": "language",
    "colors": "colors", "color": "colors", "color_identity": "color_identity",
    "finish": "finishes", "finishes": "finishes", "condition": "conditions",
    "conditions": "conditions", "finishes_on_offer": "finishes_on_offer",
    "types": "types", "card_type": "types", "supertypes": "supertypes", "subtypes": "subtypes",
    "keyword": "keywords", "keywords": "keywords", "attribute": "attributes",
    "attributes": "attributes",
    "energy_types": "energy_types", "energy": "energy_types", "is": "flags", "flags": "flags",
    "available": "available", "legal": "legal_formats", "format": "legal_formats",
    "legal_formats": "legal_formats", "collector_number": "collector_number",
    "number": "collector_number", "card_id": "card_id", "print_id": "print_id",
    "oracle_key": "oracle_key", "frame": "frame", "variation": "variation",
    "set_type": "set_type", "series": "series",
    "mana_cost": "mana_cost", "evolves_from": "evolves_from",
}  # fmt: skip

#: Numeric fields (Range): logical name -> document field.
NUMERIC_FIELDS = {
    "mana_value": "mana_value", "mv": "mana_value", "cmc": "mana_value",
    "power": "power", "pow": "power", "defense": "defense", "toughness": "defense",
    "tou": "defense", "hp": "hp", "atk": "atk", "def": "def", "level": "level", "rank": "rank",
    "link_rating": "link_rating", "link": "link_rating", "cost": "cost", "counter": "counter",
    "life": "life", "retreat_cost": "retreat_cost", "retreat": "retreat_cost",
    "loyalty": "loyalty_value", "loy": "loyalty_value", "loyalty_value": "loyalty_value",
    "price": "price", "usd": "price", "price_min": "price_min", "price_max": "price_max",
    "market_price": "market_price", "popularity": "popularity", "rarity": "rarity_rank",
    "rarity_rank": "rarity_rank", "number": "number_sort", "number_sort": "number_sort",
    "listings": "total_listings", "total_listings": "total_listings",
    "colors_count": "colors_count", "color_identity_count": "color_identity_count",
    "year": "release_year", "release_year": "release_year",
}  # fmt: skip

#: Set-valued colour fields (ColorSet) and the count field beside each.
COLOR_FIELDS = {"colors": "colors", "color": "colors", "c": "colors",
                "color_identity": "color_identity", "identity": "color_identity",
                "id": "color_identity"}  # fmt: skip
COLOR_COUNT_FIELDS = {"colors": "colors_count", "color_identity": "color_identity_count"}
#: ColorSet is Magic's colour algebra (docs/query-language.md): it only concerns MTG documents,
#: whose colours are these letters (colourless = the empty set).
COLOR_UNIVERSE = frozenset({"W", "U", "B", "R", "G"})
COLOR_GAME = "MTG"

#: Facet name -> document keyword field.
FACET_FIELDS = {
    "game": "game", "set": "set_code", "rarity": "rarity_canonical", "type": "types",
    "color": "colors", "finish": "finishes", "condition": "conditions", "language": "language",
    "available": "available",
}  # fmt: skip
assert set(FACET_FIELDS) == set(FACETS)

#: Buckets returned per facet.
FACET_SIZE = 50

#: Sort option -> document field (relevance sorts by score). Ties: print_id, same direction.
SORT_FIELDS = {
    "name": "name_sort", "released": "released_at", "set": "set_code", "number": "number_sort",
    "rarity": "rarity_rank", "price": "price", "mana_value": "mana_value", "cost": "cost",
    "power": "power", "popularity": "popularity",
}  # fmt: skip
#: Second sort key before the tiebreak (sort by set: set code, then collector number).
SORT_SECONDARY = {"set": "number_sort"}
TIEBREAK_FIELD = "print_id"

#: Numeric fields stored as integers (the rest of NUMERIC_FIELDS' targets are floats).
INTEGER_FIELDS = frozenset(
    {"power", "defense", "hp", "atk", "def", "level", "rank", "link_rating", "cost", "counter",
     "life", "retreat_cost", "popularity", "rarity_rank", "number_sort", "total_listings",
     "colors_count", "color_identity_count", "total_quantity", "vendor_count",
     "consumer_seller_count", "sku_count", "print_id", "card_id", "set_id", "release_year",
     "loyalty_value"}
)  # fmt: skip


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
