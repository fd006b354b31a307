"""Celery tasks of the indexer. With `REDIS_URL` a rebuild runs as a chain of chunked tasks that
pass their state along (the run id, the new index, the lease token, the next print-id range, the
count so far); without it `dispatch` runs `rebuild_index` inline as one streamed rebuild.

The chain: `rebuild_index` (lease, new index, id ranges) -> `rebuild_chunk` xN, each queueing
the next -> `rebuild_finish` (names index, count check, swap, old-index deletion, release,
drain). A failing step before the swap deletes the new indices and releases the lease; the
aliases are untouched.

Every step is safe to run twice, at any point (tasks are acknowledged late: a task whose worker
dies is delivered again, with the same task id; and a step killed after queueing its successor
but before its acknowledgement queues that successor twice):

- The run's id is the start task's id and doubles as the lease token, so a redelivered start
  takes back its own lease at once and reuses the index it had created (`RunLog`).
- Each step (`start`, `chunk:<first id>`, `finish`) is claimed in the run's Redis record by the
  task id that runs it: a redelivery (same id) goes on, a duplicate message (another id) of a
  claimed or done step ends quietly, as does any step of a finished run.
- A chunk or finish whose index is gone (the run was aborted) ends quietly; loading a chunk
  again overwrites the same documents (ids are print ids).
- The finish skips the swap when the alias already points at its index, and deletes only
  indices of the alias family that are neither live (read right before deleting) nor its own.

Fault points (`models.faults`, no-ops in production) mark the steps the fault tests kill a worker
at: rebuild.start.after_begin, rebuild.chunk.after_load, rebuild.finish.before_swap,
rebuild.finish.after_swap, rebuild.finish.after_delete.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from indexer import outbox
from indexer.catalog import print_id_bounds, synonyms_from_catalog
from indexer.engine import RebuildTarget, get_engine
from indexer.locks import lease_for
from indexer.names import load_names
from indexer.rebuild import LEASE_WAIT_S, load_catalog, locked_error, rebuild, rebuild_purpose
from models.db import get_engine as get_db_engine
from models.faults import pause_point
from models.redis_clients import require_redis_client
from models.settings import get_settings
from models.worker import celery_app

log = logging.getLogger(__name__)
#: Print ids per chunked rebuild task.
CHUNK_IDS = 25_000
#: How often the beat schedule drains the outbox.
DRAIN_EVERY_S = 5.0
#: How long a run's record stays in Redis after its last step.
RUN_TTL_S = 86_400

celery_app.conf.beat_schedule = {
    **(celery_app.conf.beat_schedule or {}),
    "indexer-drain-outbox": {"task": "indexer.drain_outbox", "schedule": DRAIN_EVERY_S},
}


def chunk_ids() -> int:
    """Print ids per chunk: `SIDEDECKED_REBUILD_CHUNK_IDS`, else `CHUNK_IDS`."""
    return get_settings().sidedecked_rebuild_chunk_ids or CHUNK_IDS


def _report(obj: Any) -> dict[str, Any]:
    return {k: getattr(obj, k) for k in obj.__slots__ if k != "drained"}


class RunLog:
    """A chunked rebuild's record in Redis (a hash per run): its index, which task claimed each
    step, which steps are done, and how the run ended."""

    PREFIX = "sidedecked:indexer:rebuild:"

    def __init__(self, run: str) -> None:
        self.client = require_redis_client(None, profile="worker")
        self.key = f"{self.PREFIX}{run}"

    def get(self, field: str) -> str | None:
        value = self.client.hget(self.key, field)
        return value.decode() if isinstance(value, bytes) else value

    def set(self, **fields: Any) -> None:
        self.client.hset(self.key, mapping={k: str(v) for k, v in fields.items()})
        self.client.expire(self.key, RUN_TTL_S)

    def ended(self) -> str | None:
        """How the run ended (`finished`, `aborted`), or None while it runs."""
        return self.get("ended")

    def enter(self, step: str, task_id: str | None) -> bool:
        """Whether the task `task_id` runs `step`: not when the step is done or claimed by
        another task (a duplicate message); yes for the claimer's redelivery."""
        if self.get(f"done:{step}") is not None:
            return False
        if task_id is None:  # called as a plain function
            return True
        claimed = self.client.hsetnx(self.key, f"claim:{step}", task_id)
        self.client.expire(self.key, RUN_TTL_S)
        return bool(claimed) or self.get(f"claim:{step}") == task_id

    def done(self, step: str) -> None:
        self.set(**{f"done:{step}": datetime.now(UTC).isoformat()})


