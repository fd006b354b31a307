"""Celery tasks of the indexer. With `REDIS_URL` a rebuild runs as a chain of chunked tasks that
pass their state along (the new index, the lease token, the next print-id range, the count so
far); without it `dispatch` runs `rebuild_index` inline as one streamed rebuild.

The chain: `rebuild_index` (lease, new index, id ranges) -> `rebuild_chunk` xN, each queueing
the next -> `rebuild_finish` (names index, count check, swap, release, drain). Any failing
step deletes the new indices and releases the lease; the aliases are untouched.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from indexer import outbox
from indexer.catalog import print_id_bounds, synonyms_from_catalog
from indexer.engine import RebuildTarget, get_engine
from indexer.locks import lease_for
from indexer.names import load_names
from indexer.rebuild import LEASE_WAIT_S, RebuildLockedError, load_catalog, rebuild
from models.db import get_engine as get_db_engine
from models.settings import get_settings
from models.worker import celery_app

log = logging.getLogger(__name__)
#: Print ids per chunked rebuild task.
CHUNK_IDS = 25_000
#: How often the beat schedule drains the outbox.
DRAIN_EVERY_S = 5.0

celery_app.conf.beat_schedule = {
    **(celery_app.conf.beat_schedule or {}),
    "indexer-drain-outbox": {"task": "indexer.drain_outbox", "schedule": DRAIN_EVERY_S},
}


def _report(obj: Any) -> dict[str, Any]:
    return {k: getattr(obj, k) for k in obj.__slots__ if k != "drained"}


@celery_app.task(name="indexer.drain_outbox")
def drain_outbox_task(batch_size: int = outbox.DRAIN_BATCH) -> dict[str, Any]:
    report = outbox.drain_outbox(
        engine=get_engine(), db=get_db_engine(), lease=lease_for(), batch_size=batch_size
    )
    return _report(report)


@celery_app.task(name="indexer.rebuild")
def rebuild_index() -> dict[str, Any]:
    """Inline: one streamed rebuild. With Redis: start the chunked chain."""
    if not get_settings().redis_url:
        report = rebuild(engine=get_engine(), db=get_db_engine(), lease=lease_for())
        return {**_report(report), "drained": _report(report.drained) if report.drained else None}
    lease = lease_for()
    token = lease.acquire(wait=LEASE_WAIT_S)
    if token is None:
        raise RebuildLockedError("another rebuild or outbox drain holds the index writer lease")
    engine = get_engine()
    try:
        with get_db_engine().connect() as conn:
            high_water = outbox.high_water(conn)
            low, high = print_id_bounds(conn)
            target = engine.begin_rebuild(synonyms=synonyms_from_catalog(conn))
    except BaseException:
        lease.release(token)
        raise
    state = {
        "index": target.name,
        "version": target.version,
        "token": token,
        "next": low,
        "end": high,
        "loaded": 0,
        "outbox_high_water": high_water,
        "started_at": datetime.now(UTC).isoformat(),
    }
    rebuild_chunk.delay(state)
    return state


def _abort(state: dict[str, Any]) -> None:
    get_engine().abort_rebuild(RebuildTarget(state["index"], state["version"]))
    lease_for().release(state["token"])


@celery_app.task(name="indexer.rebuild_chunk")
def rebuild_chunk(state: dict[str, Any]) -> dict[str, Any]:
    lease = lease_for()
    try:
        if not lease.extend(state["token"]):
            raise RebuildLockedError("the rebuild lost its writer lease")
        stop = min(state["next"] + CHUNK_IDS, state["end"])
        target = RebuildTarget(state["index"], state["version"])
        with get_db_engine().connect() as conn:
            loaded = load_catalog(conn, get_engine(), target, id_range=(state["next"], stop))
        state = {**state, "next": stop, "loaded": state["loaded"] + loaded}
        log.info(
            "rebuild %s: %d documents up to print id %d", state["index"], state["loaded"], stop
        )
    except BaseException:
        _abort(state)
        raise
    if stop < state["end"]:
        rebuild_chunk.delay(state)
    else:
        rebuild_finish.delay(state)
    return state


@celery_app.task(name="indexer.rebuild_finish")
def rebuild_finish(state: dict[str, Any]) -> dict[str, Any]:
    target = RebuildTarget(state["index"], state["version"])
    meta = {
        "built_at": datetime.now(UTC).isoformat(),
        "started_at": state["started_at"],
        "outbox_high_water": state["outbox_high_water"],
        "chunked": True,
    }
    try:
        engine = get_engine()
        with get_db_engine().connect() as conn:
            meta["names"] = load_names(conn, engine, target)
        removed = engine.commit_rebuild(target, expected=state["loaded"], meta=meta)
    except BaseException:
        _abort(state)
        raise
    lease_for().release(state["token"])
    drain_outbox_task.delay()
    return {**state, "removed": removed}
