"""Leases: at most one holder of a named resource at a time, across threads and processes.

Every lease has the same three calls: `acquire(wait=...)` answers a token (or None when another
holder keeps it for longer than `wait` seconds), `extend(token)` keeps a held lease alive and
answers whether it is still ours, `release(token)` gives it back. `held(lease, ...)` does the
three as a context manager and raises when the lease is busy. A token is a plain string, so it
can be handed from one task to the next (the indexer's chunked rebuild does that).

Three backends, chosen by what the resource needs:

- `RedisLease`: a Redis key with a TTL. Shared by every machine using that Redis, a token can be
  passed between processes, and a holder that dies without releasing loses it when the TTL ends.
- `FileLease`: an exclusive `flock` on a file. One machine; the OS releases it with the process.
- `AdvisoryLease`: a PostgreSQL session advisory lock on a connection of its own, released by the
  server when the holder's connection goes away (a killed process loses it at once). On other
  databases (SQLite: one writer at a time anyway) it is always granted.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from models.redis_clients import require_redis_client

#: Default time to live of a Redis lease; holders extend it while they work.
LEASE_TTL_S = 600


class LeaseBusy(RuntimeError):
    """Another holder keeps the lease."""


class Lease(ABC):
    #: Seconds between attempts while waiting.
    poll_s = 0.1

    @abstractmethod
    def try_acquire(self) -> str | None:
        """One attempt: a new token, or None when the lease is held elsewhere."""

    @abstractmethod
    def extend(self, token: str) -> bool: ...

    @abstractmethod
    def release(self, token: str) -> None: ...

    def acquire(self, *, wait: float = 0.0) -> str | None:
        deadline = time.monotonic() + wait
        while True:
            token = self.try_acquire()
            if token is not None or time.monotonic() >= deadline:
                return token
            time.sleep(self.poll_s)


@contextmanager
def held(
    lease: Lease, *, wait: float = 0.0, busy: Callable[[], BaseException] = LeaseBusy
) -> Iterator[str]:
    """Hold `lease` for the block (waiting up to `wait` seconds); raises `busy()` if it stays
    taken."""
    token = lease.acquire(wait=wait)
    if token is None:
        raise busy()
    try:
        yield token
    finally:
        lease.release(token)


class RedisLease(Lease):
    _RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
    _EXTEND = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
    poll_s = 0.2

    def __init__(self, key: str, *, url: str | None = None, ttl_s: int = LEASE_TTL_S) -> None:
        self.client = require_redis_client(url, profile="worker")
        self.key = key
        self.ttl_ms = ttl_s * 1000

    def try_acquire(self) -> str | None:
        token = uuid.uuid4().hex
        return token if self.client.set(self.key, token, nx=True, px=self.ttl_ms) else None

    def extend(self, token: str) -> bool:
        return bool(self.client.eval(self._EXTEND, 1, self.key, token, self.ttl_ms))

    def release(self, token: str) -> None:
        self.client.eval(self._RELEASE, 1, self.key, token)

    def holder(self) -> str | None:
        value = self.client.get(self.key)
        return value.decode() if isinstance(value, bytes) else value


class _HandleLease(Lease):
    """A lease this process holds through a handle (a file descriptor, a connection).

    The handles are kept process-wide by token, so a token taken through one lease object can
    be extended and released through another naming the same resource.
    """

    _held: ClassVar[dict[str, Any]] = {}
    _guard: ClassVar[threading.Lock] = threading.Lock()

    def _hold(self, handle: Any) -> str:
        token = uuid.uuid4().hex
        with self._guard:
            self._held[token] = handle
        return token

    def extend(self, token: str) -> bool:
        return token in self._held

    def release(self, token: str) -> None:
        with self._guard:
            handle = self._held.pop(token, None)
        if handle is not None:
            self._let_go(handle)

    @abstractmethod
    def _let_go(self, handle: Any) -> None: ...


class FileLease(_HandleLease):
    """`flock` on a file: held per open file, so it excludes other threads and processes."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def try_acquire(self) -> str | None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        return self._hold(fd)

    def _let_go(self, handle: Any) -> None:
        fcntl.flock(handle, fcntl.LOCK_UN)
        os.close(handle)


class AdvisoryLease(_HandleLease):
    """A PostgreSQL session advisory lock keyed by `hashtext(name)`; granted at once elsewhere."""

    poll_s = 0.25

    def __init__(self, engine: Engine, name: str) -> None:
        self.engine = engine
        self.name = name

    def _call(self, conn: Connection, function: str) -> bool:
        key = sa.func.hashtext(self.name)
        return bool(conn.execute(sa.select(getattr(sa.func, function)(key))).scalar())

    def try_acquire(self) -> str | None:
        if self.engine.dialect.name != "postgresql":
            return self._hold(None)
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            got = self._call(conn, "pg_try_advisory_lock")
        except BaseException:
            conn.close()
            raise
        if not got:
            conn.close()
            return None
        return self._hold(conn)

    def _let_go(self, handle: Any) -> None:
        """Unlock before the connection goes back to the pool, which would keep holding it."""
        try:
            self._call(handle, "pg_advisory_unlock")
        finally:
            handle.close()
