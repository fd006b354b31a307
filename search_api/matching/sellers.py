"""`/api/matching/sellers/{seller_id}/settings`: a seller's auto and review thresholds."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from matching.auth import check_seller
from matching.decisions import Thresholds, seller_thresholds
from matching.models import SellerMatchSettings
from models.base import utcnow
from models.errors import InvalidInput
from search_api.matching.auth import AdminKey, AnyKey, SessionDep

router = APIRouter()


class SellerSettingsBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    auto_threshold: float | None = Field(None, ge=0, le=1)
    review_threshold: float | None = Field(None, ge=0, le=1)


def _settings_view(session: Session, seller_id: str) -> dict[str, Any]:
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
