"""Lookups and search on PostgreSQL (the committed fixtures of every source loaded by the ETL
pipeline), with the Redis lookup cache, and without Redis."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
import sqlalchemy as sa
from fastapi.testclient import TestClient

from etl.pipeline import load
from models import migrate
from models.db import make_engine
from tests.integration.search_api.ranking.support import (
    SampleIndex,
    add_market_data,
    client_for,
    rebuild_index,
)

FIXTURES = ("scryfall", "pokemontcg", "ygoprodeck", "optcg")


@pytest.fixture
def pg_sample(empty_database_url, tmp_path) -> SampleIndex:
    from models.settings import REPO_ROOT

    migrate.upgrade(url=empty_database_url)
    db = make_engine(empty_database_url)
    try:
        for source in FIXTURES:
            result = load(source, [REPO_ROOT / "tests" / "fixtures" / source], engine=db)
            assert result.ok, result.error
        add_market_data(db)
    finally:
        db.dispose()
    sample = SampleIndex("tantivy", empty_database_url, tmp_path / "index")
    rebuild_index(sample)
    return sample


@pytest.fixture
def pg_api(pg_sample, redis_url, monkeypatch) -> Iterator[TestClient]:
    monkeypatch.setenv("REDIS_URL", redis_url)
    with client_for(pg_sample, monkeypatch) as client:
        yield client


def _a_sku(url: str) -> tuple[str, int]:
    db = make_engine(url)
    try:
        with db.connect() as conn:
            return tuple(
                conn.execute(
                    sa.text(
                        "SELECT sku, print_id FROM catalog_skus WHERE is_available_b2c ORDER BY id LIMIT 1"
                    )
                ).one()
            )
    finally:
        db.dispose()


def test_lookups_on_postgres_are_cached_in_redis(pg_api, pg_sample, redis_url):
    sku, print_id = _a_sku(pg_sample.database_url)
    first = pg_api.get(f"/api/catalog/by-sku/{sku}")
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["sku"]["sku"] == sku and body["print"]["print_id"] == print_id
    keys = redis.Redis.from_url(redis_url).keys("sidedecked:catalog:*")
    assert any(b":sku:" in k for k in keys)
    # served from the cache: a change in the database shows after the TTL, not now
    db = make_engine(pg_sample.database_url)
    with db.begin() as conn:
        conn.execute(sa.text("UPDATE catalog_skus SET min_price = 999 WHERE sku = :s"), {"s": sku})
    db.dispose()
    assert pg_api.get(f"/api/catalog/by-sku/{sku}").json() == body
    card_id = body["card"]["id"]
    assert pg_api.get(f"/api/catalog/cards/{card_id}").status_code == 200
    assert pg_api.get(f"/api/catalog/prints/{print_id}").status_code == 200
    assert pg_api.get("/api/catalog/by-sku/MTG-NOPE-1-EN-NM-FOIL").status_code == 404
    search = pg_api.get("/api/catalog/search", params={"q": body["card"]["name"]})
    assert search.status_code == 200 and search.json()["total"] >= 1


def test_lookups_answer_when_redis_is_down(pg_sample, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    sku, _ = _a_sku(pg_sample.database_url)
    with client_for(pg_sample, monkeypatch) as client:
        response = client.get(f"/api/catalog/by-sku/{sku}")
        assert response.status_code == 200, response.text
        assert client.get("/api/catalog/by-sku/MTG-NOPE-1-EN-NM-FOIL").status_code == 404
