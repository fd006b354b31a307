"""Response (and request) models of `/api/catalog`: what the OpenAPI document at `/docs` shows."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

#: Most identifiers `POST /api/catalog/collection` accepts at once.
MAX_IDENTIFIERS = 75


class PrintItem(BaseModel):
    """One print with its card's essentials and the summary of its SKUs on offer."""

    card_id: int
    print_id: int
    name: str
    game: str
    set_code: str
    set_name: str | None = None
    collector_number: str | None = None
    rarity: str | None = None
    language: str | None = None
    image: str | None = Field(
        None,
        description="URL of the print's image: the mirrored 400 px rendition when there is one "
        "(docs/images.md), else the upstream image.",
    )
    image_srcset: str | None = Field(
        None, description="`srcset` of the mirrored renditions (176, 400 and 560 px wide)."
    )
    image_blurhash: str | None = Field(
        None, description="Blurhash of the mirrored image, to show while it loads."
    )
    type_line: str | None = None
    mana_cost: str | None = None
    released_at: date | None = None
    finishes: list[str] = Field(default_factory=list, description="Finishes the print exists in.")
    # the SKU summary
    finishes_on_offer: list[str] = Field(
        default_factory=list, description="Finishes of SKUs with any availability."
    )
    conditions: list[str] = Field(
        default_factory=list, description="Conditions of SKUs with any availability."
    )
    price_min: float | None = Field(None, description="Lowest price over available SKUs.")
    price_max: float | None = Field(None, description="Highest price over available SKUs.")
    market_price: float | None = None
    currency: str | None = None
    available: list[Literal["b2c", "c2c"]] = Field(
        default_factory=list, description="Where it is on offer: vendors (b2c), consumers (c2c)."
    )
    total_listings: int | None = None


class SearchItem(PrintItem):
    """A search result: with `unique=cards` the card's best matching print, plus `prints`."""

    score: float | None = None
    prints: list[PrintItem] = Field(
        default_factory=list,
        description="With unique=cards: the card's best matching prints (up to prints_per_card).",
    )
    prints_total: int | None = Field(
        None,
        description="With unique=cards and prints_per_card > 0: how many of the card's prints "
        "match in all (`prints` may list fewer).",
    )


class FacetValue(BaseModel):
    value: str = Field(description="What to send back as the facet's filter (e.g. `rarity=`).")
    label: str = Field(
        description="What to show: e.g. a rarity's display label, the chosen game's own."
    )
    count: int


class SearchResponse(BaseModel):
    total: int = Field(description="Matching cards (unique=cards) or prints (unique=prints).")
    data: list[SearchItem]
    facets: dict[str, list[FacetValue]]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page.")
    warnings: list[str] = Field(default_factory=list)


class SuggestionItem(BaseModel):
    name: str
    card_id: int
    game: str


class AutocompleteResponse(BaseModel):
    data: list[SuggestionItem]


class CardOut(BaseModel):
    """A card (oracle identity): what is the same across its printings."""

    model_config = ConfigDict(populate_by_name=True)

    id: int
    game: str
    name: str
    face_names: list[str] = Field(default_factory=list)
    type_line: str | None = None
    supertypes: list[str] = Field(default_factory=list)
    types: list[str] = Field(default_factory=list)
    subtypes: list[str] = Field(default_factory=list)
    rules_text: str | None = None
    keywords: list[str] = Field(default_factory=list)
    mana_cost: str | None = None
    mana_value: float | None = None
    colors: list[str] = Field(default_factory=list)
    color_identity: list[str] = Field(default_factory=list)
    power: int | None = None
    defense: int | None = None
    power_text: str | None = None
    toughness_text: str | None = None
    loyalty: str | None = None
    hp: int | None = None
    retreat_cost: int | None = None
    energy_types: list[str] = Field(default_factory=list)
    evolves_from: str | None = None
    attributes: list[str] = Field(default_factory=list)
    level: int | None = None
    rank: int | None = None
    link_rating: int | None = None
    atk: int | None = None
    def_: int | None = Field(None, alias="def")
    cost: int | None = None
    counter: int | None = None
    life: int | None = None


