"""Tables of the marketplace events: listings per (product variant, SKU), sales, sellers,
processed event ids, daily price points and dead letters."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow
from models.types import BigId, JSONDoc, Money

#: Long enough for "<fixed-width UTC time>|<event id>".
VERSION = sa.String(160)


class MarketListing(Base):
    """The catalog's view of one commerce listing: the latest price, quantity and status.

    Each field carries the version (`occurred_at|event_id`) of the change that set it, so an
    older event arriving late never overwrites a newer one. A listing first seen through an
    update, a sale or a delist is `pending` (not on offer) until its `product.listed` arrives.
    """

    __tablename__ = "market_listings"
    __table_args__ = (
        sa.UniqueConstraint("product_variant_id", "sku_id"),
        sa.Index("ix_market_listings_sku_id", "sku_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    product_variant_id: Mapped[str] = mapped_column(sa.String(128))
    sku_id: Mapped[int] = mapped_column(sa.ForeignKey("catalog_skus.id", ondelete="CASCADE"))
    seller_id: Mapped[str | None] = mapped_column(sa.String(128))
    seller_tier: Mapped[str | None] = mapped_column(sa.String(16))  # business | consumer
    currency: Mapped[str | None] = mapped_column(sa.String(3))
    #: Version of the newest `product.listed` applied (seller and tier come from it).
    listed_version: Mapped[str | None] = mapped_column(VERSION)
    #: pending (only updates seen so far) | active | delisted
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")
    status_version: Mapped[str | None] = mapped_column(VERSION)
    price: Mapped[Decimal | None] = mapped_column(Money)
    price_version: Mapped[str | None] = mapped_column(VERSION)
    #: Quantity as last stated by the listing or an update (sales after it are subtracted).
    quantity: Mapped[int | None] = mapped_column(sa.Integer)
    quantity_version: Mapped[str | None] = mapped_column(VERSION)
    last_event_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class MarketSale(Base):
    """One `product.sold` event."""

    __tablename__ = "market_sales"
    __table_args__ = (sa.Index("ix_market_sales_sku_id_occurred_at", "sku_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(sa.String(128), unique=True)
    sku_id: Mapped[int] = mapped_column(sa.ForeignKey("catalog_skus.id", ondelete="CASCADE"))
    product_variant_id: Mapped[str] = mapped_column(sa.String(128))
    seller_id: Mapped[str | None] = mapped_column(sa.String(128))
    quantity: Mapped[int] = mapped_column(sa.Integer)
    price: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(sa.String(3))
    occurred_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class MarketSeller(Base):
    """A seller announced by `consumer_seller.created` (or first seen on a listing)."""

    __tablename__ = "market_sellers"

    seller_id: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    tier: Mapped[str] = mapped_column(sa.String(16))
    display_name: Mapped[str | None] = mapped_column(sa.String(255))
    created_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class ProcessedEvent(Base):
    """An event id already applied (or rejected): inserted in the transaction of its effects."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    type: Mapped[str] = mapped_column(sa.String(32))
    source: Mapped[str] = mapped_column(sa.String(16))  # api | stream
    outcome: Mapped[str] = mapped_column(sa.String(16), default="applied")  # | rejected
    occurred_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    processed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class PriceHistory(Base):
    """One point per SKU and day (UTC, of the latest event): the aggregates at the end of that
    day as far as events have told, plus units sold that day."""

    __tablename__ = "price_history"

    sku_id: Mapped[int] = mapped_column(
        sa.ForeignKey("catalog_skus.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    min_price: Mapped[Decimal | None] = mapped_column(Money)
    max_price: Mapped[Decimal | None] = mapped_column(Money)
    median_price: Mapped[Decimal | None] = mapped_column(Money)
    market_price: Mapped[Decimal | None] = mapped_column(Money)
    total_listings: Mapped[int] = mapped_column(default=0)
    total_quantity: Mapped[int] = mapped_column(default=0)
    units_sold: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class EventDeadLetter(Base):
    """An event that could not be applied, with the reason (invalid, unknown SKU, or too many
    failed delivery attempts)."""

    __tablename__ = "event_dead_letters"
    __table_args__ = (sa.Index("ix_event_dead_letters_event_id", "event_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[str | None] = mapped_column(sa.String(128))
    source: Mapped[str] = mapped_column(sa.String(16))
    stream_id: Mapped[str | None] = mapped_column(sa.String(64))
    reason: Mapped[str] = mapped_column(sa.Text)
    attempts: Mapped[int] = mapped_column(default=1)
    payload: Mapped[Any | None] = mapped_column(JSONDoc, nullable=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


# The tables as `sa.Table`, which the bulk helpers (`models.bulk`) take: SQLAlchemy types a mapped
# class's `__table__` as any FromClause, so they are looked up in the metadata by name.
LISTINGS = Base.metadata.tables[MarketListing.__tablename__]
SALES = Base.metadata.tables[MarketSale.__tablename__]
SELLERS = Base.metadata.tables[MarketSeller.__tablename__]
PROCESSED = Base.metadata.tables[ProcessedEvent.__tablename__]
PRICE_HISTORY = Base.metadata.tables[PriceHistory.__tablename__]
DEAD_LETTERS = Base.metadata.tables[EventDeadLetter.__tablename__]
TABLES = (LISTINGS, SALES, SELLERS, PROCESSED, PRICE_HISTORY, DEAD_LETTERS)
