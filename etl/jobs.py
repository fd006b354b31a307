"""`etl_jobs` bookkeeping: one row per run, its status, counts and progress.

Statuses: `running` -> `succeeded` | `failed` | `interrupted`. A run killed without a chance
to say so (SIGKILL, power loss) stays `running` until the next run on the same host notices
its process is gone and marks it `interrupted`.
"""

from __future__ import annotations

import os
import socket
from collections import Counter
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from models.base import utcnow
from models.etl import EtlJob, QuarantinedRecord

JOBS: sa.Table = EtlJob.__table__  # type: ignore[assignment]
QUARANTINE: sa.Table = QuarantinedRecord.__table__  # type: ignore[assignment]

RUNNING, SUCCEEDED, FAILED, INTERRUPTED = "running", "succeeded", "failed", "interrupted"
TABLES = ("sets", "cards", "prints", "skus")


@dataclass
class JobCounts:
    """The counters of a run (what `etl_jobs` and its `stats` hold)."""

    records_read: int = 0
    bronze_inserted: int = 0
    quarantined: int = 0
    units_total: int = 0
    units_done: int = 0
    units_skipped: int = 0
    units_failed: int = 0
    batches: int = 0
    outbox: int = 0
    tables: dict[str, Counter[str]] = field(
        default_factory=lambda: {table: Counter() for table in TABLES}
    )

    @property
    def created(self) -> int:
        return sum(c["created"] for c in self.tables.values())

    @property
    def updated(self) -> int:
        return sum(c["updated"] for c in self.tables.values())

    @property
    def unchanged(self) -> int:
        return sum(c["unchanged"] for c in self.tables.values())

    def merged(self, other: JobCounts) -> JobCounts:
        out = JobCounts()
        # every counter adds up, except the total of units (each run knows it whole) and the tables
        summed = [f.name for f in fields(self) if f.name not in ("units_total", "tables")]
        for name in summed:
            setattr(out, name, getattr(self, name) + getattr(other, name))
        out.units_total = max(self.units_total, other.units_total)
        for table in set(self.tables) | set(other.tables):
            out.tables[table] = Counter(self.tables.get(table, {})) + Counter(
                other.tables.get(table, {})
            )
        return out

    def add(self, other: JobCounts) -> None:
        merged = self.merged(other)
        self.__dict__.update(merged.__dict__)

    def columns(self) -> dict[str, Any]:
        return {
            "records_read": self.records_read,
            "bronze_inserted": self.bronze_inserted,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "quarantined": self.quarantined,
        }

    def stats(self, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        return {
            **(extra or {}),
            "units": {
                "total": self.units_total,
                "done": self.units_done,
                "skipped": self.units_skipped,
                "failed": self.units_failed,
            },
            "units_skipped": self.units_skipped,
            "batches": self.batches,
            "outbox": self.outbox,
            "tables": {
                table: dict(sorted(counter.items())) for table, counter in self.tables.items()
            },
        }


def _owner() -> dict[str, Any]:
    return {"host": socket.gethostname(), "pid": os.getpid()}


def start_job(
    engine: Engine,
    source: str,
    inputs: list[str],
    *,
    kind: str = "load",
    stats: dict[str, Any] | None = None,
) -> int:
    with engine.begin() as conn:
        job_id: int = conn.execute(
            sa.insert(JOBS).returning(JOBS.c.id),
            {
                "source": source,
                "kind": kind,
                "status": RUNNING,
                "inputs": inputs,
                "started_at": utcnow(),
                "stats": {**_owner(), **(stats or {})},
            },
        ).scalar_one()
    return job_id


def update_job(conn: Connection, job_id: int, counts: JobCounts, extra: dict[str, Any]) -> None:
    """Write the counters (in the caller's transaction, so they match what is committed)."""
    conn.execute(
        sa.update(JOBS)
        .where(JOBS.c.id == job_id)
        .values(**counts.columns(), stats=counts.stats(extra))
    )


def finish_job(
    engine: Engine,
    job_id: int,
    status: str,
    counts: JobCounts,
    extra: dict[str, Any],
    *,
    error: str | None = None,
) -> None:
    with engine.begin() as conn:
        conn.execute(
            sa.update(JOBS)
            .where(JOBS.c.id == job_id)
            .values(
                **counts.columns(),
                stats=counts.stats(extra),
                status=status,
                finished_at=utcnow(),
                error=error,
            )
        )


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reap_stale_jobs(engine: Engine) -> list[int]:
    """Mark `running` jobs of this host whose process is gone as `interrupted`."""
    host = socket.gethostname()
    stale = []
    with engine.begin() as conn:
        rows = conn.execute(
            sa.select(JOBS.c.id, JOBS.c.stats).where(JOBS.c.status == RUNNING)
        ).all()
        for job_id, stats in rows:
            stats = stats or {}
            pid = stats.get("pid")
            if stats.get("host") != host or not isinstance(pid, int):
                continue
            if pid == os.getpid() or _pid_alive(pid):
                continue
            stale.append(job_id)
            conn.execute(
                sa.update(JOBS)
                .where(JOBS.c.id == job_id, JOBS.c.status == RUNNING)
                .values(
                    status=INTERRUPTED,
                    error=f"process {pid} on {host} ended without finishing the run",
                )
            )
    return stale


def list_jobs(
    engine: Engine, *, limit: int = 20, source: str | None = None
) -> list[dict[str, Any]]:
    stmt = sa.select(JOBS).order_by(JOBS.c.id.desc()).limit(limit)
    if source:
        stmt = stmt.where(JOBS.c.source == source)
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(stmt)]


def get_job(engine: Engine, job_id: int) -> dict[str, Any] | None:
    with engine.connect() as conn:
        row = conn.execute(sa.select(JOBS).where(JOBS.c.id == job_id)).first()
    return dict(row._mapping) if row else None


def job_quarantine(
    engine: Engine, job_id: int, *, limit: int | None = None
) -> list[dict[str, Any]]:
    stmt = sa.select(QUARANTINE).where(QUARANTINE.c.etl_job_id == job_id).order_by(QUARANTINE.c.id)
    if limit:
        stmt = stmt.limit(limit)
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(stmt)]


def duration(job: dict[str, Any]) -> float | None:
    started: datetime | None = job.get("started_at")
    finished: datetime | None = job.get("finished_at")
    if started is None:
        return None
    end = finished or utcnow()
    if started.tzinfo is None and end.tzinfo is not None:
        end = end.replace(tzinfo=None)
    return (end - started).total_seconds()
