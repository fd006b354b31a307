"""`/api/catalog/.../price-history`: the daily price points of a SKU or of a print's SKUs
(`marketplace.price_history`), cached per SKU and per print (`models.lookup_cache`); the
marketplace drops a cached history when events change its SKUs (`marketplace.cached_lookups`).
Domain errors map to statuses in `search_api.errors` (unknown SKU or print 404, a bad window,
condition or finish 422)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Path, Query, Response
from sqlalchemy.engine import Connection

from marketplace import price_history as ph
from marketplace.cached_lookups import PRINT_PRICES, SKU_PRICES
from models import lookup_cache
from models.db import get_read_engine
from models.sku import SkuError, format_sku, parse_sku
from search_api.catalog.routes import ERRORS, MAX_ID
from search_api.catalog.schemas import PrintPriceHistory, SkuPriceHistory
from search_api.errors import ApiError

router = APIRouter(prefix="/api/catalog", tags=["catalog"], responses=ERRORS)
#: `days` as the routes take it: the domain's window, checked by FastAPI (a 422 naming it).
DaysParam = Annotated[
    int,
    Query(
        ge=ph.MIN_DAYS,
        le=ph.MAX_DAYS,
        description=f"The last N days (UTC, today included), {ph.MIN_DAYS} to {ph.MAX_DAYS}.",
    ),
]


def _answer(key: str, field: str, query: Callable[[Connection], dict[str, Any]]) -> Response:
    """The cached body of `query` on a read-only connection (computed on a miss)."""

    def compute() -> bytes:
        with get_read_engine().connect() as conn:
            return orjson.dumps(query(conn))

    body = lookup_cache.cached_field(key, field, compute)
    return Response(body, media_type="application/json")


@router.get("/by-sku/{sku}/price-history", response_model=SkuPriceHistory)
def sku_price_history(
    sku: Annotated[str, Path(max_length=200)], days: DaysParam = ph.DEFAULT_DAYS
) -> Response:
    """The SKU's daily price points (lowest, median, market, listings, units sold) of the last
    `days` days, oldest first; a day without market events has no point."""
    try:
        canonical = format_sku(parse_sku(sku))
    except SkuError as exc:
        raise ApiError(400, "bad_sku", str(exc)[:200], component=exc.component) from None
    today = datetime.now(UTC).date()
    return _answer(
        lookup_cache.cache_key(SKU_PRICES, canonical),
        f"{today}|{days}",
        lambda conn: ph.sku_history(conn, sku=canonical, days=days, today=today),
    )


@router.get("/prints/{print_id}/price-history", response_model=PrintPriceHistory)
def print_price_history(
    print_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    days: DaysParam = ph.DEFAULT_DAYS,
    condition: Annotated[
        str | None, Query(max_length=8, description="One condition: NM, LP, MP, HP, DMG.")
    ] = None,
    finish: Annotated[
        str | None, Query(max_length=16, description="One finish: NORMAL, FOIL, ...")
    ] = None,
) -> Response:
    """The daily price points of the print's SKUs, one series per condition, finish and grade
    with a point in the last `days` days, oldest first."""
    today = datetime.now(UTC).date()
    return _answer(
        lookup_cache.cache_key(PRINT_PRICES, print_id),
        f"{today}|{days}|{(condition or '').strip().upper()}|{(finish or '').strip().upper()}",
        lambda conn: ph.print_history(
            conn, print_id=print_id, days=days, condition=condition, finish=finish, today=today
        ),
    )