def _skip(state: dict[str, Any], step: str, why: str) -> dict[str, Any]:
    log.info("rebuild %s: %s skipped (%s)", state.get("run"), step, why)
    return {**state, "skipped": why}


def _gate(state: dict[str, Any], step: str, task_id: str | None) -> str | None:
    """Why `step` must not run (the run ended, another task has it), or None."""
    runs = RunLog(state["run"])
    ended = runs.ended()
    if ended is not None:
        return f"the run is {ended}"
    if not runs.enter(step, task_id):
        return "done or taken by another task"
    return None


def drain_bound_s() -> float:
    """A drain task's time bound: a third of the broker's visibility timeout, so a live drain is
    never handed to a second worker (see docs/workers.md)."""
    return get_settings().sidedecked_task_visibility_timeout / 3


@celery_app.task(name="indexer.drain_outbox")
def drain_outbox_task(batch_size: int = outbox.DRAIN_BATCH) -> dict[str, Any]:
    """One bounded drain; when it stops at its bound with rows left it queues the next one (a
    duplicate finds the lease held and skips)."""
    report = outbox.drain_outbox(
        engine=get_engine(),
        db=get_db_engine(),
        lease=lease_for(),
        batch_size=batch_size,
        max_seconds=drain_bound_s(),
    )
    if report.more and get_settings().redis_url:
        drain_outbox_task.delay(batch_size)
    return _report(report)


@celery_app.task(name="indexer.rebuild", bind=True)
def rebuild_index(self: Any) -> dict[str, Any]:
    """Inline: one streamed rebuild. With Redis: start the chunked chain."""
    if not get_settings().redis_url:
        report = rebuild(engine=get_engine(), db=get_db_engine(), lease=lease_for())
        return {**_report(report), "drained": _report(report.drained) if report.drained else None}
    run = self.request.id or uuid.uuid4().hex
    why = _gate({"run": run}, "start", self.request.id)
    if why is not None:
        return _skip({"run": run}, "start", why)
    runs = RunLog(run)
    engine = get_engine()
    lease = lease_for()
    token = lease.acquire(wait=LEASE_WAIT_S, token=run, what=rebuild_purpose(engine))
    if token is None:
        raise locked_error(lease)
    try:
        with get_db_engine().connect() as conn:
            high_water = outbox.high_water(conn)
            low, high = print_id_bounds(conn)
            made = runs.get("index")
            target = RebuildTarget(made, int(runs.get("version") or 0)) if made else None
            where = engine.rebuild_state(target) if target is not None else "missing"
            if where == "missing":
                target = engine.begin_rebuild(synonyms=synonyms_from_catalog(conn))
                runs.set(index=target.name, version=target.version)
    except Exception:
        lease.release(token)
        raise
    if where == "live":  # redelivered after its chain swapped the index in: the finish ends it
        return _skip({"run": run}, "start", f"{made} is live already")
    assert target is not None
    state = {
        "run": run,
        "index": target.name,
        "version": target.version,
        "token": token,
        "next": low,
        "end": high,
        "loaded": 0,
        "outbox_high_water": high_water,
        "started_at": datetime.now(UTC).isoformat(),
    }
    pause_point("rebuild.start.after_begin")
    rebuild_chunk.delay(state)
    runs.done("start")
    return state


