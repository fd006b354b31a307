"""Indexes the lookups need: cards by normalized name without a game (`/cards/named`, names in
`/collection`: a full scan of the cards, 35 ms on the whole catalog), and sets by upper-cased code
(`/sets/{game}/{set}/{number}`: a scan of the sets on PostgreSQL)

On PostgreSQL the name index uses `varchar_pattern_ops`, so that `LIKE 'prefix%'` can seek it
whatever the database's collation (equality can too).

Revision ID: 0022_lookup_indexes
Revises: 0021_card_attributes
Create Date: 2026-12-02 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_lookup_indexes"
down_revision: str | None = "0021_card_attributes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_cards_normalized_name",
        "cards",
        ["normalized_name"],
        postgresql_ops={"normalized_name": "varchar_pattern_ops"},
    )
    op.create_index("ix_card_sets_upper_code", "card_sets", [sa.text("upper(code)")])


def downgrade() -> None:
    op.drop_index("ix_card_sets_upper_code", table_name="card_sets")
    op.drop_index("ix_cards_normalized_name", table_name="cards")
