"""Leases: at most one holder of a named resource at a time, across threads and processes.

Every lease has the same calls: `acquire(wait=..., what=...)` answers a token (or None when
another holder keeps it for longer than `wait` seconds), `extend(token)` keeps a held lease alive
and answers whether it is still ours, `release(token)` gives it back, and `describe()` says who
holds it (`LeaseHolder`: host, pid, what for, since when, seconds to expiry) or None when it is
free. `held(lease, ...)` does acquire and release as a context manager and raises when the lease
is busy. A token is a plain string, so it can be handed from one task to the next (the indexer's
chunked rebuild does that); `acquire(token=t)` by the holder of `t` answers `t` again (a
redelivered task taking back the lease of its own run instead of waiting for it).

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
import json
import os
import socket
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from models.redis_clients import require_redis_client

#: Default time to live of a Redis lease; holders extend it while they work.
LEASE_TTL_S = 600


class LeaseBusy(RuntimeError):
    """Another holder keeps the lease."""


@dataclass(frozen=True, slots=True)
class LeaseHolder:
    """Who holds a lease, as far as its backend can tell."""

    what: str
    host: str | None = None
    pid: int | None = None
    #: ISO time the holder took the lease.
    acquired_at: str | None = None
    #: Seconds until the lease expires unless extended; None: held until the holder lets go
    #: (or its process or connection ends).
    expires_in_s: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def sentence(self) -> str:
        """'rebuild sidedecked-prints (pid 12 on host-a, since 2025-..., expires in 540 s)'."""
        where = []
        if self.pid is not None:
            where.append(f"pid {self.pid}" + (f" on {self.host}" if self.host else ""))
        elif self.host:
            where.append(f"on {self.host}")
        if self.acquired_at:
            where.append(f"since {self.acquired_at}")
        if self.expires_in_s is not None:
            where.append(f"expires in {self.expires_in_s:.0f} s")
        else:
            where.append("held until its holder lets go")
        return f"{self.what or 'unknown holder'} ({', '.join(where)})"


def holder_here(what: str) -> LeaseHolder:
    """This process as a holder."""
    return LeaseHolder(
        what=what,
        host=socket.gethostname(),
        pid=os.getpid(),
        acquired_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def _read_holder(raw: bytes | str | None, *, expires_in_s: float | None = None) -> LeaseHolder:
    """A holder from the JSON `holder_here` wrote (an unknown one when missing or unreadable)."""
    try:
        found = json.loads(raw) if raw else {}
    except ValueError:
        found = {}
    return LeaseHolder(
        what=str(found.get("what") or "unknown holder"),
        host=found.get("host"),
        pid=found.get("pid"),
        acquired_at=found.get("acquired_at"),
        expires_in_s=expires_in_s,
    )


class Lease(ABC):
    #: Seconds between attempts while waiting.
    poll_s = 0.1

    @abstractmethod
    def try_acquire(self, *, token: str | None = None, what: str = "") -> str | None:
        """One attempt: a token (`token` when given: the holder of `token` gets it back), or
        None when the lease is held elsewhere. `what` says what for (`describe`)."""

    @abstractmethod
    def extend(self, token: str) -> bool: ...

    @abstractmethod
    def release(self, token: str) -> None: ...

    @abstractmethod
    def describe(self) -> LeaseHolder | None:
        """The current holder, or None when the lease is free."""

    def acquire(self, *, wait: float = 0.0, token: str | None = None, what: str = "") -> str | None:
        deadline = time.monotonic() + wait
        while True:
            got = self.try_acquire(token=token, what=what)
            if got is not None or time.monotonic() >= deadline:
                return got
            time.sleep(self.poll_s)


@contextmanager
def held(
    lease: Lease,
    *,
    wait: float = 0.0,
    busy: Callable[[], BaseException] = LeaseBusy,
    what: str = "",
) -> Iterator[str]:
    """Hold `lease` for the block (waiting up to `wait` seconds); raises `busy()` if it stays
    taken."""
    token = lease.acquire(wait=wait, what=what)
    if token is None:
        raise busy()
    try:
        yield token
    finally:
        lease.release(token)


class RedisLease(Lease):
    """The token in `key` (with the TTL), the holder's description (JSON) in `key:holder`."""

    _ACQUIRE = """
local current = redis.call('get', KEYS[1])
if current == false then
  redis.call('set', KEYS[1], ARGV[1], 'px', ARGV[2])
elseif current ~= ARGV[1] then
  return 0
else
  redis.call('pexpire', KEYS[1], ARGV[2])
end
redis.call('set', KEYS[2], ARGV[3], 'px', ARGV[2])
return 1
"""
    _RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('del', KEYS[2])
  return redis.call('del', KEYS[1])