def _abort(state: dict[str, Any]) -> None:
    """Delete the run's new indices (never the live one) and release its lease."""
    get_engine().abort_rebuild(RebuildTarget(state["index"], state["version"]))
    RunLog(state["run"]).set(ended="aborted")
    lease_for().release(state["token"])


def _take_lease(state: dict[str, Any], *, abort: bool = True) -> bool:
    """Keep (or take back, when it expired free) the run's lease. When another writer has it:
    False, or with `abort` delete the run's new indices and raise."""
    lease = lease_for()
    if lease.acquire(token=state["token"], what=rebuild_purpose(get_engine())) is not None:
        return True
    if not abort:
        return False
    error = locked_error(lease)
    _abort(state)
    raise error


@celery_app.task(name="indexer.rebuild_chunk", bind=True)
def rebuild_chunk(self: Any, state: dict[str, Any]) -> dict[str, Any]:
    state = {"run": state["token"], **state}
    step = f"chunk:{state['index']}:{state['next']}"
    why = _gate(state, step, self.request.id)
    if why is not None:
        return _skip(state, step, why)
    target = RebuildTarget(state["index"], state["version"])
    where = get_engine().rebuild_state(target)
    if where != "pending":  # aborted (missing), or a finish swapped it in already (live)
        return _skip(state, step, f"{target.name} is {where}")
    _take_lease(state)
    try:
        stop = min(state["next"] + chunk_ids(), state["end"])
        with get_db_engine().connect() as conn:
            loaded = load_catalog(conn, get_engine(), target, id_range=(state["next"], stop))
        state = {**state, "next": stop, "loaded": state["loaded"] + loaded}
        log.info(
            "rebuild %s: %d documents up to print id %d", state["index"], state["loaded"], stop
        )
    except Exception:
        _abort(state)
        raise
    pause_point("rebuild.chunk.after_load")
    if stop < state["end"]:
        rebuild_chunk.delay(state)
    else:
        rebuild_finish.delay(state)
    RunLog(state["run"]).done(step)
    return state


@celery_app.task(name="indexer.rebuild_finish", bind=True)
def rebuild_finish(self: Any, state: dict[str, Any]) -> dict[str, Any]:
    state = {"run": state["token"], **state}
    why = _gate(state, "finish", self.request.id)
    if why is not None:
        return _skip(state, "finish", why)
    target = RebuildTarget(state["index"], state["version"])
    engine = get_engine()
    where = engine.rebuild_state(target)
    if where == "missing":
        return _skip(state, "finish", f"{target.name} is gone (aborted)")
    if where == "live" and not _take_lease(state, abort=False):
        # swapped in, and another writer holds the lease now (a new rebuild may have begun):
        # leave the old indices to the next rebuild, which deletes every index not live
        RunLog(state["run"]).set(ended="finished")
        return _skip(state, "finish", "swapped in; the lease is another writer's now")
    if where == "pending":
        _take_lease(state)
        meta = {
            "built_at": datetime.now(UTC).isoformat(),
            "started_at": state["started_at"],
            "outbox_high_water": state["outbox_high_water"],
            "chunked": True,
            "run": state["run"],
        }
        try:
            with get_db_engine().connect() as conn:
                meta["names"] = load_names(conn, engine, target)
            pause_point("rebuild.finish.before_swap")
            engine.swap_in(target, expected=state["loaded"], meta=meta)
        except Exception:
            _abort(state)
            raise
    pause_point("rebuild.finish.after_swap")
    try:
        removed = engine.remove_old(target)
    except Exception:  # the new index is live: the next rebuild deletes what is left
        log.exception("rebuild %s: old indices not deleted", target.name)
        removed = []
    pause_point("rebuild.finish.after_delete")
    RunLog(state["run"]).set(ended="finished")
    lease_for().release(state["token"])
    drain_outbox_task.delay()
    return {**state, "removed": removed}
