"""Celery side of the events: `events.consume` runs a stream consumer for a time slice.

The beat schedule starts one every `CONSUME_EVERY_S`; each runs `CONSUME_SLICE_S` seconds with
its own consumer name (several may overlap; the consumer group shares the work out) and drains
the index outbox after each committed batch so changes are searchable within seconds. A worker
killed mid-slice leaves its batch pending; another consumer reclaims it (`XAUTOCLAIM`).
A long-lived alternative is `sidedecked events consume`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from models.redis_clients import redis_client
from models.settings import get_settings
from models.worker import celery_app

if TYPE_CHECKING:  # imported when used, so the worker loads without the consumer's imports
    from marketplace.apply import ApplyResult
    from marketplace.stream import StreamConsumer

log = logging.getLogger(__name__)
CONSUME_EVERY_S = 5.0
CONSUME_SLICE_S = 4.5

celery_app.conf.beat_schedule = {
    **(celery_app.conf.beat_schedule or {}),
    "events-consume-stream": {
        "task": "events.consume",
        "schedule": CONSUME_EVERY_S,
        "kwargs": {"seconds": CONSUME_SLICE_S},
    },
}
if get_settings().sidedecked_popularity_flush_s:
    # the popularity counters batched in Redis by the API (marketplace/popularity.py)
    celery_app.conf.beat_schedule["popularity-flush"] = {
        "task": "popularity.flush",
        "schedule": get_settings().sidedecked_popularity_flush_s,
    }


def drain_hook() -> Callable[[ApplyResult], None]:
    """An after-commit hook draining the index outbox into the configured engine."""
    from indexer.engine import get_engine
    from indexer.locks import lease_for
    from indexer.outbox import drain_outbox
    from models.db import get_engine as get_db_engine

    def drain(_result: ApplyResult) -> None:
        drain_outbox(engine=get_engine(), db=get_db_engine(), lease=lease_for())

    return drain


def make_consumer(*, drain: bool = True, **kwargs: Any) -> StreamConsumer:
    from marketplace.stream import StreamConsumer
    from models.db import get_engine as get_db_engine

    client = redis_client(profile="stream")
    if client is None:
        raise RuntimeError("REDIS_URL is not set: the event stream needs Redis")
    return StreamConsumer(
        client=client,
        db=get_db_engine(),
        after_commit=drain_hook() if drain else None,
        **kwargs,
    )


@celery_app.task(name="events.consume", acks_late=True)
def consume_stream(seconds: float = CONSUME_SLICE_S, drain: bool = True) -> dict[str, Any]:
    report = make_consumer(drain=drain).run(max_seconds=seconds)
    return {name: getattr(report, name) for name in report.__slots__}


@celery_app.task(name="popularity.flush", acks_late=True)
def flush_popularity() -> dict[str, int]:
    """Add the counted views and search appearances to the SKU counters and queue the prints
    for reindexing (the next outbox drain); a redelivered flush takes what a dead one left."""
    from marketplace.popularity import flush
    from models.db import get_engine as get_db_engine

    report = flush(get_db_engine())
    return {"counted": report.counted, "skus": report.skus, "prints": report.prints}
