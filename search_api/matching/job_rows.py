"""`/api/matching/jobs/{job}/rows/{line}`: one row of a job by the line the seller knows (the
identity both pages show), and the seller's own decision on it (accept the proposal or pick a
candidate; `matching/seller_decisions.py`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from matching.jobs.views import row_view
from matching.seller_decisions import decide_row, job_row
from search_api.matching.auth import AnyKey, SessionDep

router = APIRouter()


class RowDecisionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: str | None = Field(
        None, max_length=200, description="One of the row's candidates (default: the proposal)."
    )


@router.get("/jobs/{job_id}/rows/{line_number}")
def get_job_row(
    job_id: int, line_number: int, principal: AnyKey, session: SessionDep
) -> dict[str, Any]:
    """The row at this line with its current state, final SKU and who decided."""
    _, row, match, state = job_row(session, principal, job_id=job_id, line_number=line_number)
    return row_view(row, match, state)


@router.post("/jobs/{job_id}/rows/{line_number}/decision")
def decide_job_row(
    job_id: int,
    line_number: int,
    principal: AnyKey,
    session: SessionDep,
    body: RowDecisionRequest | None = None,
) -> dict[str, Any]:
    """The seller accepts the proposal (no body) or picks a candidate (`sku`) for a row in
    `review` or `none`: 403 for another seller's row, 409 once the row is decided."""
    body = body or RowDecisionRequest()
    return decide_row(session, principal, job_id=job_id, line_number=line_number, sku=body.sku)
