"""The listing state of the marketplace: one row per (product variant, SKU), each field changed
only by an event newer than the one that set it (so events may arrive out of order)."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import sqlalchemy as sa
from sqlalchemy.orm import Session

from marketplace.events import (
    Event,
    ListedPayload,
    ProductDelisted,
    ProductListed,
    ProductUpdated,
    UpdatedPayload,
    aware,
    version_of,
)
from marketplace.models import LISTINGS
from models.bulk import upsert_rows


def _newer(version: str, current: str | None) -> bool:
    return current is None or version > current


def _bump(listing: SimpleNamespace, at: datetime) -> None:
    last = aware(listing.last_event_at)
    if last is None or at > last:
        listing.last_event_at = at


def _apply_listed(listing: SimpleNamespace, p: ListedPayload, v: str) -> None:
    if _newer(v, listing.listed_version):
        listing.seller_id, listing.seller_tier = p.seller_id, p.seller_tier
        listing.currency, listing.listed_version = p.currency, v
    if _newer(v, listing.status_version):
        listing.status, listing.status_version = "active", v
    if _newer(v, listing.price_version):
        listing.price, listing.price_version = p.price, v
    if _newer(v, listing.quantity_version):
        listing.quantity, listing.quantity_version = p.quantity, v


def _apply_updated(listing: SimpleNamespace, p: UpdatedPayload, v: str) -> None:
    if p.price is not None and _newer(v, listing.price_version):
        listing.price, listing.price_version = p.price, v
    if p.quantity is not None and _newer(v, listing.quantity_version):
        listing.quantity, listing.quantity_version = p.quantity, v
    if p.currency is not None and listing.currency is None:
        listing.currency = p.currency


def apply_event(listing: SimpleNamespace, event: Event) -> None:
    v = version_of(event.occurred_at, event.event_id)
    if isinstance(event, ProductListed):
        _apply_listed(listing, event.payload, v)
    elif isinstance(event, ProductUpdated):
        _apply_updated(listing, event.payload, v)
    elif isinstance(event, ProductDelisted) and _newer(v, listing.status_version):
        listing.status, listing.status_version = "delisted", v
    _bump(listing, event.occurred_at)


LISTING_COLUMNS = [c.name for c in LISTINGS.c if c.name != "id"]
LISTING_KEY = ["product_variant_id", "sku_id"]


def load_listings(
    session: Session, keys: set[tuple[str, int]]
) -> dict[tuple[str, int], SimpleNamespace]:
    table = LISTINGS
    found: dict[tuple[str, int], SimpleNamespace] = {}
    ordered = sorted(keys, key=lambda k: (k[1], k[0]))
    for start in range(0, len(ordered), 1000):
        chunk = ordered[start : start + 1000]
        stmt = sa.select(*[table.c[c] for c in LISTING_COLUMNS]).where(
            sa.tuple_(table.c.product_variant_id, table.c.sku_id).in_(chunk)
        )
        for row in session.execute(stmt).mappings():
            found[(row["product_variant_id"], row["sku_id"])] = SimpleNamespace(**row)
    return found


def new_listing(key: tuple[str, int], now: datetime) -> SimpleNamespace:
    state = dict.fromkeys(LISTING_COLUMNS)
    state.update(product_variant_id=key[0], sku_id=key[1], status="pending", created_at=now)
    return SimpleNamespace(**state)


def save_listings(session: Session, listings: list[SimpleNamespace], now: datetime) -> None:
    rows = []
    for listing in listings:
        listing.updated_at = now
        rows.append({c: getattr(listing, c) for c in LISTING_COLUMNS})
    update = [c for c in LISTING_COLUMNS if c not in (*LISTING_KEY, "created_at")]
    rows.sort(key=lambda r: (r["sku_id"], r["product_variant_id"]))
    upsert_rows(session.connection(), LISTINGS, rows, conflict=LISTING_KEY, update=update)
