"""Bulk matching jobs, running: chunked and resumable processing of a stored upload.

`run_job` processes a job in chunks of `CHUNK_SIZE` records; each chunk is one transaction
holding its `match_job_rows`, the `product_catalog_matches` of its auto/review rows and the
job's advanced `processed_rows` and counters. A worker that dies loses at most the chunk in
flight: the next run skips `processed_rows` records and goes on. `job_lease` (`lock.py`) keeps
two workers off one job.

A run may be a time slice (`max_seconds`): it stops after the chunk that reaches the limit and
answers `running`, and the Celery task queues the next slice (`matching/tasks.py`), so no task
outlives the broker's visibility timeout. Each chunk advances the heartbeat; the job records the
worker that took it (`host:pid`).

Every record of the file gets exactly one row: `auto`, `review`, `none` or `error` (with the
reason), so nothing is dropped silently.
"""

from __future__ import annotations

import itertools
import logging
import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from etl.graded_skus import ensure_skus, is_graded
from matching.decisions import AUTO, ERROR, REVIEW, seller_thresholds
from matching.formats import read_inventory
from matching.index_build import index_cache
from matching.jobs.liveness import worker_name
from matching.jobs.lock import job_lease
from matching.jobs.row_ref import row_ref
from matching.match_result import MatchResult
from matching.models import LearnedAlias, MatchJob, MatchJobRow, MatchJobUpload, ProductCatalogMatch
from matching.service import Matcher
from models.base import utcnow
from models.faults import pause_point

log = logging.getLogger(__name__)

CHUNK_SIZE = 1000
# the declarative `__table__` is typed as a FromClause; it is the model's Table
MATCHES: sa.Table = ProductCatalogMatch.__table__  # type: ignore[assignment]
JOB_ROWS: sa.Table = MatchJobRow.__table__  # type: ignore[assignment]


def load_aliases(session: Session, seller_id: str) -> dict[str, tuple[int, str]]:
    rows = session.execute(
        sa.select(LearnedAlias.source_key, LearnedAlias.print_id, LearnedAlias.catalog_sku).where(
            LearnedAlias.seller_id == seller_id
        )
    )
    return {key: (print_id, sku) for key, print_id, sku in rows}


