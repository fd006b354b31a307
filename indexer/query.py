"""The engine-neutral search request: a query tree plus filters, facets, sort and paging.

`search_api` parses what users type into these nodes; each engine (`indexer/engines/`) compiles
them into its own query. No user text ever reaches an engine's query-string parser.

Field names are the logical fields of the search document (see docs/indexer.md): e.g. `name`,
`type_line`, `rules_text`, `artist`, `set_code`, `collector_number`, `rarity`, `language`,
`game`, `colors`, `color_identity`, `finishes`, `conditions`, `mana_value`, `power`, `defense`,
`hp`, `atk`, `def`, `level`, `cost`, `counter`, `price_min`, `available`, ...
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Union

from models.card_fields import DOCUMENT_FIELDS

Comparison = Literal["=", "!=", "<", "<=", ">", ">="]


@dataclass(frozen=True, slots=True)
class MatchAll:
    """Every document."""


@dataclass(frozen=True, slots=True)
class Text:
    """Free text: names (every face, accent-blind, prefix and typo tolerant), codes and numbers."""

    text: str


@dataclass(frozen=True, slots=True)
class Phrase:
    """A quoted phrase in names or in `field` (e.g. rules_text)."""

    text: str
    field: str = "name"


@dataclass(frozen=True, slots=True)
class ExactName:
    """`!"Name"`: the card whose full name (or a face's name) is exactly this, accent/case-blind."""

    name: str


@dataclass(frozen=True, slots=True)
class FieldMatch:
    """Analysed words in a text field: `t:dragon`, `o:"draw a card"`, `a:rebecca`."""

    field: str
    text: str


@dataclass(frozen=True, slots=True)
class Term:
    """Exact keyword value (case-insensitive): `s:neo`, `r:mythic`, `lang:jp`, `game:mtg`, `is:foil`."""

    field: str
    value: str


@dataclass(frozen=True, slots=True)
class Range:
    """Numeric comparison: `mv>=3`, `hp<100`, `usd<5`, `r>=rare` (rarities compare by rank)."""

    field: str
    op: Comparison
    value: float


@dataclass(frozen=True, slots=True)
class ColorSet:
    """Scryfall colour semantics on a set-valued field: `c>=rg` (superset), `c=rg`, `id<=wubrg`."""

    field: str  # colors | color_identity
    op: Comparison
    colors: frozenset[str]


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


Node = Union[MatchAll, Text, Phrase, ExactName, FieldMatch, Term, Range, ColorSet, And, Or, Not]  # noqa: UP007

#: Facets a search can return counts for (multi-select: a facet's counts ignore its own selection).
FACETS = ("game", "set", "rarity", "type", "color", "finish", "condition", "language", "available")

#: The document fields a search hit and the entries of its print list carry (what a result
#: shows); the rest of a document (rules text, names, codes, ...) stays in the index, which
#: keeps answers small to build, send and parse.
RESULT_FIELDS = tuple(f.name for f in DOCUMENT_FIELDS if f.result)

SortField = Literal[
    "relevance",
    "name",
    "released",
    "set",
    "number",
    "rarity",
    "price",
    "mana_value",
    "cost",
    "power",
    "popularity",
]


@dataclass(frozen=True, slots=True)
class SearchRequest:
    query: Node = field(default_factory=MatchAll)
    #: Facet selections: facet name -> selected values (OR within a facet, AND across facets).
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    price_min: float | None = None
    price_max: float | None = None
    unique: Literal["cards", "prints"] = "cards"
    sort: SortField = "relevance"
    direction: Literal["asc", "desc"] = "asc"
    page: int = 1
    page_size: int = 60
    #: Opaque deep-paging cursor from a previous response (search_after); overrides `page`.
    cursor: str | None = None
    facets: tuple[str, ...] = FACETS
    #: With unique=cards: fill each hit's `prints` with up to this many matching prints of the
    #: card, best first (the hit's own print included); 0 leaves `prints` empty (faster).
    prints_per_card: int = 0


@dataclass(slots=True)
class SearchHit:
    document: dict[str, Any]  # the stored search document (print grain)
    score: float | None = None
    #: With unique=cards: the other matching prints of the same card (documents).
    prints: list[dict[str, Any]] = field(default_factory=list)
    #: With unique=cards and `prints_per_card`: how many of the card's prints match in all
    #: (`prints` holds at most `prints_per_card` of them); None when not asked.
    prints_total: int | None = None


@dataclass(slots=True)
class SearchResult:
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[tuple[str, int]]]
    next_cursor: str | None = None


@dataclass(frozen=True, slots=True)
class Suggestion:
    name: str
    card_id: int
    game: str
