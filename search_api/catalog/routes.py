"""`/api/catalog`: search, autocomplete and lookups (docs/search-api.md).

Routes are plain `def`s (FastAPI runs them in its thread pool): the engines and the database
drivers are synchronous. Every input has a limit and every failure a JSON body
(`{"code", "details"}`); user input never produces a 5xx.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import BaseModel

from indexer.engine import SearchEngine, get_engine
from indexer.query import SearchRequest, Text
from marketplace import popularity
from models import lookup_cache
from models.db import get_read_engine
from models.sku import SkuError, format_sku, parse_sku
from search_api.catalog import lookups
from search_api.catalog import search as s
from search_api.catalog.schemas import (
    AutocompleteResponse,
    CardDetail,
    CollectionRequest,
    CollectionResponse,
    ErrorBody,
    PrintDetail,
    SearchResponse,
    SkuDetail,
)
from search_api.errors import ApiError
from search_api.query import MAX_QUERY_LENGTH

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody},
    404: {"model": ErrorBody},
    422: {"model": ErrorBody},
    503: {"model": ErrorBody},
}
router = APIRouter(prefix="/api/catalog", tags=["catalog"], responses=ERRORS)
MAX_ID = 2**63 - 1
log = logging.getLogger(__name__)


EngineDep = Annotated[SearchEngine, Depends(get_engine)]
GameParam = Annotated[
    str | None, Query(max_length=32, description="Game code or alias: mtg, pokemon, ygo, op.")
]


# -- search ---------------------------------------------------------------------------------------


@router.get("/search", response_model=SearchResponse)
def search(
    engine: EngineDep,
    q: Annotated[
        str, Query(max_length=MAX_QUERY_LENGTH, description="docs/query-language.md")
    ] = "",
    game: GameParam = None,
    unique: Literal["cards", "prints"] = "cards",
    order: Annotated[str, Query(max_length=32, description=", ".join(s.ORDERS))] = "relevance",
    dir: Literal["auto", "asc", "desc"] = "auto",
    page: Annotated[int, Query(ge=1, le=s.MAX_PAGE_DEPTH)] = 1,
    page_size: Annotated[int, Query(ge=1, le=s.MAX_PAGE_SIZE)] = s.DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=s.MAX_CURSOR_LENGTH)] = None,
    prints_per_card: Annotated[
        int, Query(ge=0, le=s.MAX_PRINTS_PER_CARD)
    ] = s.DEFAULT_PRINTS_PER_CARD,
    price_min: Annotated[float | None, Query(ge=0, le=1e9)] = None,
    price_max: Annotated[float | None, Query(ge=0, le=1e9)] = None,
    set: Annotated[list[str] | None, Query(description="Set code (repeatable).")] = None,
    rarity: Annotated[list[str] | None, Query()] = None,
    type: Annotated[list[str] | None, Query()] = None,
    color: Annotated[list[str] | None, Query()] = None,
    finish: Annotated[list[str] | None, Query()] = None,
    condition: Annotated[list[str] | None, Query()] = None,
    language: Annotated[list[str] | None, Query()] = None,
    available: Annotated[list[str] | None, Query(description="true, b2c or c2c")] = None,
) -> Response:
    """Cards (or prints) matching `q`, with facet counts (multi-select) and paging."""
    params = s.SearchParams(
        q=q,
        game=game,
        unique=unique,
        order=order,
        dir=dir,
        page=page,
        page_size=page_size,
        cursor=cursor,
        prints_per_card=prints_per_card,
        price_min=price_min,
        price_max=price_max,
        filters=s.facet_filters(
            {
                "set": set or [],
                "rarity": rarity or [],
                "type": type or [],
                "color": color or [],
                "finish": finish or [],
                "condition": condition or [],
                "language": language or [],
                "available": available or [],
            }
        ),
    )
    search_request, warnings = s.build_request(params)
    result = s.call_engine(lambda: engine.search(search_request))
    popularity.record_search_hits(hit.document["print_id"] for hit in result.hits)
    body = s.search_response(result, warnings, request=search_request)
    # the body is built to SearchResponse's shape (tests check it); encoding it directly costs
    # a tenth of validating its hundreds of print items again on another thread-pool trip
    return Response(orjson.dumps(body), media_type="application/json")


@router.get("/autocomplete", response_model=AutocompleteResponse)
def autocomplete(
    engine: EngineDep,
    q: Annotated[str, Query(max_length=200)] = "",
    game: GameParam = None,
) -> dict[str, Any]:
    """Up to 20 card names starting like `q` (typo tolerant); nothing under 2 characters."""
    code = s.resolve_game_param(game)
    if len(q.strip()) < 2:
        return {"data": []}
    found = s.call_engine(lambda: engine.suggest(q, game=code, limit=s.MAX_SUGGESTIONS))
    return s.suggestions_response(found)


# -- lookups --------------------------------------------------------------------------------------


def warm_up() -> None:
    """Open the search engine and a database connection and compile the lookups' statements, so
    a new worker process does not pay for them in its first requests (~200 ms). A failure is
    left for the requests (and /ready) to report."""
    try:
        get_engine()
        with get_read_engine().connect() as conn:
            lookups.warm_up(conn)
    except Exception as exc:  # noqa: BLE001 - warming is optional
        log.info("lookups not warmed up: %s", exc)


#: What a lookup answer describes, for its 404.
NOUNS: dict[type[BaseModel], str] = {SkuDetail: "SKU", CardDetail: "card", PrintDetail: "print"}


def _json(model: type[BaseModel], value: dict[str, Any]) -> bytes:
    """`value` checked against `model` and encoded as FastAPI encodes a `response_model`; done in
    the route's own thread, where FastAPI would validate in a second trip to the thread pool."""
    return model.model_validate(value).model_dump_json(by_alias=True).encode()


