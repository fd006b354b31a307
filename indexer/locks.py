"""The index writer lease: at most one writer (a rebuild or an outbox drain) per index.

A rebuild holds the lease from before it snapshots the catalog until after the alias swap, so
no drain runs meanwhile: changes committed during a rebuild wait in the outbox and are drained
into the new index after the swap (see docs/indexer.md, "Rebuilds and incremental updates").
Drains hold it per run, which also keeps two drainers from applying one print out of order.

With `REDIS_URL` the lease is a Redis key with a TTL, passed by token between the chunked
rebuild tasks; without it, an exclusive `flock` on a file beside the embedded index.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
import uuid
from pathlib import Path
from typing import Protocol

from models.settings import Settings, get_settings

LEASE_TTL_S = 600


class Lease(Protocol):
    def acquire(self, *, wait: float = 0.0) -> str | None: ...
    def extend(self, token: str) -> bool: ...
    def release(self, token: str) -> None: ...


class RedisLease:
    _RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
    _EXTEND = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"

    def __init__(self, url: str, name: str, ttl_s: int = LEASE_TTL_S) -> None:
        import redis

        self.client = redis.Redis.from_url(url)
        self.key = f"sidedecked:indexer:lease:{name}"
        self.ttl_ms = ttl_s * 1000

    def acquire(self, *, wait: float = 0.0) -> str | None:
        token = uuid.uuid4().hex
        deadline = time.monotonic() + wait
        while True:
            if self.client.set(self.key, token, nx=True, px=self.ttl_ms):
                return token
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.2)

    def extend(self, token: str) -> bool:
        return bool(self.client.eval(self._EXTEND, 1, self.key, token, self.ttl_ms))

    def release(self, token: str) -> None:
        self.client.eval(self._RELEASE, 1, self.key, token)

    def holder(self) -> str | None:
        value = self.client.get(self.key)
        return value.decode() if value else None


class FileLease:
    """`flock` on a file: held per open file, so it excludes other threads and processes."""

    _held: dict[str, int] = {}
    _guard = threading.Lock()

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def acquire(self, *, wait: float = 0.0) -> str | None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + wait
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    return None
                time.sleep(0.1)
        token = uuid.uuid4().hex
        with self._guard:
            self._held[token] = fd
        return token

    def extend(self, token: str) -> bool:
        return token in self._held

    def release(self, token: str) -> None:
        with self._guard:
            fd = self._held.pop(token, None)
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def lease_for(settings: Settings | None = None) -> Lease:
    """The writer lease of the configured engine and index."""
    settings = settings or get_settings()
    if settings.opensearch_url:
        name = f"opensearch-{settings.sidedecked_index_prefix}"
    else:
        name = f"tantivy-{Path(settings.sidedecked_index_dir).resolve()}"
    if settings.redis_url:
        return RedisLease(settings.redis_url, name)
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)[-120:]
    return FileLease(Path(settings.sidedecked_index_dir) / "locks" / f"{safe}.lock")
