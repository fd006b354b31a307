"""A job's rows by reason (`matching/reasons.py`): the summary's counts per status and reason
code, and the results' reason filter. A row keeps `code: sentence` in its `reason` column
(`MatchResult.stored_reason`), so both read the code from its prefix."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matching.models import MatchJobRow
from matching.reasons import BY_CODE, REASONS
from models.errors import InvalidInput


def _prefix(code: str) -> str:
    """The LIKE pattern of a stored reason with this code (`_` is literal in codes)."""
    return code.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + ": %"


def has_reason(code: str) -> sa.ColumnElement[bool]:
    """Rows whose reason has this code; an unknown code is refused, naming the known ones."""
    if code not in BY_CODE:
        raise InvalidInput(
            f"unknown reason {code!r}; reasons are {', '.join(BY_CODE)}",
            code="unknown_reason",
            reasons=list(BY_CODE),
        )
    return MatchJobRow.reason.like(_prefix(code), escape="\\")


def reason_counts(session: Session, job_id: int) -> dict[str, dict[str, int]]:
    """{status: {reason code: rows}} of a job's rows that have a reason (a plain `auto` has
    none); a status's counts add up to its rows."""
    code = sa.case(
        *((MatchJobRow.reason.like(_prefix(r.code), escape="\\"), r.code) for r in REASONS),
        else_=sa.literal("unspecified"),
    )
    rows = session.execute(
        sa.select(MatchJobRow.status, code, sa.func.count())
        .where(MatchJobRow.job_id == job_id, MatchJobRow.reason.is_not(None))
        .group_by(MatchJobRow.status, code)
    )
    counts: dict[str, dict[str, int]] = {}
    for status, reason, rows_ in rows:
        counts.setdefault(status, {})[reason] = int(rows_)
    return counts
