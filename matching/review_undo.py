"""The record of review actions, and their undo.

Every verify, reassign, reject and group verify writes one `ReviewAction`: each match's state
before the action (the fields an action changes, its version included) with its version after
it, and the state before of each learned alias the action taught. Undo puts those states back
exactly, in one transaction, and only if no match has been changed since the action (its
version is still the one the action left): otherwise nothing is restored and `Conflict` names
the matches changed since. An alias is restored only while it is still the action's (a later
verification of the same text owns it then).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matching.models import LearnedAlias, ProductCatalogMatch, ReviewAction
from models.base import utcnow
from models.errors import Conflict, NotFound

#: The match fields a review action changes (and undo restores).
MATCH_STATE_FIELDS = (
    "status",
    "is_verified",
    "verified_by",
    "verified_at",
    "review_note",
    "catalog_sku",
    "print_id",
    "game",
    "match_method",
    "confidence_score",
    "version",
    "updated_at",
)
#: The learned alias fields a verification sets.
ALIAS_STATE_FIELDS = (
    "game",
    "print_id",
    "catalog_sku",
    "match_id",
    "created_by",
    "created_at",
    "updated_at",
)
_DATETIME_FIELDS = {"verified_at", "updated_at", "created_at"}


def _state(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for name in fields:
        value = getattr(obj, name)
        out[name] = value.isoformat() if isinstance(value, datetime) else value
    return out


def _restored(state: dict[str, Any]) -> dict[str, Any]:
    return {
        name: datetime.fromisoformat(value) if name in _DATETIME_FIELDS and value else value
        for name, value in state.items()
    }


def match_state(row: ProductCatalogMatch) -> dict[str, Any]:
    """What an action may change on a match, as JSON."""
    return _state(row, MATCH_STATE_FIELDS)


def alias_states(session: Session, keys: set[tuple[str, str]]) -> list[dict[str, Any]]:
    """The learned aliases of these (seller_id, source_key) pairs as they are now (a missing
    alias is `before: None`)."""
    if not keys:
        return []
    found = {
        (alias.seller_id, alias.source_key): alias
        for alias in session.scalars(
            sa.select(LearnedAlias).where(
                sa.tuple_(LearnedAlias.seller_id, LearnedAlias.source_key).in_(sorted(keys))
            )
        )
    }
    return [
        {
            "seller_id": seller_id,
            "source_key": source_key,
            "before": _state(found[(seller_id, source_key)], ALIAS_STATE_FIELDS)
            if (seller_id, source_key) in found
            else None,
        }
        for seller_id, source_key in sorted(keys)
    ]


def learned_keys(rows: list[ProductCatalogMatch]) -> set[tuple[str, str]]:
    """The (seller_id, source_key) pairs verifying these matches teaches."""
    return {
        (row.seller_id, row.source_key)
        for row in rows
        if row.source_key and row.catalog_sku and row.print_id is not None
    }


def record_action(
    session: Session,
    *,
    kind: str,
    actor: str,
    before: dict[int, dict[str, Any]],
    after_versions: dict[int, int],
    aliases: list[dict[str, Any]],
) -> ReviewAction:
    """Log an action (in the caller's transaction): `before` = each match's `match_state`
    by id, `after_versions` = its version after the action."""
    action = ReviewAction(
        kind=kind,
        actor=actor,
        match_count=len(before),
        changes={
            "matches": [
                {"id": match_id, "before": state, "after_version": after_versions[match_id]}
                for match_id, state in before.items()
            ],
            "aliases": aliases,
        },
        created_at=utcnow(),
    )
    session.add(action)
    session.flush()
    return action


def last_action(session: Session, *, actor: str) -> ReviewAction | None:
    """The actor's most recent action not undone yet."""
    return session.scalars(
        sa.select(ReviewAction)
        .where(ReviewAction.actor == actor, ReviewAction.undone_at.is_(None))
        .order_by(ReviewAction.created_at.desc(), ReviewAction.id.desc())
        .limit(1)
    ).first()


def action_view(action: ReviewAction) -> dict[str, Any]:
    return {
        "id": action.id,
        "kind": action.kind,
        "actor": action.actor,
        "match_count": action.match_count,
        "match_ids": [change["id"] for change in action.changes.get("matches", [])],
        "created_at": action.created_at.isoformat() if action.created_at else None,
        "undone_at": action.undone_at.isoformat() if action.undone_at else None,
        "undone_by": action.undone_by,
    }


def undo_action(session: Session, *, action_id: int, by: str) -> ReviewAction:
    """Restore every match (and alias) the action changed; raises NotFound, or Conflict when
    it was undone already or a match changed since (then nothing is restored)."""
    action = session.get(ReviewAction, action_id, with_for_update=True)
    if action is None:
        raise NotFound(f"review action {action_id} does not exist")
    if action.undone_at is not None:
        raise Conflict(
            {"message": "this action was undone already", "undone_by": action.undone_by},
            code="already_undone",
        )
    changes = action.changes.get("matches", [])
    expected = {int(change["id"]): int(change["after_version"]) for change in changes}
    table = ProductCatalogMatch
    locked = sa.select(table.id, table.version).where(table.id.in_(list(expected)))
    current = dict(session.execute(locked.with_for_update()).all())
    changed = sorted(i for i, version in expected.items() if current.get(i) != version)
    if changed:
        session.rollback()
        raise Conflict(
            {"message": "matches were changed after this action", "changed_ids": changed[:100]},
            code="undo_conflict",
            changed=len(changed),
        )
    for change in changes:
        session.execute(
            sa.update(table)
            .where(table.id == change["id"])
            .values(**_restored(change["before"]))
            .execution_options(synchronize_session=False)
        )
    _restore_aliases(session, action.changes.get("aliases", []), set(expected))
    action.undone_at = utcnow()
    action.undone_by = by
    session.commit()
    return action


def _restore_aliases(session: Session, aliases: list[dict[str, Any]], match_ids: set[int]) -> None:
    for entry in aliases:
        alias = session.scalars(
            sa.select(LearnedAlias).where(
                LearnedAlias.seller_id == entry["seller_id"],
                LearnedAlias.source_key == entry["source_key"],
            )
        ).first()
        if alias is None or alias.match_id not in match_ids:
            continue  # gone, or taught again by a later action: that one owns it
        before = entry["before"]
        if before is None:
            session.delete(alias)
        else:
            for name, value in _restored(before).items():
                setattr(alias, name, value)
    session.flush()
