"""Leases on the real services: the PostgreSQL advisory lease and the Redis lease."""

from __future__ import annotations

import os
import socket
import time

import pytest
import redis
from sqlalchemy.engine import Engine

from models.locks import AdvisoryLease, RedisLease

pytestmark = pytest.mark.integration


def test_advisory_lease_excludes_a_second_holder_until_released(postgres_engine: Engine) -> None:
    first = AdvisoryLease(postgres_engine, "sidedecked.test.locks")
    second = AdvisoryLease(postgres_engine, "sidedecked.test.locks")
    token = first.acquire()
    assert token is not None and first.extend(token)
    started = time.monotonic()
    assert second.acquire(wait=0.5) is None
    assert time.monotonic() - started >= 0.5
    assert AdvisoryLease(postgres_engine, "sidedecked.test.other").acquire() is not None
    first.release(token)
    again = second.acquire()
    assert again is not None
    second.release(again)


def test_advisory_lease_goes_with_its_connection(postgres_engine: Engine) -> None:
    """A holder whose connection dies (a killed process) loses the lease at once."""
    token = AdvisoryLease(postgres_engine, "sidedecked.test.killed").acquire()
    assert token is not None
    AdvisoryLease._held[
        token
    ].invalidate()  # the connection is closed for good, as when a process is killed
    other = AdvisoryLease(postgres_engine, "sidedecked.test.killed")
    again = other.acquire(wait=2.0)
    assert again is not None
    other.release(again)
    AdvisoryLease._held.pop(token)


def test_redis_lease_extend_release_and_expiry(redis_url: str) -> None:
    first = RedisLease("sidedecked:test:lease", url=redis_url, ttl_s=1)
    second = RedisLease("sidedecked:test:lease", url=redis_url, ttl_s=1)
    token = first.acquire()
    assert token is not None and first.holder() == token
    assert second.acquire(wait=0.3) is None
    assert first.extend(token) and not second.extend("not-the-token")
    second.release("not-the-token")  # a stranger's release leaves the lease alone
    assert first.holder() == token
    time.sleep(1.2)  # the holder died without releasing: the TTL frees the lease
    assert first.holder() is None and not first.extend(token)
    taken = second.acquire()
    assert taken is not None and second.holder() == taken
    second.release(taken)
    assert second.holder() is None
    assert redis.Redis.from_url(redis_url).exists("sidedecked:test:lease") == 0


def test_redis_lease_token_passes_between_lease_objects(redis_url: str) -> None:
    token = RedisLease("sidedecked:test:pass", url=redis_url).acquire()
    assert token is not None
    assert RedisLease("sidedecked:test:pass", url=redis_url).extend(token)
    RedisLease("sidedecked:test:pass", url=redis_url).release(token)
    assert RedisLease("sidedecked:test:pass", url=redis_url).holder() is None


def test_redis_lease_describes_holder_and_expiry(redis_url: str) -> None:
    lease = RedisLease("sidedecked:test:describe", url=redis_url, ttl_s=60)
    assert lease.describe() is None
    token = lease.acquire(what="rebuild test-prints")
    assert token is not None
    found = RedisLease("sidedecked:test:describe", url=redis_url).describe()
    assert found is not None
    assert found.what == "rebuild test-prints" and found.pid == os.getpid()
    assert found.host == socket.gethostname() and found.acquired_at
    assert found.expires_in_s is not None and 55 < found.expires_in_s <= 60
    lease.release(token)
    assert lease.describe() is None
    assert redis.Redis.from_url(redis_url).exists("sidedecked:test:describe:holder") == 0


def test_redis_lease_gives_a_holder_its_own_token_back(redis_url: str) -> None:
    """A redelivered rebuild start takes back its run's lease at once (no wait, no failure)."""
    first = RedisLease("sidedecked:test:again", url=redis_url, ttl_s=60)
    assert first.acquire(token="run-1", what="rebuild a") == "run-1"
    again = RedisLease("sidedecked:test:again", url=redis_url, ttl_s=60)
    assert again.acquire(token="run-1", what="rebuild a (redelivered)") == "run-1"
    described = again.describe()
    assert described is not None and described.what == "rebuild a (redelivered)"
    assert again.acquire(token="run-2") is None
    again.release("run-1")
    assert first.holder() is None


def test_advisory_lease_describes_the_backend_holding_it(postgres_engine: Engine) -> None:
    lease = AdvisoryLease(postgres_engine, "sidedecked.test.describe")
    assert lease.describe() is None
    token = lease.acquire()
    assert token is not None
    found = AdvisoryLease(postgres_engine, "sidedecked.test.describe").describe()
    assert found is not None and "PostgreSQL backend" in found.what
    assert found.expires_in_s is None
    lease.release(token)
    assert lease.describe() is None
