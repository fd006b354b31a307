"""etl pending rows: card/print changes held until the end of a load run

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "etl_pending_rows",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("game_id", sa.SmallInteger(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "row",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "etl_job_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["etl_job_id"], ["etl_jobs.id"], name=op.f("fk_etl_pending_rows_etl_job_id_etl_jobs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_etl_pending_rows")),
        sa.UniqueConstraint(
            "game_id", "kind", "key", name=op.f("uq_etl_pending_rows_game_id_kind_key")
        ),
    )


def downgrade() -> None:
    op.drop_table("etl_pending_rows")
