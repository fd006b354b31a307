"""Popularity (issue 14 item 3): `catalog_skus.popularity_score`, the weighted sum of a SKU's
counters (views, searches, sales, wishlists; the search documents' weights) as of the last
popularity flush (`marketplace.popularity`), beside the `view_count`/`search_count` it feeds on.

Revision ID: 0027_popularity_score
Revises: 0026_match_job_worker
Create Date: 2026-12-09 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027_popularity_score"
down_revision: str | None = "0026_match_job_worker"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "catalog_skus",
        sa.Column("popularity_score", sa.BigInteger(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    with op.batch_alter_table("catalog_skus") as batch:
        batch.drop_column("popularity_score")
