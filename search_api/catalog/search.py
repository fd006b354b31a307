"""Search and autocomplete: API parameters -> `indexer.query.SearchRequest`, result -> response.

Pure functions (no engine, no web framework) so they are unit-tested on their own; the routes
only call the engine between `build_request` and `search_response`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from indexer.cursor import InvalidCursorError
from indexer.engine import EngineUnavailableError
from indexer.fields import UnknownFieldError
from indexer.query import FACETS, SearchRequest, SearchResult, SortField, Suggestion
from models.games import GAME_CODES, GAME_LABELS, resolve_game
from models.rarity import rarity_label, rarity_values
from search_api.errors import ApiError
from search_api.query import QuerySyntaxError, parse_query

log = logging.getLogger(__name__)

MAX_PAGE_SIZE = 175
DEFAULT_PAGE_SIZE = 60
#: Deepest result reachable with `page` (page x page_size); deeper pages need `cursor`.
MAX_PAGE_DEPTH = 10_000
MAX_CURSOR_LENGTH = 512
MAX_FILTER_VALUES = 50
MAX_FILTER_VALUE_LENGTH = 64
MAX_PRINTS_PER_CARD = 50
DEFAULT_PRINTS_PER_CARD = 10
MAX_SUGGESTIONS = 20
#: Facet filters taken from the query string (each repeatable, or comma-separated).
FILTER_PARAMS = ("set", "rarity", "type", "color", "finish", "condition", "language", "available")

#: `order` spellings -> sort option.
ORDERS: dict[str, SortField] = {
    "relevance": "relevance",
    "name": "name",
    "released": "released",
    "release": "released",
    "date": "released",
    "set": "set",
    "number": "number",
    "rarity": "rarity",
    "price": "price",
    "usd": "price",
    "mana_value": "mana_value",
    "mv": "mana_value",
    "cmc": "mana_value",
    "cost": "cost",
    "power": "power",
    "pow": "power",
    "popularity": "popularity",
    "popular": "popularity",
}
#: Sorts whose natural direction (dir=auto) is descending.
DESCENDING_BY_DEFAULT = frozenset({"released", "rarity", "popularity"})
_AVAILABLE_ANY = {"true", "1", "yes", "any", "on"}
_AVAILABLE_KINDS = {"b2c": "b2c", "vendor": "b2c", "c2c": "c2c", "consumer": "c2c"}


def resolve_game_param(value: str | None) -> str | None:
    """A `game` parameter (code or alias, e.g. `pokemon`, `ygo`) -> game code; 400 if unknown."""
    if value is None or not value.strip():
        return None
    code = value.strip().upper() if value.strip().upper() in GAME_CODES else resolve_game(value)
    if code is None:
        choices = ", ".join(GAME_CODES)
        raise ApiError(400, "bad_game", f"unknown game {value[:40]!r}; one of {choices}")
    return code


def _split(values: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        for piece in value.split(","):
            piece = piece.strip()
            if piece and piece not in out:
                out.append(piece)
    return tuple(out)


def facet_filters(params: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, ...]]:
    """Repeatable facet parameters -> `SearchRequest.filters` (OR within, AND across)."""
    filters: dict[str, tuple[str, ...]] = {}
    for name in FILTER_PARAMS:
        values = _split(params.get(name) or ())
        if not values:
            continue
        if len(values) > MAX_FILTER_VALUES:
            raise ApiError(400, "bad_filter", f"at most {MAX_FILTER_VALUES} values for {name!r}")
        if any(len(v) > MAX_FILTER_VALUE_LENGTH for v in values):
            raise ApiError(
                400, "bad_filter", f"a {name!r} value is longer than {MAX_FILTER_VALUE_LENGTH}"
            )
        if name == "available":
            values = _available(values)
        filters[name] = values
    return filters


def _available(values: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        low = value.lower()
        kinds = ["b2c", "c2c"] if low in _AVAILABLE_ANY else [_AVAILABLE_KINDS.get(low)]
        if kinds == [None]:
            raise ApiError(
                400, "bad_filter", f"available={value[:20]!r}: expected true, b2c or c2c"
            )
        out.extend(k for k in kinds if k and k not in out)
    return tuple(out)


@dataclass(slots=True)
class SearchParams:
    """The search parameters after FastAPI's type and range checks."""

    q: str = ""
    game: str | None = None
    unique: Literal["cards", "prints"] = "cards"
    order: str = "relevance"
    dir: Literal["auto", "asc", "desc"] = "auto"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    cursor: str | None = None
    prints_per_card: int = DEFAULT_PRINTS_PER_CARD
    price_min: float | None = None
    price_max: float | None = None
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)


