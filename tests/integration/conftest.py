"""Real services for integration tests.

* PostgreSQL: one database per xdist worker, migrated once; each test runs in a transaction
  with savepoints that is rolled back at the end (`db_session`).
* OpenSearch: an index-name prefix per test session, every index with it deleted at the end.
* Redis: one logical database per xdist worker, flushed before use.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from models import migrate
from models.databases import drop_database
from models.databases import recreate_database as create_database
from models.db import make_engine
from tests.conftest import (
    TEST_DATABASE_URL,
    TEST_OPENSEARCH_URL,
    TEST_REDIS_URL,
    service_missing,
    worker_id,
    worker_index,
)


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    engine = make_engine(TEST_DATABASE_URL)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001
        service_missing("PostgreSQL", TEST_DATABASE_URL, exc)
    finally:
        engine.dispose()
    return TEST_DATABASE_URL


@pytest.fixture(scope="session")
def postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """A migrated database for this xdist worker."""
    name = f"sidedecked_test_{worker_id()}"
    url = create_database(postgres_admin_url, name)
    migrate.upgrade(url=url)
    yield url
    drop_database(postgres_admin_url, name)


@pytest.fixture(scope="session")
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    engine = make_engine(postgres_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db_session(postgres_engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test (commits become savepoints)."""
    connection = postgres_engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture
def empty_database_url(postgres_admin_url: str) -> Iterator[str]:
    """A brand-new, unmigrated PostgreSQL database (for migration and load tests)."""
    name = f"sidedecked_test_{worker_id()}_{uuid.uuid4().hex[:8]}"
    url = create_database(postgres_admin_url, name)
    yield url
    drop_database(postgres_admin_url, name)


@pytest.fixture(scope="session")
def opensearch_url() -> str:
    import httpx

    try:
        httpx.get(f"{TEST_OPENSEARCH_URL}/_cluster/health", timeout=5).raise_for_status()
    except Exception as exc:  # noqa: BLE001
        service_missing("OpenSearch", TEST_OPENSEARCH_URL, exc)
    return TEST_OPENSEARCH_URL


@pytest.fixture(scope="session")
def opensearch_prefix(opensearch_url: str) -> Iterator[str]:
    """Index-name prefix private to this test session; its indices are deleted afterwards."""
    from indexer.engines.opensearch_client import opensearch_client

    prefix = f"test-{worker_id()}-{uuid.uuid4().hex[:8]}"
    yield prefix
    client = opensearch_client(opensearch_url)
    client.indices.delete(index=f"{prefix}*", ignore_unavailable=True, expand_wildcards="all")
    client.close()


@pytest.fixture(scope="session")
def opensearch_client(opensearch_url: str):
    from indexer.engines.opensearch_client import opensearch_client

    client = opensearch_client(opensearch_url, timeout=30)
    yield client
    client.close()


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A Redis logical database private to this xdist worker, flushed before the test."""
    import redis

    url = make_redis_url(TEST_REDIS_URL, db=1 + worker_index())
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.flushdb()
    except Exception as exc:  # noqa: BLE001
        service_missing("Redis", TEST_REDIS_URL, exc)
    finally:
        client.close()
    yield url


def make_redis_url(base: str, *, db: int) -> str:
    head = base.rsplit("/", 1)[0] if base.count("/") > 2 else base
    return f"{head}/{db}"
