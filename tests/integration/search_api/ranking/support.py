"""A realistic sample of the real catalog, indexed on both engines, behind the real app.

The sample is `etl/demo.py`'s cut of the shared data, the one `make demo` loads (ten Magic sets
plus the modern Scryfall fixtures, seven Pokémon sets, three Yu-Gi-Oh! sets, three One Piece
sets: about 6,500 prints),
loaded with the normal ETL pipeline into a SQLite catalog once per test session; some SKUs get
market data so the SKU summary and the price/availability filters have something to show. Each
engine's index is rebuilt from it once per session. Test modules import these fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

ENGINES = ("tantivy", "opensearch")


@dataclass(frozen=True, slots=True)
class SampleIndex:
    kind: str
    database_url: str
    index_dir: Path
    opensearch_url: str | None = None
    prefix: str | None = None


def load_sample(database_url: str, dest: Path, shared: Path) -> None:
    from etl.demo import prepare_demo_inputs
    from etl.pipeline import load
    from models import migrate
    from models.db import make_engine

    migrate.upgrade(url=database_url)
    db = make_engine(database_url)
    try:
        for item in prepare_demo_inputs(dest=dest, shared_data=shared):
            result = load(item.source, [item.path], engine=db)
            assert result.ok, result.error
        add_market_data(db)
    finally:
        db.dispose()


def add_market_data(db: sa.engine.Engine) -> None:
    """Deterministic offers: a third of the NM SKUs sold by vendors, a seventh of the LP ones by
    consumers (ids are cyclic per condition, hence 7), with prices derived from the SKU id."""
    with db.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE catalog_skus SET is_available_b2c = :t, vendor_count = 1,"
                " total_listings = 2, total_quantity = 3, min_price = 1 + (id % 50),"
                " max_price = 2 + (id % 50), market_price = 1.5 + (id % 50)"
                " WHERE condition = 'NM' AND id % 3 = 0"
            ),
            {"t": True},
        )
        conn.execute(
            sa.text(
                "UPDATE catalog_skus SET is_available_c2c = :t, consumer_seller_count = 1,"
                " total_listings = 1, total_quantity = 1, min_price = 0.5 + (id % 20),"
                " max_price = 0.5 + (id % 20), view_count = id % 1000"
                " WHERE condition = 'LP' AND id % 7 = 0"
            ),
            {"t": True},
        )
        # Lightning Bolt (M10 146), which the API tests inspect, gets exactly one offer: its
        # NM foil from a vendor, whatever ids the sample's load order handed out
        conn.execute(
            sa.text(
                "UPDATE catalog_skus SET is_available_b2c = :f, is_available_c2c = :f,"
                " vendor_count = 0, consumer_seller_count = 0, total_listings = 0,"
                " total_quantity = 0, min_price = NULL, max_price = NULL, market_price = NULL"
                " WHERE sku LIKE 'MTG-M10-146-EN-%'"
            ),
            {"f": False},
        )
        conn.execute(
            sa.text(
                "UPDATE catalog_skus SET is_available_b2c = :t, vendor_count = 1,"
                " total_listings = 2, total_quantity = 3, min_price = 2, max_price = 3,"
                " market_price = 2.5 WHERE sku = 'MTG-M10-146-EN-NM-FOIL'"
            ),
            {"t": True},
        )


def rebuild_index(sample: SampleIndex) -> None:
    from indexer.rebuild import rebuild
    from models.db import make_engine
    from models.locks import FileLease

    engine = make_search_engine(sample)
    db = make_engine(sample.database_url)
    try:
        rebuild(engine=engine, db=db, lease=FileLease(sample.index_dir / "writer.lock"))
    finally:
        db.dispose()
        engine.close()


def make_search_engine(sample: SampleIndex):
    if sample.kind == "opensearch":
        from indexer.engines.opensearch import OpenSearchEngine

        return OpenSearchEngine(url=sample.opensearch_url, prefix=sample.prefix)
    from indexer.engines.tantivy_engine import TantivyEngine

    return TantivyEngine(directory=sample.index_dir)


@pytest.fixture(scope="session")
def sample_database(tmp_path_factory, shared_data) -> str:
    base = tmp_path_factory.mktemp("catalog-sample")
    url = f"sqlite:///{base / 'catalog.db'}"
    load_sample(url, base / "inputs", shared_data)
    return url


@pytest.fixture(scope="session", params=ENGINES)
def sample_index(request, tmp_path_factory, sample_database) -> SampleIndex:
    """The sample indexed on each engine (tests using it run once per engine)."""
    index_dir = tmp_path_factory.mktemp(f"index-{request.param}")
    if request.param == "opensearch":
        url = request.getfixturevalue("opensearch_url")
        prefix = f"{request.getfixturevalue('opensearch_prefix')}-catalog"
        sample = SampleIndex("opensearch", sample_database, index_dir, url, prefix)
    else:
        sample = SampleIndex("tantivy", sample_database, index_dir)
    rebuild_index(sample)
    return sample


def client_for(sample: SampleIndex, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    from models.db import get_engine
    from models.redis_clients import reset_redis_clients
    from models.settings import get_settings
    from search_api.app import create_app

    monkeypatch.setenv("DATABASE_URL", sample.database_url)
    monkeypatch.setenv("SIDEDECKED_INDEX_DIR", str(sample.index_dir))
    if sample.opensearch_url:
        monkeypatch.setenv("OPENSEARCH_URL", sample.opensearch_url)
        monkeypatch.setenv("SIDEDECKED_INDEX_PREFIX", sample.prefix or "")
    get_settings.cache_clear()
    get_engine.cache_clear()
    reset_redis_clients()
    return TestClient(create_app())


@pytest.fixture
def api(sample_index, monkeypatch) -> Iterator[TestClient]:
    """The app on the sample, once per engine."""
    with client_for(sample_index, monkeypatch) as client:
        yield client
