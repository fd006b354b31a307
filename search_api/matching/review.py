"""`/api/matching/review` and `/api/matching/matches`: the review queue, recorded matches, and
their verification or rejection."""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from matching import review as review_ops
from matching.auth import check_seller, listed_seller
from matching.models import ProductCatalogMatch
from models.errors import NotFound
from search_api.matching.auth import AdminKey, AnyKey, SessionDep

router = APIRouter()


@router.get("/review")
def review_queue(
    principal: AdminKey,
    session: SessionDep,
    seller_id: str | None = None,
    game: str | None = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    max_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Pending matches with their candidates side by side."""
    rows, total = review_ops.review_queue(
        session,
        seller_id=seller_id,
        game=game,
        min_confidence=min_confidence,
        max_confidence=max_confidence,
        limit=limit,
        offset=offset,
    )
    return {
        "total": total,
        "limit": limit,
        "offset": offset,
        "items": [review_ops.match_view(r) for r in rows],
    }


class VerifyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: str | None = Field(None, max_length=200, description="Reassign to this SKU.")
    note: str | None = Field(None, max_length=2000)
    version: int | None = Field(None, description="Act only if the match is at this version.")


class RejectRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(None, max_length=2000)
    version: int | None = None


@router.get("/matches")
def list_matches(
    principal: AnyKey,
    session: SessionDep,
    seller_id: str | None = None,
    status: str | None = None,
    job_id: int | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    query = sa.select(ProductCatalogMatch)
    seller = listed_seller(principal, seller_id)
    if seller is not None:
        query = query.where(ProductCatalogMatch.seller_id == seller)
    if status:
        query = query.where(ProductCatalogMatch.status == status)
    if job_id is not None:
        query = query.where(ProductCatalogMatch.job_id == job_id)
    rows = session.scalars(query.order_by(ProductCatalogMatch.id).limit(limit).offset(offset))
    return {"items": [review_ops.match_view(r) for r in rows], "limit": limit, "offset": offset}


@router.get("/matches/{match_id}")
def get_match(match_id: int, principal: AnyKey, session: SessionDep) -> dict[str, Any]:
    row = session.get(ProductCatalogMatch, match_id)
    if row is None:
        raise NotFound(f"match {match_id} does not exist")
    check_seller(principal, row.seller_id)
    return review_ops.match_view(row)


@router.post("/matches/{match_id}/verify")
def verify_match(
    match_id: int, principal: AdminKey, session: SessionDep, body: VerifyRequest | None = None
) -> dict[str, Any]:
    """Confirm the match (or reassign it with `sku`); 409 when someone acted on it first."""
    body = body or VerifyRequest()
    row = review_ops.verify(
        session,
        match_id,
        by=principal.label,
        sku=body.sku,
        note=body.note,
        expected_version=body.version,
    )
    return review_ops.match_view(row)


@router.post("/matches/{match_id}/reject")
def reject_match(
    match_id: int, principal: AdminKey, session: SessionDep, body: RejectRequest | None = None
) -> dict[str, Any]:
    body = body or RejectRequest()
    row = review_ops.reject(
        session, match_id, by=principal.label, note=body.note, expected_version=body.version
    )
    return review_ops.match_view(row)
