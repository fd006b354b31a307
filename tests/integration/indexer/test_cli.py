"""`sidedecked index status|rebuild` with a held writer lease, on real OpenSearch and Redis."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

import indexer.rebuild as rebuild_module
from indexer.cli import LOCKED_EXIT, app
from indexer.engine import clear_engine_cache, get_engine
from indexer.locks import lease_for
from models.db import get_engine as get_db_engine
from models.settings import get_settings
from tests.integration.indexer.conftest import create_catalog_schema, seed_catalog


@pytest.fixture
def stack(monkeypatch, redis_url, opensearch_url, opensearch_prefix, request) -> Iterator[None]:
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("OPENSEARCH_URL", opensearch_url)
    prefix = f"{opensearch_prefix}-cli{abs(hash(request.node.name)) % 10**8}"
    monkeypatch.setenv("SIDEDECKED_INDEX_PREFIX", prefix)
    monkeypatch.setenv("COLUMNS", "200")
    get_settings.cache_clear()
    clear_engine_cache()
    db = get_db_engine()
    create_catalog_schema(db)
    seed_catalog(db, filler=2)
    yield
    clear_engine_cache()
    get_settings.cache_clear()


def test_status_shows_replicas_health_and_the_lease_holder(stack) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["rebuild", "--workers", "1"]).exit_code == 0
    lease = lease_for()
    token = lease.acquire(what="outbox drain")
    assert token is not None
    try:
        result = runner.invoke(app, ["status", "--json"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        assert data["replicas"] == 0 and data["health"] == "green"
        assert data["doc_count"] == 5
        held = data["writer_lease"]
        assert held["what"] == "outbox drain" and held["pid"] == os.getpid()
        assert 0 < held["expires_in_s"] <= 600
        table = runner.invoke(app, ["status"]).output
        assert "outbox drain (pid" in table and "expires in" in table
    finally:
        lease.release(token)
    data = json.loads(runner.invoke(app, ["status", "--json"]).output)
    assert data["writer_lease"] is None


def test_rebuild_refuses_while_the_lease_is_held(stack, monkeypatch) -> None:
    """Not 'queued' and a failure 60 s later in a worker's log: exit 2 at once, naming the
    holder and when its lease expires."""
    runner = CliRunner()
    lease = lease_for()
    token = lease.acquire(what=f"rebuild {get_engine().status().alias}")
    assert token is not None
    try:
        queued = runner.invoke(app, ["rebuild", "--queue"])
        assert queued.exit_code == LOCKED_EXIT, queued.output
        text = " ".join(queued.output.split())
        assert "cannot queue a rebuild" in text and "-prints (pid" in text
        assert "expires in" in text and "queued" not in text.replace("cannot queue", "")
        monkeypatch.setattr(rebuild_module, "LEASE_WAIT_S", 0.0)
        inline = runner.invoke(app, ["rebuild", "--workers", "1"])
        assert inline.exit_code == LOCKED_EXIT
        assert "cannot rebuild" in inline.output and "held by rebuild" in inline.output
    finally:
        lease.release(token)
    assert get_engine().status().live_index is None  # nothing was built or queued
