"""Every step of a chunked rebuild is safe to run twice, on real OpenSearch and Redis.

Celery runs eagerly here: a step queues the next one and it runs at once, inside it. A worker
killed at a fault point is played by an exception that no `except Exception` of the tasks
catches (as a SIGKILL runs no handler); its redelivery is the same task applied again with the
same task id (late acknowledgement hands the message back as it was). The real-worker SIGKILL
tests are in tests/fault.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest
from celery.signals import task_prerun

import indexer.tasks as tasks
from indexer.engine import RebuildTarget, clear_engine_cache, get_engine
from indexer.engines.opensearch import OpenSearchEngine
from indexer.locks import lease_for
from indexer.rebuild import RebuildLockedError, rebuild
from models.db import get_engine as get_db_engine
from models.settings import get_settings
from models.worker import celery_app
from tests.integration.indexer.conftest import create_catalog_schema, seed_catalog

POINTS = [
    "rebuild.start.after_begin",
    "rebuild.chunk.after_load",
    "rebuild.finish.before_swap",
    "rebuild.finish.after_swap",
    "rebuild.finish.after_delete",
]


class Killed(BaseException):
    """A worker's death at a fault point (no `except Exception` handler runs)."""


@pytest.fixture
def chunked(monkeypatch, redis_url, opensearch_url, opensearch_prefix, request) -> Iterator[Any]:
    """OpenSearch + Redis settings, a catalog of 10 prints, chunks of 3 ids, eager Celery."""
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("OPENSEARCH_URL", opensearch_url)
    prefix = f"{opensearch_prefix}-rep{abs(hash(request.node.name)) % 10**8}"
    monkeypatch.setenv("SIDEDECKED_INDEX_PREFIX", prefix)
    get_settings.cache_clear()
    clear_engine_cache()
    db = get_db_engine()
    create_catalog_schema(db)
    seed_catalog(db, filler=7)
    eager = {"task_always_eager": True, "task_eager_propagates": True}
    before = {key: celery_app.conf.get(key) for key in eager}
    celery_app.conf.update(eager)
    monkeypatch.setattr(tasks, "CHUNK_IDS", 3)
    yield db
    celery_app.conf.update(before)
    clear_engine_cache()
    get_settings.cache_clear()


@pytest.fixture
def deliveries() -> Iterator[list[tuple[Any, str, tuple[Any, ...]]]]:
    """Every task run: (task, task id, args), in order."""
    seen: list[tuple[Any, str, tuple[Any, ...]]] = []

    def record(sender=None, task_id=None, task=None, args=None, **_: Any) -> None:
        seen.append((task, task_id, tuple(args or ())))

    task_prerun.connect(record, weak=False)
    yield seen
    task_prerun.disconnect(record)


def kill_at(monkeypatch, point: str) -> None:
    """The first pass through `point` dies there (later passes go on, as a new worker would)."""
    passed: list[str] = []

    def pause(name: str) -> None:
        if name == point and not passed:
            passed.append(name)
            raise Killed(name)

    monkeypatch.setattr(tasks, "pause_point", pause)


def assert_complete(engine: OpenSearchEngine, documents: int) -> str:
    """The alias points at one index holding every print; returns it."""
    live = engine.live_indices()
    assert len(live) == 1, live
    engine.refresh()
    assert engine.count() == documents
    assert len(engine.names.live_indices()) == 1
    return live[0]


def assert_finished(engine: OpenSearchEngine, before: str, documents: int) -> str:
    live = assert_complete(engine, documents)
    assert live != before, "the rebuild swapped a new index in"
    status = engine.status()
    assert status.other_indices == [], "no index left over"
    assert status.last_rebuild["chunked"] is True
    assert engine.names.all_indices() == engine.names.live_indices()
    assert lease_for().describe() is None, "the lease is free"
    return live


@pytest.mark.parametrize("point", POINTS)
def test_a_step_killed_and_delivered_again_finishes_once(chunked, deliveries, monkeypatch, point):
    engine = get_engine()
    assert isinstance(engine, OpenSearchEngine)
    first = rebuild(engine=engine, db=chunked, lease=lease_for())
    documents = first.documents
    kill_at(monkeypatch, point)
    with pytest.raises(Killed):
        tasks.rebuild_index.apply()
    assert_complete(engine, documents)  # the alias never points at an incomplete index
    task, task_id, args = deliveries[-1]  # the step that died
    task.apply(args=args, task_id=task_id)  # its redelivery carries the rebuild on
    live = assert_finished(engine, first.index, documents)
    run = run_of(deliveries)
    assert run.ended() == "finished"
    # every message of the run delivered again (same ids), and each step's message once more
    # as a duplicate (new ids; a second start message is a second rebuild, asked for): all end
    # quietly, and the live index stays
    for again_task, again_id, again_args in list(deliveries):
        again_task.apply(args=again_args, task_id=again_id)
        if again_task.name != "indexer.rebuild":
            again_task.apply(args=again_args)
    assert assert_finished(engine, first.index, documents) == live


