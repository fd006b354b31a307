"""A real local HTTP server per test (tests/integration/etl_fetch/upstream_server.py).

These tests need no external service: the fetcher talks over TCP to 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from etl.fetch.limits import RetryPolicy
from tests.integration.etl_fetch.upstream_server import UpstreamServer

#: retries without the production waits (backoff of 10-20 ms)
FAST_RETRY = RetryPolicy(max_attempts=4, backoff_base=0.02, backoff_max=0.05)


@pytest.fixture
def server() -> Iterator[UpstreamServer]:
    with UpstreamServer() as upstream:
        yield upstream


@pytest.fixture(autouse=True)
def _no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POKEMONTCG_API_KEY", raising=False)
    monkeypatch.delenv("SIDEDECKED_FETCH_USER_AGENT", raising=False)
