"""/ready against the production stack: real PostgreSQL, OpenSearch and Redis."""

from __future__ import annotations

from fastapi.testclient import TestClient

from models.db import get_engine
from models.settings import get_settings
from search_api.app import create_app


def test_ready_with_all_real_services(monkeypatch, postgres_url, opensearch_url, redis_url) -> None:
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    monkeypatch.setenv("OPENSEARCH_URL", opensearch_url)
    monkeypatch.setenv("REDIS_URL", redis_url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    response = TestClient(create_app()).get("/ready")
    assert response.status_code == 200, response.text
    checks = response.json()["checks"]
    assert checks["database"]["detail"] == "postgresql"
    assert checks["search_engine"]["detail"].startswith("opensearch")
    assert checks["redis"] == {"status": "ok", "detail": "redis"}


def test_ready_503_when_redis_is_down(monkeypatch, postgres_url) -> None:
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    get_settings.cache_clear()
    get_engine.cache_clear()
    response = TestClient(create_app()).get("/ready")
    assert response.status_code == 503
    assert response.json()["failing"] == ["redis"]
