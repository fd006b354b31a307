"""A seller deciding their own job rows: accept the matcher's proposal, or pick one of the
row's candidates, for a row still in `review` or `none`.

The decision is recorded on the row's match (`product_catalog_matches`, made for a `none` row,
whose `product_ref` is the row's identity `job:<job>:line:<line>`) with match_method
`consumer_selected`, status `accepted`, who decided (`verified_by`) and when; the row then
shows the state `selected`, and it leaves the admins' review queue. An admin may still verify,
reassign or reject it afterwards. A vendor key acts only for its own seller (`Forbidden`); an
admin key for any seller. Two decisions on one row at once: the second is a `Conflict`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from matching.auth import Principal, check_seller
from matching.jobs.row_ref import row_ref
from matching.jobs.views import row_view, rows_query
from matching.models import MatchJob, MatchJobRow, ProductCatalogMatch
from matching.review import SkuTarget, find_sku
from models.base import utcnow
from models.errors import Conflict, InvalidInput, NotFound

#: The states a seller may still decide.
DECIDABLE_STATES = ("review", "none")


def job_row(
    session: Session, principal: Principal, *, job_id: int, line_number: int
) -> tuple[MatchJob, MatchJobRow, ProductCatalogMatch | None, str]:
    """A row of a job the key may see, with its match and state (`NotFound`, `Forbidden`)."""
    job = session.get(MatchJob, job_id)
    if job is None:
        raise NotFound(f"job {job_id} does not exist")
    check_seller(principal, job.seller_id)
    found = session.execute(
        rows_query(job_id).where(MatchJobRow.line_number == line_number).limit(1)
    ).first()
    if found is None:
        raise NotFound(f"job {job_id} has no line {line_number}")
    row, match, state = found
    return job, row, match, state


def decide_row(
    session: Session,
    principal: Principal,
    *,
    job_id: int,
    line_number: int,
    sku: str | None = None,
) -> dict[str, Any]:
    """Accept the row's proposal (no `sku`) or pick the candidate `sku`; returns the row's view
    afterwards. Raises NotFound, Forbidden, Conflict (already decided) or InvalidInput (no
    proposal to accept, a SKU that is not one of the row's candidates)."""
    job, row, match, state = job_row(session, principal, job_id=job_id, line_number=line_number)
    if state not in DECIDABLE_STATES:
        raise Conflict(
            f"line {line_number} is already {state}", code="already_decided", state=state
        )
    target = find_sku(session, _chosen_sku(row, match, sku))
    values = _decision_values(row, target, by=principal.label)
    if match is not None:
        _update_pending(session, match.id, values)
    else:
        _record_for_none_row(session, job, row, values)
    session.commit()
    session.expire_all()
    _, row, match, state = job_row(session, principal, job_id=job_id, line_number=line_number)
    return row_view(row, match, state)


def _chosen_sku(row: MatchJobRow, match: ProductCatalogMatch | None, sku: str | None) -> str:
    proposal = match.catalog_sku if match is not None else row.sku
    if not sku:
        if not proposal:
            raise InvalidInput(
                "this row has no proposal to accept: pick one of its candidates",
                code="sku_required",
            )
        return proposal
    offered = {c.get("sku") for c in row.candidates or []} | {proposal}
    if sku not in offered:
        raise InvalidInput(
            f"{sku} is not one of this row's candidates",
            code="not_a_candidate",
            candidates=sorted(s for s in offered if s),
        )
    return sku


def _decision_values(row: MatchJobRow, target: SkuTarget, *, by: str) -> dict[str, Any]:
    chosen = next((c for c in row.candidates or [] if c.get("sku") == target.sku), {})
    now = utcnow()
    return {
        "catalog_sku": target.sku,
        "print_id": target.print_id,
        "game": target.game,
        "match_method": "consumer_selected",
        "confidence_score": float(chosen.get("confidence") or 0.0),
        "decision": "auto",
        "status": "accepted",
        "verified_by": by,
        "verified_at": now,
        "updated_at": now,
    }


def _update_pending(session: Session, match_id: int, values: dict[str, Any]) -> None:
    table = ProductCatalogMatch
    # Session.execute types its result as Result; an UPDATE's is a CursorResult (rowcount)
    done: sa.CursorResult[Any] = session.execute(  # type: ignore[assignment]
        sa.update(table)
        .where(table.id == match_id, table.status == "pending")
        .values(**values, version=table.version + 1)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        session.rollback()
        raise Conflict("someone decided this row first", code="already_decided")


def _record_for_none_row(
    session: Session, job: MatchJob, row: MatchJobRow, values: dict[str, Any]
) -> None:
    text = " | ".join(str(v) for k, v in (row.raw or {}).items() if v and k != "_extra")
    match = ProductCatalogMatch(
        seller_id=job.seller_id,
        seller_type=job.seller_type,
        product_ref=row_ref(job.id, row.line_number),
        source_text=text[:4000],
        matched_fields=row.matched_fields or {},
        candidates=row.candidates or [],
        is_verified=False,
        job_id=job.id,
        version=1,
        **values,
    )
    session.add(match)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict("someone decided this row first", code="already_decided") from None
    linked: sa.CursorResult[Any] = session.execute(  # type: ignore[assignment]
        sa.update(MatchJobRow)
        .where(MatchJobRow.id == row.id, MatchJobRow.match_id.is_(None))
        .values(match_id=match.id)
        .execution_options(synchronize_session=False)
    )
    if linked.rowcount != 1:
        session.rollback()
        raise Conflict("someone decided this row first", code="already_decided")
