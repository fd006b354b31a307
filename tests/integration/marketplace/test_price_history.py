"""The price history routes on both databases: signed events on three days through
`POST /api/events` (the real apply path), then `GET .../price-history` answers those prices in
date order, from the Redis cache until events change them; bad input is a clear 4xx."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from marketplace import samples
from models.db import make_engine
from tests.factories import catalog as factory
from tests.integration.etl.conftest import catalog_url

__all__ = ["catalog_url"]  # a migrated, empty catalog of each kind

SECRET = "price-history-secret"


@dataclass
class Market:
    client: TestClient
    print_id: int
    other_print_id: int
    normal: str  # the NM normal SKU
    foil: str  # the NM foil SKU
    days: list[str]  # the three days of events, oldest first


def _seed(url: str) -> tuple[int, int, dict[tuple[str, str], str]]:
    db = make_engine(url)
    try:
        with Session(db) as s:
            card_set = factory.card_set(s, code="PRC", name="Price Test Set")
            card = factory.card(s, name="Price Chart Card")
            row = factory.print_(s, card=card, card_set=card_set, collector_number="7")
            other = factory.print_(s, card=card, card_set=card_set, collector_number="8")
            skus = {(k.condition, k.finish): k.sku for k in factory.skus_for(s, print_row=row)}
            factory.skus_for(s, print_row=other)
            s.commit()
            return row.id, other.id, skus
    finally:
        db.dispose()


@pytest.fixture
def market(catalog_url, monkeypatch) -> Iterator[Market]:
    from models.db import get_engine
    from models.redis_clients import reset_redis_clients
    from models.settings import get_settings
    from search_api import errors
    from search_api.catalog.prices import router as prices_router
    from search_api.marketplace.routes import router as events_router
    from tests.conftest import TEST_REDIS_URL, worker_index
    from tests.integration.conftest import make_redis_url

    print_id, other_id, skus = _seed(catalog_url)
    monkeypatch.setenv("DATABASE_URL", catalog_url)
    monkeypatch.setenv("SIDEDECKED_EVENTS_SECRET", SECRET)
    # a Redis database other suites never flush; the keys carry this database's tag
    monkeypatch.setenv("REDIS_URL", make_redis_url(TEST_REDIS_URL, db=15 - worker_index() % 8))
    get_settings.cache_clear()
    get_engine.cache_clear()
    reset_redis_clients()
    app = FastAPI()
    errors.install(app)
    app.include_router(events_router)
    app.include_router(prices_router)
    today = datetime.now(UTC).date()
    with TestClient(app) as client:
        yield Market(
            client,
            print_id,
            other_id,
            skus[("NM", "NORMAL")],
            skus[("NM", "FOIL")],
            [(today - timedelta(days=n)).isoformat() for n in (2, 1, 0)],
        )
    get_engine().dispose()
    get_engine.cache_clear()
    reset_redis_clients()


def _post(client: TestClient, events: list[dict]) -> None:
    from search_api.marketplace.routes import sign

    body = json.dumps({"events": events}).encode()
    headers = {"Content-Type": "application/json", "X-Signature": sign(body, SECRET)}
    response = client.post("/api/events", content=body, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["applied"] == len(events)


def _three_days(m: Market) -> None:
    """One signed batch per day, as the commerce backend sends them."""
    day = [datetime.fromisoformat(d).replace(tzinfo=UTC) for d in m.days]
    noon = [datetime.combine(d, time(12), UTC) for d in day[:2]]
    today = day[2]  # midnight: never in the future
    _post(
        m.client,
        [
            samples.listed(m.normal, "v1", price="4.00", quantity=3, at=noon[0]),
            samples.listed(m.foil, "f1", price="9.00", quantity=2, at=noon[0]),
        ],
    )
    _post(
        m.client,
        [
            samples.listed(m.normal, "v2", seller="seller-2", price="5.00", at=noon[1]),
            samples.updated(m.normal, "v1", price="3.50", at=noon[1]),
            samples.sold(m.foil, "f1", price="9.00", at=noon[1]),
        ],
    )
    _post(
        m.client,
        [
            samples.updated(m.normal, "v1", price="3.00", at=today, event_id="day3-a"),
            samples.sold(m.normal, "v1", price="3.00", at=today, event_id="day3-b"),
        ],
    )


def _columns(points: list[dict]) -> dict[str, list]:
    return {
        k: [p[k] for p in points]
        for k in ("date", "lowest", "median", "market", "listings", "sales")
    }


def test_the_routes_answer_three_days_of_signed_events_in_date_order(market: Market) -> None:
    _three_days(market)
    response = market.client.get(f"/api/catalog/by-sku/{market.normal}/price-history?days=7")
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["sku"], body["condition"], body["finish"], body["currency"]) == (
        market.normal,
        "NM",
        "NORMAL",
        "USD",
    )
    assert (body["days"], body["to"]) == (7, market.days[2])
    assert _columns(body["points"]) == {
        "date": market.days,
        "lowest": [4.0, 3.5, 3.0],
        "median": [4.0, 4.25, 4.0],
        "market": [4.0, 4.25, 3.0],  # offers' median until a sale, then the sales' median
        "listings": [1, 2, 2],
        "sales": [0, 0, 1],
    }
    # a shorter window: the last two days
    two = market.client.get(f"/api/catalog/by-sku/{market.normal}/price-history?days=2").json()
    assert [p["date"] for p in two["points"]] == market.days[1:]

    whole = market.client.get(f"/api/catalog/prints/{market.print_id}/price-history?days=30")
    assert whole.status_code == 200, whole.text
    series = {s["sku"]: s for s in whole.json()["series"]}
    assert set(series) == {market.normal, market.foil}  # only SKUs with points
    assert series[market.normal]["points"] == body["points"]
    assert _columns(series[market.foil]["points"]) == {
        "date": market.days[:2],
        "lowest": [9.0, 9.0],
        "median": [9.0, 9.0],
        "market": [9.0, 9.0],
        "listings": [1, 1],
        "sales": [0, 1],
    }
    foil = market.client.get(
        f"/api/catalog/prints/{market.print_id}/price-history?condition=nm&finish=foil"
    ).json()
    assert (foil["condition"], foil["finish"]) == ("NM", "FOIL")
    assert [s["sku"] for s in foil["series"]] == [market.foil]
    other = market.client.get(f"/api/catalog/prints/{market.other_print_id}/price-history")
    assert other.status_code == 200 and other.json()["series"] == []


def test_a_cached_history_is_dropped_when_events_change_it(market: Market) -> None:
    from models.lookup_cache import cache_key
    from models.redis_clients import redis_client

    _three_days(market)
    url = f"/api/catalog/by-sku/{market.normal}/price-history"
    first = market.client.get(url).json()
    printed = market.client.get(f"/api/catalog/prints/{market.print_id}/price-history").json()
    client = redis_client(profile="cache")
    assert client is not None
    keys = [cache_key("sku-prices", market.normal), cache_key("print-prices", market.print_id)]
    assert all(client.hlen(k) == 1 for k in keys)  # one cached window of each
    assert market.client.get(url).json() == first  # (from the cache)

    today = datetime.fromisoformat(market.days[2]).replace(tzinfo=UTC)
    _post(
        market.client,
        [samples.updated(market.normal, "v2", price="2.00", at=today, event_id="day3-c")],
    )
    assert not any(client.exists(k) for k in keys)
    after = market.client.get(url).json()
    assert after["points"][-1]["lowest"] == 2.0 and after["points"][:-1] == first["points"][:-1]
    again = market.client.get(f"/api/catalog/prints/{market.print_id}/price-history").json()
    assert again != printed


@pytest.mark.parametrize(
    ("path", "status", "code", "words"),
    [
        ("/api/catalog/by-sku/MTG-PRC-999-EN-NM-NORMAL/price-history", 404, "not_found", "SKU"),
        ("/api/catalog/by-sku/NOT-A-SKU/price-history", 400, "bad_sku", ""),
        ("/api/catalog/prints/999999/price-history", 404, "not_found", "print 999999"),
        ("/api/catalog/by-sku/{normal}/price-history?days=0", 422, "invalid_request", "days"),
        ("/api/catalog/prints/{print}/price-history?days=366", 422, "invalid_request", "days"),
        ("/api/catalog/prints/{print}/price-history?days=x", 422, "invalid_request", "days"),
        ("/api/catalog/prints/{print}/price-history?condition=XX", 422, "bad_condition", "NM"),
        ("/api/catalog/prints/{print}/price-history?finish=GOLD", 422, "bad_finish", "FOIL"),
    ],
)
def test_bad_input_is_a_clear_4xx(market: Market, path, status, code, words) -> None:
    response = market.client.get(path.format(normal=market.normal, print=market.print_id))
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code
    assert words in str(body["details"])
