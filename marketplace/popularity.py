"""Popularity from real traffic: page views and search appearances, counted in batches and
flushed into the SKU counters that the search documents' popularity boost reads.

Counting (on the request path, never a database write): the API records a view of a card, a
print or a SKU, and a search appearance of each print a search returns. Each is one field of a
pending batch: a Redis hash when `REDIS_URL` is set (one pipelined round trip per request,
shared by every API process), else a counter in this process. A failure to count is logged
and never fails the request.

Flushing (`flush`, every `SIDEDECKED_POPULARITY_FLUSH_S`: the `popularity.flush` beat task
with Redis, a background thread of the API process without): takes the pending batch, resolves each target to one SKU
(a SKU view to that SKU; a print to its representative SKU, ungraded in the best condition; a
card to its English-first, newest print's), and in one transaction adds the counts to
`catalog_skus.view_count` / `search_count`, recomputes `popularity_score` (the counters
weighted as `indexer.documents.POPULARITY_WEIGHTS`) and queues the prints in the index outbox,
so the next drain reindexes them with their new popularity and rank boost.

A Redis batch is renamed to a key of its own before it is read and deleted only after the
commit: a flush that fails leaves it for the next flush (at least once: a crash between the
commit and the delete counts that batch twice, which a ranking hint tolerates). An in-process
batch whose flush fails is added back.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from indexer.documents import POPULARITY_WEIGHTS
from models import CatalogSku, Print
from models.bulk import select_in
from models.outbox import record_touched_prints
from models.redis_clients import redis_client, require_redis_client
from models.settings import get_settings
from models.vocabulary import CONDITION_CODES

log = logging.getLogger(__name__)

#: The outbox reason of the prints a flush queues.
OUTBOX_REASON = "popularity"
#: What is counted (the first part of a batch field) and the SKU column it adds to.
VIEW, SEARCH = "v", "s"
COLUMN_OF = {VIEW: "view_count", SEARCH: "search_count"}
#: What was seen (the second part): a card id, a print id, or a SKU code.
CARD, PRINT, SKU = "c", "p", "k"

SKUS: sa.Table = CatalogSku.__table__  # type: ignore[assignment]
PRINTS: sa.Table = Print.__table__  # type: ignore[assignment]


def score_expression(table: sa.Table, added: Mapping[str, Any] | None = None) -> Any:
    """`popularity_score` as SQL: the weighted counters, each plus `added[column]` if given."""
    added = added or {}
    terms = [
        (table.c[name] + added[name] if name in added else table.c[name]) * weight
        for name, weight in POPULARITY_WEIGHTS.items()
    ]
    return sum(terms[1:], terms[0])


def refresh_scores(conn: Connection, sku_ids: Iterable[int]) -> None:
    """Recompute `popularity_score` of these SKUs from their counters (after a counter other
    than the flushed ones changed, e.g. `sale_count` by marketplace events)."""
    ids = sorted(set(sku_ids))
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        conn.execute(
            sa.update(SKUS)
            .where(SKUS.c.id.in_(chunk))
            .values(popularity_score=score_expression(SKUS), updated_at=SKUS.c.updated_at)
        )


# -- the pending batch --------------------------------------------------------------------------


class Batch(Protocol):
    """Where counts wait for the next flush."""

    def add(self, fields: Sequence[str]) -> None: ...

    def take(self) -> tuple[dict[str, int], Any]:
        """The pending counts and a token to `done` (after the commit) or `undo` (on failure)."""
        ...

    def done(self, token: Any) -> None: ...

    def undo(self, counts: Mapping[str, int], token: Any) -> None: ...


class MemoryBatch:
    """Counts in this process (the embedded default, without Redis)."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def add(self, fields: Sequence[str]) -> None:
        with self._lock:
            self._counts.update(fields)

    def take(self) -> tuple[dict[str, int], Any]:
        with self._lock:
            counts = dict(self._counts)
            self._counts.clear()
        return counts, None

    def done(self, token: Any) -> None:
        pass

    def undo(self, counts: Mapping[str, int], token: Any) -> None:
        with self._lock:
            self._counts.update(counts)


