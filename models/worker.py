"""The Celery application (kernel). Tasks live beside their domains (`etl/tasks.py`, ...).

Without `REDIS_URL` jobs run inline in the calling process (`dispatch`), so the embedded default
needs no broker; with it, `dispatch` queues them for `celery -A models.worker:celery_app worker`.
"""

from __future__ import annotations

from typing import Any

from celery import Celery

from models.settings import get_settings

TASK_MODULES = ["etl.tasks", "indexer.tasks", "matching.tasks", "marketplace.tasks"]


def make_celery(redis_url: str | None = None) -> Celery:
    url = redis_url or get_settings().redis_url or "memory://"
    app = Celery("sidedecked", broker=url, backend=url if url.startswith("redis") else None)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        accept_content=["json"],
        timezone="UTC",
        task_always_eager=not url.startswith("redis"),
    )
    app.conf.include = TASK_MODULES  # imported by the worker at start
    return app


celery_app = make_celery()


def dispatch(task: Any, *args: Any, **kwargs: Any) -> Any:
    """Queue `task` on Celery when Redis is configured, else run it inline and return its result."""
    if get_settings().redis_url:
        return task.delay(*args, **kwargs)
    return task.apply(args=args, kwargs=kwargs).get()