class SkuOut(BaseModel):
    """A sellable unit (print x condition x finish [x grade]) and its market data."""

    sku: str
    print_id: int
    language: str
    condition: str
    finish: str
    grade: str | None = None
    is_available_b2c: bool
    is_available_c2c: bool
    vendor_count: int
    consumer_seller_count: int
    total_listings: int
    total_quantity: int
    min_price: float | None = None
    max_price: float | None = None
    avg_price: float | None = None
    median_price: float | None = None
    market_price: float | None = None
    price_trend: str | None = None
    currency: str
    price_updated_at: str | None = None


class CardDetail(BaseModel):
    card: CardOut
    prints: list[PrintItem]


class PrintDetail(BaseModel):
    print: PrintItem
    card: CardOut
    artist: str | None = None
    flavor_text: str | None = None
    images: dict[str, Any] = Field(default_factory=dict)
    skus: list[SkuOut]


class SkuDetail(BaseModel):
    sku: SkuOut
    print: PrintItem
    card: CardOut


class PricePoint(BaseModel):
    """One day's market data of a SKU: as it stood at the end of that UTC day."""

    date: str = Field(description="The UTC day, YYYY-MM-DD.")
    lowest: float | None = Field(None, description="Lowest price on offer.")
    median: float | None = Field(None, description="Median price on offer.")
    market: float | None = Field(None, description="Market price (recent sales, else offers).")
    listings: int = Field(description="Listings on offer.")
    sales: int = Field(description="Units sold that day.")


class PriceSeries(BaseModel):
    """The points of one SKU (a condition x finish [x grade] of a print), oldest first."""

    sku: str
    condition: str
    finish: str
    grade: str | None = None
    currency: str
    points: list[PricePoint]


class PriceWindow(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    days: int
    from_: str = Field(alias="from", description="First day of the window (UTC).")
    to: str = Field(description="Last day of the window: today (UTC).")


class SkuPriceHistory(PriceWindow, PriceSeries):
    """`GET /api/catalog/by-sku/{sku}/price-history`."""


class PrintPriceHistory(PriceWindow):
    """`GET /api/catalog/prints/{id}/price-history`: the series of the SKUs with a point in
    the window (of the asked condition and finish)."""

    print_id: int
    condition: str | None = None
    finish: str | None = None
    series: list[PriceSeries]


class Identifier(BaseModel):
    """One of: `sku`; `print_id`; `name` (optionally with `set`); `set` + `number`."""

    model_config = ConfigDict(extra="forbid")

    sku: str | None = Field(None, max_length=200)
    print_id: int | None = Field(None, ge=1, le=2**63 - 1)
    name: str | None = Field(None, min_length=1, max_length=300)
    set: str | None = Field(None, min_length=1, max_length=48)
    number: str | None = Field(None, min_length=1, max_length=48)
    game: str | None = Field(None, max_length=32)

    @model_validator(mode="after")
    def _one_kind(self) -> Identifier:
        kinds = [
            self.sku is not None,
            self.print_id is not None,
            self.name is not None,
            self.name is None and self.set is not None and self.number is not None,
        ]
        if sum(kinds) != 1 or (self.number is not None and self.set is None):
            raise ValueError(
                "give exactly one of: sku; print_id; name (optionally with set); set + number"
            )
        if self.name is not None and self.number is not None:
            raise ValueError("name and number do not go together (use name + set, or set + number)")
        if self.set is not None and self.name is None and self.number is None:
            raise ValueError("set needs a name or a number")
        return self


class CollectionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    identifiers: list[Identifier] = Field(min_length=1, max_length=MAX_IDENTIFIERS)


class CollectionResponse(BaseModel):
    data: list[PrintItem] = Field(description="The prints found, in the order asked.")
    not_found: list[dict[str, Any]] = Field(
        description="The identifiers (as sent) that name no print, or several cards."
    )


class ErrorBody(BaseModel):
    """Every error answer: a stable machine-readable `code` and human `details`."""

    code: str
    details: Any = None
