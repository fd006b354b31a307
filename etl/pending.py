"""Last writer wins without flip-flopping: changes to rows that existed before the run are
held in `etl_pending_rows` and applied at its end.

`merge_rows` inserts new cards or prints, writes at once a change to a row this run created,
and holds a change to an older row (a later record bringing the stored version back cancels
it); `held_changes` reads a slice of what is held and applies it. See docs/etl.md, *Cards merge*.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from etl.prepare import CARDS, CHECKS, PRINTS, SkuSpec
from models.bulk import delete_ids, insert_rows, select_in, update_rows
from models.etl import EtlPendingRow

PENDING: sa.Table = EtlPendingRow.__table__  # type: ignore[assignment]


class KeySet(Protocol):
    """The keys this run created (`etl.silver`'s staged set)."""

    def __contains__(self, item: Any) -> bool: ...

    def add(self, item: Any) -> None: ...


def stored_rows(
    conn: Connection,
    table: sa.Table,
    key_column: sa.Column[Any],
    keys: Iterable[str],
    game_id: int,
) -> dict[str, tuple[int, str | None]]:
    """key -> (id, content hash) of this game's stored rows among `keys`."""
    rows = select_in(
        conn,
        [table.c.id, key_column, table.c.content_hash],
        key_column,
        keys,
        table.c.game_id == game_id,
    )
    return {key: (id_, digest) for id_, key, digest in rows}


def merge_rows(
    conn: Connection,
    *,
    kind: str,
    table: sa.Table,
    key_column: sa.Column[Any],
    latest: dict[str, tuple[dict[str, Any], str]],
    counts: Counter[str],
    now: Any,
    game_id: int,
    job_id: int | None,
    created: KeySet,
) -> tuple[dict[str, int], list[int], set[int]]:
    """Insert new rows; write changes to rows this run created; hold other changes.

    `latest` maps key -> (column values, content hash). Returns key -> id of every row,
    the ids updated now, and the ids whose change is held in `etl_pending_rows`.
    """
    existing = stored_rows(conn, table, key_column, latest, game_id)
    held_keys = [key for key in existing if key not in created]
    pending = {
        key: (id_, digest)
        for id_, key, digest in select_in(
            conn,
            [PENDING.c.id, PENDING.c.key, PENDING.c.content_hash],
            PENDING.c.key,
            held_keys,
            PENDING.c.game_id == game_id,
            PENDING.c.kind == kind,
        )
    }
    ids: dict[str, int] = {}
    inserts, updates, updated = [], [], []
    hold_new, hold_update, release = [], [], []
    held: set[int] = set()
    for key, (values, digest) in latest.items():
        known = existing.get(key)
        if known is None:
            inserts.append(
                {
                    **values,
                    "game_id": game_id,
                    "content_hash": digest,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            continue
        row_id, stored = known
        ids[key] = row_id
        if key in created:
            if stored != digest:
                updates.append({**values, "_id": row_id, "content_hash": digest, "updated_at": now})
                updated.append(row_id)
                counts["merged"] += 1
            continue
        waiting = pending.get(key)
        if stored == digest:
            counts["unchanged"] += 1
            if waiting is not None:
                release.append(waiting[0])  # back to the stored version: nothing to do
            continue
        held.add(row_id)
        if waiting is not None and waiting[1] == digest:
            continue
        counts["pending"] += 1
        doc = {
            "row": CHECKS[kind].to_json(values),
            "content_hash": digest,
            "etl_job_id": job_id,
            "updated_at": now,
        }
        if waiting is None:
            hold_new.append({**doc, "game_id": game_id, "kind": kind, "key": key})
        else:
            hold_update.append({**doc, "_id": waiting[0]})
    for id_, key in insert_rows(conn, table, inserts, returning=(table.c.id, key_column)):
        ids[key] = id_
        created.add(key)
    update_rows(conn, table, updates)
    insert_rows(conn, PENDING, hold_new)
    update_rows(conn, PENDING, hold_update)
    delete_ids(conn, PENDING, release)
    counts["created"] += len(inserts)
    return ids, updated, held


@dataclass
class AppliedChanges:
    """What `apply_held` changed: print ids touched, card ids changed, the SKUs to reconcile
    and the held rows consumed (to delete once their SKUs and outbox rows are written)."""

    touched: set[int] = field(default_factory=set)
    changed_cards: list[int] = field(default_factory=list)
    skus: dict[int, SkuSpec] = field(default_factory=dict)
    row_ids: list[int] = field(default_factory=list)


def apply_held(
    conn: Connection, *, game_id: int, limit: int, counts: dict[str, Counter[str]], now: Any
) -> AppliedChanges:
    """Apply up to `limit` held changes of one game (oldest first) to cards and prints."""
    applied = AppliedChanges()
    rows = conn.execute(
        sa.select(
            PENDING.c.id, PENDING.c.kind, PENDING.c.key, PENDING.c.content_hash, PENDING.c.row
        )
        .where(PENDING.c.game_id == game_id)
        .order_by(PENDING.c.id)
        .limit(limit)
    ).all()
    applied.row_ids = [row.id for row in rows]
    for kind, table, key_column, table_counts in (
        ("card", CARDS, CARDS.c.oracle_key, counts["cards"]),
        ("print", PRINTS, PRINTS.c.print_key, counts["prints"]),
    ):
        held = {row.key: row for row in rows if row.kind == kind}
        if not held:
            continue
        existing = stored_rows(conn, table, key_column, held, game_id)
        updates = []
        for key, row in held.items():
            known = existing.get(key)
            if known is None or known[1] == row.content_hash:
                continue
            values = CHECKS[kind].from_json(row.row)
            updates.append(
                {**values, "_id": known[0], "content_hash": row.content_hash, "updated_at": now}
            )
            if kind == "card":
                applied.changed_cards.append(known[0])
            else:
                applied.touched.add(known[0])
                applied.skus[known[0]] = SkuSpec(
                    values["sku_set"],
                    values["sku_number"],
                    values["language"],
                    tuple(values["finishes"]),
                )
        update_rows(conn, table, updates)
        table_counts["updated"] += len(updates)
    return applied
