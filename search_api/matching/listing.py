"""`POST /api/matching/match`: one listing (a title and/or structured fields) matched, and
recorded when the seller names its product."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, model_validator

from etl.graded_skus import ensure_skus, is_graded
from matching import review as review_ops
from matching.auth import OWN_SELLER_ONLY
from matching.decisions import seller_thresholds
from matching.formats import Row, generic_spec, header_key, map_row
from matching.listing_identity import source_key
from matching.parsing.listing import ParsedListing
from matching.service import shared_matcher
from models.errors import Forbidden, InvalidInput
from models.sku import GAMES
from search_api.matching.auth import AnyKey, SessionDep

router = APIRouter()

SellerType = Literal["business_vendor", "consumer_seller"]


class MatchFields(BaseModel):
    """Structured listing fields (each optional; the same vocabulary as the export readers)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=300)
    set_code: str | None = Field(None, max_length=64)
    set_name: str | None = Field(None, max_length=200)
    number: str | None = Field(None, max_length=64)
    condition: str | None = Field(None, max_length=64)
    finish: str | None = Field(None, max_length=64)
    language: str | None = Field(None, max_length=64)
    grade: str | None = Field(None, max_length=64, description="`PSA 10`, `BGS 9.5`, `CGC 9`")
    game: str | None = Field(None, max_length=64)
    rarity: str | None = Field(None, max_length=64)
    quantity: int | None = Field(None, ge=0, le=1_000_000)
    scryfall_id: str | None = Field(None, max_length=64)
    tcgplayer_id: int | None = Field(None, ge=1)
    cardmarket_id: int | None = Field(None, ge=1)
    ygoprodeck_id: int | None = Field(None, ge=1)


class MatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, max_length=500, description="A free-text listing title.")
    fields: MatchFields | None = None
    game: str | None = Field(None, description="Game hint: MTG, POKEMON, YUGIOH or OPTCG.")
    seller_id: str | None = Field(None, max_length=64)
    seller_type: SellerType = "business_vendor"
    product_ref: str | None = Field(
        None, max_length=255, description="The seller's product id: the match is recorded."
    )
    selected_sku: str | None = Field(
        None, max_length=200, description="The SKU the seller picked (consumer_selected)."
    )

    @model_validator(mode="after")
    def _something_to_match(self) -> MatchRequest:
        if not (self.title and self.title.strip()) and self.fields is None:
            raise ValueError("give a title and/or fields")
        if self.game is not None and self.game not in GAMES:
            raise ValueError(f"game must be one of {', '.join(GAMES)}")
        return self


def listing_from_request(body: MatchRequest) -> tuple[ParsedListing, str | None]:
    """The request as a `ParsedListing` through the export readers' own column mapping."""
    values: dict[str, str] = {}
    if body.title and body.title.strip():
        values["title"] = body.title.strip()
    if body.fields is not None:
        for key, value in body.fields.model_dump(exclude_none=True).items():
            values[key] = str(value)
    spec = generic_spec({key: key for key in values}, game=body.game)
    only_title = list(values) == ["title"]
    listing = ParsedListing(raw=values["title"] if only_title else dict(values))
    error = map_row(spec, Row({header_key(k): v for k, v in values.items()}), listing)
    return listing, error


@router.post("/match")
def match_one(body: MatchRequest, principal: AnyKey, session: SessionDep) -> dict[str, Any]:
    """Match one listing: decision, best SKU and up to 5 candidates."""
    seller_id = body.seller_id if principal.is_admin else principal.seller_id
    if not principal.is_admin and body.seller_id and body.seller_id != principal.seller_id:
        raise Forbidden(OWN_SELLER_ONLY)
    if body.product_ref and not seller_id:
        raise InvalidInput("recording a match (product_ref) needs seller_id")
    listing, error = listing_from_request(body)
    if error:
        raise InvalidInput(error, code="unmatchable_listing")
    matcher = shared_matcher()
    thresholds = seller_thresholds(session, seller_id)
    aliases = review_ops.seller_alias(session, seller_id, source_key(listing)) if seller_id else {}
    result = matcher.match(listing, thresholds=thresholds, aliases=aliases)
    if result.decision in ("auto", "review") and result.best and is_graded(result.best.sku):
        ensure_skus(session, [result.best.sku])  # graded SKUs are made on first use
        session.commit()
    response = result.as_dict()
    response["thresholds"] = {"auto": thresholds.auto, "review": thresholds.review}
    response["match_id"] = None
    if body.product_ref or body.selected_sku:
        if not seller_id:
            raise InvalidInput("recording a match needs seller_id")
        selected = None
        if body.selected_sku:
            selected = review_ops.find_sku(session, body.selected_sku)
        row = review_ops.record_match(
            session,
            result,
            seller_id=seller_id,
            seller_type=body.seller_type,
            product_ref=body.product_ref,
            selected=selected,
        )
        session.commit()
        if row is not None:
            response["match_id"] = row.id
            response["match"] = review_ops.match_view(row)
    return response
