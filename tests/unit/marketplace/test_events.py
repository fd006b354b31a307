from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from marketplace import samples
from marketplace.events import (
    ProductListed,
    ProductUpdated,
    error_reason,
    parse_event,
    version_of,
)

AT = datetime(2026, 11, 1, 12, tzinfo=UTC)


def test_each_type_parses_to_its_class():
    event = parse_event(samples.listed("SKU-1", "v1", price="2.50", quantity=3, at=AT))
    assert isinstance(event, ProductListed)
    assert str(event.payload.price) == "2.50" and event.catalog_sku == "SKU-1"
    updated = parse_event(samples.updated("SKU-1", "v1", quantity=0, at=AT))
    assert isinstance(updated, ProductUpdated)
    for data in (
        samples.delisted("S", "v", at=AT),
        samples.sold("S", "v", price="1", at=AT),
        samples.consumer_seller("c1", at=AT),
    ):
        assert parse_event(data).type == data["type"]


def test_naive_time_is_utc_and_versions_order_by_time_then_id():
    data = samples.listed("S", "v", at=AT)
    data["occurred_at"] = "2026-11-01T12:00:00"
    event = parse_event(data)
    assert event.occurred_at == AT
    assert version_of(AT, "b") > version_of(AT, "a")
    assert version_of(datetime(2026, 11, 1, 12, 0, 1, tzinfo=UTC), "a") > version_of(AT, "z")


@pytest.mark.parametrize(
    "change, fragment",
    [
        ({"type": "product.exploded"}, "does not match any of the expected tags"),
        ({"event_id": ""}, "event_id"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"payload": {"catalog_sku": "S", "product_variant_id": "v"}}, "seller_id"),
    ],
)
def test_invalid_events_are_rejected_with_a_reason(change, fragment):
    data = {**samples.listed("S", "v", at=AT), **change}
    with pytest.raises(ValidationError) as info:
        parse_event(data)
    assert fragment in error_reason(info.value)


@pytest.mark.parametrize(
    "payload",
    [
        {"price": "-1"},
        {"price": "1.234"},
        {"quantity": -1},
        {"currency": "usd"},
        {"seller_tier": "wholesale"},
        {"extra": 1},
    ],
)
def test_invalid_listing_payloads(payload):
    data = samples.listed("S", "v", at=AT)
    data["payload"].update(payload)
    with pytest.raises(ValidationError):
        parse_event(data)


def test_an_update_must_change_something():
    with pytest.raises(ValidationError, match="price or a quantity"):
        parse_event(samples.updated("S", "v", at=AT))
