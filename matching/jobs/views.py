"""Bulk matching jobs, reading: a job and its rows as API/CLI views, rows streamed in order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matching.match_result import split_reason
from matching.models import MatchJob, MatchJobRow


def job_view(job: MatchJob) -> dict[str, Any]:
    total = job.total_rows or 0
    return {
        "id": job.id,
        "seller_id": job.seller_id,
        "seller_type": job.seller_type,
        "status": job.status,
        "format": job.detected_format,
        "requested_format": job.format,
        "filename": job.filename,
        "encoding": job.encoding,
        "game": job.game,
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "progress": round(job.processed_rows / total, 4) if total else 0.0,
        "counts": {
            "auto": job.count_auto,
            "review": job.count_review,
            "none": job.count_none,
            "error": job.count_error,
        },
        "attempts": job.attempts,
        "error": job.error,
        "created_by": job.created_by,
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


def row_view(row: MatchJobRow) -> dict[str, Any]:
    reason_code, reason = split_reason(row.reason)
    return {
        "line_number": row.line_number,
        "row_index": row.row_index,
        "status": row.status,
        "reason_code": reason_code,
        "reason": reason,
        "quantity": row.quantity,
        "sku": row.sku,
        "confidence": row.confidence,
        "match_method": row.match_method,
        "matched_fields": row.matched_fields,
        "candidates": row.candidates or [],
        "match_id": row.match_id,
        "input": row.raw,
    }


def iter_job_rows(
    session: Session, job_id: int, *, status: str | None = None, batch: int = 2000
) -> Iterator[MatchJobRow]:
    """Every row of a job in file order, streamed in keyset pages."""
    last = -1
    while True:
        query = (
            sa.select(MatchJobRow)
            .where(MatchJobRow.job_id == job_id, MatchJobRow.row_index > last)
            .order_by(MatchJobRow.row_index)
            .limit(batch)
        )
        if status:
            query = query.where(MatchJobRow.status == status)
        page = list(session.scalars(query))
        if not page:
            return
        yield from page
        last = page[-1].row_index
        session.expunge_all()
