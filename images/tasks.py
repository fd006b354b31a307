"""Celery tasks of the image mirror: `images.sync`, run in slices, and queued after each
successful ETL load.

A slice runs for at most `SLICE_SECONDS` (well inside the broker's visibility timeout, see
models/worker.py) and queues the next slice while prints remain; the cursor keeps the place, so
a slice delivered twice or a worker killed mid-slice costs at most a batch done again (as
conditional requests).

The ETL hook is Celery's `task_success` signal for `etl.load` and `etl.sync`: the etl package
needs no import of this one (both sit on the same layer), and with no broker (`REDIS_URL`
unset) nothing is queued, so a local `sidedecked etl load` does not start downloading images;
run `sidedecked images sync` then.
"""

from __future__ import annotations

import logging
from typing import Any

from celery.signals import task_success

from images.sync import SyncBusyError, SyncOptions, sync
from models.settings import get_settings
from models.worker import celery_app

log = logging.getLogger(__name__)

SLICE_SECONDS = 120.0
#: Tasks whose success queues a pending image sync.
ETL_TASKS = ("etl.load", "etl.sync")


@celery_app.task(name="images.sync")
def sync_task(
    game: str | None = None, refresh: bool = False, limit: int | None = None
) -> dict[str, Any]:
    """One slice of a sync; queues the next while the run is not done (and `limit` not spent)."""
    options = SyncOptions(game=game, refresh=refresh, limit=limit, seconds=SLICE_SECONDS)
    try:
        stats = sync(options)
    except SyncBusyError as exc:  # a duplicate delivery, or a run queued twice: one is enough
        log.info("images.sync skipped: %s", exc)
        return {"skipped_locked": True, "scope": options.scope}
    left = None if limit is None else limit - stats.checked
    if not stats.done and (left is None or left > 0) and get_settings().redis_url:
        sync_task.delay(game=game, refresh=refresh, limit=left)
    return stats.as_dict()


@task_success.connect
def _after_etl_load(sender: Any = None, result: Any = None, **_: Any) -> None:
    """Queue a pending sync of all games after a successful ETL load (prints new or with a
    changed upstream URL are the pending ones, so an unchanged catalog costs one query)."""
    name = getattr(sender, "name", None)
    if name not in ETL_TASKS or not get_settings().redis_url:
        return
    if isinstance(result, dict) and result.get("status") != "succeeded":
        return
    log.info("%s succeeded: queueing images.sync", name)
    sync_task.delay()
