"""Matches after matching: recording them, verify / reassign / reject, and learning from a
verified match.

Verify and reject are one guarded UPDATE each (`WHERE id = :id AND is_verified = false AND
status IN ('pending', 'accepted')`, optionally `AND version = :version`): when two admins act
on the same match, the database serialises the two statements and the second one matches no
row, which raises `Conflict` (the API answers 409). Verifying teaches the matcher: the match's `source_key`
(the seller's normalised text) becomes a learned alias of the seller, so the same text later
matches that SKU exactly. Each verify and reject is logged with the states it changed
(`matching/review_undo.py`), so it can be undone; the queue's query is `review_queue.py`, groups
of identical proposals `review_groups.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from etl.graded_skus import ensure_sku
from matching import review_undo
from matching.jobs.row_ref import label_of_ref
from matching.match_result import MatchResult
from matching.models import LearnedAlias, ProductCatalogMatch
from models.base import utcnow
from models.catalog import CatalogSku
from models.errors import Conflict, InvalidInput, NotFound
from models.sku import SkuError, parse_sku

OPEN_STATUSES = ("pending", "accepted")


@dataclass(frozen=True, slots=True)
class ReviewOutcome:
    """A match after an admin's action, and the logged action (undo restores from it)."""

    match: ProductCatalogMatch
    action_id: int


@dataclass(frozen=True, slots=True)
class SkuTarget:
    sku: str
    print_id: int
    game: str


def find_sku(session: Session, sku: str) -> SkuTarget:
    """The catalog SKU (`InvalidInput` when malformed or not in the catalog)."""
    try:
        parts = parse_sku(sku)
    except SkuError as exc:
        raise InvalidInput(str(exc), code="invalid_sku") from None
    canonical = str(parts)
    row = session.execute(
        sa.select(CatalogSku.sku, CatalogSku.print_id, CatalogSku.game_code).where(
            CatalogSku.sku == canonical
        )
    ).first()
    if row is not None:
        return SkuTarget(row.sku, row.print_id, row.game_code)
    made = ensure_sku(session, canonical) if parts.grade is not None else None  # first use
    if made is None:
        raise InvalidInput(f"{canonical} is not in the catalog", code="unknown_sku")
    return SkuTarget(made.sku, made.print_id, made.game)


def record_match(
    session: Session,
    result: MatchResult,
    *,
    seller_id: str,
    seller_type: str,
    product_ref: str | None,
    selected: SkuTarget | None = None,
) -> ProductCatalogMatch | None:
    """Store (or refresh) the seller's match for `product_ref`. `auto` -> accepted, `review`
    -> pending; a `selected` SKU (a consumer picking a candidate) -> consumer_selected. A match
    already verified or rejected is left alone. Returns the row (None for a `none` result)."""
    best = result.best
    if selected is None and (best is None or result.decision not in ("auto", "review")):
        return None
    existing = None
    if product_ref:
        existing = session.scalars(
            sa.select(ProductCatalogMatch).where(
                ProductCatalogMatch.seller_id == seller_id,
                ProductCatalogMatch.product_ref == product_ref,
            )
        ).first()
        if existing is not None and existing.status not in OPEN_STATUSES:
            return existing
    row = existing or ProductCatalogMatch(seller_id=seller_id, product_ref=product_ref, version=1)
    row.seller_type = seller_type
    row.source_text = (result.source_text or "")[:4000]
    row.source_key = result.source_key
    row.candidates = [c.as_dict() for c in result.candidates]
    if selected is not None:
        chosen = next((c for c in result.candidates if c.sku == selected.sku), None)
        row.game = selected.game
        row.catalog_sku = selected.sku
        row.print_id = selected.print_id
        row.match_method = "consumer_selected"
        row.confidence_score = chosen.confidence if chosen else 0.0
        row.matched_fields = chosen.matched_fields if chosen else {}
        row.decision = "auto"
        row.status = "accepted"
    else:
        assert best is not None
        row.game = best.game
        row.catalog_sku = best.sku
        row.print_id = best.print_id
        row.match_method = best.match_method
        row.confidence_score = best.confidence
        row.matched_fields = best.matched_fields
        row.decision = result.decision
        row.status = "accepted" if result.decision == "auto" else "pending"
    if existing is not None:
        row.version = (existing.version or 1) + 1
    session.add(row)
    session.flush()
    return row


def match_view(row: ProductCatalogMatch) -> dict[str, Any]:
    return {
        "id": row.id,
        "seller_id": row.seller_id,
        "seller_type": row.seller_type,
        "product_ref": row.product_ref,
        "row_label": label_of_ref(row.product_ref),
        "source_text": row.source_text,
        "source_key": row.source_key,
        "game": row.game,
        "catalog_sku": row.catalog_sku,
        "match_method": row.match_method,
        "confidence_score": row.confidence_score,
        "matched_fields": row.matched_fields,
        "decision": row.decision,
        "status": row.status,
        "is_verified": row.is_verified,
        "verified_by": row.verified_by,
        "verified_at": row.verified_at.isoformat() if row.verified_at else None,
        "review_note": row.review_note,
        "job_id": row.job_id,
        "version": row.version,
        "candidates": row.candidates or [],
        "created_at": row.created_at.isoformat() if row.created_at else None,
    }


