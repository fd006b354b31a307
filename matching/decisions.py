"""Decisions: `auto` (accept), `review` (admin queue) or `none`, from the calibrated
confidence and thresholds chosen on measured precision (`matching/calibration.json`),
overridable per seller (`seller_match_settings`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from matching.calibration import load_calibration

AUTO, REVIEW, NONE, ERROR = "auto", "review", "none", "error"


@dataclass(frozen=True, slots=True)
class Thresholds:
    auto: float
    review: float

    def __post_init__(self) -> None:
        if not (0.0 <= self.review <= self.auto <= 1.0):
            raise ValueError("thresholds must satisfy 0 <= review <= auto <= 1")


def default_thresholds() -> Thresholds:
    calibration = load_calibration()
    return Thresholds(calibration.auto_threshold, calibration.review_threshold)


def decide(confidence: float | None, thresholds: Thresholds) -> str:
    """`auto` at or above the auto threshold, `review` at or above the review threshold."""
    if confidence is None:
        return NONE
    if confidence >= thresholds.auto:
        return AUTO
    if confidence >= thresholds.review:
        return REVIEW
    return NONE


def seller_thresholds(session: Session, seller_id: str | None) -> Thresholds:
    """The seller's thresholds, each falling back to the calibrated default."""
    base = default_thresholds()
    if not seller_id:
        return base
    from matching.models import SellerMatchSettings

    row = session.get(SellerMatchSettings, seller_id)
    if row is None:
        return base
    auto = row.auto_threshold if row.auto_threshold is not None else base.auto
    review = row.review_threshold if row.review_threshold is not None else base.review
    return Thresholds(auto, min(review, auto))
