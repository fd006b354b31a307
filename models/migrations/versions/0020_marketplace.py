"""marketplace events: listings, sales, sellers, processed events, price history, dead letters

Revision ID: 0020_marketplace
Revises: 0010_matching
Create Date: 2026-11-22 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0020_marketplace"
down_revision: str | None = "0010_matching"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
MONEY = sa.Numeric(12, 2)
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "market_listings",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("product_variant_id", sa.String(length=128), nullable=False),
        sa.Column("sku_id", BIG_ID, nullable=False),
        sa.Column("seller_id", sa.String(length=128), nullable=True),
        sa.Column("seller_tier", sa.String(length=16), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("listed_version", sa.String(length=160), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_version", sa.String(length=160), nullable=True),
        sa.Column("price", MONEY, nullable=True),
        sa.Column("price_version", sa.String(length=160), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=True),
        sa.Column("quantity_version", sa.String(length=160), nullable=True),
        sa.Column("last_event_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["sku_id"],
            ["catalog_skus.id"],
            name=op.f("fk_market_listings_sku_id_catalog_skus"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_listings")),
        sa.UniqueConstraint(
            "product_variant_id",
            "sku_id",
            name=op.f("uq_market_listings_product_variant_id_sku_id"),
        ),
    )
    op.create_index("ix_market_listings_sku_id", "market_listings", ["sku_id"])
    op.create_table(
        "market_sales",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=128), nullable=False),
        sa.Column("sku_id", BIG_ID, nullable=False),
        sa.Column("product_variant_id", sa.String(length=128), nullable=False),
        sa.Column("seller_id", sa.String(length=128), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("price", MONEY, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("occurred_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["sku_id"],
            ["catalog_skus.id"],
            name=op.f("fk_market_sales_sku_id_catalog_skus"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_sales")),
        sa.UniqueConstraint("event_id", name=op.f("uq_market_sales_event_id")),
    )
    op.create_index("ix_market_sales_sku_id_occurred_at", "market_sales", ["sku_id", "occurred_at"])
    op.create_table(
        "market_sellers",
        sa.Column("seller_id", sa.String(length=128), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=True),
        sa.Column("created_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("seller_id", name=op.f("pk_market_sellers")),
    )
    op.create_table(
        "processed_events",
        sa.Column("event_id", sa.String(length=128), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("occurred_at", TS, nullable=True),
        sa.Column("processed_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_processed_events")),
    )
    op.create_table(
        "price_history",
        sa.Column("sku_id", BIG_ID, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("min_price", MONEY, nullable=True),
        sa.Column("max_price", MONEY, nullable=True),
        sa.Column("median_price", MONEY, nullable=True),
        sa.Column("market_price", MONEY, nullable=True),
        sa.Column("total_listings", sa.Integer(), nullable=False),
        sa.Column("total_quantity", sa.Integer(), nullable=False),
        sa.Column("units_sold", sa.Integer(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["sku_id"],
            ["catalog_skus.id"],
            name=op.f("fk_price_history_sku_id_catalog_skus"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("sku_id", "day", name=op.f("pk_price_history")),
    )
    op.create_table(
        "event_dead_letters",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=128), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("stream_id", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("payload", JSON_DOC, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_dead_letters")),
    )
    op.create_index("ix_event_dead_letters_event_id", "event_dead_letters", ["event_id"])


def downgrade() -> None:
    op.drop_index("ix_event_dead_letters_event_id", table_name="event_dead_letters")
    op.drop_table("event_dead_letters")
    op.drop_table("price_history")
    op.drop_table("processed_events")
    op.drop_table("market_sellers")
    op.drop_index("ix_market_sales_sku_id_occurred_at", table_name="market_sales")
    op.drop_table("market_sales")
    op.drop_index("ix_market_listings_sku_id", table_name="market_listings")
    op.drop_table("market_listings")
