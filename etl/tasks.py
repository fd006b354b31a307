"""Celery tasks of the ETL: `etl.load` (the same pipeline as `sidedecked etl load`) and
`etl.sync` (fetch the upstream data, then load it), with a beat schedule for periodic syncs.

Without `REDIS_URL`, `models.worker.dispatch(load_task, ...)` runs a load inline.

A load is not time-sliced: at full size it outlives the broker's visibility timeout, so the
broker hands a running load's task to a second worker too. That copy is harmless: loads of one
source hold an advisory lock, so it finds the source busy and looks again every
`BUSY_RETRY_S` (as a plain, unforced load) until the first one ends; then its files' checkpoints
make it skip what the first one loaded. If the first worker died instead, that look-again is
what finishes the load from its checkpoints.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from celery import Task

from etl.fetch import run as fetch_run
from etl.load_result import LoadBusyError, LoadResult
from etl.pipeline import DEFAULT_BATCH_SIZE, load
from etl.registry import SOURCES
from models.settings import REPO_ROOT
from models.worker import celery_app

log = logging.getLogger(__name__)
#: Seconds before a load that found its source busy (another load of it runs) looks again.
BUSY_RETRY_S = 60
#: Looks before giving up (about six hours: longer than any load).
BUSY_RETRIES = 360

#: Each source is synced at its entry's `sync_at` (UTC; staggered so loads do not overlap).
celery_app.conf.beat_schedule = {
    **(celery_app.conf.beat_schedule or {}),
    **{
        f"etl-sync-{name}": {"task": "etl.sync", "schedule": entry.sync_at, "args": (name,)}
        for name, entry in SOURCES.items()
    },
}


def result_dict(result: LoadResult) -> dict[str, Any]:
    """A JSON-serialisable summary of a load (what the tasks return)."""
    counts = result.counts
    return {
        "job_id": result.job_id,
        "source": result.source,
        "status": result.status,
        "seconds": round(result.seconds, 3),
        "error": result.error,
        "failed_units": result.failed_units,
        **counts.columns(),
        "stats": counts.stats(),
    }


def _busy_retry(task: Task[..., dict[str, Any]], exc: LoadBusyError, **kwargs: Any) -> Any:
    """Look again later, as a plain load: the running one does the forced work, if any."""
    if task.request.is_eager:
        raise exc
    log.info("%s: %s; looking again in %ss", task.name, exc, BUSY_RETRY_S)
    return task.retry(exc=exc, countdown=BUSY_RETRY_S, kwargs={**kwargs, "force": False})


@celery_app.task(name="etl.load", bind=True, max_retries=BUSY_RETRIES)
def load_task(
    self: Task[..., dict[str, Any]],
    source: str,
    paths: list[str],
    force: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> dict[str, Any]:
    """Load `paths` with `source`; returns the run's summary (see `result_dict`)."""
    try:
        result = load(source, [Path(p) for p in paths], force=force, batch_size=batch_size)
    except LoadBusyError as exc:
        raise _busy_retry(self, exc, source=source, paths=paths, batch_size=batch_size) from exc
    return result_dict(result)


def upstream_dir(source: str) -> Path:
    """Where `etl.sync` downloads a source (`var/upstream/<source>`, as `etl fetch` does)."""
    return REPO_ROOT / "var" / "upstream" / source


@celery_app.task(name="etl.sync", bind=True, max_retries=BUSY_RETRIES)
def sync_task(self: Task[..., dict[str, Any]], source: str, force: bool = False) -> dict[str, Any]:
    """Download `source`'s upstream data (`etl.fetch.run.fetch_source`), then load that folder.

    Unchanged upstream files are not downloaded again and unchanged files are skipped by
    their checkpoints, so a periodic sync of an unchanged upstream costs a few requests.
    """
    fetched = fetch_run.fetch_source(source, dest_dir=upstream_dir(source))
    folder = fetched.dest_dir
    log.info("etl.sync %s: loading %s", source, folder)
    try:
        result = load(source, [Path(folder)], force=force)
    except LoadBusyError as exc:
        raise _busy_retry(self, exc, source=source) from exc
    return result_dict(result)
