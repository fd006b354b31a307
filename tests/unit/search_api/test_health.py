"""The embedded default: /health and /ready need no services."""

from __future__ import annotations

from fastapi.testclient import TestClient

from indexer.engine import get_engine
from models.settings import get_settings
from search_api.app import create_app


def test_health_answers_without_services() -> None:
    client = TestClient(create_app())
    assert client.get("/health").json() == {"status": "ok"}


def test_ready_checks_sqlite_and_embedded_index() -> None:
    client = TestClient(create_app())
    empty = client.get("/ready")  # no index built yet: every search would answer nothing
    assert empty.status_code == 503
    assert empty.json()["failing"] == ["search_engine"]
    assert "no live index" in empty.json()["checks"]["search_engine"]["detail"]
    engine = get_engine()
    engine.commit_rebuild(engine.begin_rebuild(synonyms=[]), expected=0, meta={})
    response = client.get("/ready")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["checks"]["database"] == {"status": "ok", "detail": "sqlite"}
    assert body["checks"]["search_engine"]["detail"].startswith("tantivy")


def test_ready_names_the_failing_dependency(monkeypatch) -> None:
    monkeypatch.setenv("OPENSEARCH_URL", "http://127.0.0.1:1")  # nothing listens on port 1
    get_settings.cache_clear()
    client = TestClient(create_app())
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.json()["failing"] == ["search_engine"]
    assert response.json()["checks"]["database"]["status"] == "ok"


def test_unknown_route_is_json_404() -> None:
    response = TestClient(create_app()).get("/nope")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
