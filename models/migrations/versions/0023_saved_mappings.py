"""Saved column mappings per seller: the mapping a seller used for a spreadsheet, keyed by the
identity of its header (a hash of the normalised header), so the next upload of the same header
is read the same way without mapping it again.

Revision ID: 0023_saved_mappings
Revises: 0022_lookup_indexes
Create Date: 2026-12-03 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0023_saved_mappings"
down_revision: str | None = "0022_lookup_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "matching_saved_mappings",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("seller_id", sa.String(length=64), nullable=False),
        sa.Column("header_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "header",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("format", sa.String(length=32), nullable=True),
        sa.Column(
            "mapping",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("updated_by", sa.String(length=128), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matching_saved_mappings")),
        sa.UniqueConstraint(
            "seller_id",
            "header_hash",
            name=op.f("uq_matching_saved_mappings_seller_id_header_hash"),
        ),
    )


def downgrade() -> None:
    op.drop_table("matching_saved_mappings")
