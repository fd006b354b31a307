"""Bulk matching jobs: upload checks, chunked and resumable processing, results and export.

A job keeps its uploaded file (`match_job_uploads`), so any worker can (re)read it. `run_job`
processes it in chunks of `CHUNK_SIZE` records; each chunk is one transaction holding its
`match_job_rows`, the `product_catalog_matches` of its auto/review rows and the job's advanced
`processed_rows` and counters. A worker that dies loses at most the chunk in flight: the next
run skips `processed_rows` records and goes on. On PostgreSQL a session advisory lock per job
keeps two workers off one job (a dead worker's lock goes with its connection).

Every record of the file gets exactly one row: `auto`, `review`, `none` or `error` (with the
reason), so nothing is dropped silently.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from matching.decisions import AUTO, ERROR, REVIEW, seller_thresholds
from matching.formats import UnknownFormatError, read_inventory
from matching.formats.specs import FORMATS_BY_NAME
from matching.index import index_cache
from matching.models import (
    LearnedAlias,
    MatchJob,
    MatchJobRow,
    MatchJobUpload,
    ProductCatalogMatch,
)
from matching.service import Matcher, MatchResult, split_reason
from models.base import utcnow
from models.settings import get_settings
from models.sku import GAMES
from search_api.catalog.skus import ensure_skus, is_graded

log = logging.getLogger(__name__)

CHUNK_SIZE = 1000
_LOCK_NAMESPACE = 7246  # pg_try_advisory_lock(namespace, job id)


class UploadError(Exception):
    """An upload the API refuses: `status_code` 413 (too large) or 422 (unreadable)."""

    def __init__(self, status_code: int, code: str, details: Any) -> None:
        super().__init__(f"{code}: {details}")
        self.status_code = status_code
        self.code = code
        self.details = details


def upload_limits() -> tuple[int, int]:
    """(largest upload in bytes, most data rows) from the settings."""
    settings = get_settings()
    return settings.sidedecked_match_max_upload_bytes, settings.sidedecked_match_max_rows


# -- creating a job ---------------------------------------------------------------------------


def inspect_upload(
    content: bytes,
    *,
    format: str | None = None,
    mapping: Mapping[str, str] | None = None,
    game: str | None = None,
    max_rows: int | None = None,
) -> tuple[str, str | None, int]:
    """Detect the format and count the records (`detected_format, encoding, rows`); raises
    `UploadError` for an empty, unreadable or too long file."""
    max_bytes, default_rows = upload_limits()
    max_rows = max_rows or default_rows
    if len(content) > max_bytes:
        raise UploadError(413, "upload_too_large", f"the file is larger than {max_bytes} bytes")
    if not content.strip(b"\xef\xbb\xbf \t\r\n"):
        raise UploadError(422, "empty_upload", "the file is empty")
    if format is not None and format != "generic" and format not in FORMATS_BY_NAME:
        known = ", ".join(sorted([*FORMATS_BY_NAME, "generic"]))
        raise UploadError(422, "unknown_format", f"unknown format {format!r}; known: {known}")
    if game is not None and game not in GAMES:
        raise UploadError(422, "invalid_game", f"game must be one of {', '.join(GAMES)}")
    try:
        inventory = read_inventory(content, format=format, mapping=mapping, game=game)
        rows = 0
        for _row in inventory:
            rows += 1
            if rows > max_rows:
                raise UploadError(
                    413, "too_many_rows", f"the file has more than {max_rows} records"
                )
    except UnknownFormatError as exc:
        raise UploadError(422, "unknown_format", str(exc)) from None
    except (ValueError, UnicodeError) as exc:
        raise UploadError(422, "unreadable_upload", str(exc)) from None
    if rows == 0:
        raise UploadError(422, "no_rows", "the file has a header but no records")
    return inventory.detected_format, inventory.encoding, rows


def create_job(
    session: Session,
    *,
    seller_id: str,
    content: bytes,
    filename: str | None = None,
    format: str | None = None,
    mapping: Mapping[str, str] | None = None,
    game: str | None = None,
    seller_type: str = "business_vendor",
    created_by: str | None = None,
) -> MatchJob:
    """Check the upload, store it and a queued job (committed); returns the job."""
    detected, encoding, rows = inspect_upload(content, format=format, mapping=mapping, game=game)
    job = MatchJob(
        seller_id=seller_id,
        seller_type=seller_type,
        created_by=created_by,
        status="queued",
        format=format,
        detected_format=detected,
        filename=(filename or "")[:255] or None,
        encoding=encoding,
        game=game,
        mapping=dict(mapping) if mapping else None,
        total_rows=rows,
        processed_rows=0,
        created_at=utcnow(),
    )
    session.add(job)
    session.flush()
    session.add(
        MatchJobUpload(
            job_id=job.id,
            content=content,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
    )
    session.commit()
    return job


# -- running a job ----------------------------------------------------------------------------


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


class _JobLock:
    """PostgreSQL: a session advisory lock on the job held for the run; elsewhere a no-op."""

    def __init__(self, engine: Engine, job_id: int) -> None:
        self.engine = engine
        self.job_id = job_id
        self.conn = None

    def acquire(self) -> bool:
        if self.engine.dialect.name != "postgresql":
            return True
        self.conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        got = self.conn.execute(
            sa.select(sa.func.pg_try_advisory_lock(_LOCK_NAMESPACE, self.job_id))
        ).scalar()
        if not got:
            self.conn.close()
            self.conn = None
        return bool(got)

    def release(self) -> None:
        if self.conn is not None:
            try:
                self.conn.execute(
                    sa.select(sa.func.pg_advisory_unlock(_LOCK_NAMESPACE, self.job_id))
                )
            finally:
                self.conn.close()
                self.conn = None


def run_job(
    job_id: int,
    *,
    engine: Engine | None = None,
    chunk_size: int = CHUNK_SIZE,
    max_chunks: int | None = None,
) -> str:
    """Process a job from its resume point; returns its status afterwards (`busy` when another
    worker holds it). `max_chunks` stops early (to test resuming)."""
    from models.db import get_engine, session_factory

    engine = engine or get_engine()
    lock = _JobLock(engine, job_id)
    if not lock.acquire():
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
            job.error = None
            session.commit()
            try:
                status = _process(session, engine, job, chunk_size, max_chunks)
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
        lock.release()


def _process(
    session: Session, engine: Engine, job: MatchJob, chunk_size: int, max_chunks: int | None
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
                        product_ref=f"job:{job.id}:row:{row_index}",
                        job_id=job.id,
                    )
                )
        with engine.begin() as conn:
            graded = {m["catalog_sku"] for m in matches if is_graded(m["catalog_sku"])}
            if graded:  # graded SKUs are made on first use (search_api/catalog/skus.py)
                ensure_skus(conn, graded)
            if matches:
                table = ProductCatalogMatch.__table__
                inserted = conn.execute(
                    sa.insert(table).returning(table.c.id, table.c.product_ref), matches
                )
                ids = {ref: id_ for id_, ref in inserted}
                for values in job_rows:
                    values["match_id"] = ids.get(f"job:{job.id}:row:{values['row_index']}")
            conn.execute(sa.insert(MatchJobRow.__table__), job_rows)
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
        if max_chunks is not None and chunks >= max_chunks:
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


# -- reading a job ----------------------------------------------------------------------------


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


# -- CSV export -------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|")
_PLAIN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def neutralize(value: Any) -> str:
    """A cell spreadsheets will not run as a formula: text starting with = + - @ TAB CR LF
    or | gets a leading apostrophe (OWASP CSV injection); plain numbers stay as they are."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