class RedisBatch:
    """Counts in a Redis hash, shared by every API process of one database. One flush at a
    time takes them (a lock that expires, so a dead flusher does not hold it)."""

    LOCK_TIMEOUT_S = 300

    def __init__(self, url: str, database_url: str) -> None:
        self.url = url
        # two catalogs on one Redis keep apart (the lookup cache's database tag)
        tag = hashlib.sha1(database_url.encode()).hexdigest()[:8]
        self.key = f"sidedecked:popularity:v1:{tag}:pending"

    def add(self, fields: Sequence[str]) -> None:
        client = redis_client(self.url, profile="cache")
        if client is None:
            return
        pipe = client.pipeline(transaction=False)
        for name in fields:
            pipe.hincrby(self.key, name, 1)
        pipe.execute()

    def _worker(self) -> Any:
        return require_redis_client(self.url, profile="worker")

    def take(self) -> tuple[dict[str, int], Any]:
        client = self._worker()
        lock = client.lock(f"{self.key}:flush", timeout=self.LOCK_TIMEOUT_S, blocking=False)
        if not lock.acquire():
            return {}, None  # another flush is running
        taking = f"{self.key}:taken:{uuid.uuid4().hex}"
        try:
            if client.exists(self.key):
                client.rename(self.key, taking)
            # this batch and any that a failed flush left behind
            keys = sorted(k.decode() for k in client.scan_iter(match=f"{self.key}:taken:*"))
            counts: Counter[str] = Counter()
            for key in keys:
                for name, value in client.hgetall(key).items():
                    counts[name.decode()] += int(value)
        except BaseException:
            lock.release()
            raise
        return dict(counts), (keys, lock)

    def done(self, token: Any) -> None:
        if token is None:
            return
        keys, lock = token
        try:
            if keys:
                self._worker().delete(*keys)
        finally:
            lock.release()

    def undo(self, counts: Mapping[str, int], token: Any) -> None:
        if token is not None:
            token[1].release()  # the taken keys stay for the next flush


@lru_cache(maxsize=8)
def _memory_batch(database_url: str) -> MemoryBatch:
    return MemoryBatch()


@lru_cache(maxsize=8)
def _redis_batch(url: str, database_url: str) -> RedisBatch:
    return RedisBatch(url, database_url)


def current_batch() -> Batch:
    """The configured database's batch: in Redis when `REDIS_URL` is set, else in-process."""
    settings = get_settings()
    if settings.redis_url:
        return _redis_batch(settings.redis_url, settings.database_url)
    return _memory_batch(settings.database_url)


def _record(fields: list[str]) -> None:
    if not fields:
        return
    try:
        current_batch().add(fields)
    except Exception as exc:  # noqa: BLE001 - counting is best effort
        log.warning("popularity: could not count %d hits: %s", len(fields), exc)


def record_views(
    *, card_ids: Iterable[int] = (), print_ids: Iterable[int] = (), skus: Iterable[str] = ()
) -> None:
    """Count one view of each card, print and SKU (canonical code) named. Never raises."""
    fields = [f"{VIEW}:{CARD}:{i}" for i in card_ids]
    fields += [f"{VIEW}:{PRINT}:{i}" for i in print_ids]
    fields += [f"{VIEW}:{SKU}:{code}" for code in skus]
    _record(fields)


def record_search_hits(print_ids: Iterable[int]) -> None:
    """Count one search appearance of each print a search returned. Never raises."""
    _record([f"{SEARCH}:{PRINT}:{i}" for i in dict.fromkeys(print_ids)])


# -- the flush ----------------------------------------------------------------------------------


@dataclass(slots=True)
class FlushReport:
    counted: int = 0  # counts taken from the batch
    skus: int = 0  # SKUs whose counters changed
    prints: int = 0  # prints queued for reindexing
    dropped: int = 0  # counts of targets that no longer exist (or have no SKU)
    by_sku: dict[int, dict[str, int]] = field(default_factory=dict)


def _parse(counts: Mapping[str, int]) -> dict[tuple[str, str], Counter[str]]:
    """(what, kind) -> target -> count; malformed fields are ignored."""
    parsed: dict[tuple[str, str], Counter[str]] = {}
    for name, count in counts.items():
        what, _, rest = name.partition(":")
        kind, _, target = rest.partition(":")
        if what in COLUMN_OF and kind in (CARD, PRINT, SKU) and target and count > 0:
            parsed.setdefault((what, kind), Counter())[target] += count
    return parsed


def _ints(values: Iterable[str]) -> list[int]:
    return sorted({int(v) for v in values if v.isdigit()})


def _representative_skus(conn: Connection, print_ids: Sequence[int]) -> dict[int, int]:
    """print id -> its representative SKU id: ungraded first, the best condition, lowest id."""
    rank = {code: n for n, code in enumerate(CONDITION_CODES)}
    best: dict[int, tuple[tuple[bool, int, int], int]] = {}
    columns = [SKUS.c.id, SKUS.c.print_id, SKUS.c.condition, SKUS.c.grade_company]
    for sku_id, print_id, condition, company in select_in(
        conn, columns, SKUS.c.print_id, print_ids
    ):
        key = (company is not None, rank.get(condition, len(rank)), sku_id)
        if print_id not in best or key < best[print_id][0]:
            best[print_id] = (key, sku_id)
    return {print_id: sku_id for print_id, (_, sku_id) in best.items()}


def _card_prints(conn: Connection, card_ids: Sequence[int]) -> dict[int, int]:
    """card id -> the print a card view counts on: English first, then the newest, lowest id."""
    best: dict[int, tuple[tuple[bool, int, int], int]] = {}
    columns = [PRINTS.c.id, PRINTS.c.card_id, PRINTS.c.language, PRINTS.c.released_at]
    for print_id, card_id, language, released in select_in(
        conn, columns, PRINTS.c.card_id, card_ids
    ):
        age = -released.toordinal() if isinstance(released, date) else 0
        key = ((language or "").upper() != "EN", age, print_id)
        if card_id not in best or key < best[card_id][0]:
            best[card_id] = (key, print_id)
    return {card_id: print_id for card_id, (_, print_id) in best.items()}


