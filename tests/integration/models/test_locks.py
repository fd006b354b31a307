"""Leases on the real services: the PostgreSQL advisory lease and the Redis lease."""

from __future__ import annotations

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
