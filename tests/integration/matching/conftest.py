"""Matching integration tests: a PostgreSQL database per test worker holding a small *real*
catalog (cut from ../shared/data by `catalog_subset.py` and loaded with the ETL), the API
against it, and API keys of each kind.

The API commits (jobs run in background threads with their own sessions), so these tests do
not use the savepoint session: each test works under its own seller id instead, and the review
queue is always filtered by seller.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from models import migrate
from models.db import make_engine
from tests.conftest import worker_id
from tests.integration.conftest import create_database, drop_database
from tests.integration.matching import catalog_subset


@pytest.fixture(scope="session")
def matching_catalog_url(
    postgres_admin_url: str, shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    from etl.pipeline import load

    name = f"sidedecked_test_{worker_id()}_matching"
    url = create_database(postgres_admin_url, name)
    migrate.upgrade(url=url)
    inputs = catalog_subset.build(shared_data, tmp_path_factory.mktemp("matching-catalog"))
    engine = make_engine(url)
    try:
        for source, paths in inputs.items():
            result = load(source, paths, engine=engine)
            assert result.ok, (source, result.error)
    finally:
        engine.dispose()
    yield url
    drop_database(postgres_admin_url, name)


@pytest.fixture(scope="session")
def matching_engine(matching_catalog_url: str) -> Iterator[Engine]:
    engine = make_engine(matching_catalog_url)
    yield engine
    engine.dispose()


@pytest.fixture
def matching_db(matching_catalog_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The catalog database as the configured DATABASE_URL (API, CLI, jobs)."""
    from matching.index_build import index_cache
    from models.db import get_engine
    from models.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", matching_catalog_url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    index_cache.clear()
    return matching_catalog_url


@pytest.fixture
def matcher(matching_engine: Engine):
    from matching.index_build import build_index
    from matching.service import Matcher

    return Matcher(build_index(matching_engine))


@dataclass
class Keys:
    admin: str
    admin2: str
    vendor: str
    other_vendor: str
    seller: str
    other_seller: str


@pytest.fixture
def keys(matching_db: str) -> Keys:
    """Fresh keys: two admins, a vendor of a new seller and a vendor of another seller."""
    from matching.auth import create_key
    from models.db import session_scope

    seller = f"seller-{uuid.uuid4().hex[:10]}"
    other = f"seller-{uuid.uuid4().hex[:10]}"
    with session_scope() as session:
        _, admin = create_key(session, name="admin one", role="admin")
        _, admin2 = create_key(session, name="admin two", role="admin")
        _, vendor = create_key(session, name="vendor", role="vendor", seller_id=seller)
        _, other_vendor = create_key(session, name="other", role="vendor", seller_id=other)
    return Keys(admin, admin2, vendor, other_vendor, seller, other)


@pytest.fixture
def client(matching_db: str) -> Iterator:
    from fastapi.testclient import TestClient

    from search_api.app import create_app

    with TestClient(create_app()) as test_client:
        yield test_client


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def wait_for_job(client, key: str, job_id: int, *, timeout: float = 60.0) -> dict:
    import time

    deadline = time.monotonic() + timeout
    while True:
        job = client.get(f"/api/matching/jobs/{job_id}", headers=bearer(key)).json()
        if job["status"] in ("succeeded", "failed"):
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {job['status']}: {job}")
        time.sleep(0.1)
