"""`/api/matching`: single match, bulk jobs, the review queue, verification, seller settings.

Every route needs an API key (`Authorization: Bearer sdk_...`, see `search_api/matching/auth.py`
and `matching/auth.py`): admins see everything; vendor keys only their seller's jobs and
matches. Domain errors (`models.errors`) raised below are answered by `search_api.errors`.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.concurrency import run_in_threadpool

from etl.graded_skus import ensure_skus, is_graded
from matching import review as review_ops
from matching.auth import OWN_SELLER_ONLY, Principal, check_seller, resolve_seller
from matching.decisions import Thresholds, seller_thresholds
from matching.formats import Row, generic_spec, header_key, map_row
from matching.jobs.export import csv_chunks
from matching.jobs.intake import create_job as store_job
from matching.jobs.intake import upload_limits
from matching.jobs.views import iter_job_rows, job_view, row_view
from matching.listing_identity import source_key
from matching.models import MatchJob, ProductCatalogMatch, SellerMatchSettings
from matching.parsing.listing import ParsedListing
from matching.service import shared_matcher
from matching.tasks import resume_stale_jobs, start_job
from models.base import utcnow
from models.errors import Conflict, Forbidden, InvalidInput, NotFound, TooLarge
from models.sku import GAMES
from search_api.matching.auth import AdminKey, AnyKey, SessionDep

router = APIRouter(prefix="/api/matching", tags=["matching"], on_startup=[resume_stale_jobs])

SellerType = Literal["business_vendor", "consumer_seller"]


# -- single match --------------------------------------------------------------------------------


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


# -- bulk jobs ----------------------------------------------------------------------------------


def _own_job(session, principal: Principal, job_id: int) -> MatchJob:
    job = session.get(MatchJob, job_id)
    if job is None:
        raise NotFound(f"job {job_id} does not exist")
    check_seller(principal, job.seller_id)
    return job


@router.post("/jobs", status_code=202)
async def create_job(
    request: Request,
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
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes + 64 * 1024:
        raise TooLarge(f"the upload is larger than {max_bytes} bytes", code="upload_too_large")
    content = await file.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise TooLarge(f"the file is larger than {max_bytes} bytes", code="upload_too_large")
    column_map = None
    if mapping:
        try:
            column_map = json.loads(mapping)
        except ValueError:
            raise InvalidInput("mapping must be a JSON object", code="invalid_mapping") from None
        if not isinstance(column_map, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in column_map.items()
        ):
            raise InvalidInput(
                "mapping must map field names to column names", code="invalid_mapping"
            )
    job = await run_in_threadpool(
        store_job,
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
    if not principal.is_admin:
        check_seller(principal, seller_id or principal.seller_id)
        query = query.where(MatchJob.seller_id == principal.seller_id)
    elif seller_id:
        query = query.where(MatchJob.seller_id == seller_id)
    if status:
        query = query.where(MatchJob.status == status)
    jobs = session.scalars(query.order_by(MatchJob.id.desc()).limit(limit).offset(offset))
    return {"items": [job_view(j) for j in jobs], "limit": limit, "offset": offset}


@router.get("/jobs/{job_id}")
def get_job(job_id: int, principal: AnyKey, session: SessionDep) -> dict[str, Any]:
    return job_view(_own_job(session, principal, job_id))


@router.post("/jobs/{job_id}/resume", status_code=202)
def resume_job(job_id: int, principal: AnyKey, session: SessionDep) -> dict[str, Any]:
    """Start an unfinished job again from where it stopped."""
    job = _own_job(session, principal, job_id)
    if job.status == "succeeded":
        raise Conflict("the job has finished")
    start_job(job.id)
    return job_view(job)


@router.get("/jobs/{job_id}/results", response_model=None)
def job_results(
    job_id: int,
    principal: AnyKey,
    session: SessionDep,
    status: Literal["auto", "review", "none", "error"] | None = None,
    format: Literal["json", "csv"] = "json",
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Any:
    """Every input row with its status (auto, review, none, error + reason), in file order."""
    job = _own_job(session, principal, job_id)
    if format == "csv":
        from models.db import session_factory

        def rows():
            reader = session_factory()()
            try:
                for row in iter_job_rows(reader, job_id, status=status):
                    yield row_view(row)
            finally:
                reader.close()

        name = f"match-job-{job_id}-results.csv"
        return StreamingResponse(
            csv_chunks(rows()),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    from matching.models import MatchJobRow

    where = [MatchJobRow.job_id == job_id]
    if status:
        where.append(MatchJobRow.status == status)
    total = session.scalar(sa.select(sa.func.count()).select_from(MatchJobRow).where(*where))
    page = session.scalars(
        sa.select(MatchJobRow)
        .where(*where)
        .order_by(MatchJobRow.row_index)
        .limit(limit)
        .offset(offset)
    )
    return {
        "job": job_view(job),
        "total": int(total or 0),
        "limit": limit,
        "offset": offset,
        "items": [row_view(r) for r in page],
    }


# -- review and verification ---------------------------------------------------------------------


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
    if not principal.is_admin:
        check_seller(principal, seller_id or principal.seller_id)
        query = query.where(ProductCatalogMatch.seller_id == principal.seller_id)
    elif seller_id:
        query = query.where(ProductCatalogMatch.seller_id == seller_id)
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


# -- seller settings ----------------------------------------------------------------------------


class SellerSettingsBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    auto_threshold: float | None = Field(None, ge=0, le=1)
    review_threshold: float | None = Field(None, ge=0, le=1)


def _settings_view(session, seller_id: str) -> dict[str, Any]:
    thresholds = seller_thresholds(session, seller_id)
    row = session.get(SellerMatchSettings, seller_id)
    return {
        "seller_id": seller_id,
        "auto_threshold": thresholds.auto,
        "review_threshold": thresholds.review,
        "custom": row is not None,
    }


@router.get("/sellers/{seller_id}/settings")
def get_seller_settings(seller_id: str, principal: AnyKey, session: SessionDep) -> dict[str, Any]:
    check_seller(principal, seller_id)
    return _settings_view(session, seller_id)


@router.put("/sellers/{seller_id}/settings")
def put_seller_settings(
    seller_id: str, body: SellerSettingsBody, principal: AdminKey, session: SessionDep
) -> dict[str, Any]:
    """Per-seller decision thresholds (null: the calibrated default)."""
    current = seller_thresholds(session, seller_id)
    auto = body.auto_threshold if body.auto_threshold is not None else current.auto
    review = body.review_threshold if body.review_threshold is not None else current.review
    try:
        Thresholds(auto, review)
    except ValueError as exc:
        raise InvalidInput(str(exc), code="invalid_thresholds") from None
    row = session.get(SellerMatchSettings, seller_id) or SellerMatchSettings(seller_id=seller_id)
    row.auto_threshold = body.auto_threshold
    row.review_threshold = body.review_threshold
    row.updated_by = principal.label
    row.updated_at = utcnow()
    session.add(row)
    session.commit()
    return _settings_view(session, seller_id)
