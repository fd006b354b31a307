"""Celery tasks of the ETL: `etl.load` (the same pipeline as `sidedecked etl load`) and
`etl.sync` (fetch the upstream data, then load it), with a beat schedule for periodic syncs.

Without `REDIS_URL`, `models.worker.dispatch(load_task, ...)` runs a load inline.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from etl.fetch import run as fetch_run
from etl.load_result import LoadResult
from etl.pipeline import DEFAULT_BATCH_SIZE, load
from etl.registry import SOURCES
from models.settings import REPO_ROOT
from models.worker import celery_app

log = logging.getLogger(__name__)

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


@celery_app.task(name="etl.load")
def load_task(
    source: str,
    paths: list[str],
    force: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> dict[str, Any]:
    """Load `paths` with `source`; returns the run's summary (see `result_dict`)."""
    result = load(source, [Path(p) for p in paths], force=force, batch_size=batch_size)
    return result_dict(result)


def upstream_dir(source: str) -> Path:
    """Where `etl.sync` downloads a source (`var/upstream/<source>`, as `etl fetch` does)."""
    return REPO_ROOT / "var" / "upstream" / source


@celery_app.task(name="etl.sync")
def sync_task(source: str, force: bool = False) -> dict[str, Any]:
    """Download `source`'s upstream data (`etl.fetch.run.fetch_source`), then load that folder.

    Unchanged upstream files are not downloaded again and unchanged files are skipped by
    their checkpoints, so a periodic sync of an unchanged upstream costs a few requests.
    """
    fetched = fetch_run.fetch_source(source, dest_dir=upstream_dir(source))
    folder = fetched.dest_dir
    log.info("etl.sync %s: loading %s", source, folder)
    result = load(source, [Path(folder)], force=force)
    return result_dict(result)
