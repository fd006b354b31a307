"""A small read-through cache for lookups: Redis when `REDIS_URL` is set, else none.

Values are the response bodies (JSON bytes), so a hit is answered without decoding or encoding
anything. Entries expire after `TTL_S`; market data events drop the SKU answers they change
(`search_api.events.service`), other catalog writes do not, so such a lookup may be up to
`TTL_S` seconds stale. A Redis failure never fails a request: the lookup is then answered from
the database.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from models.settings import get_settings

log = logging.getLogger(__name__)

TTL_S = 60
PREFIX = "sidedecked:catalog:v2"
_CLIENTS: dict[str, Any] = {}


def _client() -> Any | None:
    url = get_settings().redis_url
    if not url:
        return None
    if url not in _CLIENTS:
        import redis

        _CLIENTS[url] = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    return _CLIENTS[url]


@lru_cache(maxsize=8)
def _database_tag(url: str) -> str:
    return hashlib.sha1(url.encode()).hexdigest()[:8]


def cache_key(kind: str, *parts: object) -> str:
    database = _database_tag(get_settings().database_url)
    raw = json.dumps([str(p) for p in parts], ensure_ascii=False)
    return f"{PREFIX}:{database}:{kind}:{raw}"


def cached(key: str, compute: Callable[[], bytes | None]) -> bytes | None:
    """The cached body of `key`, else `compute()` (stored unless it is None)."""
    client = _client()
    if client is None:
        return compute()
    try:
        raw = client.get(key)
        if raw is not None:
            return raw
    except Exception as exc:  # noqa: BLE001 - the cache is optional
        log.warning("catalog cache read failed: %s", exc)
        return compute()
    value = compute()
    if value is not None:
        try:
            client.set(key, value, ex=TTL_S)
        except Exception as exc:  # noqa: BLE001
            log.warning("catalog cache write failed: %s", exc)
    return value


def clear_clients() -> None:
    """Forget Redis clients (tests change REDIS_URL)."""
    while _CLIENTS:
        _, client = _CLIENTS.popitem()
        client.close()
