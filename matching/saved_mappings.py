"""Saved column mappings: the mapping a seller used for a spreadsheet is kept for that seller,
keyed by the identity of the file's header (`matching.formats.header_hash`), and an upload of
the same header that asks for no format and no mapping is read with it again.

`upload_preview` is what the vendor page's mapping editor shows (the format, the columns with a
sample, the mapping that applies and whether it is a saved one); `create_job_with_mapping`
stores a job with the saved mapping applied, or remembers the one the seller gave.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matching.formats import header_hash, preview_inventory
from matching.formats.preview import read_header
from matching.formats.spec import FIELD_DESCRIPTIONS, FIELDS
from matching.jobs.intake import create_job
from matching.jobs.upload_checks import looks_like, not_an_export
from matching.models import MatchJob, SavedMapping
from models.base import utcnow
from models.errors import InvalidInput


def saved_mapping(session: Session, *, seller_id: str, header: list[str]) -> SavedMapping | None:
    """The seller's mapping for this header, if they saved one."""
    return session.scalar(
        sa.select(SavedMapping).where(
            SavedMapping.seller_id == seller_id, SavedMapping.header_hash == header_hash(header)
        )
    )


def remember_mapping(
    session: Session,
    *,
    seller_id: str,
    header: list[str],
    mapping: Mapping[str, str],
    format: str | None,
    updated_by: str | None = None,
) -> SavedMapping:
    """Save (or replace) the seller's mapping for this header; the caller commits."""
    row = saved_mapping(session, seller_id=seller_id, header=header)
    if row is None:
        row = SavedMapping(seller_id=seller_id, header_hash=header_hash(header))
        session.add(row)
    row.header = list(header)
    row.format = None if format in (None, "generic") else format
    row.mapping = dict(mapping)
    row.updated_by = updated_by
    row.updated_at = utcnow()
    session.flush()
    return row


def saved_view(row: SavedMapping) -> dict[str, Any]:
    """A saved mapping as the preview shows it (`applied`: it is what the preview used)."""
    return {
        "applied": True,
        "format": row.format,
        "mapping": row.mapping,
        "updated_at": row.updated_at.isoformat() if row.updated_at else None,
        "updated_by": row.updated_by,
    }


def upload_preview(
    session: Session,
    *,
    seller_id: str,
    content: bytes,
    format: str | None = None,
    mapping: Mapping[str, str] | None = None,
    game: str | None = None,
) -> dict[str, Any]:
    """The preview of an upload (`matching.formats.preview_inventory`) for this seller: with
    neither a format nor a mapping asked for, the seller's saved mapping for the header applies
    (`saved_mapping.applied`). The fields a column may be mapped to come with it. A binary
    file (an image, a workbook...) is refused as a job upload refuses it."""
    _refuse_binary(content)
    saved = _saved_for(session, seller_id, content) if format is None and not mapping else None
    if saved is not None:
        format, mapping = saved.format, saved.mapping
    try:
        preview = preview_inventory(content, format=format, mapping=mapping, game=game)
    except (ValueError, UnicodeError) as exc:
        raise InvalidInput(str(exc), code="unreadable_upload") from None
    return {
        **preview.as_dict(),
        "fields": [{"name": f, "label": FIELD_DESCRIPTIONS[f]} for f in FIELDS],
        "saved_mapping": saved_view(saved) if saved is not None else None,
    }


def create_job_with_mapping(
    session: Session,
    *,
    seller_id: str,
    content: bytes,
    format: str | None = None,
    mapping: Mapping[str, str] | None = None,
    created_by: str | None = None,
    **job: Any,
) -> MatchJob:
    """`matching.jobs.intake.create_job`, with the seller's saved mapping for the header when the
    upload asks for no format and no mapping; a mapping the seller gives is saved for the header
    once the job is accepted (so a refused upload saves nothing)."""
    _refuse_binary(content)  # before its header is read for a saved mapping
    given = dict(mapping) if mapping else None
    saved = _saved_for(session, seller_id, content) if format is None and not given else None
    if saved is not None:
        format, mapping = saved.format, saved.mapping
    stored = create_job(
        session,
        seller_id=seller_id,
        content=content,
        format=format,
        mapping=mapping,
        created_by=created_by,
        **job,
    )
    if given is not None:
        remember_mapping(
            session,
            seller_id=seller_id,
            header=_header(content),
            mapping=given,
            format=format,
            updated_by=created_by,
        )
        session.commit()
    return stored


def _refuse_binary(content: bytes) -> None:
    """The people-facing refusal of a file that is no export (`upload_checks.not_an_export`)."""
    kind = looks_like(content)
    if kind is not None:
        raise not_an_export(kind)


def _saved_for(session: Session, seller_id: str, content: bytes) -> SavedMapping | None:
    return saved_mapping(session, seller_id=seller_id, header=_header(content))


def _header(content: bytes) -> list[str]:
    try:
        return read_header(content)
    except (ValueError, UnicodeError) as exc:
        raise InvalidInput(str(exc), code="unreadable_upload") from None
