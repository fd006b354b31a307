"""Apply marketplace events to the catalog, idempotently and in batches.

`apply_events(session, events)` does, in the caller's transaction:

1. resolves (and on PostgreSQL locks, in id order) the SKUs the events name, creating a graded
   SKU on its first use (`indexer.graded_skus`): concurrent batches touching one SKU
   serialise here, so each recomputation sees every listing;
2. checks each event (unknown SKU, currency other than the SKU's): with `on_reject="raise"`
   (the API) nothing is written and `EventsRejected` lists the reasons; with `"dead_letter"`
   (the stream) the event is recorded as rejected with a dead letter, the others go on;
3. claims the event ids in `processed_events` (INSERT ... ON CONFLICT DO NOTHING RETURNING):
   ids already there are duplicates and change nothing;
4. applies the changes to `market_listings` per (product variant, SKU), each field only when
   the event is newer than the one that set it (out-of-order safe), and stores the sales;
5. recomputes the aggregates of each touched SKU once (`aggregates.compute`), writes them to
   `catalog_skus` and the day's `price_history` point;
6. records the touched prints in the index outbox (`models.outbox.record_touched_prints`).

The caller commits; a failure anywhere rolls everything back, events included.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from indexer.graded_skus import ensure_skus, is_graded
from models import CatalogSku
from models.base import utcnow
from models.bulk import update_rows_by_key, upsert_rows
from models.outbox import record_touched_prints
from search_api.events import aggregates
from search_api.events.models import (
    EventDeadLetter,
    MarketListing,
    MarketSale,
    MarketSeller,
    PriceHistory,
    ProcessedEvent,
)
from search_api.events.schemas import (
    ConsumerSellerCreated,
    Event,
    ProductDelisted,
    ProductListed,
    ProductSold,
    ProductUpdated,
    version_of,
)

OUTBOX_REASON = "marketplace"
log = logging.getLogger(__name__)
_REDIS: dict[str, Any] = {}


@dataclass(frozen=True, slots=True)
class Rejection:
    event_id: str
    reason: str
    index: int | None = None


class EventsRejected(Exception):
    """Some events of a batch cannot be applied; nothing was written."""

    def __init__(self, rejections: list[Rejection]) -> None:
        super().__init__("; ".join(f"{r.event_id}: {r.reason}" for r in rejections))
        self.rejections = rejections


@dataclass(slots=True)
class ApplyResult:
    applied: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    touched_skus: set[int] = field(default_factory=set)
    touched_prints: set[int] = field(default_factory=set)
    #: SKU codes whose aggregates changed (for invalidating cached lookups after commit).
    touched_sku_codes: set[str] = field(default_factory=set)


@dataclass(slots=True)
class _Sku:
    id: int
    print_id: int
    currency: str


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _lock_skus(session: Session, codes: set[str]) -> dict[str, _Sku]:
    if not codes:
        return {}
    t = CatalogSku.__table__
    stmt = (
        sa.select(t.c.id, t.c.sku, t.c.print_id, t.c.currency)
        .where(t.c.sku.in_(sorted(codes)))
        .order_by(t.c.id)
    )
    if _is_postgres(session):
        stmt = stmt.with_for_update()
    return {r.sku: _Sku(r.id, r.print_id, r.currency) for r in session.execute(stmt)}


def _check(event: Event, skus: dict[str, _Sku]) -> str | None:
    code = getattr(event.payload, "catalog_sku", None)
    if code is None:
        return None
    sku = skus.get(code)
    if sku is None:
        return f"unknown catalog_sku {code!r}"
    currency = getattr(event.payload, "currency", None)
    if currency is not None and currency != sku.currency:
        return f"currency {currency} differs from the SKU's currency {sku.currency}"
    return None


def _claim(session: Session, events: list[Event], source: str, outcome: str) -> set[str]:
    """Insert the processed_events rows; returns the ids that were not there yet."""
    now = utcnow()
    rows = [
        {"event_id": e.event_id, "type": e.type, "source": source, "outcome": outcome,
         "occurred_at": e.occurred_at, "processed_at": now}
        for e in sorted(events, key=lambda e: e.event_id)  # one lock order for all writers
    ]  # fmt: skip
    table = ProcessedEvent.__table__
    return set(
        upsert_rows(session.connection(), table, rows, conflict=["event_id"], returning="event_id")
    )


def record_dead_letter(
    session: Session,
    *,
    reason: str,
    payload: Any,
    source: str,
    event_id: str | None = None,
    stream_id: str | None = None,
    attempts: int = 1,
) -> None:
    session.execute(
        sa.insert(EventDeadLetter.__table__),
        [{"event_id": event_id, "source": source, "stream_id": stream_id, "reason": reason,
          "attempts": attempts, "payload": payload, "created_at": utcnow()}],
    )  # fmt: skip


def _newer(version: str, current: str | None) -> bool:
    return current is None or version > current


def _bump(listing: SimpleNamespace, at: datetime) -> None:
    last = listing.last_event_at
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    if last is None or at > last:
        listing.last_event_at = at


def _apply_to_listing(listing: SimpleNamespace, event: Event) -> None:
    v = version_of(event.occurred_at, event.event_id)
    p = event.payload
    if isinstance(event, ProductListed):
        if _newer(v, listing.listed_version):
            listing.seller_id, listing.seller_tier = p.seller_id, p.seller_tier
            listing.currency, listing.listed_version = p.currency, v
        if _newer(v, listing.status_version):
            listing.status, listing.status_version = "active", v
        if _newer(v, listing.price_version):
            listing.price, listing.price_version = p.price, v
        if _newer(v, listing.quantity_version):
            listing.quantity, listing.quantity_version = p.quantity, v
    elif isinstance(event, ProductUpdated):
        if p.price is not None and _newer(v, listing.price_version):
            listing.price, listing.price_version = p.price, v
        if p.quantity is not None and _newer(v, listing.quantity_version):
            listing.quantity, listing.quantity_version = p.quantity, v
        if p.currency is not None and listing.currency is None:
            listing.currency = p.currency
    elif isinstance(event, ProductDelisted):
        if _newer(v, listing.status_version):
            listing.status, listing.status_version = "delisted", v
    _bump(listing, event.occurred_at)


_LISTING_COLUMNS = [c.name for c in MarketListing.__table__.c if c.name != "id"]
_LISTING_KEY = ["product_variant_id", "sku_id"]


def _load_listings(
    session: Session, keys: set[tuple[str, int]]
) -> dict[tuple[str, int], SimpleNamespace]:
    table = MarketListing.__table__
    found: dict[tuple[str, int], SimpleNamespace] = {}
    ordered = sorted(keys, key=lambda k: (k[1], k[0]))
    for start in range(0, len(ordered), 1000):
        chunk = ordered[start : start + 1000]
        stmt = sa.select(*[table.c[c] for c in _LISTING_COLUMNS]).where(
            sa.tuple_(table.c.product_variant_id, table.c.sku_id).in_(chunk)
        )
        for row in session.execute(stmt).mappings():
            found[(row["product_variant_id"], row["sku_id"])] = SimpleNamespace(**row)
    return found


def _new_listing(key: tuple[str, int], now: datetime) -> SimpleNamespace:
    state = dict.fromkeys(_LISTING_COLUMNS)
    state.update(product_variant_id=key[0], sku_id=key[1], status="pending", created_at=now)
    return SimpleNamespace(**state)


def _save_listings(session: Session, listings: list[SimpleNamespace], now: datetime) -> None:
    rows = []
    for listing in listings:
        listing.updated_at = now
        rows.append({c: getattr(listing, c) for c in _LISTING_COLUMNS})
    update = [c for c in _LISTING_COLUMNS if c not in (*_LISTING_KEY, "created_at")]
    rows.sort(key=lambda r: (r["sku_id"], r["product_variant_id"]))
    upsert_rows(
        session.connection(), MarketListing.__table__, rows, conflict=_LISTING_KEY, update=update
    )


def apply_events(
    session: Session,
    events: Sequence[Event],
    *,
    source: str = "api",
    on_reject: Literal["raise", "dead_letter"] = "raise",
    stream_ids: dict[str, str] | None = None,
) -> ApplyResult:
    """Apply a batch of validated events in the caller's transaction (see the module doc)."""
    result = ApplyResult()
    unique: list[Event] = []
    seen: set[str] = set()
    for event in events:
        if event.event_id in seen:
            result.duplicates.append(event.event_id)
            continue
        seen.add(event.event_id)
        unique.append(event)

    codes = {c for e in unique if (c := e.catalog_sku) is not None}
    ensure_skus(session, {c for c in codes if is_graded(c)})  # graded SKUs: made on first use
    skus = _lock_skus(session, codes)
    good: list[Event] = []
    bad: list[tuple[Event, str]] = []
    for index, event in enumerate(unique):
        reason = _check(event, skus)
        if reason is None:
            good.append(event)
        else:
            bad.append((event, reason))
            result.rejected.append(Rejection(event.event_id, reason, index))
    if bad and on_reject == "raise":
        raise EventsRejected(result.rejected)

    if bad:
        claimed_bad = _claim(session, [e for e, _ in bad], source, "rejected")
        result.rejected = [r for r in result.rejected if r.event_id in claimed_bad]
        for event, reason in bad:
            if event.event_id in claimed_bad:
                record_dead_letter(
                    session, reason=reason, payload=event.model_dump(mode="json"),
                    source=source, event_id=event.event_id,
                    stream_id=(stream_ids or {}).get(event.event_id),
                )  # fmt: skip
            else:
                result.duplicates.append(event.event_id)

    claimed = _claim(session, good, source, "applied")
    todo = [e for e in good if e.event_id in claimed]
    result.duplicates.extend(e.event_id for e in good if e.event_id not in claimed)
    todo.sort(key=lambda e: version_of(e.occurred_at, e.event_id))
    if not todo:
        return result

    keys = {
        (e.payload.product_variant_id, skus[e.catalog_sku].id)
        for e in todo
        if isinstance(e, ProductListed | ProductUpdated | ProductDelisted)
    }
    listings = _load_listings(session, keys)
    changed: dict[tuple[str, int], SimpleNamespace] = {}
    now = utcnow()
    sales: list[dict[str, Any]] = []
    sellers: dict[str, dict[str, Any]] = {}
    for event in todo:
        result.applied.append(event.event_id)
        if isinstance(event, ConsumerSellerCreated):
            sellers[event.payload.seller_id] = {
                "seller_id": event.payload.seller_id, "tier": "consumer",
                "display_name": event.payload.display_name, "created_at": event.occurred_at,
            }  # fmt: skip
            continue
        sku = skus[event.catalog_sku]
        result.touched_skus.add(sku.id)
        result.touched_prints.add(sku.print_id)
        result.touched_sku_codes.add(event.catalog_sku)
        if isinstance(event, ProductSold):
            p = event.payload
            sales.append(
                {"event_id": event.event_id, "sku_id": sku.id,
                 "product_variant_id": p.product_variant_id, "seller_id": p.seller_id,
                 "quantity": p.quantity, "price": p.price, "currency": p.currency,
                 "occurred_at": event.occurred_at}
            )  # fmt: skip
            continue
        key = (event.payload.product_variant_id, sku.id)
        listing = listings.get(key)
        if listing is None:
            listing = listings[key] = _new_listing(key, now)
        _apply_to_listing(listing, event)
        changed[key] = listing
    _save_listings(session, list(changed.values()), now)
    upsert_rows(session.connection(), MarketSale.__table__, sales, conflict=["event_id"])
    upsert_rows(
        session.connection(), MarketSeller.__table__, list(sellers.values()), conflict=["seller_id"],
        update=["tier", "display_name", "created_at"],
    )  # fmt: skip
    recompute(session, result.touched_skus)
    if result.touched_prints:
        record_touched_prints(session, result.touched_prints, reason=OUTBOX_REASON)
    return result


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def recompute(session: Session, sku_ids: Iterable[int]) -> dict[int, aggregates.SkuAggregates]:
    """Recompute and store the aggregates (and today's price point) of these SKUs."""
    ids = sorted(set(sku_ids))
    if not ids:
        return {}
    lt, st = MarketListing.__table__, MarketSale.__table__
    listings: dict[int, list[aggregates.ListingState]] = defaultdict(list)
    sales: dict[int, list[aggregates.Sale]] = defaultdict(list)
    as_of: dict[int, datetime] = {}

    def seen(sku_id: int, at: datetime | None) -> None:
        at = _aware(at)
        if at is not None and (sku_id not in as_of or at > as_of[sku_id]):
            as_of[sku_id] = at

    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        for r in session.execute(sa.select(lt).where(lt.c.sku_id.in_(chunk))):
            listings[r.sku_id].append(
                aggregates.ListingState(
                    r.product_variant_id, r.seller_id, r.seller_tier, r.status, r.price,
                    r.quantity, r.quantity_version,
                )
            )  # fmt: skip
            seen(r.sku_id, r.last_event_at)
        for r in session.execute(sa.select(st).where(st.c.sku_id.in_(chunk))):
            at = _aware(r.occurred_at)
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
                {"sku_id": sku_id, "day": agg.price_updated_at.date(),
                 "min_price": agg.min_price, "max_price": agg.max_price,
                 "median_price": agg.median_price, "market_price": agg.market_price,
                 "total_listings": agg.total_listings, "total_quantity": agg.total_quantity,
                 "units_sold": agg.units_sold_today, "updated_at": now}
            )  # fmt: skip
    update_rows_by_key(session.connection(), CatalogSku.__table__, updates, key="id")
    upsert_rows(
        session.connection(), PriceHistory.__table__, points, conflict=["sku_id", "day"],
        update=[c for c in points[0] if c not in ("sku_id", "day")] if points else (),
    )  # fmt: skip
    return computed


def invalidate_lookups(sku_codes: Iterable[str]) -> None:
    """After a commit: drop the cached `GET /api/catalog/by-sku/{sku}` answers of these SKUs
    (the lookup cache, `models.lookup_cache`, lives in Redis when `REDIS_URL` is set), so
    the new market data shows at once. Never raises."""
    from models.settings import get_settings

    codes = sorted(set(sku_codes))
    url = get_settings().redis_url
    if not url or not codes:
        return
    try:
        import redis

        from models.lookup_cache import cache_key

        if url not in _REDIS:
            _REDIS[url] = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
        for start in range(0, len(codes), 1000):
            _REDIS[url].delete(*[cache_key("sku", c) for c in codes[start : start + 1000]])
    except Exception as exc:  # noqa: BLE001 - entries expire on their own (TTL)
        log.warning("could not invalidate %d cached SKU lookups: %s", len(codes), exc)
