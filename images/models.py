"""The image mirror's tables (migration 0028): per-print mirror state and sync cursors."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow
from models.types import BigId, JSONDoc


class PrintImage(Base):
    """What the mirror knows of one print's image: the upstream URL it fetched, the validators
    for the next conditional request, the sha256 of the bytes and where the renditions are."""

    __tablename__ = "print_images"
    __table_args__ = (sa.Index("ix_print_images_sha256", "sha256"),)

    print_id: Mapped[int] = mapped_column(
        BigId, sa.ForeignKey("prints.id", ondelete="CASCADE"), primary_key=True
    )
    source_url: Mapped[str] = mapped_column(sa.String(1024))
    etag: Mapped[str | None] = mapped_column(sa.String(255))
    last_modified: Mapped[str | None] = mapped_column(sa.String(64))
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    content_type: Mapped[str | None] = mapped_column(sa.String(64))
    width: Mapped[int | None] = mapped_column(sa.Integer)
    height: Mapped[int | None] = mapped_column(sa.Integer)
    blurhash: Mapped[str | None] = mapped_column(sa.String(64))
    #: name -> {"key", "url", "width", "height", "bytes"} ("original" and each rendition).
    renditions: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    #: ok | missing (the upstream answered 404/410) | error (see `error`, retried later)
    status: Mapped[str] = mapped_column(sa.String(16))
    error: Mapped[str | None] = mapped_column(sa.Text)
    failures: Mapped[int] = mapped_column(default=0, server_default="0")
    checked_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    #: When the bytes last changed (the renditions were made).
    changed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class ImageSyncCursor(Base):
    """How far a sync of one scope (mode and game) got: a killed run resumes after
    `last_print_id`; `finished_at` set means the next run starts over."""

    __tablename__ = "image_sync_cursors"

    scope: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    last_print_id: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")
    started_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    stats: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)


TABLES = (PrintImage.__table__, ImageSyncCursor.__table__)
