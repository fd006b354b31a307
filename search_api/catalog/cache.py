"""A small read-through cache for lookups: Redis when `REDIS_URL` is set, else none.

Values are JSON. Entries expire after `TTL_S`; catalog writes do not invalidate them, so a
lookup may be up to `TTL_S` seconds stale (market data changes are the common write and a
short staleness is acceptable there). A Redis failure never fails a request: the lookup is
then answered from the database.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any

from models.settings import get_settings

log = logging.getLogger(__name__)

TTL_S = 60
PREFIX = "sidedecked:catalog:v1"
_CLIENTS: dict[str, Any] = {}


def _client() -> Any | None:
    url = get_settings().redis_url
    if not url:
        return None
    if url not in _CLIENTS:
        import redis

        _CLIENTS[url] = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    return _CLIENTS[url]


def cache_key(kind: str, *parts: object) -> str:
    database = hashlib.sha1(get_settings().database_url.encode()).hexdigest()[:8]
    raw = json.dumps([str(p) for p in parts], ensure_ascii=False)
    return f"{PREFIX}:{database}:{kind}:{raw}"


def cached(key: str, compute: Callable[[], Any | None]) -> Any | None:
    """The cached value of `key`, else `compute()` (stored unless it is None)."""
    client = _client()
    if client is None:
        return compute()
    try:
        raw = client.get(key)
        if raw is not None:
            return json.loads(raw)
    except Exception as exc:  # noqa: BLE001 - the cache is optional
        log.warning("catalog cache read failed: %s", exc)
        return compute()
    value = compute()
    if value is not None:
        try:
            client.set(key, json.dumps(value, default=str), ex=TTL_S)
        except Exception as exc:  # noqa: BLE001
            log.warning("catalog cache write failed: %s", exc)
    return value


def clear_clients() -> None:
    """Forget Redis clients (tests change REDIS_URL)."""
    while _CLIENTS:
        _, client = _CLIENTS.popitem()
        client.close()