def _lookup(
    key: str, model: type[BaseModel], lookup: Callable[..., dict[str, Any] | None], **params: Any
) -> Response:
    """The (cached) body of `lookup(conn, **params)` on a read-only connection, checked out only
    when the cache has no answer; 404 when it is None."""

    def compute() -> bytes | None:
        with get_read_engine().connect() as conn:
            value = lookup(conn, **params)
        return None if value is None else _json(model, value)

    body = lookup_cache.cached(key, compute)
    if body is None:
        raise ApiError(404, "not_found", f"no such {NOUNS[model]}")
    return Response(body, media_type="application/json")


@router.get("/by-sku/{sku}", response_model=SkuDetail)
def by_sku(sku: Annotated[str, Path(max_length=200)]) -> Response:
    """The card, print and market data of a SKU (`MTG-NEO-001-EN-NM-FOIL`, docs/sku.md)."""
    try:
        canonical = format_sku(parse_sku(sku))
    except SkuError as exc:
        raise ApiError(400, "bad_sku", str(exc)[:200], component=exc.component) from None
    key = lookup_cache.cache_key("sku", canonical)
    response = _lookup(key, SkuDetail, lookups.sku_detail, sku=canonical)
    popularity.record_views(skus=[canonical])
    return response


@router.get("/cards/named", response_model=CardDetail)
def card_named(
    engine: EngineDep,
    exact: Annotated[str | None, Query(min_length=1, max_length=300)] = None,
    fuzzy: Annotated[str | None, Query(min_length=1, max_length=300)] = None,
    game: GameParam = None,
    set: Annotated[str | None, Query(max_length=48)] = None,
) -> Response:
    """The one card with this name (`exact`, accent/case-blind) or best fitting it (`fuzzy`:
    exact, then prefix, then typo tolerant). 404 `ambiguous` with `candidates` when several
    cards fit."""
    if (exact is None) == (fuzzy is None):
        raise ApiError(400, "bad_request", "give exactly one of exact= or fuzzy=")
    code = s.resolve_game_param(game)
    fuzzy_ids: list[int] = []
    if fuzzy is not None:
        fuzzy_ids = _engine_best_cards(engine, fuzzy, code, set)
    try:
        with get_read_engine().connect() as conn:
            card_id = lookups.card_named(
                conn, exact=exact, fuzzy=fuzzy, game=code, set_code=set, fuzzy_ids=fuzzy_ids
            )
    except lookups.AmbiguousError as exc:
        raise ApiError(
            404,
            "ambiguous",
            "several cards fit; be more specific (game=, set=)",
            candidates=exc.candidates,
        ) from None
    if card_id is None:
        raise ApiError(404, "not_found", "no card with that name")
    key = lookup_cache.cache_key("card", card_id)
    response = _lookup(key, CardDetail, lookups.card_detail, card_id=card_id)
    popularity.record_views(card_ids=[card_id])
    return response


