"""Silver layer: normalised cards, prints, sets and catalog SKUs, upserted in batches.

`SilverWriter.prepare` turns one `NormalizedCard` into checked rows with content hashes (pure
Python, no database: `etl.prepare`); `SilverWriter.write` upserts the prepared records of a
batch inside the caller's transaction with one lookup query per table, executemany inserts
(`COPY` on PostgreSQL, `models.bulk`) and executemany updates, reconciles their SKUs
(`etl.skus`) and queues the touched prints for the indexer (`models.outbox`). Rows whose
content hash is unchanged are not written.

Cards and prints may be described by several records of a run (the printings of a card, the
set files of a Yu-Gi-Oh! card): the last one read wins. A change to a row that existed before
the run is therefore not written at once but kept in `etl_pending_rows` (`etl.pending`, in the
batch's transaction) until `flush_pending` at the end of the run; a later record of the same
run that brings the stored version back cancels it. So re-loading unchanged input writes
nothing, and a killed run resumed later ends exactly where an uninterrupted run ends. See
docs/etl.md.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from etl.card_languages import prints_of_cards_gaining_a_language
from etl.pending import PENDING, apply_held, merge_rows
from etl.prepare import (
    CARDS,
    PRINTS,
    SETS,
    PreparedCard,
    PreparedPrint,
    PreparedSet,
    Preparer,
    SkuSpec,
)
from etl.records import NormalizedCard
from etl.skus import reconcile_skus
from models.base import utcnow
from models.bulk import delete_ids, insert_rows, select_in, update_rows
from models.games import GAME_IDS
from models.outbox import record_touched_prints

TABLES = ("sets", "cards", "prints", "skus")
#: The outbox reason of the rows the loader writes.
OUTBOX_REASON = "etl"


@dataclass
class WriteResult:
    """Per-table counters: created, updated, unchanged, merged (a row created earlier in the
    same run changed again), pending (a change held until the end of the run), deleted and
    kept (SKUs of vanished finishes with marketplace data)."""

    counts: dict[str, Counter[str]] = field(
        default_factory=lambda: {table: Counter() for table in TABLES}
    )
    outbox: int = 0

    def add(self, other: WriteResult) -> None:
        for table, counter in other.counts.items():
            self.counts.setdefault(table, Counter()).update(counter)
        self.outbox += other.outbox


class _Staged:
    """A set that takes additions for the current transaction and keeps them on commit."""

    def __init__(self) -> None:
        self.done: set[Any] = set()
        self.new: set[Any] = set()

    def __contains__(self, item: Any) -> bool:
        return item in self.done or item in self.new

    def add(self, item: Any) -> None:
        self.new.add(item)

    def commit(self) -> None:
        self.done |= self.new
        self.new = set()

    def rollback(self) -> None:
        self.new = set()


class SetCache:
    """The sets of one game (code -> id, content hash); staged changes apply on commit."""

    def __init__(self, game_id: int) -> None:
        self.game_id = game_id
        self.rows: dict[str, tuple[int, str | None]] = {}
        self.pending: dict[str, tuple[int, str | None]] = {}

    def load(self, conn: Connection) -> None:
        stmt = sa.select(SETS.c.id, SETS.c.code, SETS.c.content_hash).where(
            SETS.c.game_id == self.game_id
        )
        self.rows = {code: (id_, digest) for id_, code, digest in conn.execute(stmt)}
        self.pending = {}

    def get(self, code: str) -> tuple[int, str | None] | None:
        return self.pending.get(code) or self.rows.get(code)

    def stage(self, code: str, id_: int, digest: str | None) -> None:
        self.pending[code] = (id_, digest)

    def commit(self) -> None:
        self.rows.update(self.pending)
        self.pending = {}

    def rollback(self) -> None:
        self.pending = {}


class SilverWriter:
    """Prepares and upserts the silver rows of one game, for one run."""

    def __init__(self, game: str, *, job_id: int | None = None) -> None:
        if game not in GAME_IDS:
            raise ValueError(f"unknown game {game!r}")
        self.game = game
        self.game_id = GAME_IDS[game]
        self.job_id = job_id
        self.sets = SetCache(self.game_id)
        #: keys of the cards / prints this run created (their later versions are written
        #: at once), and the prints whose SKUs this run already reconciled.
        self.created: dict[str, _Staged] = {"card": _Staged(), "print": _Staged()}
        self.reconciled = _Staged()
        self.preparer = Preparer(game)

    def commit(self) -> None:
        """The caller's transaction committed: keep what it staged."""
        self.sets.commit()
        for staged in (*self.created.values(), self.reconciled):
            staged.commit()

    def rollback(self) -> None:
        self.sets.rollback()
        for staged in (*self.created.values(), self.reconciled):
            staged.rollback()

    def prepare(self, card: NormalizedCard) -> PreparedCard:
        """Check one normalised card and build its rows; `RecordError` if unusable."""
        return self.preparer.prepare(card)

    # -- database writes ---------------------------------------------------------------------

    def load_cache(self, conn: Connection) -> None:
        self.sets.load(conn)

    def upsert_sets(self, conn: Connection, records: list[PreparedSet]) -> WriteResult:
        """Full set metadata (from `Source.sets`): insert new, update changed."""
        result = WriteResult()
        counts = result.counts["sets"]
        latest: dict[str, PreparedSet] = {}
        for record in records:
            latest[record.code] = record
        inserts, updates = [], []
        now = utcnow()
        for code, record in latest.items():
            known = self.sets.get(code)
            if known is None:
                inserts.append(self._new_set_row(record, now))
            elif known[1] != record.content_hash:
                updates.append(
                    {
                        **record.row,
                        "_id": known[0],
                        "content_hash": record.content_hash,
                        "updated_at": now,
                    }
                )
                self.sets.stage(code, known[0], record.content_hash)
            else:
                counts["unchanged"] += 1
        for id_, code in insert_rows(conn, SETS, inserts, returning=(SETS.c.id, SETS.c.code)):
            self.sets.stage(code, id_, latest[code].content_hash)
        update_rows(conn, SETS, updates)
        counts["created"] += len(inserts)
        counts["updated"] += len(updates)
        if updates:
            set_ids = [row["_id"] for row in updates]
            print_ids = [r[0] for r in select_in(conn, [PRINTS.c.id], PRINTS.c.set_id, set_ids)]
            result.outbox += self._outbox(conn, print_ids)
        return result

    def write(self, conn: Connection, items: list[PreparedCard]) -> WriteResult:
        """Upsert the cards, prints and SKUs of a batch (in the caller's transaction)."""
        result = WriteResult()
        if not items:
            return result
        now = utcnow()
        self._create_missing_sets(conn, items, result.counts["sets"])
        card_ids, changed_cards = self._write_cards(conn, items, result.counts["cards"], now)
        prints, touched = self._write_prints(conn, items, card_ids, result.counts["prints"], now)
        touched |= self._write_skus(conn, prints, result.counts["skus"], now)
        if changed_cards:
            touched.update(
                r[0] for r in select_in(conn, [PRINTS.c.id], PRINTS.c.card_id, changed_cards)
            )
        result.outbox += self._outbox(conn, touched)
        return result

    def _new_set_row(self, record: PreparedSet, now: datetime) -> dict[str, Any]:
        """The row a new set is inserted with: its columns, game, content hash and times."""
        return {
            **record.row,
            "game_id": self.game_id,
            "content_hash": record.content_hash,
            "created_at": now,
            "updated_at": now,
        }

    def _create_missing_sets(
        self, conn: Connection, items: list[PreparedCard], counts: Counter[str]
    ) -> None:
        """A print's (thin) set only creates a set that does not exist yet."""
        missing: dict[str, PreparedSet] = {}
        for item in items:
            for prepared in item.prints:
                code = prepared.set.code
                if code not in missing and self.sets.get(code) is None:
                    missing[code] = prepared.set
        now = utcnow()
        rows = [self._new_set_row(s, now) for s in missing.values()]
        for id_, code in insert_rows(conn, SETS, rows, returning=(SETS.c.id, SETS.c.code)):
            self.sets.stage(code, id_, missing[code].content_hash)
        counts["created"] += len(rows)

    def _write_cards(
        self, conn: Connection, items: list[PreparedCard], counts: Counter[str], now: Any
    ) -> tuple[dict[str, int], list[int]]:
        latest: dict[str, tuple[dict[str, Any], str]] = {}
        for item in items:
            latest[item.oracle_key] = (item.row, item.content_hash)  # last writer wins
        ids, updated, _held = self._merge(conn, "card", CARDS.c.oracle_key, latest, counts, now)
        return ids, updated

    def _write_prints(
        self,
        conn: Connection,
        items: list[PreparedCard],
        card_ids: dict[str, int],
        counts: Counter[str],
        now: Any,
    ) -> tuple[dict[int, SkuSpec], set[int]]:
        latest: dict[str, tuple[dict[str, Any], str]] = {}
        by_key: dict[str, PreparedPrint] = {}
        for item in items:
            card_id = card_ids[item.oracle_key]
            for prepared in item.prints:
                set_row = self.sets.get(prepared.set.code)
                assert set_row is not None
                values = {**prepared.row, "card_id": card_id, "set_id": set_row[0]}
                latest[prepared.print_key] = (values, prepared.content_hash)
                by_key[prepared.print_key] = prepared
        before = set(self.created["print"].new)
        ids, updated, held = self._merge(conn, "print", PRINTS.c.print_key, latest, counts, now)
        created = self.created["print"].new - before
        touched = set(updated)
        created_ids = [ids[key] for key in created if key in ids]
        # their documents' card_languages change when a card gains a language
        touched |= prints_of_cards_gaining_a_language(conn, created_print_ids=created_ids)
        skus: dict[int, SkuSpec] = {}
        for key, id_ in ids.items():
            if key in created:
                touched.add(id_)
            elif id_ in held or (id_ in self.reconciled and id_ not in touched):
                continue  # SKUs follow when the held change is applied / already checked
            skus[id_] = by_key[key].skus
            self.reconciled.add(id_)
        return skus, touched

    def _merge(
        self,
        conn: Connection,
        kind: str,
        key_column: sa.Column[Any],
        latest: dict[str, tuple[dict[str, Any], str]],
        counts: Counter[str],
        now: Any,
    ) -> tuple[dict[str, int], list[int], set[int]]:
        return merge_rows(
            conn,
            kind=kind,
            table=key_column.table,
            key_column=key_column,
            latest=latest,
            counts=counts,
            now=now,
            game_id=self.game_id,
            job_id=self.job_id,
            created=self.created[kind],
        )

    def _write_skus(
        self, conn: Connection, prints: dict[int, SkuSpec], counts: Counter[str], now: Any
    ) -> set[int]:
        return reconcile_skus(conn, game=self.game, prints=prints, counts=counts, now=now)

    def flush_pending(self, conn: Connection, *, limit: int = 2000) -> tuple[WriteResult, bool]:
        """Apply up to `limit` held changes of this game; returns (counts, more left?)."""
        result = WriteResult()
        now = utcnow()
        applied = apply_held(conn, game_id=self.game_id, limit=limit, counts=result.counts, now=now)
        if not applied.row_ids:
            return result, False
        touched = applied.touched | self._write_skus(conn, applied.skus, result.counts["skus"], now)
        if applied.changed_cards:
            touched.update(
                r[0]
                for r in select_in(conn, [PRINTS.c.id], PRINTS.c.card_id, applied.changed_cards)
            )
        result.outbox += self._outbox(conn, touched)
        delete_ids(conn, PENDING, applied.row_ids)
        return result, len(applied.row_ids) == limit

    def _outbox(self, conn: Connection, print_ids: set[int] | list[int]) -> int:
        return record_touched_prints(conn, print_ids, reason=OUTBOX_REASON)
