"""Why a row is not a plain `auto`: every reason code the matcher gives, declared once with the
best decision it allows (`cap`), a short label (filters, counts) and the sentence a seller reads
about that kind of row. The matcher's own sentence for a row names the card, set or language
(`MatchResult.reason`); `message` says what the code means in general.

Everything else derives from `REASONS`: `REASON_CODES` (code -> cap), `capped`, the job
summary's counts per reason and the results' reason filter (`matching/jobs/reason_counts.py`),
and the table in docs/matching.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from matching.decisions import AUTO, ERROR, NONE, REVIEW


@dataclass(frozen=True, slots=True)
class ReasonKind:
    code: str
    #: the best decision a row with this reason can have
    cap: str
    #: a few words for a filter or a count (`Set not in the catalog`)
    label: str
    #: what the code means, for the seller
    message: str


REASONS: tuple[ReasonKind, ...] = (
    ReasonKind(
        "unreadable_row",
        ERROR,
        "Unreadable row",
        "The row could not be read (a value that is not a card's, or a row of another kind); "
        "correct it and upload it again.",
    ),
    ReasonKind(
        "not_single_card",
        NONE,
        "Not a single card",
        "The row is a lot, sealed product, accessory or a listing where the buyer chooses; "
        "the catalog has single cards only.",
    ),
    ReasonKind(
        "no_identifier",
        NONE,
        "No card name",
        "The row has no card name, number or id to look the card up by.",
    ),
    ReasonKind(
        "set_not_in_catalog",
        NONE,
        "Set not in the catalog",
        "The set the row names is not in the catalog, or none of its cards are yet (a set "
        "newer than the catalog, or a set name it does not know).",
    ),
    ReasonKind(
        "card_not_in_catalog",
        NONE,
        "No card of that name",
        "The catalog has no card of that name in this game (check the spelling and the game).",
    ),
    ReasonKind(
        "print_not_in_catalog",
        NONE,
        "Print not in the catalog",
        "The catalog has the card, but not printed in the set the row names; it is not "
        "matched to another set's print.",
    ),
    ReasonKind(
        "language_not_in_catalog",
        NONE,
        "Language not in the catalog",
        "The catalog does not have this card in the row's language; a card is never sold "
        "under another language's SKU.",
    ),
    ReasonKind(
        "finish_not_in_catalog",
        NONE,
        "Finish not in the catalog",
        "The catalog does not have this print in the row's finish or edition.",
    ),
    ReasonKind(
        "grade_not_supported",
        NONE,
        "Grade not supported",
        "The card is graded by a company catalog SKUs cannot carry (PSA, BGS and CGC only).",
    ),
    ReasonKind(
        "no_candidate",
        NONE,
        "Nothing similar",
        "Nothing in the catalog resembles the row.",
    ),
    ReasonKind(
        "below_review",
        NONE,
        "Too uncertain",
        "Catalog cards resemble the row, but none closely enough to be its match; they are "
        "listed as suggestions only.",
    ),
    ReasonKind(
        "below_auto",
        REVIEW,
        "Waiting for review",
        "A likely match, not sure enough to accept without a person checking it.",
    ),
    ReasonKind(
        "language_unreadable",
        REVIEW,
        "Language unreadable",
        "The row's language could not be read; the match waits for review.",
    ),
    ReasonKind(
        "finish_unreadable",
        REVIEW,
        "Finish unreadable",
        "The row's finish or edition could not be read; the match waits for review.",
    ),
    ReasonKind(
        "condition_unreadable",
        REVIEW,
        "Condition unreadable",
        "The row's condition could not be read; the match waits for review.",
    ),
    ReasonKind(
        "language_unstated",
        REVIEW,
        "Language not stated",
        "The row does not say its language and the catalog has the card in another language "
        "only; the match waits for a confirmed language.",
    ),
)

BY_CODE: dict[str, ReasonKind] = {r.code: r for r in REASONS}
#: code -> the best decision it allows
REASON_CODES: dict[str, str] = {r.code: r.cap for r in REASONS}
_RANK = {NONE: 0, REVIEW: 1, AUTO: 2}


class HasCode(Protocol):
    @property
    def code(self) -> str: ...


def capped(decision: str, reason: HasCode | None) -> str:
    """The decision after a reason's cap (`REASON_CODES`): never above what the reason allows."""
    if reason is None or decision not in _RANK:
        return decision
    cap = REASON_CODES[reason.code]
    return decision if _RANK[decision] <= _RANK.get(cap, 0) else cap