def _engine_best_cards(
    engine: SearchEngine, text: str, game: str | None, set_code: str | None
) -> list[int]:
    """Cards of the best relevance tier for `text` (typo tolerant), at most a few."""
    filters: dict[str, tuple[str, ...]] = {"game": (game,)} if game else {}
    if set_code:
        filters["set"] = (set_code,)
    request = SearchRequest(query=Text(text), filters=filters, page_size=5, facets=())
    try:
        result = s.call_engine(lambda: engine.search(request))
    except ApiError:
        return []
    if not result.hits:
        return []
    best = result.hits[0].score or 0
    # a card clearly ahead wins; near-ties (within the popularity boost, x1.2) are ambiguous
    return [h.document["card_id"] for h in result.hits if (h.score or 0) * 1.2 >= best]


@router.get("/cards/{card_id}", response_model=CardDetail)
def card(card_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Response:
    """A card and its prints (a view of the card, for popularity)."""
    key = lookup_cache.cache_key("card", card_id)
    response = _lookup(key, CardDetail, lookups.card_detail, card_id=card_id)
    popularity.record_views(card_ids=[card_id])
    return response


@router.get("/prints/{print_id}", response_model=PrintDetail)
def print_(
    print_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    count_view: Annotated[
        bool,
        Query(description="false: not a view of the print's page (e.g. a card page's SKU table)."),
    ] = True,
) -> Response:
    """A print with its card and its SKUs' market data (a view of the print, for popularity)."""
    key = lookup_cache.cache_key("print", print_id)
    response = _lookup(key, PrintDetail, lookups.print_detail, print_id=print_id)
    if count_view:
        popularity.record_views(print_ids=[print_id])
    return response


@router.get("/sets/{game}/{set_code}/{number}", response_model=PrintDetail)
def print_by_number(
    game: Annotated[str, Path(max_length=32)],
    set_code: Annotated[str, Path(max_length=48)],
    number: Annotated[str, Path(max_length=48)],
    language: Annotated[str | None, Query(max_length=3)] = None,
) -> Response:
    """The print at a set's collector number (English unless `language` is given)."""
    code = s.resolve_game_param(game)
    key = lookup_cache.cache_key("number", code, set_code.upper(), number.lower(), language)
    params = {"game": code, "set_code": set_code, "number": number, "language": language}
    return _lookup(key, PrintDetail, lookups.print_at_number, **params)


@router.post("/collection", response_model=CollectionResponse)
def collection(body: CollectionRequest) -> Response:
    """Up to 75 identifiers (sku; print_id; name; name + set; set + number), answered in
    order; those that name nothing (or several cards) are listed in `not_found`."""
    games = [s.resolve_game_param(ident.game) for ident in body.identifiers]
    with get_read_engine().connect() as conn:
        resolved = lookups.resolve_identifiers(conn, body.identifiers, games)
        found = lookups.print_items(conn, [i for i in resolved if i is not None])
    items = {item["print_id"]: item for item in found}
    data, not_found = [], []
    for ident, print_id in zip(body.identifiers, resolved, strict=True):
        if print_id in items:
            data.append(items[print_id])
        else:
            not_found.append(ident.model_dump(exclude_none=True))
    return Response(
        _json(CollectionResponse, {"data": data, "not_found": not_found}),
        media_type="application/json",
    )
