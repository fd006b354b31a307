"""Which searches depend on print-level values: that decides how an engine counts cards.

Documents are prints; a card matches when one of its prints matches. When every condition of a
request (query leaves, facet selections, price bounds) reads only fields that are the same in
every print of a card (`CARD_FIELDS`: declared card-level in `models.card_fields`), either all
of a card's prints match or none does, so counting the matching *card heads* (one designated
print per card, `card_head`) counts the matching cards exactly, at the cost of a filter. Any
other request counts distinct `card_id`s (exact, and dearer the more cards match).
"""

from __future__ import annotations

from collections.abc import Callable

from indexer.fields import (
    COLOR_FIELDS,
    FACET_FIELDS,
    UnknownFieldError,
    keyword_field,
    numeric_field,
    text_field,
)
from indexer.query import (
    And,
    ColorSet,
    ExactName,
    FieldMatch,
    MatchAll,
    Node,
    Not,
    Or,
    Phrase,
    Range,
    SearchRequest,
    Term,
    Text,
)
from models.card_fields import CARD_LEVEL_FIELDS

#: More than any catalog's cards: a distinct count asks for one `terms` bucket per matching card.
MAX_CARD_BUCKETS = 10_000_000
#: The document field that marks one print per card (the card's lowest print id).
CARD_HEAD_FIELD = "card_head"
#: Document fields whose value is the same in every print of a card (declared `level="card"`).
#: `names` is not among them (it holds each print's printed name), nor is anything of the set,
#: the print or its SKUs.
CARD_FIELDS = CARD_LEVEL_FIELDS


def _field_is_card_level(lookup: Callable[[str], str], name: str) -> bool:
    try:
        return lookup(name) in CARD_FIELDS
    except UnknownFieldError:
        return False


def node_is_card_level(node: Node) -> bool:
    """True when `node` reads only card-level fields (so it matches all of a card's prints or
    none of them)."""
    if isinstance(node, MatchAll | ExactName):
        return True  # ExactName reads names_exact: the card's name and face names
    if isinstance(node, Text):
        return False  # names include printed names; words may be set codes or numbers
    if isinstance(node, Phrase | FieldMatch):
        return _field_is_card_level(text_field, node.field)
    if isinstance(node, Term):
        return _field_is_card_level(keyword_field, node.field)
    if isinstance(node, Range):
        return _field_is_card_level(numeric_field, node.field)
    if isinstance(node, ColorSet):
        return COLOR_FIELDS.get(node.field) in CARD_FIELDS
    if isinstance(node, And | Or):
        return all(node_is_card_level(child) for child in node.children)
    if isinstance(node, Not):
        return node_is_card_level(node.child)
    return False


def facet_counts_card_heads(request: SearchRequest, facet: str) -> bool:
    """True when `facet`'s card counts may count card heads (a card-level facet of a card-level
    request) instead of distinct card ids per value."""
    return (
        request.unique == "cards"
        and FACET_FIELDS.get(facet) in CARD_FIELDS
        and request_is_card_level(request)
    )


def request_is_card_level(request: SearchRequest) -> bool:
    """True when the request's query, selections and price bounds are all card-level."""
    if request.price_min is not None or request.price_max is not None:
        return False
    for facet, values in request.filters.items():
        if values and FACET_FIELDS.get(facet) not in CARD_FIELDS:
            return False
    return node_is_card_level(request.query)
