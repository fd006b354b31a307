"""The Celery application (kernel). Tasks live beside their domains (`etl/tasks.py`, ...).

Without `REDIS_URL` jobs run inline in the calling process (`dispatch`), so the embedded default
needs no broker; with it, `dispatch` queues them for `sidedecked worker` (docs/workers.md).

Tasks are acknowledged late (after they return), so a task whose worker dies is handed out
again. With the Redis transport an unacknowledged task stays in the broker's `unacked` set and
comes back once it is older than the *visibility timeout*: live workers sweep that set every
few seconds (`transport_options`). Two cases, both covered:

- a pool child dies (SIGKILL, OOM): the parent rejects its task at once and it is requeued
  (`task_reject_on_worker_lost`);
- the whole worker dies (its parent too): nobody rejects it; another worker's sweep restores it
  `SIDEDECKED_TASK_VISIBILITY_TIMEOUT` seconds (default 300) after it was handed out.

So every task must finish well inside the timeout, or a live task is handed to a second worker
as well: long work is split into slices that re-queue themselves (`matching.run_job`), and a
duplicate delivery of any task is harmless (docs/workers.md lists each task's bound).
"""

from __future__ import annotations

from typing import Any

from celery import Celery

from models.settings import REPO_ROOT, get_settings

TASK_MODULES = ["etl.tasks", "indexer.tasks", "images.tasks", "matching.tasks", "marketplace.tasks"]
#: Where `sidedecked beat` keeps its schedule state (last run of each entry), not the cwd.
BEAT_SCHEDULE_FILE = REPO_ROOT / "var" / "celery" / "beat-schedule"


def transport_options(visibility_timeout: int) -> dict[str, Any]:
    """Redis transport options: the visibility timeout, and a sweep of the unacknowledged tasks
    often enough that a dead worker's task returns soon after the timeout (kombu's defaults
    sweep every 10 s x 10 = 100 s). The sweep runs under a Redis lock that kombu keeps for 300 s
    by default: a worker SIGKILLed mid-sweep would block every other worker's sweep for five
    minutes, so the lock lives a few seconds (a sweep takes milliseconds, and restoring is a
    WATCHed transaction, safe if two ever overlap)."""
    return {
        "visibility_timeout": visibility_timeout,
        "unacked_restore_interval": max(1, min(10, visibility_timeout // 10)),
        "unacked_restore_throttle": 1,
        "unacked_mutex_expire": max(1, min(10, visibility_timeout // 2)),
    }


def make_celery(redis_url: str | None = None) -> Celery:
    settings = get_settings()
    url = redis_url or settings.redis_url or "memory://"
    app = Celery("sidedecked", broker=url, backend=url if url.startswith("redis") else None)
    options = transport_options(settings.sidedecked_task_visibility_timeout)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        accept_content=["json"],
        timezone="UTC",
        task_always_eager=not url.startswith("redis"),
        broker_transport_options=options,
        # (the Redis result backend keeps no unacknowledged messages: no timeout applies there)
        beat_schedule_filename=str(BEAT_SCHEDULE_FILE),
    )
    app.conf.include = TASK_MODULES  # imported by the worker at start
    return app


celery_app = make_celery()


def dispatch(task: Any, *args: Any, **kwargs: Any) -> Any:
    """Queue `task` on Celery when Redis is configured, else run it inline and return its result."""
    if get_settings().redis_url:
        return task.delay(*args, **kwargs)
    return task.apply(args=args, kwargs=kwargs).get()
