"""`etl.load` on a real worker while another load of the source holds its lock (what a second
delivery of a long load meets): it does not fail, it looks again later."""

from __future__ import annotations

from pathlib import Path

import pytest

from models import migrate
from models.db import make_engine
from models.locks import AdvisoryLease
from tests.integration.celery_workers import (
    private_redis,
    producer,
    start_worker,
    wait_until,
    worker_env,
)
from tests.integration.etl.helpers import SOURCE_FIXTURES

pytestmark = pytest.mark.integration


def test_a_load_finding_its_source_busy_retries(empty_database_url: str, tmp_path: Path) -> None:
    migrate.upgrade(url=empty_database_url)
    engine = make_engine(empty_database_url)
    lease = AdvisoryLease(engine, "sidedecked.etl.optcg")  # another load of optcg is running
    token = lease.acquire()
    assert token is not None
    try:
        with private_redis() as redis_url:
            worker = start_worker(worker_env(redis_url, empty_database_url), tmp_path / "w.log")
            try:
                result = producer(redis_url).send_task(
                    "etl.load",
                    args=["optcg", [str(SOURCE_FIXTURES["optcg"])]],
                    kwargs={"force": True},
                )
                wait_until(
                    lambda: "Retry in 60s" in worker.text(),
                    timeout=90,
                    what="the busy load to be retried",
                )
                assert result.state == "RETRY"
                assert "another load of optcg is running" in worker.text()
            finally:
                worker.stop()
    finally:
        lease.release(token)
        engine.dispose()
