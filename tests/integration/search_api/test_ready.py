"""/ready against the production stack: real PostgreSQL, OpenSearch and Redis."""

from __future__ import annotations

from fastapi.testclient import TestClient

from indexer.engine import clear_engine_cache
from indexer.engine import get_engine as get_search_engine
from models.db import get_engine
from models.settings import get_settings
from search_api.app import create_app


def _stack(monkeypatch, postgres_url, opensearch_url, redis_url, prefix) -> None:
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    monkeypatch.setenv("OPENSEARCH_URL", opensearch_url)
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("SIDEDECKED_INDEX_PREFIX", prefix)
    get_settings.cache_clear()
    get_engine.cache_clear()
    clear_engine_cache()


def test_ready_with_all_real_services(
    monkeypatch, postgres_url, opensearch_url, redis_url, opensearch_prefix
) -> None:
    _stack(monkeypatch, postgres_url, opensearch_url, redis_url, f"{opensearch_prefix}-ready")
    engine = get_search_engine()
    engine.commit_rebuild(engine.begin_rebuild(synonyms=[]), expected=0, meta={})
    response = TestClient(create_app()).get("/ready")
    assert response.status_code == 200, response.text
    checks = response.json()["checks"]
    assert checks["database"]["detail"] == "postgresql"
    assert checks["search_engine"]["detail"].startswith("opensearch")
    assert checks["redis"] == {"status": "ok", "detail": "redis"}
    clear_engine_cache()


def test_ready_503_when_the_alias_points_at_no_index(
    monkeypatch, postgres_url, opensearch_url, redis_url, opensearch_prefix
) -> None:
    """Every search would answer `total: 0`: not ready, and the body says why."""
    _stack(monkeypatch, postgres_url, opensearch_url, redis_url, f"{opensearch_prefix}-gone")
    app = TestClient(create_app())
    response = app.get("/ready")  # never rebuilt
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["search_engine"]
    assert "points at no index" in body["checks"]["search_engine"]["detail"]
    assert f"{opensearch_prefix}-gone-prints" in body["detail"]
    engine = get_search_engine()
    engine.commit_rebuild(engine.begin_rebuild(synonyms=[]), expected=0, meta={})
    assert app.get("/ready").status_code == 200
    live = engine.status().live_index
    engine.client.indices.delete(index=live)  # the index under the alias is gone
    assert app.get("/ready").status_code == 503
    clear_engine_cache()


def test_ready_503_when_redis_is_down(monkeypatch, postgres_url) -> None:
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    get_settings.cache_clear()
    get_engine.cache_clear()
    clear_engine_cache()
    engine = get_search_engine()  # the embedded index, built empty
    engine.commit_rebuild(engine.begin_rebuild(synonyms=[]), expected=0, meta={})
    response = TestClient(create_app()).get("/ready")
    assert response.status_code == 503
    assert response.json()["failing"] == ["redis"]
    clear_engine_cache()
