"""No change is lost when the real OpenSearch node stops and starts during updates.

This stops the shared node (`scripts/services.sh down opensearch`) and starts it again, so it
only runs when asked: `SIDEDECKED_TEST_OPENSEARCH_OUTAGE=1 pytest tests/integration/indexer/
test_opensearch_outage.py`. It always leaves the node running.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from indexer.engines.opensearch import OpenSearchEngine
from indexer.outbox import drain_outbox, pending_count
from indexer.rebuild import rebuild
from tests.integration.indexer.conftest import seed_catalog
from tests.integration.indexer.test_outbox import rename_card, search_names, shows

pytestmark = pytest.mark.skipif(
    os.environ.get("SIDEDECKED_TEST_OPENSEARCH_OUTAGE") != "1",
    reason="stops the shared OpenSearch node; set SIDEDECKED_TEST_OPENSEARCH_OUTAGE=1",
)
SERVICES = Path(__file__).resolve().parents[3] / "scripts" / "services.sh"


def services(command: str) -> None:
    # A new session, so the node outlives this test process's process group.
    subprocess.run(
        ["bash", str(SERVICES), command, "opensearch"],
        check=True,
        timeout=300,
        start_new_session=True,
    )


def wait_until(url: str, *, up: bool, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/_cluster/health", timeout=2).raise_for_status()
            if up:
                return
        except httpx.HTTPError:
            if not up:
                return
        time.sleep(1)
    raise TimeoutError(f"OpenSearch did not go {'up' if up else 'down'} in {timeout}s")


def test_changes_wait_in_the_outbox_while_opensearch_is_down(
    opensearch_url, opensearch_prefix, catalog_db, lease
):
    engine = OpenSearchEngine(url=opensearch_url, prefix=f"{opensearch_prefix}-outage")
    ids = seed_catalog(catalog_db)
    rebuild(engine=engine, db=catalog_db, lease=lease)
    rename_card(catalog_db, ids["bolt"], "Lightning Bolt One")
    assert drain_outbox(engine=engine, db=catalog_db, lease=lease).rows == 1
    try:
        services("down")
        wait_until(opensearch_url, up=False)
        rename_card(catalog_db, ids["bolt"], "Lightning Bolt Two")
        rename_card(catalog_db, ids["pikachu"], "Pikachu Two")
        report = drain_outbox(engine=engine, db=catalog_db, lease=lease)
        assert report.error and report.rows == 0
        assert pending_count(catalog_db) == 2  # one print each: kept for the next drain
    finally:
        services("up")
        wait_until(opensearch_url, up=True)
    report = drain_outbox(engine=engine, db=catalog_db, lease=lease)
    assert report.rows == 2 and report.error is None
    shows(engine, "bolt two", ["Lightning Bolt Two"])
    shows(engine, "pikachu two", ["Pikachu Two"])
    assert search_names(engine, "bolt one") == []
    assert pending_count(catalog_db) == 0
