"""POST /api/events on PostgreSQL: HMAC signatures, validation, idempotent replays."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from marketplace import samples
from models.settings import get_settings
from search_api import errors
from search_api.marketplace.routes import router, sign

SECRET = "test-secret"
AT = datetime(2026, 11, 10, 12, tzinfo=UTC)


@pytest.fixture
def client(events_db, monkeypatch) -> Iterator[TestClient]:
    from models.db import get_engine

    monkeypatch.setenv("DATABASE_URL", events_db.url)
    monkeypatch.setenv("SIDEDECKED_EVENTS_SECRET", SECRET)
    get_settings.cache_clear()
    get_engine.cache_clear()
    app = FastAPI()
    errors.install(app)
    app.include_router(router)
    with TestClient(app) as test_client:
        yield test_client
    get_engine().dispose()


def post(client, payload, *, secret: str | None = SECRET, signature: str | None = None):
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Signature"] = signature
    elif secret is not None:
        headers["X-Signature"] = sign(body, secret)
    return client.post("/api/events", content=body, headers=headers)


def test_signed_batch_is_applied_and_a_replay_changes_nothing(client, events_db):
    sku = events_db.skus[0]
    events = [
        samples.listed(sku, "v1", price="3.00", quantity=2, at=AT, event_id="api-1"),
        samples.listed(
            sku, "v2", tier="consumer", seller="c", price="1.00", at=AT, event_id="api-2"
        ),
    ]
    batch = {"events": events}
    response = post(client, batch)
    assert response.status_code == 200, response.text
    assert response.json()["applied"] == 2
    row = events_db.sku_row(sku)  # the catalog row shows it at once
    assert row["is_available_b2c"] and row["is_available_c2c"]
    assert (row["min_price"], row["max_price"]) == (Decimal("1.00"), Decimal("3.00"))
    before = events_db.snapshot()

    again = post(client, batch)
    assert again.status_code == 200
    assert again.json()["applied"] == 0 and again.json()["duplicates"] == 2
    assert events_db.snapshot() == before


@pytest.mark.parametrize(
    "kwargs",
    [
        {"secret": None},
        {"secret": "wrong"},
        {"signature": "sha256=00"},
        {"signature": "md5=abc"},
    ],
)
def test_unsigned_or_wrongly_signed_requests_get_401(client, events_db, kwargs):
    batch = {"events": [samples.listed(events_db.skus[0], "v1", at=AT, event_id="x")]}
    response = post(client, batch, **kwargs)
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"
    assert events_db.count("processed_events") == 0


def test_invalid_events_get_422_with_reasons_and_nothing_is_applied(client, events_db):
    good = samples.listed(events_db.skus[0], "v1", at=AT, event_id="ok")
    bad = samples.listed(events_db.skus[0], "v2", at=AT, event_id="bad")
    bad["payload"]["price"] = "-3"
    response = post(client, {"events": [good, bad]})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_events"
    assert body["details"][0]["index"] == 1 and "price" in body["details"][0]["reason"]

    unknown = samples.listed("MTG-XXX-001-EN-NM-NORMAL", "v2", at=AT, event_id="unk")
    response = post(client, [good, unknown])
    assert response.status_code == 422
    assert "unknown catalog_sku" in response.json()["details"][0]["reason"]
    assert events_db.count("processed_events") == 0

    assert post(client, {"events": []}).status_code == 422
    assert post(client, "not a batch").status_code == 422


def test_without_a_secret_the_endpoint_is_disabled(client, events_db, monkeypatch):
    monkeypatch.delenv("SIDEDECKED_EVENTS_SECRET")
    get_settings.cache_clear()
    response = post(client, {"events": []})
    assert response.status_code == 503


def test_by_sku_shows_the_new_market_data_at_once_even_when_cached(
    events_db, redis_url, monkeypatch
):
    """Through the real app with the Redis lookup cache on: a cached answer is dropped when
    an event batch changes the SKU."""
    from models import lookup_cache
    from models.db import get_engine
    from models.redis_clients import redis_client, reset_redis_clients
    from search_api.app import create_app

    monkeypatch.setenv("DATABASE_URL", events_db.url)
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("SIDEDECKED_EVENTS_SECRET", SECRET)
    get_settings.cache_clear()
    get_engine.cache_clear()
    reset_redis_clients()
    sku = events_db.skus[3]
    with TestClient(create_app()) as app_client:
        cache_client = redis_client(profile="cache")
        cache_client.delete(lookup_cache.cache_key("sku", sku))
        before = app_client.get(f"/api/catalog/by-sku/{sku}")
        assert before.status_code == 200, before.text
        assert before.json()["sku"]["is_available_b2c"] is False
        batch = [samples.listed(sku, "v9", price="7.25", quantity=2, at=AT, event_id="by-1")]
        assert post(app_client, batch).status_code == 200
        after = app_client.get(f"/api/catalog/by-sku/{sku}").json()["sku"]
        assert after["is_available_b2c"] is True and after["min_price"] == 7.25
        assert after["vendor_count"] == 1 and after["market_price"] == 7.25
        cache_client.delete(lookup_cache.cache_key("sku", sku))
    reset_redis_clients()
    get_engine().dispose()