def build_request(params: SearchParams) -> tuple[SearchRequest, list[str]]:
    """The engine request and the parser's warnings; raises ApiError (4xx) for bad input."""
    game = resolve_game_param(params.game)
    try:
        parsed = parse_query(params.q or "", game=game)
    except QuerySyntaxError as exc:
        details = exc.as_details()
        raise ApiError(400, str(details.pop("code")), details.pop("details"), **details) from None
    sort = ORDERS.get("_".join(params.order.lower().replace("-", " ").split()))
    if sort is None:
        raise ApiError(
            400, "bad_order", f"unknown order {params.order[:40]!r}; one of {', '.join(ORDERS)}"
        )
    direction = params.dir
    if direction == "auto":
        direction = "desc" if sort in DESCENDING_BY_DEFAULT else "asc"
    if params.cursor is None and params.page * params.page_size > MAX_PAGE_DEPTH:
        raise ApiError(
            400,
            "page_too_deep",
            f"page x page_size may not exceed {MAX_PAGE_DEPTH}; follow next_cursor instead",
            max_page=MAX_PAGE_DEPTH // params.page_size,
        )
    if params.cursor is not None and len(params.cursor) > MAX_CURSOR_LENGTH:
        raise ApiError(400, "bad_cursor", "malformed cursor")
    if (
        params.price_min is not None
        and params.price_max is not None
        and params.price_min > params.price_max
    ):
        raise ApiError(400, "bad_filter", "price_min is greater than price_max")
    filters = dict(params.filters)
    if filters.get("rarity"):
        # any game's spelling, alias or label -> the canonical values the facet counts
        filters["rarity"] = tuple(
            dict.fromkeys(c for value in filters["rarity"] for c in rarity_values(value, game))
        )
    if game is not None:
        filters["game"] = (game,)
    request = SearchRequest(
        query=parsed.node,
        filters=filters,
        price_min=params.price_min,
        price_max=params.price_max,
        unique=params.unique,
        sort=sort,
        direction=direction,
        page=params.page,
        page_size=params.page_size,
        cursor=params.cursor or None,
        facets=FACETS,
        prints_per_card=params.prints_per_card if params.unique == "cards" else 0,
    )
    return request, list(parsed.warnings)


T = TypeVar("T")


def call_engine(fn: Callable[[], T]) -> T:
    """Run an engine call, turning what user input can provoke into 4xx and outages into 503."""
    try:
        return fn()
    except InvalidCursorError as exc:
        raise ApiError(400, "bad_cursor", str(exc)) from None
    except UnknownFieldError as exc:
        raise ApiError(400, "bad_query", str(exc)) from None
    except EngineUnavailableError as exc:
        raise ApiError(503, "search_unavailable", str(exc)) from None
    except Exception as exc:
        status = getattr(exc, "status_code", None)
        if status == 400 or isinstance(exc, ValueError):
            # the engine refused the query (too many clauses, ...): the input's fault
            log.info("engine refused a query: %s", exc)
            raise ApiError(400, "bad_query", "the engine could not run this query") from None
        log.exception("search engine failure")
        raise ApiError(503, "search_unavailable", f"{type(exc).__name__}") from None


def print_item(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A search document (indexer/documents.py) -> the `PrintItem` fields."""
    return {
        "card_id": doc["card_id"],
        "print_id": doc["print_id"],
        "name": doc["name"],
        "game": doc["game"],
        "set_code": doc.get("set_code") or "",
        "set_name": doc.get("set_name"),
        "collector_number": doc.get("collector_number"),
        "rarity": doc.get("rarity"),
        "language": doc.get("language"),
        "image": doc.get("image_url"),
        "image_srcset": doc.get("image_srcset"),
        "image_blurhash": doc.get("image_blurhash"),
        "type_line": doc.get("type_line"),
        "mana_cost": doc.get("mana_cost"),
        "released_at": doc.get("released_at"),
        "finishes": doc.get("finishes") or [],
        "finishes_on_offer": doc.get("finishes_on_offer") or [],
        "conditions": doc.get("conditions") or [],
        "price_min": doc.get("price_min"),
        "price_max": doc.get("price_max"),
        "market_price": doc.get("market_price"),
        "currency": doc.get("currency"),
        "available": doc.get("available") or [],
        "total_listings": doc.get("total_listings"),
    }


def facet_label(facet: str, value: str, game: str | None = None) -> str:
    """What a facet value shows: a rarity's display label (`game`'s own when one game is
    chosen, else neutral), a game's name; other values show as they are."""
    if facet == "rarity":
        return rarity_label(value, game)
    if facet == "game":
        return GAME_LABELS.get(value, value)
    return value


def search_response(
    result: SearchResult, warnings: list[str], *, request: SearchRequest | None = None
) -> dict[str, Any]:
    """The response body; facet labels are the chosen game's when `request` names one game."""
    games = request.filters.get("game", ()) if request is not None else ()
    game = games[0] if len(games) == 1 else None
    data = []
    for hit in result.hits:
        item = print_item(hit.document)
        item["score"] = hit.score
        item["prints"] = [print_item(p) for p in hit.prints]
        item["prints_total"] = hit.prints_total
        data.append(item)
    return {
        "total": result.total,
        "data": data,
        "facets": {
            name: [
                {"value": str(v), "label": facet_label(name, str(v), game), "count": int(c)}
                for v, c in values
            ]
            for name, values in result.facets.items()
        },
        "next_cursor": result.next_cursor,
        "warnings": warnings,
    }


def suggestions_response(suggestions: list[Suggestion]) -> dict[str, Any]:
    return {"data": [{"name": s.name, "card_id": s.card_id, "game": s.game} for s in suggestions]}