end
return 0
"""
    _EXTEND = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('pexpire', KEYS[2], ARGV[2])
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
    poll_s = 0.2

    def __init__(self, key: str, *, url: str | None = None, ttl_s: int = LEASE_TTL_S) -> None:
        self.client = require_redis_client(url, profile="worker")
        self.key = key
        self.holder_key = f"{key}:holder"
        self.ttl_ms = ttl_s * 1000

    def try_acquire(self, *, token: str | None = None, what: str = "") -> str | None:
        token = token or uuid.uuid4().hex
        holder = json.dumps(holder_here(what).as_dict())
        keys = (self.key, self.holder_key)
        got = self.client.eval(self._ACQUIRE, 2, *keys, token, self.ttl_ms, holder)
        return token if got else None

    def extend(self, token: str) -> bool:
        keys = (self.key, self.holder_key)
        return bool(self.client.eval(self._EXTEND, 2, *keys, token, self.ttl_ms))

    def release(self, token: str) -> None:
        self.client.eval(self._RELEASE, 2, self.key, self.holder_key, token)

    def holder(self) -> str | None:
        """The token of the current holder."""
        value = self.client.get(self.key)
        return value.decode() if isinstance(value, bytes) else value

    def describe(self) -> LeaseHolder | None:
        pipe = self.client.pipeline(transaction=True)
        pipe.get(self.holder_key)
        pipe.pttl(self.key)
        raw, ttl_ms = pipe.execute()
        if ttl_ms == -2:  # no such key: free
            return None
        return _read_holder(raw, expires_in_s=ttl_ms / 1000 if ttl_ms >= 0 else None)


class _HandleLease(Lease):
    """A lease this process holds through a handle (a file descriptor, a connection).

    The handles are kept process-wide by token, so a token taken through one lease object can
    be extended and released through another naming the same resource.
    """

    _held: ClassVar[dict[str, Any]] = {}
    _guard: ClassVar[threading.Lock] = threading.Lock()

    def _hold(self, handle: Any, token: str | None = None) -> str:
        token = token or uuid.uuid4().hex
        with self._guard:
            self._held[token] = handle
        return token

    def _mine(self, token: str | None) -> bool:
        """This process holds `token` already (a repeated acquire answers it again)."""
        return token is not None and token in self._held

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

    def try_acquire(self, *, token: str | None = None, what: str = "") -> str | None:
        if self._mine(token):
            return token
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        os.ftruncate(fd, 0)  # the holder, for `describe` in other processes
        os.pwrite(fd, json.dumps(holder_here(what).as_dict()).encode(), 0)
        return self._hold(fd, token)

    def describe(self) -> LeaseHolder | None:
        """The holder the file names, while someone holds its `flock`."""
        if not self.path.exists():
            return None
        fd = os.open(self.path, os.O_RDONLY)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                raw = self.path.read_bytes()
            else:  # nobody holds it
                fcntl.flock(fd, fcntl.LOCK_UN)
                return None
        finally:
            os.close(fd)
        return _read_holder(raw)

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

    def try_acquire(self, *, token: str | None = None, what: str = "") -> str | None:
        if self._mine(token):
            return token
        if self.engine.dialect.name != "postgresql":
            return self._hold(None, token)
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            got = self._call(conn, "pg_try_advisory_lock")
        except BaseException:
            conn.close()
            raise
        if not got:
            conn.close()
            return None
        return self._hold(conn, token)

    def describe(self) -> LeaseHolder | None:
        """The server backend holding the lock (its pid and client address); None when free
        (or off PostgreSQL, where nothing is recorded)."""
        if self.engine.dialect.name != "postgresql":
            return None
        query = sa.text(
            "SELECT a.pid, host(a.client_addr), a.application_name "
            "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
            "AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtext(:name)::bigint"
        )
        with self.engine.connect() as conn:
            row = conn.execute(query, {"name": self.name}).first()
        if row is None:
            return None
        pid, client, application = row
        suffix = f", {application}" if application else ""
        return LeaseHolder(
            what=f"{self.name} (PostgreSQL backend {pid}{suffix})", host=client or "local socket"
        )

    def _let_go(self, handle: Any) -> None:
        """Unlock before the connection goes back to the pool, which would keep holding it."""
        try:
            self._call(handle, "pg_advisory_unlock")
        finally:
            handle.close()
