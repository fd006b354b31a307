"""matching: matches, jobs, api keys, seller settings, learned aliases

Revision ID: 0010_matching
Revises: 0002
Create Date: 2026-11-22 17:52:40.791984
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010_matching"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("seller_id", sa.String(length=64), nullable=True),
        sa.Column("key_prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )
    op.create_table(
        "match_jobs",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("seller_id", sa.String(length=64), nullable=False),
        sa.Column("seller_type", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("format", sa.String(length=32), nullable=True),
        sa.Column("detected_format", sa.String(length=32), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=True),
        sa.Column("encoding", sa.String(length=32), nullable=True),
        sa.Column("game", sa.String(length=16), nullable=True),
        sa.Column(
            "mapping",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("total_rows", sa.Integer(), nullable=True),
        sa.Column("processed_rows", sa.Integer(), nullable=False),
        sa.Column("count_auto", sa.Integer(), nullable=False),
        sa.Column("count_review", sa.Integer(), nullable=False),
        sa.Column("count_none", sa.Integer(), nullable=False),
        sa.Column("count_error", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_jobs")),
    )
    op.create_index(
        "ix_match_jobs_seller_id_created_at",
        "match_jobs",
        ["seller_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "matching_learned_aliases",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("seller_id", sa.String(length=64), nullable=False),
        sa.Column("source_key", sa.String(length=255), nullable=False),
        sa.Column("game", sa.String(length=16), nullable=True),
        sa.Column("print_id", sa.BigInteger(), nullable=False),
        sa.Column("catalog_sku", sa.String(length=200), nullable=False),
        sa.Column("match_id", sa.BigInteger(), nullable=True),
        sa.Column("created_by", sa.String(length=128), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matching_learned_aliases")),
        sa.UniqueConstraint(
            "seller_id", "source_key", name=op.f("uq_matching_learned_aliases_seller_id_source_key")
        ),
    )
    op.create_table(
        "seller_match_settings",
        sa.Column("seller_id", sa.String(length=64), nullable=False),
        sa.Column("auto_threshold", sa.Float(), nullable=True),
        sa.Column("review_threshold", sa.Float(), nullable=True),
        sa.Column("updated_by", sa.String(length=128), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seller_id", name=op.f("pk_seller_match_settings")),
    )
    op.create_table(
        "match_job_rows",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("job_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("row_index", sa.Integer(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column(
            "raw",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=True),
        sa.Column("sku", sa.String(length=200), nullable=True),
        sa.Column("print_id", sa.BigInteger(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("match_method", sa.String(length=20), nullable=True),
        sa.Column(
            "matched_fields",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "candidates",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("match_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["match_jobs.id"],
            name=op.f("fk_match_job_rows_job_id_match_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_job_rows")),
        sa.UniqueConstraint("job_id", "row_index", name=op.f("uq_match_job_rows_job_id_row_index")),
    )
    op.create_index(
        "ix_match_job_rows_job_id_status", "match_job_rows", ["job_id", "status"], unique=False
    )
    op.create_table(
        "match_job_uploads",
        sa.Column("job_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["match_jobs.id"],
            name=op.f("fk_match_job_uploads_job_id_match_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_match_job_uploads")),
    )
    op.create_table(
        "product_catalog_matches",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("seller_id", sa.String(length=64), nullable=False),
        sa.Column("seller_type", sa.String(length=16), nullable=False),
        sa.Column("product_ref", sa.String(length=255), nullable=True),
        sa.Column("source_text", sa.Text(), nullable=True),
        sa.Column("source_key", sa.String(length=255), nullable=True),
        sa.Column("game", sa.String(length=16), nullable=True),
        sa.Column("catalog_sku", sa.String(length=200), nullable=True),
        sa.Column("print_id", sa.BigInteger(), nullable=True),
        sa.Column("match_method", sa.String(length=20), nullable=False),
        sa.Column("confidence_score", sa.Float(), nullable=False),
        sa.Column(
            "matched_fields",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "candidates",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("is_verified", sa.Boolean(), nullable=False),
        sa.Column("verified_by", sa.String(length=128), nullable=True),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("job_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["match_jobs.id"],
            name=op.f("fk_product_catalog_matches_job_id_match_jobs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_catalog_matches")),
        sa.UniqueConstraint(
            "seller_id",
            "product_ref",
            name=op.f("uq_product_catalog_matches_seller_id_product_ref"),
        ),
    )
    op.create_index(
        "ix_product_catalog_matches_job_id", "product_catalog_matches", ["job_id"], unique=False
    )
    op.create_index(
        "ix_product_catalog_matches_seller_id_status",
        "product_catalog_matches",
        ["seller_id", "status"],
        unique=False,
    )
    op.create_index(
        "ix_product_catalog_matches_status_confidence",
        "product_catalog_matches",
        ["status", "confidence_score"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        "ix_product_catalog_matches_status_confidence", table_name="product_catalog_matches"
    )
    op.drop_index(
        "ix_product_catalog_matches_seller_id_status", table_name="product_catalog_matches"
    )
    op.drop_index("ix_product_catalog_matches_job_id", table_name="product_catalog_matches")
    op.drop_table("product_catalog_matches")
    op.drop_table("match_job_uploads")
    op.drop_index("ix_match_job_rows_job_id_status", table_name="match_job_rows")
    op.drop_table("match_job_rows")
    op.drop_table("seller_match_settings")
    op.drop_table("matching_learned_aliases")
    op.drop_index("ix_match_jobs_seller_id_created_at", table_name="match_jobs")
    op.drop_table("match_jobs")
    op.drop_table("api_keys")
