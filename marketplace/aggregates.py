"""Pure recomputation of a SKU's marketplace aggregates from its listings and sales.

No database here: `compute` takes the SKU's listings and sales and an `as_of` time (the
latest event the SKU has seen, so a replay computes exactly the same values) and returns
the columns of `catalog_skus`. The rules (docs/events.md):

* a listing is *on offer* when it is `active`, has a price and an effective quantity > 0;
  the effective quantity is the last stated quantity minus the units of sales that happened
  after that statement (a later update already accounts for earlier sales);
* availability, seller counts, listing count, quantity and the price span (min, max, mean,
  median of the listing prices, each listing counted once) are over the listings on offer;
* market price = median unit price of the sales of the last 30 days, else the listing median;
* price trend = median of the last 7 days' sales against the median of the 23 days before:
  `up` above +5 %, `down` below -5 %, else `stable` (also `stable` when a window has no sales);
  None when the SKU has neither listings on offer nor sales in the last 30 days.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

MARKET_WINDOW = timedelta(days=30)
TREND_RECENT = timedelta(days=7)
TREND_THRESHOLD = Decimal("0.05")
CENT = Decimal("0.01")
#: The `catalog_skus` columns the aggregates set (`SkuAggregates.columns`).
SKU_COLUMNS = (
    "is_available_b2c",
    "is_available_c2c",
    "vendor_count",
    "consumer_seller_count",
    "total_listings",
    "total_quantity",
    "min_price",
    "max_price",
    "avg_price",
    "median_price",
    "market_price",
    "price_trend",
    "price_updated_at",
    "sale_count",
)


@dataclass(frozen=True, slots=True)
class ListingState:
    product_variant_id: str
    seller_id: str | None
    seller_tier: str | None
    status: str
    price: Decimal | None
    quantity: int | None
    quantity_version: str | None = None


@dataclass(frozen=True, slots=True)
class Sale:
    product_variant_id: str
    quantity: int
    price: Decimal
    occurred_at: datetime
    version: str


@dataclass(slots=True)
class SkuAggregates:
    is_available_b2c: bool = False
    is_available_c2c: bool = False
    vendor_count: int = 0
    consumer_seller_count: int = 0
    total_listings: int = 0
    total_quantity: int = 0
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    avg_price: Decimal | None = None
    median_price: Decimal | None = None
    market_price: Decimal | None = None
    price_trend: str | None = None
    price_updated_at: datetime | None = None
    sale_count: int = 0
    #: units sold on the day of `price_updated_at` (for the daily price point)
    units_sold_today: int = 0
    effective_quantities: dict[str, int] = field(default_factory=dict)

    def columns(self) -> dict[str, object]:
        """The `catalog_skus` columns."""
        return {name: getattr(self, name) for name in SKU_COLUMNS}


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def median(values: list[Decimal]) -> Decimal | None:
    return cents(Decimal(statistics.median(values))) if values else None


def effective_quantity(listing: ListingState, sales: Iterable[Sale]) -> int:
    if listing.quantity is None:
        return 0
    after = listing.quantity_version or ""
    sold = sum(
        s.quantity
        for s in sales
        if s.product_variant_id == listing.product_variant_id and s.version > after
    )
    return max(0, listing.quantity - sold)


def trend(sales: list[Sale], as_of: datetime) -> str:
    recent = [s.price for s in sales if as_of - TREND_RECENT < s.occurred_at <= as_of]
    prior = [
        s.price for s in sales if as_of - MARKET_WINDOW < s.occurred_at <= as_of - TREND_RECENT
    ]
    if not recent or not prior:
        return "stable"
    now, before = statistics.median(recent), statistics.median(prior)
    if now > before * (1 + TREND_THRESHOLD):
        return "up"
    if now < before * (1 - TREND_THRESHOLD):
        return "down"
    return "stable"


def compute(
    listings: Iterable[ListingState], sales: Iterable[Sale], as_of: datetime | None
) -> SkuAggregates:
    listings = list(listings)
    sales = sorted(sales, key=lambda s: s.version)
    by_variant: dict[str, list[Sale]] = defaultdict(list)
    for sale in sales:
        by_variant[sale.product_variant_id].append(sale)
    agg = SkuAggregates(price_updated_at=as_of, sale_count=sum(s.quantity for s in sales))
    prices: list[Decimal] = []
    vendors: set[str] = set()
    consumers: set[str] = set()
    for listing in listings:
        qty = effective_quantity(listing, by_variant.get(listing.product_variant_id, ()))
        agg.effective_quantities[listing.product_variant_id] = qty
        if listing.status != "active" or listing.price is None or qty <= 0:
            continue
        prices.append(listing.price)
        agg.total_listings += 1
        agg.total_quantity += qty
        seller = listing.seller_id or f"variant:{listing.product_variant_id}"
        if listing.seller_tier == "consumer":
            agg.is_available_c2c = True
            consumers.add(seller)
        else:
            agg.is_available_b2c = True
            vendors.add(seller)
    agg.vendor_count, agg.consumer_seller_count = len(vendors), len(consumers)
    if prices:
        agg.min_price, agg.max_price = min(prices), max(prices)
        agg.avg_price = cents(sum(prices, Decimal(0)) / len(prices))
        agg.median_price = median(prices)
    if as_of is None:
        return agg
    window = [s for s in sales if as_of - MARKET_WINDOW < s.occurred_at <= as_of]
    agg.market_price = median([s.price for s in window]) or agg.median_price
    agg.price_trend = trend(window, as_of) if (window or prices) else None
    agg.units_sold_today = sum(s.quantity for s in sales if s.occurred_at.date() == as_of.date())
    return agg
