"""Decisions: `auto` (accept), `review` (admin queue) or `none`, from the calibrated
confidence and thresholds chosen on measured precision (`matching/calibration.json`),
overridable per seller (`seller_match_settings`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from matching.calibration import load_calibration
from matching.parsing.spellings import FINISH_DISPLAY
from models.vocabulary import LANGUAGE_DISPLAY

AUTO, REVIEW, NONE, ERROR = "auto", "review", "none", "error"


@dataclass(frozen=True, slots=True)
class Thresholds:
    auto: float
    review: float

    def __post_init__(self) -> None:
        if not (0.0 <= self.review <= self.auto <= 1.0):
            raise ValueError(
                "The review threshold must be between 0 and the auto threshold, and the auto "
                "threshold at most 1 (0 <= review <= auto <= 1)."
            )


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


# -- the whole-SKU rule ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reason:
    code: str  # a `matching.reasons` code
    text: str  # a sentence for the seller


@dataclass(frozen=True, slots=True)
class SkuFacts:
    """What the whole-SKU rule compares: what the listing states and what the catalog has."""

    card: str  # for sentences: `Lightning Bolt (M10 #146)`
    listing_language: str | None
    print_language: str
    #: languages the catalog has this card in at this set and number
    catalog_languages: tuple[str, ...]
    listing_finish: str | None
    #: the print exists in a finish compatible with the listing's (None: the listing is silent)
    finish_fits: bool | None
    print_finishes: tuple[str, ...]
    #: components the listing gave that could not be read (`ParsedListing.unread`)
    unread: Mapping[str, str]


def _languages(codes: tuple[str, ...]) -> str:
    names = [LANGUAGE_DISPLAY.get(c, c) for c in dict.fromkeys(codes)]
    return " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1]


def whole_sku_reason(facts: SkuFacts) -> Reason | None:
    """Why the best print's SKU is not the seller's whole SKU, or None when it is: an
    accepted match is right in print, language, condition, finish (edition) and grade."""
    unread = facts.unread
    if "grade" in unread:
        return Reason(
            "grade_not_supported",
            f"Graded {unread['grade']}: catalog SKUs carry PSA, BGS and CGC grades only, so "
            "this graded card has no SKU.",
        )
    wanted = facts.listing_language
    if wanted and wanted != facts.print_language:
        name = LANGUAGE_DISPLAY.get(wanted, wanted)
        return Reason(
            "language_not_in_catalog",
            f"The catalog has no {name} printing of {facts.card}, only "
            f"{_languages(facts.catalog_languages)}; a {name} card is not sold under another "
            "language's SKU.",
        )
    if facts.finish_fits is False and facts.listing_finish:
        have = " or ".join(FINISH_DISPLAY.get(f, f) for f in facts.print_finishes) or "unknown"
        return Reason(
            "finish_not_in_catalog",
            f"The catalog has no {FINISH_DISPLAY.get(facts.listing_finish, facts.listing_finish)} "
            f"printing of {facts.card}; it exists as {have}.",
        )
    for component in ("language", "finish", "condition"):
        if component in unread:
            return Reason(
                f"{component}_unreadable",
                f"The {component} {unread[component]!r} could not be read, so the SKU's "
                f"{component} is unknown; the match waits for review.",
            )
    if wanted is None and facts.print_language != "EN":
        return Reason(
            "language_unstated",
            f"The listing does not say its language and the catalog has {facts.card} only in "
            f"{_languages(facts.catalog_languages)}; the match waits for a confirmed language.",
        )
    return None
