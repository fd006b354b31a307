from datetime import UTC, datetime, timedelta
from decimal import Decimal

from marketplace.aggregates import ListingState, Sale, compute, effective_quantity
from marketplace.events import version_of

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
D = Decimal


def listing(variant, price, qty=1, *, tier="business", seller=None, status="active", qv=None):
    return ListingState(variant, seller or f"s-{variant}", tier, status, D(price), qty, qv)


def sale(variant, price, *, days_ago=0.0, qty=1, eid=None):
    at = NOW - timedelta(days=days_ago)
    return Sale(variant, qty, D(price), at, version_of(at, eid or f"{variant}-{days_ago}"))


def test_no_listings_and_no_sales():
    agg = compute([], [], None)
    assert not agg.is_available_b2c and not agg.is_available_c2c
    assert agg.total_listings == 0
    assert (agg.min_price, agg.market_price, agg.price_trend) == (None, None, None)


def test_price_span_counts_and_availability():
    agg = compute(
        [
            listing("a", "1.00", 2),
            listing("b", "3.00", 1, seller="s-a"),  # same vendor as a
            listing("c", "2.00", 4, tier="consumer"),
            listing("d", "0.50", 1, status="delisted"),
            listing("e", "0.10", 0),  # sold out
            listing("f", "0.20", 5, status="pending"),
        ],
        [],
        NOW,
    )
    assert agg.is_available_b2c and agg.is_available_c2c
    assert (agg.vendor_count, agg.consumer_seller_count) == (1, 1)
    assert (agg.total_listings, agg.total_quantity) == (3, 7)
    prices = (agg.min_price, agg.max_price, agg.avg_price, agg.median_price)
    assert prices == (D("1.00"), D("3.00"), D("2.00"), D("2.00"))
    assert agg.market_price == D("2.00")  # no sales: the listing median
    assert agg.price_trend == "stable"
    assert agg.price_updated_at == NOW


def test_even_median_and_rounding():
    agg = compute([listing("a", "1.00"), listing("b", "2.25")], [], NOW)
    assert agg.median_price == D("1.63") and agg.avg_price == D("1.63")


def test_market_price_is_the_median_of_recent_sales():
    sales = [
        sale("a", "5.00", days_ago=1),
        sale("a", "7.00", days_ago=2),
        sale("a", "6.00", days_ago=3),
        sale("a", "100.00", days_ago=45),
    ]
    agg = compute([listing("a", "9.00", 10)], sales, NOW)
    assert agg.market_price == D("6.00")
    assert agg.sale_count == 4


def test_trend_rule():
    base = [sale("a", "10.00", days_ago=d) for d in (10, 12, 14)]
    up = compute([], [*base, sale("a", "11.00", days_ago=1)], NOW)
    down = compute([], [*base, sale("a", "9.00", days_ago=1)], NOW)
    flat = compute([], [*base, sale("a", "10.40", days_ago=1)], NOW)
    assert (up.price_trend, down.price_trend, flat.price_trend) == ("up", "down", "stable")
    assert compute([], [sale("a", "11.00", days_ago=1)], NOW).price_trend == "stable"


def test_sales_after_the_stated_quantity_are_subtracted():
    stated = version_of(NOW - timedelta(days=2), "upd")
    state = listing("a", "1.00", 5, qv=stated)
    sales = [
        sale("a", "1", days_ago=3, qty=2),
        sale("a", "1", days_ago=1, qty=2),
        sale("b", "1", days_ago=1, qty=2),
    ]
    assert effective_quantity(state, sales) == 3
    agg = compute([listing("a", "1.00", 1, qv=stated)], sales, NOW)
    assert agg.total_listings == 0 and not agg.is_available_b2c  # sold out
