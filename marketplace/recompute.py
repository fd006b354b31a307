"""The SKU aggregates of the marketplace, recomputed from the stored listings and sales
(`aggregates.compute`) and written to `catalog_skus` with the day's `price_history` point (and
the popularity score, which weighs `sale_count`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from etl.skus import SKUS
from marketplace import aggregates
from marketplace.events import aware, version_of
from marketplace.models import LISTINGS, PRICE_HISTORY, SALES
from marketplace.popularity import refresh_scores
from models.base import utcnow
from models.bulk import update_rows_by_key, upsert_rows


def recompute(session: Session, sku_ids: Iterable[int]) -> dict[int, aggregates.SkuAggregates]:
    """Recompute and store the aggregates (and today's price point) of these SKUs."""
    ids = sorted(set(sku_ids))
    if not ids:
        return {}
    lt, st = LISTINGS, SALES
    listings: dict[int, list[aggregates.ListingState]] = defaultdict(list)
    sales: dict[int, list[aggregates.Sale]] = defaultdict(list)
    as_of: dict[int, datetime] = {}

    def seen(sku_id: int, at: datetime | None) -> None:
        at = aware(at)
        if at is not None and (sku_id not in as_of or at > as_of[sku_id]):
            as_of[sku_id] = at

    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        for r in session.execute(sa.select(lt).where(lt.c.sku_id.in_(chunk))):
            listings[r.sku_id].append(
                aggregates.ListingState(
                    r.product_variant_id,
                    r.seller_id,
                    r.seller_tier,
                    r.status,
                    r.price,
                    r.quantity,
                    r.quantity_version,
                )
            )
            seen(r.sku_id, r.last_event_at)
        for r in session.execute(sa.select(st).where(st.c.sku_id.in_(chunk))):
            at: datetime = aware(r.occurred_at)
            sales[r.sku_id].append(
                aggregates.Sale(
                    r.product_variant_id, r.quantity, r.price, at, version_of(at, r.event_id)
                )
            )
            seen(r.sku_id, at)

    computed: dict[int, aggregates.SkuAggregates] = {}
    updates, points = [], []
    now = utcnow()
    for sku_id in ids:
        agg = aggregates.compute(listings.get(sku_id, ()), sales.get(sku_id, ()), as_of.get(sku_id))
        computed[sku_id] = agg
        updates.append({"id": sku_id, "updated_at": now, **agg.columns()})
        if agg.price_updated_at is not None:
            points.append(
                {
                    "sku_id": sku_id,
                    "day": agg.price_updated_at.date(),
                    "min_price": agg.min_price,
                    "max_price": agg.max_price,
                    "median_price": agg.median_price,
                    "market_price": agg.market_price,
                    "total_listings": agg.total_listings,
                    "total_quantity": agg.total_quantity,
                    "units_sold": agg.units_sold_today,
                    "updated_at": now,
                }
            )
    update_rows_by_key(session.connection(), SKUS, updates, key="id")
    refresh_scores(session.connection(), ids)  # sale_count weighs in the popularity score
    upsert_rows(
        session.connection(),
        PRICE_HISTORY,
        points,
        conflict=["sku_id", "day"],
        update=[c for c in points[0] if c not in ("sku_id", "day")] if points else (),
    )
    return computed
