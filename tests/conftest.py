"""Shared test configuration: where the real services and the shared data are.

Integration tests talk to real PostgreSQL, Redis and OpenSearch (started by `make services`).
Under CI=true a missing service fails the test; elsewhere it is skipped with a loud reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from models.settings import get_settings

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

TEST_DATABASE_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://sidedecked:sidedecked@127.0.0.1:5432/sidedecked_test"
)
TEST_OPENSEARCH_URL = os.environ.get("TEST_OPENSEARCH_URL", "http://127.0.0.1:9200")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
#: No popularity flush in the API processes the tests start (their counts would change the
#: session's shared sample catalog between tests); the popularity tests flush explicitly.
os.environ.setdefault("SIDEDECKED_POPULARITY_FLUSH_S", "0")


def service_missing(name: str, url: str, error: Exception | str) -> None:
    """Fail under CI, skip (loudly) elsewhere."""
    message = (
        f"{name} is not reachable at {url} ({error}); start it with `make services` "
        "or set the TEST_*_URL variables"
    )
    if IN_CI:
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def worker_id() -> str:
    """Names this test process's databases and indices; SIDEDECKED_TEST_RUN keeps two suites run
    at once on one machine (two checkouts, two developers) out of each other's databases."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    run = os.environ.get("SIDEDECKED_TEST_RUN", "")
    return f"{run}_{worker}" if run else worker


def worker_index() -> int:
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real upstream data beside the clone (../shared/data); skipped where it is absent."""
    path = get_settings().sidedecked_shared_data
    if not (path / "MANIFEST.md").exists():
        pytest.skip(f"shared data not found at {path} (set SIDEDECKED_SHARED_DATA)")
    return path


@pytest.fixture(autouse=True)
def _fresh_settings(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    """Each test starts from the embedded defaults in a temporary folder, unaffected by the
    developer's environment; tests opt into services through fixtures."""
    for var in ("DATABASE_URL", "OPENSEARCH_URL", "REDIS_URL", "SIDEDECKED_INDEX_DIR"):
        monkeypatch.delenv(var, raising=False)
    base = tmp_path_factory.mktemp("var")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{base / 'catalog.db'}")
    monkeypatch.setenv("SIDEDECKED_INDEX_DIR", str(base / "index"))
    get_settings.cache_clear()
    from models.db import get_engine

    get_engine.cache_clear()
    yield
    get_settings.cache_clear()
    get_engine.cache_clear()
