"""Popularity from real traffic, end to end on both engines: views and searches through the API
are counted (in this process, or in Redis) without touching the database, a flush adds them to
the SKU counters and queues the prints in the outbox, and after a drain the search documents
carry the new popularity and rank boost. The flush's SQL is also checked on PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from indexer.outbox import drain_outbox
from indexer.query import SearchRequest
from indexer.rebuild import rebuild
from marketplace import popularity
from models import CatalogSku, IndexOutbox, Print
from models.db import make_engine
from tests.integration.etl.conftest import catalog_url
from tests.integration.indexer.conftest import any_engine, catalog_db, lease, seed_catalog

__all__ = ["any_engine", "catalog_db", "catalog_url", "lease"]

COUNTERS = (CatalogSku.view_count, CatalogSku.search_count, CatalogSku.popularity_score)


def _configure(monkeypatch, database_url: str, batch: str) -> None:
    from models.db import get_engine
    from models.redis_clients import reset_redis_clients
    from models.settings import get_settings
    from tests.conftest import TEST_REDIS_URL, worker_index
    from tests.integration.conftest import make_redis_url

    monkeypatch.setenv("DATABASE_URL", database_url)
    if batch == "redis":
        # a database other suites never flush; the batch's key carries this catalog's tag
        monkeypatch.setenv("REDIS_URL", make_redis_url(TEST_REDIS_URL, db=15 - worker_index() % 8))
    else:
        monkeypatch.delenv("REDIS_URL", raising=False)
    get_settings.cache_clear()
    get_engine.cache_clear()
    reset_redis_clients()


@pytest.fixture(params=["memory", "redis"])
def api(request, any_engine, catalog_db, lease, monkeypatch) -> Iterator[TestClient]:
    from indexer.engine import get_engine as get_search_engine
    from search_api import errors
    from search_api.catalog.routes import router

    _configure(monkeypatch, str(catalog_db.url), request.param)
    assert isinstance(popularity.current_batch(), popularity.RedisBatch) == (
        request.param == "redis"
    )
    app = FastAPI()
    errors.install(app)
    app.include_router(router)
    app.dependency_overrides[get_search_engine] = lambda: any_engine
    with TestClient(app) as client:
        yield client


def _counters(db, sku_ids) -> dict[int, tuple[int, int, int]]:
    with db.connect() as conn:
        stmt = sa.select(CatalogSku.id, *COUNTERS).where(CatalogSku.id.in_(sku_ids))
        return {r[0]: tuple(r[1:]) for r in conn.execute(stmt)}


def _most_popular_first(engine) -> list[str]:
    """The print documents' card names, most popular first (the `popularity` sort)."""
    request = SearchRequest(unique="prints", sort="popularity", direction="desc")
    return [h.document["name"] for h in engine.search(request).hits]


def _earlier_traffic(db, card_id: int, views: int) -> None:
    """Views counted before this test: on the card's first SKU."""
    with db.begin() as conn:
        first = conn.execute(
            sa.select(sa.func.min(CatalogSku.id))
            .join(Print, Print.id == CatalogSku.print_id)
            .where(Print.card_id == card_id)
        ).scalar_one()
        conn.execute(sa.update(CatalogSku).where(CatalogSku.id == first).values(view_count=views))


