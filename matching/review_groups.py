"""Groups of identical proposals in the review queue, and verifying a group at once.

A group is every pending match (within the queue's filters) proposing the same catalog SKU for
the same seller text identity (`source_key`: title words, or game | name | set | number |
language). Its members differ only in seller, job or copy, so one look at one member is a look
at all of them: verifying the group is as safe as verifying one. Matches without a SKU or a
source key are never grouped.

Verifying a group takes the members the admin saw, each with its version: a member acted on
since (another version, or no longer pending) is reported as a conflict and left alone, the
others are verified in one UPDATE, their aliases learned, and the whole is one logged action
(undone at once by `review_undo.undo_action`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matching import review_undo
from matching.models import ProductCatalogMatch
from matching.review import learn_alias
from matching.review_queue import QueueFilters
from models.base import utcnow
from models.errors import InvalidInput

#: The most members one group verification takes (and a group lists).
MAX_GROUP_MEMBERS = 10_000

_T = ProductCatalogMatch


@dataclass(frozen=True, slots=True)
class ReviewGroup:
    catalog_sku: str
    source_key: str
    game: str | None
    count: int
    sellers: int
    min_confidence: float
    max_confidence: float
    #: a member's seller text and the proposed print's details (from its candidates)
    source_text: str | None
    proposal: dict[str, Any]
    #: (id, version) of every member, oldest first
    members: list[tuple[int, int]]

    def view(self) -> dict[str, Any]:
        return {
            "catalog_sku": self.catalog_sku,
            "source_key": self.source_key,
            "game": self.game,
            "count": self.count,
            "sellers": self.sellers,
            "min_confidence": self.min_confidence,
            "max_confidence": self.max_confidence,
            "source_text": self.source_text,
            "proposal": self.proposal,
            "members": [{"id": i, "version": v} for i, v in self.members],
        }


@dataclass(frozen=True, slots=True)
class GroupOutcome:
    verified: int
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    action_id: int | None = None


def review_groups(
    session: Session,
    *,
    filters: QueueFilters,
    min_size: int = 2,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[ReviewGroup], int]:
    """The largest groups of identical pending proposals first, and how many groups there are."""
    where = [*filters.clauses(), _T.catalog_sku.is_not(None), _T.source_key.is_not(None)]
    count = sa.func.count(_T.id)
    grouped = (
        sa.select(
            _T.catalog_sku,
            _T.source_key,
            sa.func.min(_T.game).label("game"),
            count.label("n"),
            sa.func.count(sa.distinct(_T.seller_id)).label("sellers"),
            sa.func.min(_T.confidence_score).label("low"),
            sa.func.max(_T.confidence_score).label("high"),
            sa.func.min(_T.id).label("first_id"),
        )
        .where(*where)
        .group_by(_T.catalog_sku, _T.source_key)
        .having(count >= min_size)
    )
    total = session.scalar(sa.select(sa.func.count()).select_from(grouped.subquery()))
    page = session.execute(
        grouped.order_by(count.desc(), sa.func.min(_T.id)).limit(limit).offset(offset)
    ).all()
    if not page:
        return [], int(total or 0)
    firsts = {
        row.id: row
        for row in session.scalars(sa.select(_T).where(_T.id.in_([g.first_id for g in page])))
    }
    members: dict[tuple[str | None, str | None], list[tuple[int, int]]] = {}
    keys = [(g.catalog_sku, g.source_key) for g in page]
    for match_id, version, sku, key in session.execute(
        sa.select(_T.id, _T.version, _T.catalog_sku, _T.source_key)
        .where(*where, sa.tuple_(_T.catalog_sku, _T.source_key).in_(keys))
        .order_by(_T.created_at, _T.id)
    ):
        listed = members.setdefault((sku, key), [])
        if len(listed) < MAX_GROUP_MEMBERS:
            listed.append((match_id, version))
    groups = []
    for g in page:
        first = firsts[g.first_id]
        proposal = next((c for c in first.candidates or [] if c.get("sku") == g.catalog_sku), {})
        groups.append(
            ReviewGroup(
                catalog_sku=g.catalog_sku,
                source_key=g.source_key,
                game=g.game,
                count=int(g.n),
                sellers=int(g.sellers),
                min_confidence=float(g.low),
                max_confidence=float(g.high),
                source_text=first.source_text,
                proposal=proposal,
                members=members.get((g.catalog_sku, g.source_key), []),
            )
        )
    return groups, int(total or 0)


def verify_group(
    session: Session,
    *,
    catalog_sku: str,
    source_key: str,
    members: list[tuple[int, int]],
    by: str,
    note: str | None = None,
) -> GroupOutcome:
    """Verify the group's members still at the version the admin saw; report the others.
    Raises InvalidInput when a member is not of this group (or too many are given)."""
    if not members:
        raise InvalidInput("give the group's members (id and version)", code="empty_group")
    if len(members) > MAX_GROUP_MEMBERS:
        raise InvalidInput(
            f"a group verification takes at most {MAX_GROUP_MEMBERS:,} matches",
            code="group_too_large",
        )
    seen = dict(members)
    rows = {
        row.id: row
        for row in session.scalars(
            sa.select(_T).where(_T.id.in_(list(seen))).with_for_update().order_by(_T.id)
        )
    }
    conflicts: list[dict[str, Any]] = []
    ready: list[ProductCatalogMatch] = []
    for match_id, version in seen.items():
        row = rows.get(match_id)
        if row is None:
            conflicts.append({"id": match_id, "message": "the match does not exist"})
            continue
        if row.version != version or row.status != "pending":
            conflicts.append(
                {
                    "id": match_id,
                    "status": row.status,
                    "version": row.version,
                    "verified_by": row.verified_by,
                }
            )
            continue
        if (row.catalog_sku, row.source_key) != (catalog_sku, source_key):
            session.rollback()
            raise InvalidInput(
                {"id": match_id, "message": "this match is not of the group"},
                code="not_in_group",
            )
        ready.append(row)
    if not ready:
        session.rollback()
        return GroupOutcome(0, conflicts)
    before = {row.id: review_undo.match_state(row) for row in ready}
    aliases = review_undo.alias_states(session, review_undo.learned_keys(ready))
    now = utcnow()
    session.execute(
        sa.update(_T)
        .where(_T.id.in_(list(before)))
        .values(
            status="verified",
            is_verified=True,
            verified_by=by,
            verified_at=now,
            review_note=note,
            version=_T.version + 1,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    teachers = {(row.seller_id, row.source_key): row for row in ready}  # the last per text
    for row in teachers.values():
        learn_alias(session, row, by)
    action = review_undo.record_action(
        session,
        kind="group_verify",
        actor=by,
        before=before,
        after_versions={row.id: row.version + 1 for row in ready},
        aliases=aliases,
    )
    session.commit()
    return GroupOutcome(len(ready), conflicts, action.id)
