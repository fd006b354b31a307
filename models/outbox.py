"""The index outbox writer: a catalog write queues the print ids it touched for reindexing.

Writers (the ETL loader, graded SKUs made on first use, marketplace events, admin edits) call
these on the connection or session of the write itself, so the rows commit or roll back with
it. The indexer drains them (`indexer/outbox.py`); it and the writers share only the table.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from models.base import utcnow
from models.bulk import insert_rows
from models.catalog import Print
from models.etl import IndexOutbox

OUTBOX: sa.Table = IndexOutbox.__table__  # type: ignore[assignment]


def record_touched_prints(
    bind: Session | Connection, print_ids: Iterable[int], *, reason: str = "etl"
) -> int:
    """Queue these prints for reindexing, inside the caller's transaction; how many rows."""
    conn = bind.connection() if isinstance(bind, Session) else bind
    now = utcnow()
    rows = [
        {"print_id": id_, "reason": reason, "created_at": now} for id_ in sorted(set(print_ids))
    ]
    insert_rows(conn, OUTBOX, rows)
    return len(rows)


def record_touched_cards(
    bind: Session | Connection, card_ids: Iterable[int], *, reason: str = "etl"
) -> int:
    """A card's fields live in every print's document: queue all its prints."""
    stmt = sa.select(Print.id).where(Print.card_id.in_(sorted(set(card_ids))))
    return record_touched_prints(bind, bind.execute(stmt).scalars(), reason=reason)


def record_touched_sets(
    bind: Session | Connection, set_ids: Iterable[int], *, reason: str = "etl"
) -> int:
    stmt = sa.select(Print.id).where(Print.set_id.in_(sorted(set(set_ids))))
    return record_touched_prints(bind, bind.execute(stmt).scalars(), reason=reason)