def _resolve(
    conn: Connection, parsed: dict[tuple[str, str], Counter[str]], report: FlushReport
) -> tuple[dict[int, Counter[str]], set[int]]:
    """SKU id -> column -> count to add, and the prints of those SKUs."""
    card_ids = _ints(t for (_, kind), c in parsed.items() if kind == CARD for t in c)
    card_print = _card_prints(conn, card_ids) if card_ids else {}
    print_ids = _ints(t for (_, kind), c in parsed.items() if kind == PRINT for t in c)
    rep = _representative_skus(conn, sorted({*print_ids, *card_print.values()}))
    codes = sorted({t for (_, kind), c in parsed.items() if kind == SKU for t in c})
    sku_of_code: dict[str, tuple[int, int]] = {}
    if codes:
        columns = [SKUS.c.sku, SKUS.c.id, SKUS.c.print_id]
        for code, id_, print_id in select_in(conn, columns, SKUS.c.sku, codes):
            sku_of_code[code] = (id_, print_id)
    print_of_sku = {sku: print_id for print_id, sku in rep.items()}
    print_of_sku.update(dict(sku_of_code.values()))

    adds: dict[int, Counter[str]] = {}
    for (what, kind), targets in parsed.items():
        for target, count in targets.items():
            sku_id: int | None = None
            if kind == SKU:
                sku_id = sku_of_code.get(target, (None, 0))[0]
            elif target.isdigit():
                print_id = int(target) if kind == PRINT else card_print.get(int(target))
                sku_id = rep.get(print_id) if print_id is not None else None
            if sku_id is None:
                report.dropped += count
                continue
            adds.setdefault(sku_id, Counter())[COLUMN_OF[what]] += count
    return adds, {print_of_sku[s] for s in adds}


def _write(conn: Connection, adds: dict[int, Counter[str]]) -> None:
    columns = list(COLUMN_OF.values())
    added: dict[str, Any] = {name: sa.bindparam(f"add_{name}") for name in columns}
    stmt = (
        sa.update(SKUS)
        .where(SKUS.c.id == sa.bindparam("sku_id"))
        .values(
            **{name: SKUS.c[name] + added[name] for name in columns},
            popularity_score=score_expression(SKUS, added),
            updated_at=SKUS.c.updated_at,  # a view changes no catalog data
        )
    )
    rows = [
        {"sku_id": sku_id, **{f"add_{name}": adds[sku_id][name] for name in columns}}
        for sku_id in sorted(adds)  # one lock order with the event writers (id order)
    ]
    conn.execute(stmt, rows)


def flush(db: Engine, batch: Batch | None = None) -> FlushReport:
    """Add the pending counts to the SKU counters and queue their prints for reindexing, in one
    transaction; the batch is kept for the next flush when this one fails."""
    batch = batch or current_batch()
    counts, token = batch.take()
    report = FlushReport(counted=sum(counts.values()))
    if not counts:
        batch.done(token)
        return report
    try:
        with db.begin() as conn:
            adds, prints = _resolve(conn, _parse(counts), report)
            if adds:
                _write(conn, adds)
                record_touched_prints(conn, prints, reason=OUTBOX_REASON)
    except BaseException:
        batch.undo(counts, token)
        raise
    batch.done(token)
    report.skus, report.prints = len(adds), len(prints)
    report.by_sku = {sku_id: dict(c) for sku_id, c in adds.items()}
    return report


# -- the in-process flusher (embedded: no Redis, no beat) ---------------------------------------


class BackgroundFlush:
    """A daemon thread flushing this process's batch every `every` seconds, and once at stop."""

    def __init__(self, db: Engine, batch: Batch, every: float) -> None:
        self.db, self.batch, self.every = db, batch, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="popularity-flush", daemon=True)

    def start(self) -> BackgroundFlush:
        self._thread.start()
        return self

    def _flush(self) -> None:
        try:
            flush(self.db, self.batch)
        except Exception as exc:  # noqa: BLE001 - the counts wait for the next round
            log.warning("popularity flush failed: %s", exc)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self._flush()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=60)
        self._flush()


def start_background_flush() -> BackgroundFlush | None:
    """Without Redis (no beat to flush a shared batch): a thread flushing this process's batch
    into the configured database every `SIDEDECKED_POPULARITY_FLUSH_S`; None with Redis, or
    when that setting is 0."""
    settings = get_settings()
    if settings.redis_url or not settings.sidedecked_popularity_flush_s:
        return None
    from models.db import get_engine

    return BackgroundFlush(
        get_engine(), current_batch(), settings.sidedecked_popularity_flush_s
    ).start()