def test_views_and_searches_reach_the_search_documents(api, any_engine, catalog_db, lease):
    ids = seed_catalog(catalog_db)
    _earlier_traffic(catalog_db, ids["pikachu"], views=5)
    rebuild(engine=any_engine, db=catalog_db, lease=lease)
    assert _most_popular_first(any_engine)[0] == "Pikachu"
    with catalog_db.connect() as conn:
        rows = conn.execute(
            sa.select(CatalogSku.id, CatalogSku.sku)
            .where(CatalogSku.print_id == ids["bolt_print"])
            .order_by(CatalogSku.id)
        ).all()
    nm_normal = next(id_ for id_, sku in rows if sku.endswith("-NM-NORMAL"))
    nm_foil, foil_code = next((id_, sku) for id_, sku in rows if sku.endswith("-NM-FOIL"))

    for _ in range(3):  # a storefront's print page
        assert api.get(f"/api/catalog/prints/{ids['bolt_print']}").status_code == 200
    for _ in range(5):  # part of another page: not a view
        url = f"/api/catalog/prints/{ids['bolt_print']}?count_view=false"
        assert api.get(url).status_code == 200
    assert api.get(f"/api/catalog/cards/{ids['bolt']}").status_code == 200
    assert api.get(f"/api/catalog/by-sku/{foil_code}").status_code == 200
    for _ in range(2):
        found = api.get("/api/catalog/search", params={"q": "Lightning Bolt"}).json()
        assert [d["print_id"] for d in found["data"]] == [ids["bolt_print"]]
    assert api.get("/api/catalog/cards/999999").status_code == 404

    # nothing written per request
    assert set(_counters(catalog_db, [nm_normal, nm_foil]).values()) == {(0, 0, 0)}

    report = popularity.flush(catalog_db)
    # the print's views and the card's view count on its representative SKU (NM, ungraded)
    assert _counters(catalog_db, [nm_normal, nm_foil]) == {
        nm_normal: (3 + 1, 2, 3 + 1 + 2),
        nm_foil: (1, 0, 1),
    }
    assert (report.counted, report.skus, report.prints, report.dropped) == (7, 2, 1, 0)
    with catalog_db.connect() as conn:
        queued = conn.execute(sa.select(IndexOutbox.print_id, IndexOutbox.reason)).all()
    assert queued == [(ids["bolt_print"], "popularity")]
    assert popularity.flush(catalog_db).counted == 0  # the batch was taken

    drained = drain_outbox(engine=any_engine, db=catalog_db, lease=lease)
    assert drained.error is None and drained.indexed == 1
    # Lightning Bolt's popularity is now 7 (4 + 2 + 1), above Pikachu's 5 (OpenSearch shows
    # it after its refresh, within a second)
    deadline = time.monotonic() + 5
    while (order := _most_popular_first(any_engine)[:2]) != ["Lightning Bolt", "Pikachu"]:
        assert time.monotonic() < deadline, order
        time.sleep(0.1)


def test_a_failed_flush_keeps_the_counts(api, catalog_db, monkeypatch):
    ids = seed_catalog(catalog_db)
    assert api.get(f"/api/catalog/prints/{ids['bolt_print']}").status_code == 200

    def broken(*_args, **_kwargs):
        raise RuntimeError("database down")

    with monkeypatch.context() as patch, pytest.raises(RuntimeError):
        patch.setattr(popularity, "_write", broken)
        popularity.flush(catalog_db)
    report = popularity.flush(catalog_db)
    assert (report.counted, report.skus) == (1, 1)


def test_the_flush_on_each_database(catalog_url, monkeypatch):
    """The counter SQL on SQLite and PostgreSQL, and the in-process flusher of the API (no
    Redis): its stop flushes what is left."""
    from sqlalchemy.orm import Session

    from models.settings import get_settings
    from tests.factories import catalog as factory

    db = make_engine(catalog_url)
    try:
        with Session(db) as s:
            card_set = factory.card_set(s, code="POP")
            card = factory.card(s, name="Popular Card")
            row = factory.print_(s, card=card, card_set=card_set)
            skus = factory.skus_for(s, print_row=row)
            s.commit()
            print_id, sku_ids = row.id, [k.id for k in skus]
        _configure(monkeypatch, catalog_url, "memory")
        monkeypatch.setenv("SIDEDECKED_POPULARITY_FLUSH_S", "60")
        get_settings.cache_clear()
        flusher = popularity.start_background_flush()
        assert flusher is not None
        popularity.record_views(print_ids=[print_id, print_id])
        popularity.record_search_hits([print_id, print_id])  # one search: counted once
        popularity.record_views(skus=["MTG-POP-999-EN-NM-FOIL"])  # no such SKU: dropped
        flusher.stop()
        counters = _counters(db, sku_ids)
        assert counters[min(sku_ids)] == (2, 1, 3)
        assert sum(sum(c) for c in counters.values()) == 6
    finally:
        db.dispose()
