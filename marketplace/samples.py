"""Event builders and a seeded random marketplace stream (CLI `publish-sample`, tests, bench)."""

from __future__ import annotations

import random
import uuid
import zlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

#: One event as JSON data, the shape publishers send (`marketplace.events` validates it).
EventData = dict[str, Any]


def _event(type_: str, payload: dict[str, Any], at: datetime, event_id: str | None) -> EventData:
    return {
        "event_id": event_id or uuid.uuid4().hex,
        "type": type_,
        "occurred_at": at.astimezone(UTC).isoformat(),
        "payload": payload,
    }


def listed(
    sku: str,
    variant: str,
    *,
    seller: str = "seller-1",
    tier: str = "business",
    price: str | Decimal = "1.00",
    quantity: int = 1,
    currency: str = "USD",
    at: datetime,
    event_id: str | None = None,
) -> EventData:
    payload = {
        "product_variant_id": variant,
        "catalog_sku": sku,
        "seller_id": seller,
        "seller_tier": tier,
        "price": str(price),
        "currency": currency,
        "quantity": quantity,
    }
    return _event("product.listed", payload, at, event_id)


def updated(
    sku: str,
    variant: str,
    *,
    price: str | Decimal | None = None,
    quantity: int | None = None,
    at: datetime,
    event_id: str | None = None,
) -> EventData:
    payload: dict[str, Any] = {"product_variant_id": variant, "catalog_sku": sku}
    if price is not None:
        payload["price"] = str(price)
    if quantity is not None:
        payload["quantity"] = quantity
    return _event("product.updated", payload, at, event_id)


def delisted(sku: str, variant: str, *, at: datetime, event_id: str | None = None) -> EventData:
    payload = {"product_variant_id": variant, "catalog_sku": sku}
    return _event("product.delisted", payload, at, event_id)


def sold(
    sku: str,
    variant: str,
    *,
    price: str | Decimal,
    quantity: int = 1,
    at: datetime,
    event_id: str | None = None,
) -> EventData:
    payload = {
        "product_variant_id": variant,
        "catalog_sku": sku,
        "price": str(price),
        "quantity": quantity,
    }
    return _event("product.sold", payload, at, event_id)


def consumer_seller(seller: str, *, at: datetime, event_id: str | None = None) -> EventData:
    return _event("consumer_seller.created", {"seller_id": seller}, at, event_id)


def random_stream(
    skus: Sequence[str],
    count: int,
    *,
    seed: int = 0,
    start: datetime | None = None,
    variants_per_sku: int = 3,
    prefix: str = "ev",
) -> Iterator[EventData]:
    """`count` plausible events over `skus` (listings, updates, delists, sales, sellers),
    one second apart, with ids `<prefix>-<seed>-<n>`."""
    rng = random.Random(seed)
    at = start or datetime(2026, 11, 1, tzinfo=UTC)
    live: dict[tuple[str, str], Decimal] = {}
    for n in range(count):
        at += timedelta(seconds=1)
        eid = f"{prefix}-{seed}-{n}"
        sku = rng.choice(skus)
        variant = f"pv-{rng.randrange(variants_per_sku)}-{zlib.crc32(sku.encode()) % 10_000}"
        key = (sku, variant)
        roll = rng.random()
        if roll < 0.03:
            yield consumer_seller(f"c-{rng.randrange(500)}", at=at, event_id=eid)
        elif key not in live or roll < 0.35:
            price = Decimal(rng.randrange(10, 5000)) / 100
            live[key] = price
            tier = "consumer" if rng.random() < 0.4 else "business"
            seller = f"{tier[0]}-{rng.randrange(200)}"
            yield listed(
                sku,
                variant,
                seller=seller,
                tier=tier,
                price=price,
                quantity=rng.randrange(1, 8),
                at=at,
                event_id=eid,
            )
        elif roll < 0.65:
            price = max(Decimal("0.10"), live[key] + Decimal(rng.randrange(-50, 60)) / 100)
            live[key] = price
            yield updated(
                sku, variant, price=price, quantity=rng.randrange(0, 8), at=at, event_id=eid
            )
        elif roll < 0.8:
            yield sold(
                sku, variant, price=live[key], quantity=rng.randrange(1, 3), at=at, event_id=eid
            )
        else:
            live.pop(key)
            yield delisted(sku, variant, at=at, event_id=eid)
