"""Celery task of matching: `matching.run_job` processes a bulk job from its resume point.

With `REDIS_URL`, `start_job` queues the task (acks late: a worker that dies mid-job has the
task redelivered, and the job continues from `processed_rows`). Without Redis the API must not
block on a long job, so `start_job` runs it in a background thread of the process; jobs left
unfinished by a restart are picked up by `resume_stale_jobs` (API startup, `sidedecked match
resume`).
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from celery import Task

from matching.jobs.runner import run_job
from models.base import utcnow
from models.settings import get_settings
from models.worker import celery_app

log = logging.getLogger(__name__)

#: A running job whose heartbeat is older than this is taken to be orphaned.
STALE_AFTER = timedelta(seconds=60)


@celery_app.task(name="matching.run_job", bind=True, acks_late=True, max_retries=20)
def run_job_task(self: Task[..., dict[str, Any]], job_id: int) -> dict[str, Any]:
    status = run_job(job_id)
    if status == "busy" and not self.request.is_eager:
        raise self.retry(countdown=30)  # another worker holds it: look again later
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
        return []  # Celery redelivers unacknowledged tasks itself
    try:
        ids = stale_jobs()
    except Exception:  # noqa: BLE001 - no tables yet, database down: nothing to resume
        return []
    for job_id in ids:
        start_job(job_id)
    return ids
