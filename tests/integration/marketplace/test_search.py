"""Events reach the search documents through the index outbox: availability, price range and
conditions on offer, on both engines; an unreachable OpenSearch catches up afterwards."""

from __future__ import annotations

import itertools
import time

import pytest
from sqlalchemy.orm import Session

from indexer.outbox import drain_outbox, pending_count
from indexer.query import MatchAll, SearchRequest
from indexer.rebuild import rebuild
from marketplace import samples
from marketplace.apply import apply_events
from marketplace.events import parse_event
from models.locks import FileLease

AT = samples.datetime(2026, 11, 10, 12, tzinfo=samples.UTC)
_n = itertools.count()


@pytest.fixture(params=["tantivy", "opensearch"])
def engine(request, tmp_path):
    if request.param == "tantivy":
        from indexer.engines.tantivy_engine import TantivyEngine

        engine = TantivyEngine(directory=tmp_path / "index")
    else:
        from indexer.engines.opensearch import OpenSearchEngine

        url = request.getfixturevalue("opensearch_url")
        prefix = request.getfixturevalue("opensearch_prefix")
        engine = OpenSearchEngine(url=url, prefix=f"{prefix}-events{next(_n)}")
    yield engine
    engine.close()


def apply(events_db, raw):
    with Session(events_db.engine) as session, session.begin():
        return apply_events(session, [parse_event(e) for e in raw], source="stream")


def names(engine, **request):
    result = engine.search(
        SearchRequest(query=MatchAll(), unique="prints", page_size=100, **request)
    )
    return sorted(hit.document["name"] for hit in result.hits)


def expect(actual_fn, expected):
    def check():
        assert actual_fn() == expected

    return check


def eventually(check, timeout=5.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_events_make_prints_available_in_search_within_seconds(engine, events_db, tmp_path):
    lease = FileLease(tmp_path / "writer.lock")
    rebuild(engine=engine, db=events_db.engine, lease=lease)
    nm = next(s for s in events_db.skus if "-NM-" in s)
    lp = next(
        s for s in events_db.skus if "-LP-" in s and events_db.print_of[s] != events_db.print_of[nm]
    )
    nm_name = events_db.card_names[events_db.print_of[nm]]
    lp_name = events_db.card_names[events_db.print_of[lp]]
    started = time.monotonic()
    listings = [
        samples.listed(nm, "v1", price="2.00", quantity=1, at=AT, event_id="s1"),
        samples.listed(lp, "v2", tier="consumer", seller="c1", price="20.00", at=AT, event_id="s2"),
    ]
    apply(events_db, listings)
    report = drain_outbox(engine=engine, db=events_db.engine, lease=lease)
    assert report.rows == 2 and report.error is None
    engine.refresh()

    def on_offer():
        assert names(engine, filters={"available": ("b2c",)}) == [nm_name]
        assert names(engine, filters={"available": ("c2c",)}) == [lp_name]
        assert names(engine, filters={"condition": ("LP",)}) == [lp_name]
        assert names(engine, price_min=10, price_max=30) == [lp_name]

    eventually(on_offer)
    assert time.monotonic() - started < 5

    apply(events_db, [samples.delisted(nm, "v1", at=AT.replace(hour=13), event_id="s3")])
    drain_outbox(engine=engine, db=events_db.engine, lease=lease)
    engine.refresh()
    eventually(expect(lambda: names(engine, filters={"available": ("b2c",)}), []))


def test_changes_wait_while_opensearch_is_unreachable_then_catch_up(
    opensearch_url, opensearch_prefix, events_db, tmp_path
):
    """Simulates the outage with an unreachable address (the shared node is never stopped;
    tests/integration/indexer/test_opensearch_outage.py stops it for real on request)."""
    from indexer.engines.opensearch import OpenSearchEngine

    prefix = f"{opensearch_prefix}-events-outage"
    live = OpenSearchEngine(url=opensearch_url, prefix=prefix)
    down = OpenSearchEngine(url="http://127.0.0.1:9", prefix=prefix)
    lease = FileLease(tmp_path / "writer.lock")
    try:
        rebuild(engine=live, db=events_db.engine, lease=lease)
        raw = list(samples.random_stream(events_db.skus, 500, seed=21))
        for start in range(0, 500, 100):
            apply(events_db, raw[start : start + 100])
            report = drain_outbox(engine=down, db=events_db.engine, lease=lease)
            assert report.error is not None and report.rows == 0
        assert pending_count(events_db.engine) > 0
        report = drain_outbox(engine=live, db=events_db.engine, lease=lease)
        assert report.error is None and pending_count(events_db.engine) == 0
        live.refresh()
        snapshot = events_db.snapshot()
        available = {
            events_db.card_names[events_db.print_of[sku]] for sku, agg in snapshot.items() if agg[0]
        }
        eventually(expect(lambda: set(names(live, filters={"available": ("b2c",)})), available))
    finally:
        down.close()
        live.close()
