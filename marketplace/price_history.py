"""Reading the daily price points (`price_history`) that marketplace events write.

`recompute` stores one point per SKU and UTC day: the SKU's aggregates at the end of that day as
far as events have told (lowest, median and market price, listings on offer) and the units sold
that day. A day without events has no point: the previous point still holds. These queries read
the points of one SKU, or of a print's SKUs (one series per condition, finish and grade), within
the last `days` days, oldest first. Each is one indexed statement (the primary key
`(sku_id, day)` after the SKU seek). The functions take a connection, are keyword-only, return
JSON-ready dicts and raise domain errors (`models.errors`) for what a caller asked wrongly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from marketplace.models import PRICE_HISTORY
from models import CatalogSku, Print
from models.errors import InvalidInput, NotFound
from models.vocabulary import CONDITION_CODES, FINISH_CODES

#: The window a caller may ask for, in days (the default answers a month).
MIN_DAYS, MAX_DAYS, DEFAULT_DAYS = 1, 365, 30

PH = PRICE_HISTORY
SKU_COLUMNS = (
    CatalogSku.id,
    CatalogSku.sku,
    CatalogSku.print_id,
    CatalogSku.condition,
    CatalogSku.finish,
    CatalogSku.grade_company,
    CatalogSku.grade_value,
    CatalogSku.currency,
)
POINT_COLUMNS = (
    PH.c.day,
    PH.c.min_price,
    PH.c.median_price,
    PH.c.market_price,
    PH.c.total_listings,
    PH.c.units_sold,
)
#: The SKU and its points since `since` (none: one row of NULL points), oldest first.
SKU_POINTS = (
    sa.select(*SKU_COLUMNS, *POINT_COLUMNS)
    .outerjoin(PH, sa.and_(PH.c.sku_id == CatalogSku.id, PH.c.day >= sa.bindparam("since")))
    .where(CatalogSku.sku == sa.bindparam("sku"))
    .order_by(PH.c.day)
)
#: The points since `since` of a print's SKUs, per SKU and oldest first.
PRINT_POINTS = (
    sa.select(*SKU_COLUMNS, *POINT_COLUMNS)
    .join(PH, PH.c.sku_id == CatalogSku.id)
    .where(CatalogSku.print_id == sa.bindparam("print_id"), PH.c.day >= sa.bindparam("since"))
    .order_by(CatalogSku.id, PH.c.day)
)
PRINT_EXISTS = sa.select(Print.id).where(Print.id == sa.bindparam("print_id"))


def window(days: int, *, today: date | None = None) -> tuple[date, date]:
    """The first and last day (UTC) of the last `days` days; raises InvalidInput out of range."""
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise InvalidInput(
            f"days must be from {MIN_DAYS} to {MAX_DAYS}; {days} was asked.",
            code="bad_days",
            minimum=MIN_DAYS,
            maximum=MAX_DAYS,
        )
    last = today or datetime.now(UTC).date()
    return last - timedelta(days=days - 1), last


def _code(value: str | None, known: Iterable[str], name: str) -> str | None:
    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    known = tuple(known)
    if code not in known:
        raise InvalidInput(
            f"{name} {value!r} is not one of {', '.join(known)}.",
            code=f"bad_{name}",
            allowed=list(known),
        )
    return code


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _grade(company: str | None, value: Decimal | None) -> str | None:
    if not company or value is None:
        return None
    return f"{company}{int(value) if value == int(value) else value}"


def _point(row: Mapping[Any, Any]) -> dict[str, Any]:
    day = row["day"]
    return {
        "date": day.isoformat() if isinstance(day, date) else str(day),
        "lowest": _num(row["min_price"]),
        "median": _num(row["median_price"]),
        "market": _num(row["market_price"]),
        "listings": row["total_listings"] or 0,
        "sales": row["units_sold"] or 0,
    }


def _series(row: Mapping[Any, Any]) -> dict[str, Any]:
    return {
        "sku": row["sku"],
        "condition": row["condition"],
        "finish": row["finish"],
        "grade": _grade(row["grade_company"], row["grade_value"]),
        "currency": row["currency"] or "USD",
        "points": [],
    }


def sku_history(
    conn: Connection, *, sku: str, days: int = DEFAULT_DAYS, today: date | None = None
) -> dict[str, Any]:
    """The daily points of the SKU coded `sku` (canonical form) in the last `days` days.

    Raises NotFound for an unknown SKU and InvalidInput for a window out of range."""
    since, until = window(days, today=today)
    rows = conn.execute(SKU_POINTS, {"sku": sku, "since": since}).mappings().all()
    if not rows:
        raise NotFound(f"There is no SKU {sku}.", code="not_found")
    series = _series(rows[0])
    series["points"] = [_point(r) for r in rows if r["day"] is not None]
    return {"days": days, "from": since.isoformat(), "to": until.isoformat(), **series}


def print_history(
    conn: Connection,
    *,
    print_id: int,
    days: int = DEFAULT_DAYS,
    condition: str | None = None,
    finish: str | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """The daily points of a print's SKUs in the last `days` days: one series per SKU that has a
    point in the window (condition x finish x grade), optionally of one condition or finish.

    Raises NotFound for an unknown print and InvalidInput for a window out of range or a
    condition or finish the vocabulary does not know (`models.vocabulary`)."""
    since, until = window(days, today=today)
    wanted_condition = _code(condition, CONDITION_CODES, "condition")
    wanted_finish = _code(finish, FINISH_CODES, "finish")
    params = {"print_id": print_id, "since": since}
    rows = conn.execute(PRINT_POINTS, params).mappings().all()
    if not rows and conn.execute(PRINT_EXISTS, params).first() is None:
        raise NotFound(f"There is no print {print_id}.", code="not_found")
    series: dict[int, dict[str, Any]] = {}
    for row in rows:
        if wanted_condition is not None and row["condition"] != wanted_condition:
            continue
        if wanted_finish is not None and row["finish"] != wanted_finish:
            continue
        one = series.get(row["id"])
        if one is None:
            one = series[row["id"]] = _series(row)
        one["points"].append(_point(row))
    return {
        "print_id": print_id,
        "days": days,
        "from": since.isoformat(),
        "to": until.isoformat(),
        "condition": wanted_condition,
        "finish": wanted_finish,
        "series": list(series.values()),
    }
