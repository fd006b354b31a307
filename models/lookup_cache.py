"""A small read-through cache of catalog lookups: Redis when `REDIS_URL` is set, else none.

The API caches its lookup answers here (`search_api/catalog/routes.py`); the marketplace domain
drops the SKU answers its events change, by the same `cache_key`. Values are the response
bodies (JSON bytes), so a hit is answered without decoding or encoding anything. Entries expire
after `TTL_S`; other catalog writes do not drop them, so such a lookup may be up to `TTL_S`
seconds stale. Answers that vary by query parameters (the price history of a SKU per window) are
fields of one hash per thing (`cached_field`), so dropping that one key drops every variant.
A Redis failure never fails a request: the lookup is then answered from the
database. The client is the registry's fail-fast `cache` profile (`models.redis_clients`).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from functools import lru_cache

from models.redis_clients import redis_client
from models.settings import get_settings

log = logging.getLogger(__name__)

TTL_S = 60
PREFIX = "sidedecked:catalog:v2"


@lru_cache(maxsize=8)
def _database_tag(url: str) -> str:
    return hashlib.sha1(url.encode()).hexdigest()[:8]


def cache_key(kind: str, *parts: object) -> str:
    database = _database_tag(get_settings().database_url)
    raw = json.dumps([str(p) for p in parts], ensure_ascii=False)
    return f"{PREFIX}:{database}:{kind}:{raw}"


def cached(key: str, compute: Callable[[], bytes | None]) -> bytes | None:
    """The cached body of `key`, else `compute()` (stored unless it is None)."""
    client = redis_client(profile="cache")
    if client is None:
        return compute()
    try:
        raw = client.get(key)
        if isinstance(raw, bytes):  # the registry's clients do not decode
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


def cached_field(key: str, field: str, compute: Callable[[], bytes | None]) -> bytes | None:
    """Like `cached`, for one variant (`field`) of the answers about one thing (the hash `key`):
    deleting `key` drops them all. The hash expires `TTL_S` after its newest field was stored."""
    client = redis_client(profile="cache")
    if client is None:
        return compute()
    try:
        raw = client.hget(key, field)
        if isinstance(raw, bytes):
            return raw
    except Exception as exc:  # noqa: BLE001 - the cache is optional
        log.warning("catalog cache read failed: %s", exc)
        return compute()
    value = compute()
    if value is not None:
        try:
            pipe = client.pipeline(transaction=False)
            pipe.hset(key, field, value)
            pipe.expire(key, TTL_S)
            pipe.execute()
        except Exception as exc:  # noqa: BLE001
            log.warning("catalog cache write failed: %s", exc)
    return value
