"""Full rebuilds from a real catalog database, on both engines."""

from __future__ import annotations

import threading
import time

import pytest

import indexer.rebuild as rebuild_module
from indexer.catalog import stream_documents
from indexer.names import card_names_from_documents, name_entries
from indexer.query import MatchAll, SearchRequest, Text
from indexer.rebuild import RebuildLockedError, rebuild
from tests.integration.indexer.conftest import seed_catalog
from tests.integration.indexer.corpus import names


def search_names(engine, text):
    return names(engine.search(SearchRequest(query=Text(text))))


def test_rebuild_from_the_catalog(any_engine, catalog_db, lease):
    seed_catalog(catalog_db)
    progress = []
    report = rebuild(
        engine=any_engine, db=catalog_db, lease=lease, progress=lambda d, t: progress.append((d, t))
    )
    assert report.documents == 3 and progress[-1] == (3, 3)
    status = any_engine.status()
    assert status.live_index == report.index and status.doc_count == 3
    assert status.last_rebuild["doc_count"] == 3 and "built_at" in status.last_rebuild
    assert search_names(any_engine, "lim dul") == ["Lim-Dûl's Vault"]
    assert search_names(any_engine, "pal 62") == ["Pikachu"]  # alias synonym from card_sets
    hit = any_engine.search(SearchRequest(query=Text("bolt"))).hits[0].document
    assert hit["price"] == 1 and hit["available"] == ["b2c"] and hit["conditions"] == ["NM"]


def test_a_second_rebuild_replaces_the_first(any_engine, catalog_db, lease):
    seed_catalog(catalog_db)
    first = rebuild(engine=any_engine, db=catalog_db, lease=lease)
    second = rebuild(engine=any_engine, db=catalog_db, lease=lease)
    assert second.removed == [first.index]
    status = any_engine.status()
    assert status.live_index == second.index and status.other_indices == []


def _failing_stream(real, after: int):
    def stream(conn, **kwargs):
        for n, doc in enumerate(real(conn, **kwargs)):
            if n == after:
                raise RuntimeError("injected failure")
            yield doc

    return stream


def test_failed_rebuild_leaves_search_on_the_old_index(any_engine, catalog_db, lease, monkeypatch):
    seed_catalog(catalog_db, filler=5)
    good = rebuild(engine=any_engine, db=catalog_db, lease=lease)
    monkeypatch.setattr(
        rebuild_module, "stream_documents", _failing_stream(rebuild_module.stream_documents, 4)
    )
    with pytest.raises(RuntimeError, match="injected"):
        rebuild(engine=any_engine, db=catalog_db, lease=lease)
    status = any_engine.status()
    assert status.live_index == good.index and status.other_indices == []
    assert any_engine.count() == 8
    assert search_names(any_engine, "bolt") == ["Lightning Bolt"]
    assert lease.acquire() is not None  # the lease was released


def test_rebuild_refuses_to_run_beside_another_writer(any_engine, catalog_db, lease, monkeypatch):
    monkeypatch.setattr(rebuild_module, "LEASE_WAIT_S", 0.2)
    token = lease.acquire()
    with pytest.raises(RebuildLockedError):
        rebuild(engine=any_engine, db=catalog_db, lease=lease)
    lease.release(token)


def test_searches_keep_answering_during_rebuilds(any_engine, catalog_db, lease, monkeypatch):
    seed_catalog(catalog_db, filler=300)
    rebuild(engine=any_engine, db=catalog_db, lease=lease)
    real = rebuild_module.stream_documents

    def slow_stream(conn, **kwargs):
        for doc in real(conn, **kwargs):
            time.sleep(0.002)
            yield doc

    monkeypatch.setattr(rebuild_module, "stream_documents", slow_stream)
    stop = threading.Event()
    failures, totals = [], []

    def search_loop():
        while not stop.is_set():
            try:
                totals.append(any_engine.search(SearchRequest(query=MatchAll())).total)
                totals.append(any_engine.search(SearchRequest(query=Text("grizly bears"))).total)
            except Exception as exc:  # noqa: BLE001 - the test records every failure
                failures.append(repr(exc))

    thread = threading.Thread(target=search_loop)
    thread.start()
    try:
        for _ in range(2):
            rebuild(engine=any_engine, db=catalog_db, lease=lease)
        monkeypatch.setattr(
            rebuild_module, "stream_documents", _failing_stream(real, 100)
        )  # a failed rebuild too
        with pytest.raises(RuntimeError):
            rebuild(engine=any_engine, db=catalog_db, lease=lease)
    finally:
        stop.set()
        thread.join()
    assert failures == []
    assert len(totals) > 20 and min(totals) >= 1


def test_partitioned_rebuild_on_opensearch(opensearch_url, opensearch_prefix, catalog_db, lease):
    from indexer.engines.opensearch import OpenSearchEngine

    engine = OpenSearchEngine(url=opensearch_url, prefix=f"{opensearch_prefix}-parts")
    seed_catalog(catalog_db, filler=40)
    progress = []
    report = rebuild(
        engine=engine,
        db=catalog_db,
        lease=lease,
        workers=2,
        progress=lambda done, total: progress.append((done, total)),
    )
    assert report.documents == 43 == engine.count() and progress[-1] == (43, 43)
    assert search_names(engine, "grizzly bears") == ["Grizzly Bears"]

    real_begin = engine.begin_rebuild

    def begin_read_only(**kwargs):  # every partition's bulk request is then refused
        target = real_begin(**kwargs)
        engine.client.indices.put_settings(
            index=target.name, body={"index": {"blocks": {"write": True}}}
        )
        return target

    engine.begin_rebuild = begin_read_only
    with pytest.raises(Exception):  # noqa: B017 - whatever the partitions raise
        rebuild(engine=engine, db=catalog_db, lease=lease, workers=2)
    status = engine.status()
    assert status.live_index == report.index and status.other_indices == []
    assert engine.count() == 43


def test_a_rebuild_fills_the_names_index_from_the_catalog(any_engine, catalog_db, lease):
    ids = seed_catalog(catalog_db, filler=3)
    report = rebuild(engine=any_engine, db=catalog_db, lease=lease)
    assert any_engine.status().last_rebuild["names"] == 4  # Bolt, Vault, Pikachu, Grizzly Bears
    assert [(s.name, s.card_id) for s in any_engine.suggest("lim dul")] == [
        ("Lim-Dûl's Vault", ids["vault"])
    ]
    assert [s.name for s in any_engine.suggest("bears")] == ["Grizzly Bears"]  # one, not three
    # the catalog's names (one grouped query) are the names of its documents
    with catalog_db.connect() as conn:
        expected = name_entries(card_names_from_documents(stream_documents(conn)))
    found = any_engine.find_names(ids=[entry["id"] for entry in expected])
    assert sorted(found, key=lambda e: e["id"]) == expected
    assert report.documents == 6
