"""ETL bookkeeping: job runs, immutable bronze records, quarantine and checkpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow
from models.types import BigId, JSONDoc


class EtlJob(Base):
    """One ETL run with its status, timings and counts."""

    __tablename__ = "etl_jobs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(sa.String(32))
    kind: Mapped[str] = mapped_column(sa.String(16), default="load")  # load | fetch
    status: Mapped[str] = mapped_column(sa.String(16), default="running")
    inputs: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    started_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    records_read: Mapped[int] = mapped_column(default=0)
    bronze_inserted: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    quarantined: Mapped[int] = mapped_column(default=0)
    #: Progress and per-table counts (cards/prints/skus created and updated).
    stats: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    error: Mapped[str | None] = mapped_column(sa.Text)


class BronzeRecord(Base):
    """A raw upstream record, stored once per distinct content; never updated or deleted."""

    __tablename__ = "bronze_records"
    __table_args__ = (
        sa.UniqueConstraint("source", "external_id", "content_hash"),
        sa.Index("ix_bronze_records_source_external_id", "source", "external_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(sa.String(32))
    external_id: Mapped[str] = mapped_column(sa.String(128))
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    fetched_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    etl_job_id: Mapped[int | None] = mapped_column(sa.ForeignKey("etl_jobs.id"))
    source_file: Mapped[str | None] = mapped_column(sa.String(512))


class QuarantinedRecord(Base):
    """A record that could not be normalised, kept with the reason."""

    __tablename__ = "etl_quarantine"
    __table_args__ = (sa.Index("ix_etl_quarantine_etl_job_id", "etl_job_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    etl_job_id: Mapped[int] = mapped_column(sa.ForeignKey("etl_jobs.id"))
    source: Mapped[str] = mapped_column(sa.String(32))
    external_id: Mapped[str | None] = mapped_column(sa.String(128))
    reason: Mapped[str] = mapped_column(sa.Text)
    payload: Mapped[Any] = mapped_column(JSONDoc)
    source_file: Mapped[str | None] = mapped_column(sa.String(512))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class EtlCheckpoint(Base):
    """A unit of input (a file or batch) fully committed; a re-run skips it if unchanged."""

    __tablename__ = "etl_checkpoints"
    __table_args__ = (sa.UniqueConstraint("source", "unit_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(sa.String(32))
    unit_key: Mapped[str] = mapped_column(sa.String(512))
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    etl_job_id: Mapped[int | None] = mapped_column(sa.ForeignKey("etl_jobs.id"))
    completed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class IndexOutbox(Base):
    """Print ids touched by a catalog write, recorded in the same transaction; drained by the indexer."""

    __tablename__ = "index_outbox"
    __table_args__ = (sa.Index("ix_index_outbox_print_id", "print_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    print_id: Mapped[int] = mapped_column(sa.BigInteger)
    reason: Mapped[str] = mapped_column(sa.String(32), default="etl")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class EtlPendingRow(Base):
    """A change to an existing card or print, held until the end of the run that made it.

    Several records may describe the same card (or print) with different fields; the last
    one a run reads wins. Writing each version as it comes would flip rows back and forth on
    every re-run, so the loader keeps the latest version here (in the same transaction as its
    batch) and applies it when the run ends. See docs/etl.md.
    """

    __tablename__ = "etl_pending_rows"
    __table_args__ = (sa.UniqueConstraint("game_id", "kind", "key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    game_id: Mapped[int] = mapped_column(sa.SmallInteger)
    kind: Mapped[str] = mapped_column(sa.String(8))  # card | print
    key: Mapped[str] = mapped_column(sa.String(128))  # oracle_key | print_key
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    row: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    etl_job_id: Mapped[int | None] = mapped_column(sa.ForeignKey("etl_jobs.id"))
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
