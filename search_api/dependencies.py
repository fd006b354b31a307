"""Health checks of the services the API depends on, each answering ok or the error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from indexer.engine import get_engine as get_search_engine
from models.db import get_engine
from models.redis_clients import require_redis_client
from models.settings import get_settings


def _check_database() -> str:
    with get_engine().connect() as conn:
        conn.execute(sa.text("SELECT 1"))
    return get_engine().dialect.name


def _check_search_engine() -> str:
    """The configured engine answers and its alias points at a live index (`SearchEngine.ready`:
    an engine with no live index answers every search with nothing, so it is not ready)."""
    return get_search_engine().ready()


def _check_redis(url: str) -> str:
    require_redis_client(url, profile="worker").ping()
    return "redis"


def check_dependencies() -> dict[str, dict[str, Any]]:
    settings = get_settings()
    checks: dict[str, Callable[[], str]] = {"database": _check_database}
    checks["search_engine"] = _check_search_engine
    redis_url = settings.redis_url
    if redis_url:
        checks["redis"] = lambda: _check_redis(redis_url)
    results: dict[str, dict[str, Any]] = {}
    for name, check in checks.items():
        try:
            results[name] = {"status": "ok", "detail": check()}
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
            results[name] = {"status": "error", "detail": f"{type(exc).__name__}: {exc}"}
    return results
