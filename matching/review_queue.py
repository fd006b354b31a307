"""The review queue: pending matches filtered by game, seller, job, set, confidence range and
reason, sorted by confidence or age, paged by keyset cursor (or offset).

A cursor is the sort key of the last item of a page (its sort value and id, base64 JSON): the
next page seeks past it on an index (`ix_product_catalog_matches_status_created_at`,
`..._status_game_confidence`, `..._status_confidence`), so page 500 of 10,000 pending items
costs what page 1 costs. The reason filter reads the reason code the match's job row keeps
(`match_job_rows.reason`, `code: sentence`): matches recorded outside a job carry none.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matching.decisions import REVIEW
from matching.models import MatchJobRow, ProductCatalogMatch
from matching.reasons import REASONS
from models.catalog import CardSet, Print
from models.errors import InvalidInput

#: Why a match waits for review (the reason codes a `review` decision carries).
REVIEW_REASONS = {reason.code: reason.label for reason in REASONS if reason.cap == REVIEW}

_AGE = ProductCatalogMatch.created_at
_CONFIDENCE = ProductCatalogMatch.confidence_score
#: sort name -> (column, descending)
SORTS: dict[str, tuple[Any, bool]] = {
    "oldest": (_AGE, False),
    "newest": (_AGE, True),
    "confidence_asc": (_CONFIDENCE, False),
    "confidence_desc": (_CONFIDENCE, True),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueFilters:
    seller_id: str | None = None
    game: str | None = None
    job_id: int | None = None
    set_code: str | None = None
    min_confidence: float | None = None
    max_confidence: float | None = None
    reason: str | None = None

    def clauses(self) -> list[sa.ColumnElement[bool]]:
        """The WHERE clauses of the pending matches these filters keep."""
        table = ProductCatalogMatch
        where: list[sa.ColumnElement[bool]] = [table.status == "pending"]
        if self.seller_id:
            where.append(table.seller_id == self.seller_id)
        if self.game:
            where.append(table.game == self.game)
        if self.job_id is not None:
            where.append(table.job_id == self.job_id)
        if self.min_confidence is not None:
            where.append(table.confidence_score >= self.min_confidence)
        if self.max_confidence is not None:
            where.append(table.confidence_score <= self.max_confidence)
        if self.set_code:
            in_set = (
                sa.select(Print.id)
                .join(CardSet, CardSet.id == Print.set_id)
                .where(sa.func.upper(CardSet.code) == self.set_code.strip().upper())
            )
            where.append(table.print_id.in_(in_set))
        if self.reason:
            if self.reason not in REVIEW_REASONS:
                raise InvalidInput(
                    {"reason": self.reason, "allowed": list(REVIEW_REASONS)},
                    code="unknown_reason",
                )
            where.append(
                sa.exists().where(
                    MatchJobRow.job_id == table.job_id,
                    MatchJobRow.match_id == table.id,
                    MatchJobRow.reason.like(f"{self.reason}:%"),
                )
            )
        return where


@dataclass(frozen=True, slots=True)
class QueuePage:
    rows: list[ProductCatalogMatch]
    total: int
    #: the cursor of the next page (None on the last page)
    next_cursor: str | None


def _encode_cursor(value: Any, match_id: int) -> str:
    raw = value.isoformat() if isinstance(value, datetime) else value
    return base64.urlsafe_b64encode(json.dumps([raw, match_id]).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str) -> tuple[Any, int]:
    try:
        raw, match_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        value = datetime.fromisoformat(raw) if SORTS[sort][0] is _AGE else float(raw)
        return value, int(match_id)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        raise InvalidInput(
            "this cursor is not one the queue gave (or it was made for another sort)",
            code="invalid_cursor",
        ) from None


def review_queue(
    session: Session,
    *,
    filters: QueueFilters,
    sort: str = "oldest",
    limit: int = 50,
    offset: int = 0,
    cursor: str | None = None,
) -> QueuePage:
    """One page of the pending matches and how many match the filters in all."""
    if sort not in SORTS:
        raise InvalidInput({"sort": sort, "allowed": list(SORTS)}, code="unknown_sort")
    column, descending = SORTS[sort]
    table = ProductCatalogMatch
    where = filters.clauses()
    total = session.scalar(sa.select(sa.func.count()).select_from(table).where(*where))
    query = sa.select(table).where(*where)
    if cursor:
        value, after_id = _decode_cursor(cursor, sort)
        key = sa.tuple_(column, table.id)
        bound = sa.tuple_(sa.literal(value, column.type), sa.literal(after_id))
        query = query.where(key < bound if descending else key > bound)
    elif offset:
        query = query.offset(offset)
    order = (column.desc(), table.id.desc()) if descending else (column.asc(), table.id.asc())
    rows = list(session.scalars(query.order_by(*order).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if rows else None
    next_cursor = (
        _encode_cursor(getattr(last, column.key), last.id) if more and last is not None else None
    )
    return QueuePage(rows, int(total or 0), next_cursor)
