"""Bulk matching jobs, reading: a job and its rows as API/CLI views, rows streamed in order.

A row shows its **current state**, not only what the matcher decided (`status`): the match
its line recorded (`match_id`) may since have been verified, reassigned or rejected by an
admin, or decided by the seller. `ROW_STATES` and `state_expression` (one SQL CASE, so pages
filter and count by state in the database) say how; `row_view` adds the final SKU, the
original one, who decided and when.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal, get_args

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matching.jobs.liveness import liveness
from matching.jobs.reason_counts import has_reason, reason_counts
from matching.jobs.row_ref import row_label, row_ref
from matching.match_result import split_reason
from matching.models import MatchJob, MatchJobRow, ProductCatalogMatch
from matching.reasons import REASONS

#: A row's current state: the matcher's `auto` (accepted), `review` (waiting for an admin) or
#: `none`; `selected` (the seller accepted the proposal or picked a candidate); an admin's
#: `verified`, `reassigned` (to another SKU) or `rejected`; `error` (an unreadable row).
RowState = Literal[
    "auto", "selected", "review", "verified", "reassigned", "rejected", "none", "error"
]
ROW_STATES: tuple[str, ...] = get_args(RowState)


def state_expression() -> sa.ColumnElement[str]:
    """The state of a row joined (outer) with its match, as SQL."""
    match = ProductCatalogMatch
    return sa.case(
        (match.id.is_(None), MatchJobRow.status),
        (match.status == "rejected", "rejected"),
        (sa.and_(match.status == "verified", match.match_method == "manual"), "reassigned"),
        (match.status == "verified", "verified"),
        (match.status == "pending", "review"),
        (match.match_method == "consumer_selected", "selected"),
        else_="auto",
    )


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
        # heartbeat_at, heartbeat_age_s, worker (host:pid), stale: is a running job alive?
        **liveness(job.status, job.heartbeat_at, job.created_at, job.worker),
    }


def job_summary(session: Session, job: MatchJob) -> dict[str, Any]:
    """`job_view` with the job's rows counted by reason (`reasons`: {status: {code: rows}})
    and the label of each code counted (`reason_labels`, from `matching.reasons`)."""
    reasons = reason_counts(session, job.id)
    present = {code for by_code in reasons.values() for code in by_code}
    labels = {r.code: r.label for r in REASONS if r.code in present}
    return {**job_view(job), "reasons": reasons, "reason_labels": labels}


def row_view(
    row: MatchJobRow, match: ProductCatalogMatch | None = None, state: str | None = None
) -> dict[str, Any]:
    """A job row as the API, the CSV and the vendor page show it: `status` is what the
    matcher decided, `state` what holds now, `sku` the final SKU (none once rejected) and
    `original_sku` the matcher's proposal."""
    reason_code, reason = split_reason(row.reason)
    final_sku = row.sku if match is None else match.catalog_sku
    if state == "rejected":
        final_sku = None
    decided_at = match.verified_at if match is not None and match.verified_by else None
    return {
        "line_number": row.line_number,
        "row_index": row.row_index,
        "row_ref": row_ref(row.job_id, row.line_number),
        "row_label": row_label(row.job_id, row.line_number),
        "status": row.status,
        "state": state or row.status,
        "reason_code": reason_code,
        "reason": reason,
        "quantity": row.quantity,
        "sku": final_sku,
        "original_sku": row.sku,
        "decided_by": match.verified_by if match is not None else None,
        "decided_at": decided_at.isoformat() if decided_at else None,
        "review_note": match.review_note if match is not None else None,
        "confidence": row.confidence,
        "match_method": match.match_method if match is not None else row.match_method,
        "matched_fields": row.matched_fields,
        "candidates": row.candidates or [],
        "match_id": row.match_id,
        "input": row.raw,
    }


def rows_query(
    job_id: int,
    *,
    status: str | None = None,
    state: str | None = None,
    reason: str | None = None,
) -> sa.Select[MatchJobRow, ProductCatalogMatch, str]:
    """A job's rows with their match (None when the row has none: an outer join) and state, in
    file order (filtered by status, state or reason code; an unknown code is refused)."""
    current = state_expression()
    query = (
        sa.select(MatchJobRow, ProductCatalogMatch, current)
        .outerjoin(ProductCatalogMatch, ProductCatalogMatch.id == MatchJobRow.match_id)
        .where(MatchJobRow.job_id == job_id)
    )
    if status:
        query = query.where(MatchJobRow.status == status)
    if state:
        query = query.where(current == state)
    if reason:
        query = query.where(has_reason(reason))
    return query.order_by(MatchJobRow.row_index)


def state_counts(session: Session, job_id: int) -> dict[str, int]:
    """How many rows of a job are in each state (every state named, zero included)."""
    current = state_expression()
    counts = dict.fromkeys(ROW_STATES, 0)
    for state, count in session.execute(
        sa.select(current, sa.func.count())
        .select_from(MatchJobRow)
        .outerjoin(ProductCatalogMatch, ProductCatalogMatch.id == MatchJobRow.match_id)
        .where(MatchJobRow.job_id == job_id)
        .group_by(current)
    ):
        counts[state] = int(count)
    return counts


def iter_row_views(
    session: Session,
    job_id: int,
    *,
    status: str | None = None,
    state: str | None = None,
    reason: str | None = None,
    batch: int = 2000,
) -> Iterator[dict[str, Any]]:
    """Every row of a job as `row_view`, in file order, streamed in keyset pages."""
    last = -1
    while True:
        query = rows_query(job_id, status=status, state=state, reason=reason)
        page = session.execute(query.where(MatchJobRow.row_index > last).limit(batch)).all()
        if not page:
            return
        for row, match, current in page:
            yield row_view(row, match, current)
        last = page[-1][0].row_index
        session.expunge_all()
