"""Health checks of the services the API depends on, each answering ok or the error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from models.db import get_engine
from models.redis_clients import require_redis_client
from models.settings import get_settings


def _check_database() -> str:
    with get_engine().connect() as conn:
        conn.execute(sa.text("SELECT 1"))
    return get_engine().dialect.name


def _check_opensearch(url: str) -> str:
    import httpx

    response = httpx.get(f"{url.rstrip('/')}/_cluster/health", timeout=2.0)
    response.raise_for_status()
    status = response.json()["status"]
    if status == "red":
        raise RuntimeError("cluster status is red")
    return f"opensearch ({status})"


def _check_embedded_index() -> str:
    index_dir = get_settings().sidedecked_index_dir
    index_dir.mkdir(parents=True, exist_ok=True)
    probe = index_dir / ".ready-probe"
    probe.write_text("ok")
    probe.unlink()
    return f"tantivy ({index_dir})"


def _check_redis(url: str) -> str:
    require_redis_client(url, profile="worker").ping()
    return "redis"


def check_dependencies() -> dict[str, dict[str, Any]]:
    settings = get_settings()
    checks: dict[str, Callable[[], str]] = {"database": _check_database}
    opensearch_url, redis_url = settings.opensearch_url, settings.redis_url
    if opensearch_url:
        checks["search_engine"] = lambda: _check_opensearch(opensearch_url)
    else:
        checks["search_engine"] = _check_embedded_index
    if redis_url:
        checks["redis"] = lambda: _check_redis(redis_url)
    results: dict[str, dict[str, Any]] = {}
    for name, check in checks.items():
        try:
            results[name] = {"status": "ok", "detail": check()}
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
            results[name] = {"status": "error", "detail": f"{type(exc).__name__}: {exc}"}
    return results
