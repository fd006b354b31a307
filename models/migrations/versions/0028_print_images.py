"""The image mirror (issue 14 item 1): where each print's image lives in our own storage.

* `prints.image_mirror_url`, `prints.image_mirror_srcset`, `prints.image_blurhash`: what search
  results, lookups and pages show (plain strings, so the indexer's streamed query reads them
  without decoding a JSON document per print).
* `print_images`: the mirror's own state per print: the upstream URL it fetched, its ETag and
  Last-Modified (for conditional requests), the sha256 of the bytes, the renditions' storage
  keys and URLs, and the last outcome.
* `image_sync_cursors`: how far a sync run got (per scope), so a killed run resumes there.

Revision ID: 0028_print_images
Revises: 0027_popularity_score
Create Date: 2026-12-09 16:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0028_print_images"
down_revision: str | None = "0027_popularity_score"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.add_column("prints", sa.Column("image_mirror_url", sa.String(1024), nullable=True))
    op.add_column("prints", sa.Column("image_mirror_srcset", sa.Text(), nullable=True))
    op.add_column("prints", sa.Column("image_blurhash", sa.String(64), nullable=True))
    op.create_table(
        "print_images",
        sa.Column(
            "print_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.ForeignKey("prints.id", ondelete="CASCADE", name="fk_print_images_print_id_prints"),
            nullable=False,
        ),
        sa.Column("source_url", sa.String(1024), nullable=False),
        sa.Column("etag", sa.String(255), nullable=True),
        sa.Column("last_modified", sa.String(64), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("content_type", sa.String(64), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("blurhash", sa.String(64), nullable=True),
        sa.Column("renditions", JSON_DOC, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("print_id", name="pk_print_images"),
    )
    op.create_index("ix_print_images_sha256", "print_images", ["sha256"])
    op.create_table(
        "image_sync_cursors",
        sa.Column("scope", sa.String(64), nullable=False),
        sa.Column("last_print_id", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stats", JSON_DOC, nullable=False),
        sa.PrimaryKeyConstraint("scope", name="pk_image_sync_cursors"),
    )


def downgrade() -> None:
    op.drop_table("image_sync_cursors")
    op.drop_index("ix_print_images_sha256", table_name="print_images")
    op.drop_table("print_images")
    with op.batch_alter_table("prints") as batch:
        batch.drop_column("image_blurhash")
        batch.drop_column("image_mirror_srcset")
        batch.drop_column("image_mirror_url")