def run_of(deliveries: list[tuple[Any, str, tuple[Any, ...]]]) -> tasks.RunLog:
    start = next(task_id for task, task_id, _ in deliveries if task.name == "indexer.rebuild")
    return tasks.RunLog(start)


def test_a_redelivered_finish_after_the_swap_keeps_the_live_index(chunked, deliveries):
    """The issue's bug: a second run of the finish listed the swapped-to index as old and
    deleted it, leaving the alias on nothing."""
    engine = get_engine()
    assert isinstance(engine, OpenSearchEngine)
    first = rebuild(engine=engine, db=chunked, lease=lease_for())
    tasks.rebuild_index.apply()
    live = assert_finished(engine, first.index, first.documents)
    finish = [d for d in deliveries if d[0].name == "indexer.rebuild_finish"]
    assert len(finish) == 1
    _, task_id, (state,) = finish[0]
    tasks.rebuild_finish.apply(args=(state,), task_id=task_id)  # redelivered
    tasks.RunLog(state["run"]).client.hdel(tasks.RunLog(state["run"]).key, "ended")
    tasks.rebuild_finish.apply(args=(state,), task_id=task_id)  # even with its record lost
    assert engine.live_indices() == [live]
    assert assert_finished(engine, first.index, first.documents) == live


def test_a_duplicated_chunk_ends_in_one_finish(chunked, deliveries, monkeypatch):
    """A chunk queued twice (its predecessor died after queueing it): one copy runs the rest
    of the chain, the other ends quietly; the alias moves once."""
    engine = get_engine()
    assert isinstance(engine, OpenSearchEngine)
    first = rebuild(engine=engine, db=chunked, lease=lease_for())
    kill_at(monkeypatch, "rebuild.chunk.after_load")
    with pytest.raises(Killed):
        tasks.rebuild_index.apply()
    _, task_id, (state,) = deliveries[-1]
    tasks.rebuild_chunk.apply(args=(state,))  # the duplicate message, another id: quiet
    assert engine.rebuild_state(RebuildTarget(state["index"], state["version"])) == "pending"
    tasks.rebuild_chunk.apply(args=(state,), task_id=task_id)  # the redelivery finishes it
    live = assert_finished(engine, first.index, first.documents)
    finishes = [d for d in deliveries if d[0].name == "indexer.rebuild_finish"]
    assert len(finishes) == 1
    assert live == state["index"]


def test_a_chunk_of_an_aborted_run_ends_quietly(chunked, deliveries, monkeypatch):
    engine = get_engine()
    first = rebuild(engine=engine, db=chunked, lease=lease_for())
    kill_at(monkeypatch, "rebuild.chunk.after_load")
    with pytest.raises(Killed):
        tasks.rebuild_index.apply()
    _, task_id, (state,) = deliveries[-1]
    engine.abort_rebuild(RebuildTarget(state["index"], state["version"]))  # gone meanwhile
    result = tasks.rebuild_chunk.apply(args=(state,), task_id=task_id).get()
    assert "is missing" in result["skipped"]
    assert engine.live_indices() == [first.index]
    assert engine.status().other_indices == []


def test_a_redelivered_start_takes_back_its_own_lease(chunked, deliveries, monkeypatch):
    """No 60 s wait for the lease its first delivery took, and no second new index."""
    engine = get_engine()
    assert isinstance(engine, OpenSearchEngine)
    first = rebuild(engine=engine, db=chunked, lease=lease_for())
    kill_at(monkeypatch, "rebuild.start.after_begin")
    with pytest.raises(Killed):
        tasks.rebuild_index.apply()
    holder = lease_for().describe()
    assert holder is not None and holder.what == f"rebuild {engine.alias}"
    created = engine.status().other_indices
    assert len(created) == 1
    monkeypatch.setattr(tasks, "LEASE_WAIT_S", 0.0)  # its own lease must not need a wait
    _, task_id, _ = deliveries[-1]
    state = tasks.rebuild_index.apply(task_id=task_id).get()
    assert state["index"] == created[0]
    assert assert_finished(engine, first.index, first.documents) == created[0]


def test_a_start_while_another_writer_holds_the_lease_names_it(chunked, monkeypatch):
    lease = lease_for()
    token = lease.acquire(what="outbox drain")
    assert token is not None
    monkeypatch.setattr(tasks, "LEASE_WAIT_S", 0.0)
    with pytest.raises(RebuildLockedError, match="held by outbox drain"):
        tasks.rebuild_index.apply()
    lease.release(token)


def test_the_chunk_size_is_a_setting(chunked, deliveries, monkeypatch):
    """Workers in other processes (tests/fault) take it from SIDEDECKED_REBUILD_CHUNK_IDS."""
    monkeypatch.setenv("SIDEDECKED_REBUILD_CHUNK_IDS", "4")
    get_settings.cache_clear()
    tasks.rebuild_index.apply()
    starts = [args[0]["next"] for task, _, args in deliveries if task.name.endswith("chunk")]
    assert len(starts) > 1 and {b - a for a, b in pairwise(starts)} == {4}
    assert get_engine().count() == 10