def _clean(value: Any) -> Any:
    """JSON-safe (PostgreSQL JSONB refuses NUL characters)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {str(k).replace("\x00", ""): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _compact(result: MatchResult) -> list[dict[str, Any]]:
    return [
        {
            "sku": c.sku,
            "confidence": c.confidence,
            "match_method": c.match_method,
            "name": c.name,
            "set_code": c.set_code,
            "number": c.number,
        }
        for c in result.candidates
    ]


def run_job(
    job_id: int,
    *,
    engine: Engine | None = None,
    chunk_size: int = CHUNK_SIZE,
    max_chunks: int | None = None,
    max_seconds: float | None = None,
) -> str:
    """Process a job from its resume point; returns its status afterwards (`busy` when another
    worker holds it, `running` when it stopped early). `max_seconds` ends the run after the
    chunk that reaches it (a time slice); `max_chunks` after that many chunks (tests)."""
    from models.db import get_engine, session_factory

    engine = engine or get_engine()
    lease = job_lease(engine, job_id)
    token = lease.acquire()
    if token is None:
        return "busy"
    try:
        session = session_factory(engine)()
        try:
            job = session.get(MatchJob, job_id)
            if job is None:
                return "missing"
            if job.status == "succeeded":
                return job.status
            job.status = "running"
            job.attempts += 1
            job.started_at = job.started_at or utcnow()
            job.heartbeat_at = utcnow()
            job.worker = worker_name()
            job.error = None
            session.commit()
            deadline = None if max_seconds is None else time.monotonic() + max_seconds
            try:
                status = _process(session, engine, job, chunk_size, max_chunks, deadline)
            except Exception as exc:
                session.rollback()
                log.exception("match job %s failed", job_id)
                session.execute(
                    sa.update(MatchJob)
                    .where(MatchJob.id == job_id)
                    .values(status="failed", error=f"{type(exc).__name__}: {exc}"[:2000])
                )
                session.commit()
                raise
            return status
        finally:
            session.close()
    finally:
        lease.release(token)


def _process(
    session: Session,
    engine: Engine,
    job: MatchJob,
    chunk_size: int,
    max_chunks: int | None,
    deadline: float | None,
) -> str:
    upload = session.get(MatchJobUpload, job.id)
    if upload is None:
        raise RuntimeError(f"job {job.id} has no stored upload")
    inventory = read_inventory(
        upload.content, format=job.format, mapping=job.mapping, game=job.game
    )
    matcher = Matcher(index_cache.get(engine))
    thresholds = seller_thresholds(session, job.seller_id)
    aliases = load_aliases(session, job.seller_id)
    rows = itertools.islice(enumerate(inventory), job.processed_rows, None)
    chunks = 0
    while True:
        chunk = list(itertools.islice(rows, chunk_size))
        if not chunk:
            break
        job_rows: list[dict[str, Any]] = []
        matches: list[dict[str, Any]] = []
        counts = {"auto": 0, "review": 0, "none": 0, "error": 0}
        for row_index, row in chunk:
            try:
                result = matcher.match(
                    row.listing, thresholds=thresholds, aliases=aliases, error=row.error
                )
            except Exception as exc:  # one bad row must not stop the job
                log.exception("job %s row %s", job.id, row_index)
                result = MatchResult(
                    ERROR, None, [], f"internal error: {type(exc).__name__}", "", None, None
                )
            status = result.decision
            counts[status] += 1
            best = result.best
            job_rows.append(
                {
                    "job_id": job.id,
                    "row_index": row_index,
                    "line_number": row.line_number,
                    "raw": _clean(row.raw),
                    "status": status,
                    "reason": result.stored_reason,
                    "quantity": row.listing.quantity,
                    "sku": best.sku if best else None,
                    "print_id": best.print_id if best else None,
                    "confidence": best.confidence if best else None,
                    "match_method": best.match_method if best else None,
                    "matched_fields": best.matched_fields if best else None,
                    "candidates": _compact(result) if result.candidates else None,
                    "match_id": None,
                }
            )
            if status in (AUTO, REVIEW) and best is not None:
                matches.append(
                    _match_values(
                        result,
                        seller_id=job.seller_id,
                        seller_type=job.seller_type,
                        product_ref=row_ref(job.id, row.line_number),
                        job_id=job.id,
                    )
                )
        with engine.begin() as conn:
            graded = {m["catalog_sku"] for m in matches if is_graded(m["catalog_sku"])}
            if graded:  # graded SKUs are made on first use (etl/graded_skus.py)
                ensure_skus(conn, graded)
            if matches:
                inserted = conn.execute(
                    sa.insert(MATCHES).returning(MATCHES.c.id, MATCHES.c.product_ref), matches
                )
                ids = {ref: id_ for id_, ref in inserted}
                for values in job_rows:
                    values["match_id"] = ids.get(row_ref(job.id, values["line_number"]))
            conn.execute(sa.insert(JOB_ROWS), job_rows)
            done = conn.execute(
                sa.update(MatchJob)
                .where(MatchJob.id == job.id, MatchJob.processed_rows == job.processed_rows)
                .values(
                    processed_rows=MatchJob.processed_rows + len(chunk),
                    count_auto=MatchJob.count_auto + counts["auto"],
                    count_review=MatchJob.count_review + counts["review"],
                    count_none=MatchJob.count_none + counts["none"],
                    count_error=MatchJob.count_error + counts["error"],
                    heartbeat_at=utcnow(),
                )
            )
            if done.rowcount != 1:
                raise RuntimeError(f"job {job.id} was advanced by someone else")
        job.processed_rows += len(chunk)
        chunks += 1
        pause_point("matching.job.after_chunk")  # fault tests stop a worker here to kill it
        out_of_chunks = max_chunks is not None and chunks >= max_chunks
        out_of_time = deadline is not None and time.monotonic() >= deadline
        rows_left = job.total_rows is None or job.processed_rows < job.total_rows
        if (out_of_chunks or out_of_time) and rows_left:
            session.expire_all()
            return "running"
    session.execute(
        sa.update(MatchJob)
        .where(MatchJob.id == job.id)
        .values(
            status="succeeded",
            finished_at=utcnow(),
            total_rows=job.processed_rows,
            heartbeat_at=utcnow(),
        )
    )
    session.commit()
    return "succeeded"


def _match_values(
    result: MatchResult,
    *,
    seller_id: str,
    seller_type: str,
    product_ref: str | None,
    job_id: int | None = None,
) -> dict[str, Any]:
    best = result.best
    assert best is not None
    now = utcnow()
    return {
        "seller_id": seller_id,
        "seller_type": seller_type,
        "product_ref": product_ref,
        "source_text": _clean(result.source_text)[:4000],
        "source_key": result.source_key,
        "game": best.game,
        "catalog_sku": best.sku,
        "print_id": best.print_id,
        "match_method": best.match_method,
        "confidence_score": best.confidence,
        "matched_fields": best.matched_fields,
        "candidates": _clean([c.as_dict() for c in result.candidates]),
        "decision": result.decision,
        "status": "accepted" if result.decision == AUTO else "pending",
        "is_verified": False,
        "job_id": job_id,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