def _guarded_update(
    session: Session, match_id: int, expected_version: int | None, values: dict[str, Any]
) -> None:
    table = ProductCatalogMatch
    where = [
        table.id == match_id,
        table.is_verified.is_(False),
        table.status.in_(OPEN_STATUSES),
    ]
    if expected_version is not None:
        where.append(table.version == expected_version)
    # Session.execute types its result as Result; an UPDATE's is a CursorResult (rowcount)
    result: sa.CursorResult[Any] = session.execute(  # type: ignore[assignment]
        sa.update(table)
        .where(*where)
        .values(**values, version=table.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.rollback()
        current = session.get(table, match_id)
        if current is None:
            raise NotFound(f"match {match_id} does not exist")
        session.refresh(current)
        raise Conflict(
            {
                "message": "the match was changed by someone else",
                "status": current.status,
                "version": current.version,
                "verified_by": current.verified_by,
            },
        )


def verify(
    session: Session,
    match_id: int,
    *,
    by: str,
    sku: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> ReviewOutcome:
    """Confirm a match, or reassign it to `sku`; teaches the seller's alias; logs the action.
    Raises NotFound, Conflict (someone acted first) or InvalidInput (a bad SKU)."""
    row = session.get(ProductCatalogMatch, match_id, with_for_update=True)
    if row is None:
        raise NotFound(f"match {match_id} does not exist")
    values: dict[str, Any] = {
        "status": "verified",
        "is_verified": True,
        "verified_by": by,
        "verified_at": utcnow(),
        "review_note": note,
    }
    target: SkuTarget | None = None
    if sku:
        target = find_sku(session, sku)
        if target.sku != row.catalog_sku:
            values.update(
                catalog_sku=target.sku,
                print_id=target.print_id,
                game=target.game,
                match_method="manual",
                confidence_score=1.0,
            )
    elif row.catalog_sku is None:
        raise InvalidInput("this match has no SKU: give one to reassign", code="sku_required")
    before = review_undo.match_state(row)
    _guarded_update(session, match_id, expected_version, values)
    session.refresh(row)
    aliases = review_undo.alias_states(session, review_undo.learned_keys([row]))
    learn_alias(session, row, by)
    action = review_undo.record_action(
        session,
        kind="reassign" if values.get("match_method") == "manual" else "verify",
        actor=by,
        before={row.id: before},
        after_versions={row.id: row.version},
        aliases=aliases,
    )
    session.commit()
    return ReviewOutcome(row, action.id)


def reject(
    session: Session,
    match_id: int,
    *,
    by: str,
    note: str | None = None,
    expected_version: int | None = None,
) -> ReviewOutcome:
    """Take a match out of the queue as wrong; logs the action."""
    row = session.get(ProductCatalogMatch, match_id, with_for_update=True)
    if row is None:
        raise NotFound(f"match {match_id} does not exist")
    before = review_undo.match_state(row)
    _guarded_update(
        session,
        match_id,
        expected_version,
        {"status": "rejected", "verified_by": by, "verified_at": utcnow(), "review_note": note},
    )
    session.refresh(row)
    action = review_undo.record_action(
        session,
        kind="reject",
        actor=by,
        before={row.id: before},
        after_versions={row.id: row.version},
        aliases=[],
    )
    session.commit()
    return ReviewOutcome(row, action.id)


def learn_alias(session: Session, row: ProductCatalogMatch, by: str) -> None:
    """Teach the seller's text of a verified match (its learned alias)."""
    if not row.source_key or not row.catalog_sku or row.print_id is None:
        return
    alias = session.scalars(
        sa.select(LearnedAlias).where(
            LearnedAlias.seller_id == row.seller_id, LearnedAlias.source_key == row.source_key
        )
    ).first()
    if alias is None:
        alias = LearnedAlias(seller_id=row.seller_id, source_key=row.source_key)
        session.add(alias)
    alias.game = row.game
    alias.print_id = row.print_id
    alias.catalog_sku = row.catalog_sku
    alias.match_id = row.id
    alias.created_by = by
    alias.updated_at = utcnow()
    session.flush()


def seller_alias(
    session: Session, seller_id: str, source_key: str | None
) -> dict[str, tuple[int, str]]:
    """The seller's learned alias for one text (the single-match path)."""
    if not source_key:
        return {}
    row = session.execute(
        sa.select(LearnedAlias.print_id, LearnedAlias.catalog_sku).where(
            LearnedAlias.seller_id == seller_id, LearnedAlias.source_key == source_key
        )
    ).first()
    return {source_key: (row.print_id, row.catalog_sku)} if row else {}
