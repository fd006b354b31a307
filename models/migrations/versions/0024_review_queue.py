"""The review queue at scale (issue 13 item 4): indexes for filtering and sorting the pending
matches (by confidence or age, within a game; grouping identical proposals), and the log of
review actions that the console's undo restores from.

`match_review_actions` keeps one row per admin action (verify, reassign, reject, group verify):
who, when, and `changes` (each match's state before the action and its version after it, and
each learned alias's state before), so an undo can put everything back exactly, and refuse
when a match has been changed since.

Revision ID: 0024_review_queue
Revises: 0023_saved_mappings
Create Date: 2026-12-02 13:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0024_review_queue"
down_revision: str | None = "0023_saved_mappings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "product_catalog_matches"


def upgrade() -> None:
    op.create_index(
        "ix_product_catalog_matches_status_created_at", TABLE, ["status", "created_at", "id"]
    )
    op.create_index(
        "ix_product_catalog_matches_status_game_confidence",
        TABLE,
        ["status", "game", "confidence_score", "id"],
    )
    op.create_index(
        "ix_product_catalog_matches_status_sku_source_key",
        TABLE,
        ["status", "catalog_sku", "source_key"],
    )
    op.create_table(
        "match_review_actions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("match_count", sa.Integer(), nullable=False),
        sa.Column(
            "changes",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by", sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_review_actions")),
    )
    op.create_index(
        "ix_match_review_actions_actor_created_at",
        "match_review_actions",
        ["actor", "created_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_match_review_actions_actor_created_at", table_name="match_review_actions")
    op.drop_table("match_review_actions")
    op.drop_index("ix_product_catalog_matches_status_sku_source_key", table_name=TABLE)
    op.drop_index("ix_product_catalog_matches_status_game_confidence", table_name=TABLE)
    op.drop_index("ix_product_catalog_matches_status_created_at", table_name=TABLE)
