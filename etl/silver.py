"""Silver layer: normalised cards, prints, sets and catalog SKUs, upserted in batches.

`SilverWriter.prepare` turns one `NormalizedCard` into checked rows with content hashes (pure
Python, no database); `SilverWriter.write` upserts the prepared records of a batch inside the
caller's transaction with one lookup query per table, executemany inserts (`COPY` on
PostgreSQL) and executemany updates. Rows whose content hash is unchanged are not written.

Cards and prints may be described by several records of a run (the printings of a card, the
set files of a Yu-Gi-Oh! card): the last one read wins. A change to a row that existed before
the run is therefore not written at once but kept in `etl_pending_rows` (in the batch's
transaction) until `flush_pending` at the end of the run; a later record of the same run that
brings the stored version back cancels it. So re-loading unchanged input writes nothing, and
a killed run resumed later ends exactly where an uninterrupted run ends. See docs/etl.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from etl.records import NormalizedCard, PrintRecord, SetRecord
from etl.validate import RecordError, RowChecker
from models.base import utcnow
from models.bulk import delete_ids, insert_rows, select_in, update_rows
from models.card_fields import attribute_name, columns_of
from models.catalog import Card, CardSet, CatalogSku, Print
from models.etl import EtlPendingRow, IndexOutbox
from models.games import GAME_IDS
from models.sku import CONDITIONS, SkuError, SkuParts, encode_token, format_sku

CARDS: sa.Table = Card.__table__  # type: ignore[assignment]
PRINTS: sa.Table = Print.__table__  # type: ignore[assignment]
SETS: sa.Table = CardSet.__table__  # type: ignore[assignment]
SKUS: sa.Table = CatalogSku.__table__  # type: ignore[assignment]
OUTBOX: sa.Table = IndexOutbox.__table__  # type: ignore[assignment]
PENDING: sa.Table = EtlPendingRow.__table__  # type: ignore[assignment]

#: Card columns written from `NormalizedCard` (column key -> attribute): the declared card
#: columns (`models.card_fields`) but the identity, and the normalised name and game data.
CARD_FIELDS: dict[str, str] = {
    "name": "name",
    "normalized_name": "normalized_name",
    **{c: attribute_name(c) for c in columns_of("cards") if c not in ("oracle_key", "name")},
    "game_data": "game_data",
}
#: Print columns copied from `PrintRecord` as they are.
PRINT_FIELDS: tuple[str, ...] = (
    "collector_number", "number_sort", "sku_number", "language", "rarity", "rarity_code",
    "artist", "finishes", "variation", "frame", "is_promo", "is_digital", "released_at",
    "printed_name", "flavor_text", "images", "legalities", "tcgplayer_id", "cardmarket_id",
    "scryfall_id", "pokemon_tcg_id", "ygoprodeck_id", "game_data",
)  # fmt: skip
SET_FIELDS: tuple[str, ...] = (
    "name", "set_type", "series", "released_at", "card_count", "printed_total", "aliases",
    "external_ids", "images", "game_data",
)  # fmt: skip

_CARD_CHECK = RowChecker(CARDS, ["oracle_key", *CARD_FIELDS], label="card")
_PRINT_CHECK = RowChecker(PRINTS, ["print_key", "sku_set", *PRINT_FIELDS], label="print")
_SET_CHECK = RowChecker(SETS, ["code", *SET_FIELDS], label="set")
_CHECKS = {"card": _CARD_CHECK, "print": _PRINT_CHECK}
TABLES = ("sets", "cards", "prints", "skus")
_MEMO_SIZE = 50_000


class _Sku(NamedTuple):
    """Duck-typed `SkuParts` for the conditions after the validated first one."""

    game: str
    set_token: str
    number_token: str
    language: str
    condition: str
    finish: str
    grade: None = None


@dataclass(slots=True)
class PreparedSet:
    code: str
    row: dict[str, Any]
    content_hash: str
    token: str  # the SKU set token


@dataclass(slots=True)
class PreparedPrint:
    print_key: str
    row: dict[str, Any]
    content_hash: str
    set: PreparedSet
    skus: SkuSpec


@dataclass(slots=True)
class PreparedCard:
    """One record's checked rows: its card and the prints (with SKUs) it describes."""

    oracle_key: str
    row: dict[str, Any]
    content_hash: str
    prints: list[PreparedPrint]


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


def prepare_set(record: SetRecord, game: str) -> PreparedSet:
    if not isinstance(record, SetRecord):
        raise RecordError(f"expected a SetRecord, got {type(record).__name__}")
    if record.game != game:
        raise RecordError(f"set {record.code!r} is of game {record.game!r}, expected {game!r}")
    if not record.code or not isinstance(record.code, str):
        raise RecordError("set code is empty")
    if not record.name:
        raise RecordError(f"set {record.code!r} has no name")
    row = {"code": record.code}
    for name in SET_FIELDS:
        row[name] = getattr(record, name)
    digest = _SET_CHECK.check(row, {"game": game})
    try:
        token = encode_token(record.code)
    except SkuError as exc:
        raise RecordError(f"set {record.code!r}: {exc}") from None
    return PreparedSet(record.code, row, digest, token)


