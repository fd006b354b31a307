"""Apply marketplace events to the catalog, idempotently and in batches.

`apply_events(session, events)` does, in the caller's transaction:

1. resolves (and on PostgreSQL locks, in id order) the SKUs the events name, creating a graded
   SKU on its first use (`etl.graded_skus`): concurrent batches touching one SKU
   serialise here, so each recomputation sees every listing;
2. checks each event (unknown SKU, currency other than the SKU's): with `on_reject="raise"`
   (the API) nothing is written and `EventsRejected` lists the reasons; with `"dead_letter"`
   (the stream) the event is recorded as rejected with a dead letter, the others go on;
3. claims the event ids in `processed_events` (INSERT ... ON CONFLICT DO NOTHING RETURNING):
   ids already there are duplicates and change nothing;
4. applies the changes to `market_listings` per (product variant, SKU) (`listings`), each field
   only when the event is newer than the one that set it (out-of-order safe), and stores the
   sales;
5. recomputes the aggregates of each touched SKU once (`recompute`), writes them to
   `catalog_skus` and the day's `price_history` point;
6. records the touched prints in the index outbox (`models.outbox.record_touched_prints`).

The caller commits; a failure anywhere rolls everything back, events included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from etl.graded_skus import ensure_skus, is_graded
from marketplace.events import (
    ConsumerSellerCreated,
    Event,
    ProductDelisted,
    ProductListed,
    ProductSold,
    ProductUpdated,
    version_of,
)
from marketplace.listings import apply_event, load_listings, new_listing, save_listings
from marketplace.models import DEAD_LETTERS, PROCESSED, SALES, SELLERS
from marketplace.recompute import recompute
from models import CatalogSku
from models.base import utcnow
from models.bulk import upsert_rows
from models.outbox import record_touched_prints

OUTBOX_REASON = "marketplace"


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


def _lock_skus(session: Session, codes: set[str]) -> dict[str, _Sku]:
    if not codes:
        return {}
    t = CatalogSku.__table__
    stmt = (
        sa.select(t.c.id, t.c.sku, t.c.print_id, t.c.currency)
        .where(t.c.sku.in_(sorted(codes)))
        .order_by(t.c.id)
    )
    if session.get_bind().dialect.name == "postgresql":
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
        {
            "event_id": e.event_id,
            "type": e.type,
            "source": source,
            "outcome": outcome,
            "occurred_at": e.occurred_at,
            "processed_at": now,
        }
        for e in sorted(events, key=lambda e: e.event_id)  # one lock order for all writers
    ]
    return set(
        upsert_rows(
            session.connection(), PROCESSED, rows, conflict=["event_id"], returning="event_id"
        )
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
        sa.insert(DEAD_LETTERS),
        [
            {
                "event_id": event_id,
                "source": source,
                "stream_id": stream_id,
                "reason": reason,
                "attempts": attempts,
                "payload": payload,
                "created_at": utcnow(),
            }
        ],
    )


def _dead_letter_rejected(
    session: Session,
    bad: list[tuple[Event, str]],
    result: ApplyResult,
    *,
    source: str,
    stream_ids: dict[str, str],
) -> None:
    """Claim the rejected events as such and record their dead letters; a rejected event
    already processed is a duplicate instead."""
    claimed_bad = _claim(session, [e for e, _ in bad], source, "rejected")
    result.rejected = [r for r in result.rejected if r.event_id in claimed_bad]
    for event, reason in bad:
        if event.event_id in claimed_bad:
            record_dead_letter(
                session,
                reason=reason,
                payload=event.model_dump(mode="json"),
                source=source,
                event_id=event.event_id,
                stream_id=stream_ids.get(event.event_id),
            )
        else:
            result.duplicates.append(event.event_id)


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
        _dead_letter_rejected(session, bad, result, source=source, stream_ids=stream_ids or {})

    claimed = _claim(session, good, source, "applied")
    todo = [e for e in good if e.event_id in claimed]
    result.duplicates.extend(e.event_id for e in good if e.event_id not in claimed)
    todo.sort(key=lambda e: version_of(e.occurred_at, e.event_id))
    if not todo:
        return result

    _fold(session, todo, skus, result)
    recompute(session, result.touched_skus)
    if result.touched_prints:
        record_touched_prints(session, result.touched_prints, reason=OUTBOX_REASON)
    return result


def _fold(session: Session, todo: list[Event], skus: dict[str, _Sku], result: ApplyResult) -> None:
    """Apply the claimed events (in version order) to the listings, sales and sellers."""
    keys = {
        (e.payload.product_variant_id, skus[e.payload.catalog_sku].id)
        for e in todo
        if isinstance(e, ProductListed | ProductUpdated | ProductDelisted)
    }
    listings = load_listings(session, keys)
    changed: dict[tuple[str, int], SimpleNamespace] = {}
    now = utcnow()
    sales: list[dict[str, Any]] = []
    sellers: dict[str, dict[str, Any]] = {}
    for event in todo:
        result.applied.append(event.event_id)
        if isinstance(event, ConsumerSellerCreated):
            sellers[event.payload.seller_id] = {
                "seller_id": event.payload.seller_id,
                "tier": "consumer",
                "display_name": event.payload.display_name,
                "created_at": event.occurred_at,
            }
            continue
        sku = skus[event.payload.catalog_sku]
        result.touched_skus.add(sku.id)
        result.touched_prints.add(sku.print_id)
        result.touched_sku_codes.add(event.payload.catalog_sku)
        if isinstance(event, ProductSold):
            p = event.payload
            sales.append(
                {
                    "event_id": event.event_id,
                    "sku_id": sku.id,
                    "product_variant_id": p.product_variant_id,
                    "seller_id": p.seller_id,
                    "quantity": p.quantity,
                    "price": p.price,
                    "currency": p.currency,
                    "occurred_at": event.occurred_at,
                }
            )
            continue
        key = (event.payload.product_variant_id, sku.id)
        listing = listings.get(key)
        if listing is None:
            listing = listings[key] = new_listing(key, now)
        apply_event(listing, event)
        changed[key] = listing
    save_listings(session, list(changed.values()), now)
    upsert_rows(session.connection(), SALES, sales, conflict=["event_id"])
    upsert_rows(
        session.connection(),
        SELLERS,
        list(sellers.values()),
        conflict=["seller_id"],
        update=["tier", "display_name", "created_at"],
    )
