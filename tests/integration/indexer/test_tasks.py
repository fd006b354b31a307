"""The Celery tasks: inline without Redis, the chunked chain with it (run eagerly here)."""

from __future__ import annotations

import pytest

import indexer.tasks as tasks
from indexer.engine import clear_engine_cache, get_engine
from indexer.locks import lease_for
from indexer.outbox import pending_count
from models.db import get_engine as get_db_engine
from models.locks import RedisLease
from models.settings import get_settings
from models.worker import celery_app, dispatch
from tests.integration.indexer.conftest import create_catalog_schema, seed_catalog
from tests.integration.indexer.test_outbox import rename_card, shows


@pytest.fixture
def settings_catalog():
    """The catalog of the configured DATABASE_URL (a temporary SQLite file in tests)."""
    db = get_db_engine()
    create_catalog_schema(db)
    ids = seed_catalog(db, filler=7)
    yield db, ids
    clear_engine_cache()


def test_inline_rebuild_and_drain(settings_catalog):
    db, ids = settings_catalog
    result = dispatch(tasks.rebuild_index)
    assert result["documents"] == 10 and result["engine"] == "tantivy"
    rename_card(db, ids["pikachu"], "Pikachu Libre")
    assert dispatch(tasks.drain_outbox_task)["rows"] == 1
    shows(get_engine(), "pikachu libre", ["Pikachu Libre"])


@pytest.fixture
def eager_redis(redis_url, monkeypatch):
    monkeypatch.setenv("REDIS_URL", redis_url)
    get_settings.cache_clear()
    eager = {"task_always_eager": True, "task_eager_propagates": True}
    before = {key: celery_app.conf.get(key) for key in eager}
    celery_app.conf.update(eager)
    monkeypatch.setattr(tasks, "CHUNK_IDS", 3)
    yield
    celery_app.conf.update(before)
    get_settings.cache_clear()


def test_chunked_rebuild_chain(settings_catalog, eager_redis):
    db, ids = settings_catalog
    rename_card(db, ids["bolt"], "Lightning Bolt Chunked")  # waits in the outbox
    queued = dispatch(tasks.rebuild_index)  # rebuild_index -> 4 x rebuild_chunk -> finish -> drain
    engine = get_engine()
    status = engine.status()
    assert status.live_index == queued.result["index"]
    assert status.doc_count == 10 and status.last_rebuild["chunked"] is True
    lease = lease_for()
    assert isinstance(lease, RedisLease) and lease.holder() is None
    assert pending_count(db) == 0
    shows(engine, "bolt chunked", ["Lightning Bolt Chunked"])


def test_a_failing_chunk_deletes_the_new_index_and_releases_the_lease(
    settings_catalog, eager_redis, monkeypatch
):
    dispatch(tasks.rebuild_index)
    before = get_engine().status()
    calls = []
    real = tasks.load_catalog

    def flaky_load(conn, engine, target, **kwargs):
        calls.append(kwargs["id_range"])
        if len(calls) == 2:
            raise RuntimeError("injected chunk failure")
        return real(conn, engine, target, **kwargs)

    monkeypatch.setattr(tasks, "load_catalog", flaky_load)
    with pytest.raises(RuntimeError, match="injected"):
        dispatch(tasks.rebuild_index)
    after = get_engine().status()
    assert after.live_index == before.live_index and after.other_indices == []
    assert lease_for().holder() is None