def sku_rows(
    game: str, set_token: str, number: str, language: str, finishes: list[str]
) -> list[dict[str, Any]]:
    """The condition x finish SKU rows of a print whose components are already validated."""
    rows: list[dict[str, Any]] = []
    for finish in finishes:
        for condition in CONDITIONS:
            parts = _Sku(game, set_token, number, language, condition, finish)
            rows.append(
                {
                    "sku": format_sku(parts),  # type: ignore[arg-type]
                    "game_code": game,
                    "set_code": set_token,
                    "number": number,
                    "language": language,
                    "condition": condition,
                    "finish": finish,
                }
            )
    return rows


def _sku_spec_rows(game: str, spec: SkuSpec) -> list[dict[str, Any]]:
    return sku_rows(game, spec.set_token, spec.number, spec.language, list(spec.finishes))


class SkuSpec(NamedTuple):
    """What a print's SKUs are made of (validated with `models.sku.SkuParts`)."""

    set_token: str
    number: str
    language: str
    finishes: tuple[str, ...]


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
        self._set_memo: dict[str, PreparedSet] = {}
        self._valid_skus: set[SkuSpec] = set()

    def commit(self) -> None:
        """The caller's transaction committed: keep what it staged."""
        self.sets.commit()
        for staged in (*self.created.values(), self.reconciled):
            staged.commit()

    def rollback(self) -> None:
        self.sets.rollback()
        for staged in (*self.created.values(), self.reconciled):
            staged.rollback()

    # -- pure preparation ------------------------------------------------------------------

    def prepare(self, card: NormalizedCard) -> PreparedCard:
        """Check one normalised card and build its rows; `RecordError` if unusable."""
        game = self.game
        if not isinstance(card, NormalizedCard):
            raise RecordError(f"normalize returned a {type(card).__name__}")
        if card.game != game:
            raise RecordError(f"card is of game {card.game!r}, expected {game!r}")
        if not card.oracle_key or not isinstance(card.oracle_key, str):
            raise RecordError("card has no oracle_key")
        if not card.name or not isinstance(card.name, str):
            raise RecordError("card has no name")
        row: dict[str, Any] = {"oracle_key": card.oracle_key}
        for key, attr in CARD_FIELDS.items():
            row[key] = getattr(card, attr)
        digest = _CARD_CHECK.check(row, {"game": game})
        prints: list[PreparedPrint] = []
        owners: dict[tuple[str, str, str], str] = {}
        for record in card.prints:
            prepared = self._prepare_print(record, card.oracle_key)
            spec = prepared.skus
            other = owners.setdefault(spec[:3], prepared.print_key)
            if other != prepared.print_key:
                raise RecordError(
                    f"prints {other!r} and {prepared.print_key!r} share set, number and "
                    f"language ({spec.set_token} {spec.number} {spec.language})"
                )
            prints.append(prepared)
        return PreparedCard(card.oracle_key, row, digest, prints)

    def _prepare_print(self, record: PrintRecord, oracle_key: str) -> PreparedPrint:
        game = self.game
        if not isinstance(record, PrintRecord):
            raise RecordError(f"expected a PrintRecord, got {type(record).__name__}")
        if not record.print_key or not isinstance(record.print_key, str):
            raise RecordError("print has no print_key")
        if not isinstance(record.set, SetRecord):
            raise RecordError(f"print {record.print_key!r} has no set")
        prepared_set = self._prepare_set(record.set)
        if not record.collector_number:
            raise RecordError(f"print {record.print_key!r} has no collector number")
        if not isinstance(record.finishes, list | tuple):
            raise RecordError(f"print {record.print_key!r}: finishes must be a list")
        set_token = prepared_set.token
        row: dict[str, Any] = {"print_key": record.print_key, "sku_set": set_token}
        for name in PRINT_FIELDS:
            row[name] = getattr(record, name)
        row["finishes"] = finishes = list(dict.fromkeys(record.finishes))
        digest = _PRINT_CHECK.check(
            row, {"game": game, "oracle_key": oracle_key, "set": record.set.code}
        )
        spec = SkuSpec(set_token, record.sku_number, record.language, tuple(finishes))
        if spec not in self._valid_skus:
            try:
                for finish in finishes:
                    SkuParts(game, set_token, record.sku_number, record.language, "NM", finish)
            except SkuError as exc:
                raise RecordError(f"print {record.print_key!r}: {exc}") from None
            if len(self._valid_skus) > _MEMO_SIZE:
                self._valid_skus.clear()
            self._valid_skus.add(spec)
        return PreparedPrint(record.print_key, row, digest, prepared_set, spec)

    def _prepare_set(self, record: SetRecord) -> PreparedSet:
        """`prepare_set`, remembered: the prints of a set mostly carry equal set records."""
        if not isinstance(record, SetRecord):
            raise RecordError(f"expected a SetRecord, got {type(record).__name__}")
        memo_key = repr(record)
        prepared = self._set_memo.get(memo_key)
        if prepared is None:
            prepared = prepare_set(record, self.game)
            if len(self._set_memo) > _MEMO_SIZE:
                self._set_memo.clear()
            self._set_memo[memo_key] = prepared
        return prepared

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
                inserts.append(
                    {**record.row, "game_id": self.game_id, "content_hash": record.content_hash,
                     "created_at": now, "updated_at": now}
                )  # fmt: skip
            elif known[1] != record.content_hash:
                updates.append(
                    {**record.row, "_id": known[0], "content_hash": record.content_hash,
                     "updated_at": now}
                )  # fmt: skip
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
            result.outbox += self._outbox(conn, print_ids, now)
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
        result.outbox += self._outbox(conn, sorted(touched), now)
        return result

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
        rows = [
            {**s.row, "game_id": self.game_id, "content_hash": s.content_hash,
             "created_at": now, "updated_at": now}
            for s in missing.values()
        ]  # fmt: skip
        for id_, code in insert_rows(conn, SETS, rows, returning=(SETS.c.id, SETS.c.code)):
            self.sets.stage(code, id_, missing[code].content_hash)
        counts["created"] += len(rows)

    def _stored(
        self, conn: Connection, table: sa.Table, key_column: sa.Column, keys: Iterable[str]
    ) -> dict[str, tuple[int, str | None]]:
        """key -> (id, content hash) of this game's stored rows among `keys`."""
        rows = select_in(
            conn, [table.c.id, key_column, table.c.content_hash], key_column, keys,
            table.c.game_id == self.game_id,
        )  # fmt: skip
        return {key: (id_, digest) for id_, key, digest in rows}

    def _upsert(
        self,
        conn: Connection,
        kind: str,
        table: sa.Table,
        key_column: sa.Column[Any],
        latest: dict[str, tuple[dict[str, Any], str]],
        counts: Counter[str],
        now: Any,
    ) -> tuple[dict[str, int], list[int], set[int]]:
        """Insert new rows; write changes to rows this run created; hold other changes.

        `latest` maps key -> (column values, content hash). Returns key -> id of every row,
        the ids updated now, and the ids whose change is held in `etl_pending_rows`.
        """
        existing = self._stored(conn, table, key_column, latest)
        created = self.created[kind]
        held_keys = [key for key in existing if key not in created]
        pending = {
            key: (id_, digest)
            for id_, key, digest in select_in(
                conn,
                [PENDING.c.id, PENDING.c.key, PENDING.c.content_hash],
                PENDING.c.key,
                held_keys,
                PENDING.c.game_id == self.game_id,
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
                    {**values, "game_id": self.game_id, "content_hash": digest,
                     "created_at": now, "updated_at": now}
                )  # fmt: skip
                continue
            row_id, stored = known
            ids[key] = row_id
            if key in created:
                if stored != digest:
                    updates.append(
                        {**values, "_id": row_id, "content_hash": digest, "updated_at": now}
                    )
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
                "row": _CHECKS[kind].to_json(values),
                "content_hash": digest,
                "etl_job_id": self.job_id,
                "updated_at": now,
            }
            if waiting is None:
                hold_new.append({**doc, "game_id": self.game_id, "kind": kind, "key": key})
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

    def _write_cards(
        self, conn: Connection, items: list[PreparedCard], counts: Counter[str], now: Any
    ) -> tuple[dict[str, int], list[int]]:
        latest: dict[str, tuple[dict[str, Any], str]] = {}
        for item in items:
            latest[item.oracle_key] = (item.row, item.content_hash)  # last writer wins
        ids, updated, _held = self._upsert(
            conn, "card", CARDS, CARDS.c.oracle_key, latest, counts, now
        )
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
        ids, updated, held = self._upsert(
            conn, "print", PRINTS, PRINTS.c.print_key, latest, counts, now
        )
        created = self.created["print"].new - before
        touched = set(updated)
        skus: dict[int, SkuSpec] = {}
        for key, id_ in ids.items():
            if key in created:
                touched.add(id_)
            elif id_ in held or (id_ in self.reconciled and id_ not in touched):
                continue  # SKUs follow when the held change is applied / already checked
            skus[id_] = by_key[key].skus
            self.reconciled.add(id_)
        return skus, touched

    def _write_skus(
        self,
        conn: Connection,
        prints: dict[int, SkuSpec],
        counts: Counter[str],
        now: Any,
    ) -> set[int]:
        """Reconcile each print's SKUs with condition x finish; returns the prints touched."""
        if not prints:
            return set()
        have: dict[str, tuple[int, int, int]] = {}  # sku -> (id, print_id, total_listings)
        columns = [SKUS.c.id, SKUS.c.sku, SKUS.c.print_id, SKUS.c.total_listings]
        for id_, sku, print_id, listings in select_in(conn, columns, SKUS.c.print_id, prints):
            have[sku] = (id_, print_id, listings)
        wanted: dict[str, tuple[int, dict[str, Any]]] = {}
        for print_id, spec in prints.items():
            for sku in _sku_spec_rows(self.game, spec):
                wanted[sku["sku"]] = (print_id, sku)
        elsewhere = [sku for sku in wanted if sku not in have]
        if elsewhere:
            for id_, sku, print_id, listings in select_in(conn, columns, SKUS.c.sku, elsewhere):
                have[sku] = (id_, print_id, listings)
        touched: set[int] = set()
        inserts, moves = [], []
        for sku, (print_id, values) in wanted.items():
            known = have.get(sku)
            if known is None:
                inserts.append({**values, "print_id": print_id})
                touched.add(print_id)
            elif known[1] != print_id:
                moves.append({**values, "_id": known[0], "print_id": print_id, "updated_at": now})
                touched.update((print_id, known[1]))
            else:
                counts["unchanged"] += 1
        deletes = []
        for sku, (id_, print_id, listings) in have.items():
            if sku in wanted or print_id not in prints:
                continue
            if sku.count("-") == 6 and sku.rsplit("-", 1)[0] in wanted:
                continue  # a graded SKU made on first use, its ungraded base still wanted
            touched.add(print_id)
            if listings:
                counts["kept"] += 1  # marketplace data: keep the SKU of a vanished finish
            else:
                deletes.append(id_)
        insert_rows(conn, SKUS, inserts)
        update_rows(conn, SKUS, moves)
        delete_ids(conn, SKUS, deletes)
        counts["created"] += len(inserts)
        counts["updated"] += len(moves)
        counts["deleted"] += len(deletes)
        return touched

    def flush_pending(self, conn: Connection, *, limit: int = 2000) -> tuple[WriteResult, bool]:
        """Apply up to `limit` held changes of this game; returns (counts, more left?)."""
        result = WriteResult()
        rows = conn.execute(
            sa.select(PENDING.c.id, PENDING.c.kind, PENDING.c.key, PENDING.c.content_hash,
                      PENDING.c.row)
            .where(PENDING.c.game_id == self.game_id)
            .order_by(PENDING.c.id)
            .limit(limit)
        ).all()  # fmt: skip
        if not rows:
            return result, False
        now = utcnow()
        touched: set[int] = set()
        changed_cards: list[int] = []
        skus: dict[int, SkuSpec] = {}
        for kind, table, key_column, counts in (
            ("card", CARDS, CARDS.c.oracle_key, result.counts["cards"]),
            ("print", PRINTS, PRINTS.c.print_key, result.counts["prints"]),
        ):
            held = {row.key: row for row in rows if row.kind == kind}
            if not held:
                continue
            existing = self._stored(conn, table, key_column, held)
            updates = []
            for key, row in held.items():
                known = existing.get(key)
                if known is None or known[1] == row.content_hash:
                    continue
                values = _CHECKS[kind].from_json(row.row)
                updates.append(
                    {**values, "_id": known[0], "content_hash": row.content_hash,
                     "updated_at": now}
                )  # fmt: skip
                if kind == "card":
                    changed_cards.append(known[0])
                else:
                    touched.add(known[0])
                    skus[known[0]] = SkuSpec(
                        values["sku_set"], values["sku_number"], values["language"],
                        tuple(values["finishes"]),
                    )  # fmt: skip
            update_rows(conn, table, updates)
            counts["updated"] += len(updates)
        touched |= self._write_skus(conn, skus, result.counts["skus"], now)
        if changed_cards:
            touched.update(
                r[0] for r in select_in(conn, [PRINTS.c.id], PRINTS.c.card_id, changed_cards)
            )
        result.outbox += self._outbox(conn, sorted(touched), now)
        delete_ids(conn, PENDING, [row.id for row in rows])
        return result, len(rows) == limit

    def _outbox(self, conn: Connection, print_ids: list[int], now: Any) -> int:
        rows = [{"print_id": id_, "reason": "etl", "created_at": now} for id_ in print_ids]
        insert_rows(conn, OUTBOX, rows)
        return len(rows)
