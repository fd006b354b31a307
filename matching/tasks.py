"""Celery task of matching: `matching.run_job` processes a bulk job in time slices.

With `REDIS_URL`, `start_job` queues the task. Each delivery runs one slice of the job
(`slice_seconds()`, a third of the broker's visibility timeout: it ends after the chunk that
passes it) and queues the next slice before it returns, so no delivery outlives the visibility
timeout and a live slice is never handed to a second worker. Tasks are acknowledged late: a
slice whose worker dies comes back (at once when only a pool child died, after the visibility
timeout when the whole worker died, see `models.worker`) and the job continues from
`processed_rows`, no row processed twice.

The job's advisory lease keeps two deliveries off one job: a delivery that finds the job held
answers `busy` and looks again later; if the job advanced meanwhile, the holder's own chain
carries it and the waiting copy ends (`duplicate`), so a job never runs on two chains.

Without Redis the API must not block on a long job, so `start_job` runs it in a background
thread of the process; jobs left unfinished by a restart are picked up by `resume_stale_jobs`
(API startup, `sidedecked match resume`).
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from celery import Task

from matching.jobs.liveness import STALE_AFTER
from matching.jobs.runner import run_job
from models.base import utcnow
from models.settings import get_settings
from models.worker import celery_app

log = logging.getLogger(__name__)

#: A slice runs for at most this share of the visibility timeout (plus the chunk in flight).
SLICE_SHARE = 1 / 3
#: Seconds before a delivery that found its job held looks again.
BUSY_RETRY_S = 30


def slice_seconds() -> float:
    return get_settings().sidedecked_task_visibility_timeout * SLICE_SHARE


def _advanced_since(job_id: int, moment: float) -> bool:
    """Did the job commit a chunk (or finish) after `moment` (a time.time())?"""
    from matching.models import MatchJob
    from models.db import get_engine

    with get_engine().connect() as conn:
        row = conn.execute(
            sa.select(MatchJob.status, MatchJob.heartbeat_at).where(MatchJob.id == job_id)
        ).one_or_none()
    if row is None or row.status in ("succeeded", "failed"):
        return True
    beat: datetime | None = row.heartbeat_at
    if beat is None:
        return False
    beat = beat if beat.tzinfo else beat.replace(tzinfo=UTC)
    return beat > datetime.fromtimestamp(moment, UTC)


@celery_app.task(name="matching.run_job", bind=True, acks_late=True, max_retries=20)
def run_job_task(
    self: Task[..., dict[str, Any]], job_id: int, busy_since: float | None = None
) -> dict[str, Any]:
    if self.request.is_eager:  # inline: the whole job in this call
        return {"job_id": job_id, "status": run_job(job_id)}
    if busy_since is not None and _advanced_since(job_id, busy_since):
        return {"job_id": job_id, "status": "duplicate"}  # the holder's chain carries the job
    status = run_job(job_id, max_seconds=slice_seconds())
    if status == "busy":  # another delivery holds it: look again later
        raise self.retry(
            countdown=BUSY_RETRY_S,
            kwargs={"job_id": job_id, "busy_since": busy_since or time.time()},
        )
    if status == "running":  # the slice is over: the next one continues from processed_rows
        run_job_task.delay(job_id)
    return {"job_id": job_id, "status": status}


def _run_in_thread(job_id: int) -> None:
    try:
        run_job(job_id)
    except Exception:
        log.exception("match job %s failed in its thread", job_id)


def start_job(job_id: int) -> str:
    """Queue the job on Celery (with Redis) or start it in a background thread; returns how."""
    if get_settings().redis_url:
        run_job_task.delay(job_id)
        return "celery"
    thread = threading.Thread(
        target=_run_in_thread, args=(job_id,), name=f"match-job-{job_id}", daemon=True
    )
    thread.start()
    return "thread"


def stale_jobs(engine: sa.Engine | None = None) -> list[int]:
    """Jobs queued or running whose heartbeat (or creation) is older than `STALE_AFTER`."""
    from matching.models import MatchJob
    from models.db import get_engine

    engine = engine or get_engine()
    cutoff = utcnow() - STALE_AFTER
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(MatchJob.id).where(
                MatchJob.status.in_(("queued", "running")),
                sa.func.coalesce(MatchJob.heartbeat_at, MatchJob.created_at) < cutoff,
            )
        )
        return [row[0] for row in rows]


def resume_stale_jobs() -> list[int]:
    """Start every orphaned job again (API startup without Redis); never raises."""
    if get_settings().redis_url:
        # the broker hands a dead worker's slice out again after the visibility timeout
        return []
    try:
        ids = stale_jobs()
    except Exception:  # noqa: BLE001 - no tables yet, database down: nothing to resume
        return []
    for job_id in ids:
        start_job(job_id)
    return ids