RESULT_COLUMNS = (
    "line_number",
    "status",
    "reason_code",
    "reason",
    "sku",
    "confidence",
    "match_method",
    "name",
    "set_code",
    "number",
    "quantity",
    "matched_fields",
    "candidates",
)
INPUT_PREFIX = "input:"


def result_record(view: Mapping[str, Any]) -> dict[str, Any]:
    """A results row as flat CSV values (from `row_view` or the CLI's equivalent)."""
    candidates = view.get("candidates") or []
    top = candidates[0] if candidates and view.get("sku") else {}
    matched = view.get("matched_fields")
    record = {
        "line_number": view.get("line_number"),
        "status": view.get("status"),
        "reason_code": view.get("reason_code"),
        "reason": view.get("reason"),
        "sku": view.get("sku"),
        "confidence": "" if view.get("confidence") is None else f"{view['confidence']:.4f}",
        "match_method": view.get("match_method"),
        "name": top.get("name"),
        "set_code": top.get("set_code"),
        "number": top.get("number"),
        "quantity": view.get("quantity"),
        "matched_fields": json.dumps(matched, sort_keys=True) if matched else None,
        "candidates": ";".join(f"{c['sku']}={c['confidence']:.2f}" for c in candidates) or None,
    }
    for key, value in (view.get("input") or {}).items():
        if key != "_extra":
            record[INPUT_PREFIX + key] = value
    return record


def input_columns(first_input: Mapping[str, Any] | None) -> list[str]:
    """The export's own columns (from a row's `raw`), written after the result columns."""
    return [INPUT_PREFIX + key for key in (first_input or {}) if key != "_extra"]


class _CsvRows:
    """CSV text of result views: the result columns, then the export's own columns (taken
    from the first row); every cell neutralised against formula injection."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer)
        self.columns: list[str] | None = None

    def add(self, view: Mapping[str, Any]) -> None:
        if self.columns is None:
            self.columns = [*RESULT_COLUMNS, *input_columns(view.get("input"))]
            self.writer.writerow(self.columns)
        record = result_record(view)
        self.writer.writerow([neutralize(record.get(c)) for c in self.columns])

    def take(self) -> str:
        if self.columns is None:
            self.columns = list(RESULT_COLUMNS)
            self.writer.writerow(self.columns)
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text


def write_results_csv(views: Iterable[Mapping[str, Any]], out: IO[str]) -> int:
    """Write result rows as CSV (see `_CsvRows`); returns the rows written."""
    rows = _CsvRows()
    count = 0
    for count, view in enumerate(views, start=1):  # noqa: B007
        rows.add(view)
        if count % 500 == 0:
            out.write(rows.take())
    out.write(rows.take())
    return count


def csv_chunks(views: Iterable[Mapping[str, Any]], *, every: int = 500) -> Iterator[str]:
    """The CSV of `views` as text chunks (for a streaming response)."""
    rows = _CsvRows()
    for count, view in enumerate(views, start=1):
        rows.add(view)
        if count % every == 0:
            yield rows.take()
    yield rows.take()
