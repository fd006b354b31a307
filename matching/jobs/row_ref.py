"""One identity for a job's row, shared by the vendor page, the review console, the API and the
CSV: the job and the file's line number as the seller knows it (`job:8:line:612`, shown as
`job 8 · line 612`). A job row's match carries it as its `product_ref`.

Matches recorded before this used the 0-based record index (`job:8:row:608`); migration 0025
rewrote those it could link, and `parse_row_ref` / `find_job_row` still read the old form, so a
kept reference finds its row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matching.models import MatchJobRow

_REF = re.compile(r"^job:(\d+):(line|row):(\d+)$")


@dataclass(frozen=True, slots=True)
class JobRowRef:
    """A parsed reference: the line number, or the record index of an old reference."""

    job_id: int
    line_number: int | None = None
    row_index: int | None = None


def row_ref(job_id: int, line_number: int) -> str:
    """The `product_ref` of a job row's match."""
    return f"job:{job_id}:line:{line_number}"


def row_label(job_id: int, line_number: int) -> str:
    """The row as both pages show it."""
    return f"job {job_id} · line {line_number}"


def label_of_ref(ref: str | None) -> str | None:
    """How the pages show a match's row (`job 8 · line 612`); None for another reference."""
    parsed = parse_row_ref(ref)
    if parsed is None or parsed.line_number is None:
        return None
    return row_label(parsed.job_id, parsed.line_number)


def parse_row_ref(ref: str | None) -> JobRowRef | None:
    """A job row reference in either form (None for a seller's own product reference)."""
    found = _REF.match(ref or "")
    if found is None:
        return None
    job_id, kind, number = int(found[1]), found[2], int(found[3])
    if kind == "line":
        return JobRowRef(job_id, line_number=number)
    return JobRowRef(job_id, row_index=number)


def find_job_row(session: Session, ref: str | None) -> MatchJobRow | None:
    """The job row a reference names (old `row:` references through their record index)."""
    parsed = parse_row_ref(ref)
    if parsed is None:
        return None
    where = [MatchJobRow.job_id == parsed.job_id]
    if parsed.line_number is not None:
        where.append(MatchJobRow.line_number == parsed.line_number)
    else:
        where.append(MatchJobRow.row_index == parsed.row_index)
    return session.scalars(sa.select(MatchJobRow).where(*where).limit(1)).first()
