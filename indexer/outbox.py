"""The index outbox drain: catalog writes record touched print ids in their own transaction
(`models.outbox.record_touched_prints`, or the card/set variants); the drainer turns them into
document updates and deletes the rows only once the engine took them. If the engine is down
the rows wait; the next drain applies them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from indexer.catalog import documents_for
from indexer.engine import EngineUnavailableError, SearchEngine
from indexer.names import update_names
from models import IndexOutbox
from models.locks import Lease

log = logging.getLogger(__name__)
DRAIN_BATCH = 500
_INSERT_CHUNK = 5000


def pending_count(bind: Session | Connection | Engine) -> int:
    stmt = sa.select(sa.func.count()).select_from(IndexOutbox)
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return conn.execute(stmt).scalar_one()
    return bind.execute(stmt).scalar_one()


def high_water(bind: Session | Connection) -> int:
    """The newest outbox row id (0 when empty)."""
    return bind.execute(sa.select(sa.func.coalesce(sa.func.max(IndexOutbox.id), 0))).scalar_one()


def visible_ids(bind: Session | Connection) -> list[int]:
    """Ids of the outbox rows committed so far (a rebuild's snapshot will include them)."""
    return list(bind.execute(sa.select(IndexOutbox.id)).scalars())


def delete_rows(db: Engine, ids: list[int]) -> int:
    with db.begin() as conn:
        for start in range(0, len(ids), _INSERT_CHUNK):
            chunk = ids[start : start + _INSERT_CHUNK]
            conn.execute(sa.delete(IndexOutbox).where(IndexOutbox.id.in_(chunk)))
    return len(ids)


@dataclass(slots=True)
class DrainReport:
    rows: int = 0
    indexed: int = 0
    deleted: int = 0
    batches: int = 0
    #: Another writer (a rebuild, another drainer) holds the lease: nothing was drained.
    skipped_locked: bool = False
    error: str | None = None
    #: The run stopped at its time bound with rows left (the next run goes on).
    more: bool = False


def _claim(conn: Connection, batch_size: int) -> list[tuple[int, int]]:
    stmt = (
        sa.select(IndexOutbox.id, IndexOutbox.print_id).order_by(IndexOutbox.id).limit(batch_size)
    )
    if conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return [(row.id, row.print_id) for row in conn.execute(stmt)]


def drain_batch(conn: Connection, engine: SearchEngine, batch_size: int) -> tuple[int, int, int]:
    """Apply one batch in the caller's transaction: (rows, indexed, deleted); rows are deleted
    only after the engine accepted every change (an engine error propagates, rows stay)."""
    claimed = _claim(conn, batch_size)
    if not claimed:
        return 0, 0, 0
    print_ids = {print_id for _, print_id in claimed}
    docs = documents_for(conn, print_ids)
    gone = sorted(print_ids - docs.keys())
    indexed = engine.index_documents(docs.values()) if docs else 0
    if gone:
        engine.delete_documents(gone)
    update_names(conn, engine, docs.values())  # the names index entries of the touched cards
    conn.execute(sa.delete(IndexOutbox).where(IndexOutbox.id.in_([i for i, _ in claimed])))
    return len(claimed), indexed, len(gone)


def drain_outbox(
    *,
    engine: SearchEngine,
    db: Engine,
    lease: Lease,
    batch_size: int = DRAIN_BATCH,
    max_batches: int | None = None,
    max_seconds: float | None = None,
    progress: Callable[[int], None] | None = None,
) -> DrainReport:
    """Drain the outbox into the engine under the writer lease (skipped while it is held).

    `max_seconds` bounds the run (a Celery task must end well inside the broker's visibility
    timeout): past it the run stops after the batch in hand and says `more`."""
    report = DrainReport()
    deadline = None if max_seconds is None else time.monotonic() + max_seconds
    token = lease.acquire(what="outbox drain")
    if token is None:
        report.skipped_locked = True
        return report
    try:
        while max_batches is None or report.batches < max_batches:
            try:
                with db.begin() as conn:
                    rows, indexed, deleted = drain_batch(conn, engine, batch_size)
            except EngineUnavailableError as exc:
                log.warning("outbox drain stopped, rows kept for a retry: %s", exc)
                report.error = str(exc)
                break
            if not rows:
                break
            report.rows += rows
            report.indexed += indexed
            report.deleted += deleted
            report.batches += 1
            lease.extend(token)
            if progress is not None:
                progress(rows)
            if deadline is not None and time.monotonic() >= deadline:
                report.more = True
                break
    finally:
        lease.release(token)
    return report
