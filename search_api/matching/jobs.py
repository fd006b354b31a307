"""`/api/matching/jobs`: bulk inventory uploads matched in the background, their progress and
their results (JSON pages or a streamed CSV)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from matching.auth import Principal, check_seller, listed_seller, resolve_seller
from matching.jobs.export import csv_chunks
from matching.jobs.intake import upload_limits
from matching.jobs.reason_counts import reason_counts
from matching.jobs.upload_checks import too_large
from matching.jobs.views import (
    RowState,
    iter_row_views,
    job_summary,
    job_view,
    row_view,
    rows_query,
    state_counts,
)
from matching.models import MatchJob
from matching.saved_mappings import create_job_with_mapping, upload_preview
from matching.tasks import start_job
from models.errors import Conflict, InvalidInput, NotFound
from search_api.matching.auth import AnyKey, SessionDep
from search_api.matching.listing import SellerType
from search_api.matching.upload_limit import UploadLimitedRoute

router = APIRouter(route_class=UploadLimitedRoute)  # file uploads: Content-Length checked first


def _own_job(session: Session, principal: Principal, job_id: int) -> MatchJob:
    job = session.get(MatchJob, job_id)
    if job is None:
        raise NotFound(f"There is no job {job_id}.")
    check_seller(principal, job.seller_id)
    return job


@router.post("/jobs", status_code=202)
async def create_job(
    principal: AnyKey,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="The inventory export (CSV or JSON).")],
    format: Annotated[str | None, Form(description="Force a format (default: detect).")] = None,
    mapping: Annotated[
        str | None, Form(description='Column mapping JSON, e.g. {"name": "Card"}')
    ] = None,
    game: Annotated[str | None, Form()] = None,
    seller_id: Annotated[str | None, Form(max_length=64)] = None,
    seller_type: Annotated[SellerType, Form()] = "business_vendor",
) -> dict[str, Any]:
    """Upload an inventory: the job is matched in the background; poll it for progress."""
    seller = resolve_seller(principal, seller_id)
    max_bytes, _ = upload_limits()
    content = await file.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise too_large(max_bytes)
    column_map = _column_map(mapping)
    job = await run_in_threadpool(
        create_job_with_mapping,
        session,
        seller_id=seller,
        seller_type=seller_type,
        content=content,
        filename=file.filename,
        format=format or None,
        mapping=column_map,
        game=game or None,
        created_by=principal.label,
    )
    start_job(job.id)
    return job_view(job)


@router.get("/jobs")
def list_jobs(
    principal: AnyKey,
    session: SessionDep,
    seller_id: str | None = None,
    status: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    query = sa.select(MatchJob)
    seller = listed_seller(principal, seller_id)
    if seller is not None:
        query = query.where(MatchJob.seller_id == seller)
    if status:
        query = query.where(MatchJob.status == status)
    jobs = session.scalars(query.order_by(MatchJob.id.desc()).limit(limit).offset(offset))
    return {"items": [job_view(j) for j in jobs], "limit": limit, "offset": offset}


@router.get("/jobs/{job_id}")
def get_job(job_id: int, principal: AnyKey, session: SessionDep) -> dict[str, Any]:
    """The job, its progress and counts, and its rows counted by reason with their labels."""
    return job_summary(session, _own_job(session, principal, job_id))


@router.post("/jobs/{job_id}/resume", status_code=202)
def resume_job(job_id: int, principal: AnyKey, session: SessionDep) -> dict[str, Any]:
    """Start an unfinished job again from where it stopped."""
    job = _own_job(session, principal, job_id)
    if job.status == "succeeded":
        raise Conflict(f"Job {job.id} has already finished: there is nothing to resume.")
    start_job(job.id)
    return job_view(job)


@router.get("/jobs/{job_id}/results", response_model=None)
def job_results(
    job_id: int,
    principal: AnyKey,
    session: SessionDep,
    status: Literal["auto", "review", "none", "error"] | None = None,
    state: RowState | None = None,
    reason: Annotated[
        str | None,
        Query(description="A reason code (matching/reasons.py), e.g. set_not_in_catalog."),
    ] = None,
    format: Literal["json", "csv"] = "json",
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Any:
    """Every input row in file order: what the matcher decided (`status`: auto, review, none,
    error + reason) and its current `state` (an admin's or the seller's decision since, with
    the final SKU and who decided); `states` counts the job's rows per state, `reasons` per
    status and reason code (`reason=` keeps one code's rows)."""
    job = _own_job(session, principal, job_id)
    query = rows_query(job_id, status=status, state=state, reason=reason)  # refuses a bad reason
    if format == "csv":
        from models.db import session_factory

        def rows() -> Iterator[dict[str, Any]]:
            reader = session_factory()()
            try:
                yield from iter_row_views(reader, job_id, status=status, state=state, reason=reason)
            finally:
                reader.close()

        name = f"match-job-{job_id}-results.csv"
        return StreamingResponse(
            csv_chunks(rows()),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    page = session.execute(query.limit(limit).offset(offset))
    return {
        "job": job_view(job),
        "total": int(total or 0),
        "limit": limit,
        "offset": offset,
        "states": state_counts(session, job_id),
        "reasons": reason_counts(session, job_id),
        "items": [row_view(row, match, current) for row, match, current in page],
    }


MappingForm = Annotated[
    str | None,
    Form(description='Column mapping JSON, listing field -> column, e.g. {"name": "Card"}'),
]


def _column_map(mapping: str | None) -> dict[str, str] | None:
    """The `mapping=` form field: a JSON object of field names to column names (or None)."""
    if not mapping:
        return None
    try:
        column_map = json.loads(mapping)
    except ValueError:
        raise InvalidInput("mapping must be a JSON object", code="invalid_mapping") from None
    if not isinstance(column_map, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in column_map.items()
    ):
        raise InvalidInput("mapping must map field names to column names", code="invalid_mapping")
    return column_map


@router.post("/jobs/preview")
async def preview_upload(
    principal: AnyKey,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="The inventory export (CSV or JSON).")],
    format: Annotated[str | None, Form(description="Force a format (default: detect).")] = None,
    mapping: MappingForm = None,
    game: Annotated[str | None, Form()] = None,
    seller_id: Annotated[str | None, Form(max_length=64)] = None,
) -> dict[str, Any]:
    """What an upload would be read as, before a job is made: the detected format, encoding,
    header, sample rows, the mapping that applies (the seller's saved one for this header when
    no format or mapping is asked for) and the fields left unmapped."""
    seller = resolve_seller(principal, seller_id)
    max_bytes, _ = upload_limits()
    content = await file.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise too_large(max_bytes)
    return await run_in_threadpool(
        upload_preview,
        session,
        seller_id=seller,
        content=content,
        format=format or None,
        mapping=_column_map(mapping),
        game=game or None,
    )
