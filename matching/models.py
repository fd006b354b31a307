"""Matching tables: product-to-SKU matches, bulk jobs and their rows, API keys, per-seller
thresholds and the aliases learned from verified matches.

These models share `models.Base.metadata`; `models/migrations/versions/0010_matching.py`
creates them. Import this module (e.g. from `models/migrations/env.py`) for autogenerate to
see them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TimestampMixin, utcnow
from models.types import BigId, JSONDoc

# -- vocabularies ------------------------------------------------------------------------------

SELLER_TYPES = ("business_vendor", "consumer_seller")
MATCH_METHODS = ("exact", "fuzzy", "manual", "consumer_selected")
DECISIONS = ("auto", "review", "none")
#: product_catalog_matches.status: `accepted` (auto-accepted, never looked at), `pending`
#: (in the review queue), `verified` (an admin confirmed or reassigned it), `rejected`.
MATCH_STATUSES = ("accepted", "pending", "verified", "rejected")
JOB_STATUSES = ("queued", "running", "succeeded", "failed")
ROW_STATUSES = ("auto", "review", "none", "error")
ROLES = ("admin", "vendor")
REVIEW_ACTION_KINDS = ("verify", "reassign", "reject", "group_verify")


class ProductCatalogMatch(TimestampMixin, Base):
    """A seller's product (listing) pointed at one catalog SKU, with how sure we are."""

    __tablename__ = "product_catalog_matches"
    __table_args__ = (
        sa.UniqueConstraint("seller_id", "product_ref"),
        sa.Index("ix_product_catalog_matches_status_confidence", "status", "confidence_score"),
        sa.Index("ix_product_catalog_matches_seller_id_status", "seller_id", "status"),
        sa.Index("ix_product_catalog_matches_job_id", "job_id"),
        # the review queue (matching/review_queue.py): sort by age or by confidence in a game,
        # group identical proposals
        sa.Index("ix_product_catalog_matches_status_created_at", "status", "created_at", "id"),
        sa.Index(
            "ix_product_catalog_matches_status_game_confidence",
            "status",
            "game",
            "confidence_score",
            "id",
        ),
        sa.Index(
            "ix_product_catalog_matches_status_sku_source_key",
            "status",
            "catalog_sku",
            "source_key",
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    seller_id: Mapped[str] = mapped_column(sa.String(64))
    seller_type: Mapped[str] = mapped_column(sa.String(16), default="business_vendor")
    #: The seller's own reference to the product or listing (`job:12:line:45` for job rows).
    product_ref: Mapped[str | None] = mapped_column(sa.String(255))
    #: What the seller wrote (a title, or `name | set | number`), shown to reviewers.
    source_text: Mapped[str | None] = mapped_column(sa.Text)
    #: Normalised identity of `source_text`; a verified match teaches this key (aliases).
    source_key: Mapped[str | None] = mapped_column(sa.String(255))
    game: Mapped[str | None] = mapped_column(sa.String(16))
    catalog_sku: Mapped[str | None] = mapped_column(sa.String(200))
    print_id: Mapped[int | None] = mapped_column(sa.BigInteger)
    match_method: Mapped[str] = mapped_column(sa.String(20), default="fuzzy")
    confidence_score: Mapped[float] = mapped_column(sa.Float, default=0.0)
    matched_fields: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    #: The candidates the matcher proposed (side by side in the review queue).
    candidates: Mapped[list[dict[str, Any]]] = mapped_column(JSONDoc, default=list)
    decision: Mapped[str] = mapped_column(sa.String(8), default="review")
    status: Mapped[str] = mapped_column(sa.String(12), default="pending")
    is_verified: Mapped[bool] = mapped_column(default=False)
    verified_by: Mapped[str | None] = mapped_column(sa.String(128))
    verified_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    review_note: Mapped[str | None] = mapped_column(sa.Text)
    job_id: Mapped[int | None] = mapped_column(sa.ForeignKey("match_jobs.id", ondelete="SET NULL"))
    #: Optimistic-lock counter: every state change bumps it.
    version: Mapped[int] = mapped_column(default=1)


class MatchJob(Base):
    """One uploaded inventory matched in chunks; `processed_rows` is the resume point."""

    __tablename__ = "match_jobs"
    __table_args__ = (sa.Index("ix_match_jobs_seller_id_created_at", "seller_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    seller_id: Mapped[str] = mapped_column(sa.String(64))
    seller_type: Mapped[str] = mapped_column(sa.String(16), default="business_vendor")
    created_by: Mapped[str | None] = mapped_column(sa.String(128))
    status: Mapped[str] = mapped_column(sa.String(16), default="queued")
    #: The format asked for (None: detect) and the one the reader used.
    format: Mapped[str | None] = mapped_column(sa.String(32))
    detected_format: Mapped[str | None] = mapped_column(sa.String(32))
    filename: Mapped[str | None] = mapped_column(sa.String(255))
    encoding: Mapped[str | None] = mapped_column(sa.String(32))
    game: Mapped[str | None] = mapped_column(sa.String(16))
    mapping: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    total_rows: Mapped[int | None] = mapped_column(sa.Integer)
    processed_rows: Mapped[int] = mapped_column(default=0)
    count_auto: Mapped[int] = mapped_column(default=0)
    count_review: Mapped[int] = mapped_column(default=0)
    count_none: Mapped[int] = mapped_column(default=0)
    count_error: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    #: `host:pid` of the worker that took the job last (a stuck job names its worker).
    worker: Mapped[str | None] = mapped_column(sa.String(128))
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class MatchJobUpload(Base):
    """The uploaded file of a job, kept so a restarted worker can read it again."""

    __tablename__ = "match_job_uploads"

    job_id: Mapped[int] = mapped_column(
        sa.ForeignKey("match_jobs.id", ondelete="CASCADE"), primary_key=True
    )
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    size: Mapped[int] = mapped_column(sa.Integer)
    sha256: Mapped[str] = mapped_column(sa.String(64))


class MatchJobRow(Base):
    """One input record of a job and what became of it (every record has one)."""

    __tablename__ = "match_job_rows"
    __table_args__ = (
        sa.UniqueConstraint("job_id", "row_index"),
        sa.Index("ix_match_job_rows_job_id_status", "job_id", "status"),
        sa.Index("ix_match_job_rows_job_id_line_number", "job_id", "line_number"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    job_id: Mapped[int] = mapped_column(sa.ForeignKey("match_jobs.id", ondelete="CASCADE"))
    #: 0-based position of the record in the file (the resume cursor counts these).
    row_index: Mapped[int] = mapped_column(sa.Integer)
    line_number: Mapped[int] = mapped_column(sa.Integer)
    raw: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    status: Mapped[str] = mapped_column(sa.String(8))  # auto | review | none | error
    reason: Mapped[str | None] = mapped_column(sa.Text)
    quantity: Mapped[int | None] = mapped_column(sa.Integer)
    sku: Mapped[str | None] = mapped_column(sa.String(200))
    print_id: Mapped[int | None] = mapped_column(sa.BigInteger)
    confidence: Mapped[float | None] = mapped_column(sa.Float)
    match_method: Mapped[str | None] = mapped_column(sa.String(20))
    matched_fields: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    candidates: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONDoc)
    match_id: Mapped[int | None] = mapped_column(sa.BigInteger)


class ApiKey(Base):
    """An API key: only its sha256 is stored; `key_prefix` identifies it to humans."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(sa.String(128))
    role: Mapped[str] = mapped_column(sa.String(16))  # admin | vendor
    seller_id: Mapped[str | None] = mapped_column(sa.String(64))
    key_prefix: Mapped[str] = mapped_column(sa.String(16))
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class SellerMatchSettings(Base):
    """Per-seller decision thresholds (else the calibrated defaults apply)."""

    __tablename__ = "seller_match_settings"

    seller_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    auto_threshold: Mapped[float | None] = mapped_column(sa.Float)
    review_threshold: Mapped[float | None] = mapped_column(sa.Float)
    updated_by: Mapped[str | None] = mapped_column(sa.String(128))
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class LearnedAlias(Base):
    """Seller text an admin verified: the same text from the same seller matches exactly."""

    __tablename__ = "matching_learned_aliases"
    __table_args__ = (sa.UniqueConstraint("seller_id", "source_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    seller_id: Mapped[str] = mapped_column(sa.String(64))
    source_key: Mapped[str] = mapped_column(sa.String(255))
    game: Mapped[str | None] = mapped_column(sa.String(16))
    print_id: Mapped[int] = mapped_column(sa.BigInteger)
    catalog_sku: Mapped[str] = mapped_column(sa.String(200))
    match_id: Mapped[int | None] = mapped_column(sa.BigInteger)
    created_by: Mapped[str | None] = mapped_column(sa.String(128))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class SavedMapping(Base):
    """The column mapping a seller used for a spreadsheet, keyed by its header's identity
    (`matching.saved_mappings.header_hash`): the next upload of that header reuses it."""

    __tablename__ = "matching_saved_mappings"
    __table_args__ = (sa.UniqueConstraint("seller_id", "header_hash"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    seller_id: Mapped[str] = mapped_column(sa.String(64))
    header_hash: Mapped[str] = mapped_column(sa.String(64))
    #: The header as the file wrote it (shown to the seller; the hash is of its normal form).
    header: Mapped[list[str]] = mapped_column(JSONDoc)
    #: The format the mapping overrides (None: the generic reader).
    format: Mapped[str | None] = mapped_column(sa.String(32))
    mapping: Mapped[dict[str, str]] = mapped_column(JSONDoc)
    updated_by: Mapped[str | None] = mapped_column(sa.String(128))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class ReviewAction(Base):
    """One admin action on the review queue (verify, reassign, reject, group verify) and what
    it changed: `changes` = {"matches": [{"id", "before": {...}, "after_version"}], "aliases":
    [{"seller_id", "source_key", "before": {...} | null}]}, so an undo restores it exactly."""

    __tablename__ = "match_review_actions"
    __table_args__ = (sa.Index("ix_match_review_actions_actor_created_at", "actor", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(sa.String(16))  # REVIEW_ACTION_KINDS
    actor: Mapped[str] = mapped_column(sa.String(128))
    match_count: Mapped[int] = mapped_column(sa.Integer)
    changes: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    undone_by: Mapped[str | None] = mapped_column(sa.String(128))
