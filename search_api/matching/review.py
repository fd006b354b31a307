"""`/api/matching/review` and `/api/matching/matches`: the review queue (filters, sorts, cursor
pages), groups of identical proposals and their verification at once, recorded matches, their
verification or rejection, and the undo of an admin's last action."""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from matching import review as review_ops
from matching import review_groups as group_ops
from matching import review_queue as queue_ops
from matching import review_undo as undo_ops
from matching.auth import check_seller, listed_seller
from matching.models import ProductCatalogMatch
from matching.review_groups import MAX_GROUP_MEMBERS
from matching.review_queue import REVIEW_REASONS, SORTS, QueueFilters
from models.errors import NotFound
from search_api.matching.auth import AdminKey, AnyKey, SessionDep

router = APIRouter()


def queue_filters(
    seller_id: str | None = None,
    game: str | None = None,
    job_id: int | None = None,
    set_code: Annotated[str | None, Query(alias="set", max_length=48)] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    max_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    reason: Annotated[str | None, Query(description="a review reason code")] = None,
) -> QueueFilters:
    """The queue's filters from the query string (shared by the queue and its groups)."""
    return QueueFilters(
        seller_id=seller_id,
        game=game,
        job_id=job_id,
        set_code=set_code,
        min_confidence=min_confidence,
        max_confidence=max_confidence,
        reason=reason,
    )


@router.get("/review")
def review_queue(
    principal: AdminKey,
    session: SessionDep,
    filters: Annotated[QueueFilters, Depends(queue_filters)],
    sort: Annotated[str, Query(description=f"one of {', '.join(SORTS)}")] = "oldest",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    """Pending matches with their candidates side by side: filtered, sorted, paged by `cursor`
    (the previous page's `next_cursor`) or `offset`."""
    page = queue_ops.review_queue(
        session, filters=filters, sort=sort, limit=limit, offset=offset, cursor=cursor
    )
    return {
        "total": page.total,
        "limit": limit,
        "offset": 0 if cursor else offset,
        "sort": sort,
        "next_cursor": page.next_cursor,
        "reasons": [{"code": code, "label": label} for code, label in REVIEW_REASONS.items()],
        "items": [review_ops.match_view(r) for r in page.rows],
    }


@router.get("/review/groups")
def review_groups(
    principal: AdminKey,
    session: SessionDep,
    filters: Annotated[QueueFilters, Depends(queue_filters)],
    min_size: Annotated[int, Query(ge=1, le=MAX_GROUP_MEMBERS)] = 2,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Groups of identical pending proposals (same SKU, same seller text), largest first, each
    with its members' ids and versions (what a group verification sends back)."""
    groups, total = group_ops.review_groups(
        session, filters=filters, min_size=min_size, limit=limit, offset=offset
    )
    return {"total": total, "limit": limit, "offset": offset, "groups": [g.view() for g in groups]}


class GroupMember(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int
    version: int


class GroupVerifyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    catalog_sku: str = Field(max_length=200)
    source_key: str = Field(max_length=255)
    members: list[GroupMember] = Field(max_length=MAX_GROUP_MEMBERS)
    note: str | None = Field(None, max_length=2000)


@router.post("/review/groups/verify")
def verify_group(
    body: GroupVerifyRequest, principal: AdminKey, session: SessionDep
) -> dict[str, Any]:
    """Verify every member still at the version sent; members acted on since are reported in
    `conflicts`, not overwritten. `verified` says how many were verified."""
    outcome = group_ops.verify_group(
        session,
        catalog_sku=body.catalog_sku,
        source_key=body.source_key,
        members=[(m.id, m.version) for m in body.members],
        by=principal.label,
        note=body.note,
    )
    return {
        "verified": outcome.verified,
        "conflicts": outcome.conflicts,
        "action_id": outcome.action_id,
    }


@router.get("/review/actions/last")
def last_action(principal: AdminKey, session: SessionDep) -> dict[str, Any]:
    """The caller's last review action that can still be undone (`action`: null if none)."""
    action = undo_ops.last_action(session, actor=principal.label)
    return {"action": undo_ops.action_view(action) if action else None}


@router.post("/review/actions/{action_id}/undo")
def undo_action(action_id: int, principal: AdminKey, session: SessionDep) -> dict[str, Any]:
    """Restore what the action changed; 409 `undo_conflict` when a match changed since,
    409 `already_undone`."""
    action = undo_ops.undo_action(session, action_id=action_id, by=principal.label)
    return {"undone": action.match_count, "action": undo_ops.action_view(action)}


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
    outcome = review_ops.verify(
        session,
        match_id,
        by=principal.label,
        sku=body.sku,
        note=body.note,
        expected_version=body.version,
    )
    return {**review_ops.match_view(outcome.match), "action_id": outcome.action_id}


@router.post("/matches/{match_id}/reject")
def reject_match(
    match_id: int, principal: AdminKey, session: SessionDep, body: RejectRequest | None = None
) -> dict[str, Any]:
    body = body or RejectRequest()
    outcome = review_ops.reject(
        session, match_id, by=principal.label, note=body.note, expected_version=body.version
    )
    return {**review_ops.match_view(outcome.match), "action_id": outcome.action_id}
