"""The service on PostgreSQL: aggregates, idempotency, out-of-order events, rejections, the
outbox, and a 10,000-event replay."""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from marketplace import samples
from marketplace.apply import EventsRejected, apply_events
from marketplace.events import parse_event
from marketplace.models import PriceHistory

T0 = datetime(2026, 11, 10, 12, tzinfo=UTC)
D = Decimal


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def apply(db, raw: list[dict], *, batch: int = 500, **kwargs):
    results = []
    for start in range(0, len(raw), batch):
        events = [parse_event(e) for e in raw[start : start + batch]]
        with Session(db.engine) as session, session.begin():
            results.append(apply_events(session, events, **kwargs))
    return results


def test_listing_update_sale_and_delist_recompute_exactly(events_db):
    sku = events_db.skus[0]
    bob = {"seller": "bob", "tier": "consumer"}
    listings = [
        samples.listed(sku, "v1", seller="shop", price="2.00", quantity=3, at=at(0), event_id="a1"),
        samples.listed(sku, "v2", seller="shop", price="4.00", quantity=1, at=at(1), event_id="a2"),
        samples.listed(sku, "v3", **bob, price="3.00", quantity=2, at=at(2), event_id="a3"),
    ]
    apply(events_db, listings)
    row = events_db.sku_row(sku)
    assert row["is_available_b2c"] and row["is_available_c2c"]
    assert (row["vendor_count"], row["consumer_seller_count"], row["total_listings"]) == (1, 1, 3)
    prices = (row["min_price"], row["max_price"], row["median_price"], row["avg_price"])
    assert prices == (D("2.00"), D("4.00"), D("3.00"), D("3.00"))
    assert row["total_quantity"] == 6 and row["market_price"] == D("3.00")
    assert row["price_updated_at"] == at(2)

    changes = [
        samples.updated(sku, "v1", price="1.50", at=at(3), event_id="a4"),
        samples.sold(sku, "v2", price="4.00", quantity=1, at=at(4), event_id="a5"),
        samples.delisted(sku, "v3", at=at(5), event_id="a6"),
    ]
    apply(events_db, changes)
    row = events_db.sku_row(sku)
    assert not row["is_available_c2c"] and row["consumer_seller_count"] == 0
    assert (row["total_listings"], row["total_quantity"]) == (1, 3)  # v2 sold out
    assert (row["min_price"], row["max_price"]) == (D("1.50"), D("1.50"))
    assert row["market_price"] == D("4.00")  # the median of recent sales
    assert row["sale_count"] == 1 and row["price_trend"] == "stable"
    with events_db.engine.connect() as conn:
        point = conn.execute(sa.select(PriceHistory)).mappings().one()
        outbox = conn.execute(sa.text("SELECT DISTINCT print_id, reason FROM index_outbox")).all()
    assert point["day"] == at(5).date() and point["units_sold"] == 1
    assert outbox == [(events_db.print_of[sku], "marketplace")]


def test_replayed_event_ids_change_nothing(events_db):
    sku = events_db.skus[1]
    batch = [
        samples.listed(sku, "v1", price="2.00", quantity=1, at=at(0), event_id="r1"),
        samples.sold(sku, "v1", price="2.00", at=at(1), event_id="r2"),
    ]
    first = apply(events_db, batch)[0]
    before = events_db.snapshot()
    again = apply(events_db, batch + batch)[0]
    assert first.applied == ["r1", "r2"]
    assert again.applied == [] and sorted(again.duplicates) == ["r1", "r1", "r2", "r2"]
    assert events_db.snapshot() == before
    assert events_db.count("market_sales") == 1


def test_out_of_order_events_end_in_the_right_state(events_db):
    sku = events_db.skus[2]
    listing = samples.listed(sku, "v1", price="5.00", quantity=4, at=at(0), event_id="o1")
    update = samples.updated(sku, "v1", price="6.00", at=at(1), event_id="o2")
    sale = samples.sold(sku, "v1", price="6.00", quantity=1, at=at(2), event_id="o3")
    stale = samples.updated(sku, "v1", price="1.00", quantity=99, at=at(-5), event_id="o4")
    # the update arrives before its listing: a pending listing, not on offer yet
    apply(events_db, [update])
    row = events_db.sku_row(sku)
    assert row["total_listings"] == 0 and not row["is_available_b2c"]
    apply(events_db, [sale])
    apply(events_db, [listing, stale])
    row = events_db.sku_row(sku)
    assert row["is_available_b2c"]
    assert (row["min_price"], row["total_quantity"]) == (D("6.00"), 3)
    in_order = events_db.snapshot()

    events_db.reset()
    apply(events_db, [stale, listing, update, sale])
    assert events_db.snapshot() == in_order

    # a delist that overtakes its (older) listing wins
    events_db.reset()
    apply(events_db, [samples.delisted(sku, "v1", at=at(3), event_id="o5")])
    apply(events_db, [listing, update])
    assert not events_db.sku_row(sku)["is_available_b2c"]


def test_invalid_events_are_rejected_before_anything_is_written(events_db):
    good = samples.listed(events_db.skus[0], "v1", at=at(0), event_id="i1")
    unknown = samples.listed("MTG-NOPE-001-EN-NM-NORMAL", "v1", at=at(0), event_id="i2")
    euro = samples.listed(events_db.skus[0], "v2", currency="EUR", at=at(0), event_id="i3")
    with pytest.raises(EventsRejected) as info:
        apply(events_db, [good, unknown, euro])
    reasons = {r.event_id: r.reason for r in info.value.rejections}
    assert "unknown catalog_sku" in reasons["i2"] and "currency EUR" in reasons["i3"]
    assert events_db.count("processed_events") == 0 and events_db.count("market_listings") == 0

    result = apply(events_db, [good, unknown], source="stream", on_reject="dead_letter")[0]
    assert result.applied == ["i1"] and [r.event_id for r in result.rejected] == ["i2"]
    assert events_db.count("event_dead_letters") == 1
    again = apply(events_db, [unknown], source="stream", on_reject="dead_letter")[0]
    assert again.rejected == [] and again.duplicates == ["i2"]
    assert events_db.count("event_dead_letters") == 1


def test_consumer_seller_created_is_recorded(events_db):
    apply(events_db, [samples.consumer_seller("c-1", at=at(0), event_id="s1")])
    assert events_db.count("market_sellers") == 1


def _stream(events_db, count, seed=7):
    return list(samples.random_stream(events_db.skus[:60], count, seed=seed))


def test_10k_events_twice_equal_once_and_any_order(events_db):
    raw = _stream(events_db, 10_000)
    apply(events_db, raw)
    once = events_db.snapshot()
    assert sum(1 for v in once.values() if v[0] or v[1]) > 10  # something is on offer
    assert events_db.count("processed_events") == 10_000
    apply(events_db, raw)
    assert events_db.snapshot() == once

    events_db.reset()
    shuffled = raw[:]
    random.Random(1).shuffle(shuffled)
    apply(events_db, shuffled, batch=333)
    assert events_db.snapshot() == once


def test_concurrent_batches_on_the_same_skus(events_db):
    raw = _stream(events_db, 3000, seed=3)
    apply(events_db, raw)
    expected = events_db.snapshot()
    events_db.reset()
    halves = [raw[0::2], raw[1::2]]
    errors = []

    def run(part):
        try:
            apply(events_db, part, batch=100)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(p,)) for p in halves]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert events_db.snapshot() == expected
