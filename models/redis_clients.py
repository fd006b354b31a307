"""The one registry of Redis clients: one connection pool per URL and timeout profile.

Callers name the profile that fits their work instead of building clients with their own
timeouts: `cache` for request-path lookups that must fail fast and fall back, `worker` for
background jobs, `stream` for blocking reads of the marketplace event stream.
"""

from __future__ import annotations

import threading
from typing import Literal

import redis

from models.settings import get_settings

Profile = Literal["cache", "worker", "stream"]

#: (connect timeout, socket timeout) in seconds per profile.
TIMEOUTS: dict[str, tuple[float, float | None]] = {
    "cache": (0.5, 0.5),
    "worker": (2.0, 5.0),
    "stream": (5.0, 30.0),
}

_CLIENTS: dict[tuple[str, str], redis.Redis] = {}
_LOCK = threading.Lock()


def redis_client(url: str | None = None, *, profile: Profile = "worker") -> redis.Redis | None:
    """The shared client for `url` (default: the configured `REDIS_URL`), or None without one."""
    url = url or get_settings().redis_url
    if not url:
        return None
    key = (url, profile)
    client = _CLIENTS.get(key)
    if client is None:
        with _LOCK:
            client = _CLIENTS.get(key)
            if client is None:
                connect, socket = TIMEOUTS[profile]
                client = redis.Redis.from_url(
                    url, socket_connect_timeout=connect, socket_timeout=socket
                )
                _CLIENTS[key] = client
    return client


def require_redis_client(url: str | None = None, *, profile: Profile = "worker") -> redis.Redis:
    """Like `redis_client`, for callers that cannot work without Redis."""
    client = redis_client(url, profile=profile)
    if client is None:
        raise RuntimeError("REDIS_URL is not set")
    return client


def reset_redis_clients() -> None:
    """Forget every client (tests that restart Redis, forked workers)."""
    with _LOCK:
        for client in _CLIENTS.values():
            client.close()
        _CLIENTS.clear()
