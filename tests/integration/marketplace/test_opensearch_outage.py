"""Marketplace events while the real OpenSearch node is stopped: the touched prints wait in the
outbox and the search documents catch up once the node is back.

Stops the shared node, so it runs only when asked (scripts/test.sh runs it alone, after the
rest): `SIDEDECKED_TEST_OPENSEARCH_OUTAGE=1 pytest tests/integration/marketplace/test_opensearch_outage.py`.
"""

from __future__ import annotations

import os

import pytest

from indexer.engines.opensearch import OpenSearchEngine
from indexer.outbox import drain_outbox, pending_count
from indexer.rebuild import rebuild
from marketplace import samples
from models.locks import FileLease
from tests.integration.indexer.test_opensearch_outage import services, wait_until
from tests.integration.marketplace.test_search import apply, eventually, expect, names

pytestmark = pytest.mark.skipif(
    os.environ.get("SIDEDECKED_TEST_OPENSEARCH_OUTAGE") != "1",
    reason="stops the shared OpenSearch node; set SIDEDECKED_TEST_OPENSEARCH_OUTAGE=1",
)


def test_events_during_an_opensearch_outage_catch_up_after_restart(
    opensearch_url, opensearch_prefix, events_db, tmp_path
):
    engine = OpenSearchEngine(url=opensearch_url, prefix=f"{opensearch_prefix}-events-down")
    lease = FileLease(tmp_path / "writer.lock")
    raw = list(samples.random_stream(events_db.skus, 400, seed=33))
    try:
        rebuild(engine=engine, db=events_db.engine, lease=lease)
        apply(events_db, raw[:100])
        assert drain_outbox(engine=engine, db=events_db.engine, lease=lease).error is None
        try:
            services("down")
            wait_until(opensearch_url, up=False)
            for start in range(100, 400, 100):
                apply(events_db, raw[start : start + 100])
                report = drain_outbox(engine=engine, db=events_db.engine, lease=lease)
                assert report.error is not None and report.rows == 0
            assert pending_count(events_db.engine) > 0
        finally:
            services("up")
            wait_until(opensearch_url, up=True)
        report = drain_outbox(engine=engine, db=events_db.engine, lease=lease)
        assert report.error is None and pending_count(events_db.engine) == 0
        engine.refresh()
        snapshot = events_db.snapshot()
        available = {
            events_db.card_names[events_db.print_of[sku]] for sku, agg in snapshot.items() if agg[0]
        }
        eventually(expect(lambda: set(names(engine, filters={"available": ("b2c",)})), available))
    finally:
        engine.close()
