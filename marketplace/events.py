"""Pydantic models of the marketplace events (JSON), one class per `type`.

Every event has a unique `event_id`, a `type`, an `occurred_at` (timezone-aware; a naive time
is taken as UTC) and a `payload`. `parse_event` / `EVENT_ADAPTER` pick the class by `type`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal, overload

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator, model_validator

Id = Annotated[str, Field(min_length=1, max_length=128)]
Price = Annotated[Decimal, Field(gt=0, le=Decimal("9999999999.99"), decimal_places=2)]
Quantity = Annotated[int, Field(ge=0, le=1_000_000)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
SellerTier = Literal["business", "consumer"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ListedPayload(_Strict):
    product_variant_id: Id
    catalog_sku: Annotated[str, Field(min_length=1, max_length=200)]
    seller_id: Id
    seller_tier: SellerTier
    price: Price
    currency: Currency = "USD"
    quantity: Quantity


class UpdatedPayload(_Strict):
    product_variant_id: Id
    catalog_sku: Annotated[str, Field(min_length=1, max_length=200)]
    price: Price | None = None
    quantity: Quantity | None = None
    currency: Currency | None = None

    @model_validator(mode="after")
    def _something_changes(self) -> UpdatedPayload:
        if self.price is None and self.quantity is None:
            raise ValueError("product.updated needs a price or a quantity")
        return self


class DelistedPayload(_Strict):
    product_variant_id: Id
    catalog_sku: Annotated[str, Field(min_length=1, max_length=200)]


class SoldPayload(_Strict):
    product_variant_id: Id
    catalog_sku: Annotated[str, Field(min_length=1, max_length=200)]
    quantity: Annotated[int, Field(ge=1, le=1_000_000)]
    price: Price
    currency: Currency = "USD"
    seller_id: Id | None = None
    order_id: Id | None = None


class ConsumerSellerPayload(_Strict):
    seller_id: Id
    display_name: Annotated[str | None, Field(max_length=255)] = None


class _Event(_Strict):
    event_id: Id
    occurred_at: datetime
    if TYPE_CHECKING:  # each event class declares its own payload field
        payload: BaseModel

    @field_validator("occurred_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    @property
    def version(self) -> str:
        """Total order of changes (`version_of`)."""
        return version_of(self.occurred_at, self.event_id)

    @property
    def catalog_sku(self) -> str | None:
        return getattr(self.payload, "catalog_sku", None)


class ProductListed(_Event):
    type: Literal["product.listed"]
    payload: ListedPayload


class ProductUpdated(_Event):
    type: Literal["product.updated"]
    payload: UpdatedPayload


class ProductDelisted(_Event):
    type: Literal["product.delisted"]
    payload: DelistedPayload


class ProductSold(_Event):
    type: Literal["product.sold"]
    payload: SoldPayload


class ConsumerSellerCreated(_Event):
    type: Literal["consumer_seller.created"]
    payload: ConsumerSellerPayload


Event = Annotated[
    ProductListed | ProductUpdated | ProductDelisted | ProductSold | ConsumerSellerCreated,
    Field(discriminator="type"),
]
EVENT_TYPES = (
    "product.listed",
    "product.updated",
    "product.delisted",
    "product.sold",
    "consumer_seller.created",
)
EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)
#: At most this many events per POST /api/events.
MAX_BATCH = 1000


def parse_event(data: Any) -> Event:
    """Validate one event (a dict or JSON text); raises pydantic.ValidationError."""
    if isinstance(data, str | bytes):
        return EVENT_ADAPTER.validate_json(data)
    return EVENT_ADAPTER.validate_python(data)


def error_reason(exc: Exception) -> str:
    """A short human-readable reason from a validation error (for 422s and dead letters)."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        parts = []
        for err in errors()[:5]:
            loc = ".".join(str(p) for p in err.get("loc", ()))
            parts.append(f"{loc}: {err.get('msg')}" if loc else str(err.get("msg")))
        return "; ".join(parts)
    return f"{type(exc).__name__}: {exc}"


@overload
def aware(value: datetime) -> datetime: ...
@overload
def aware(value: None) -> None: ...
def aware(value: datetime | None) -> datetime | None:
    """`value` with a time zone: a naive time (as SQLite returns them) is taken as UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def version_of(occurred_at: datetime, event_id: str) -> str:
    """Total order of changes: occurred_at (fixed-width UTC) then event_id."""
    at = occurred_at if occurred_at.tzinfo is not None else occurred_at.replace(tzinfo=UTC)
    return f"{at.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%S.%fZ')}|{event_id}"
