"""The image sync: mirror each print's upstream image into the image store.

For each print (streamed in id order, one batch of ids at a time), a thread pool downloads the
upstream image conditionally (`images.fetch`), makes the renditions and blurhash
(`images.renditions`) and stores the objects not stored yet (`images.storage`); the main thread
then commits that print alone: its `print_images` row, and when what pages show changed, the
print's mirror columns and an outbox row (`models.outbox`, reason "images") so the indexer
reindexes it.

Two modes:
* pending (default): prints never mirrored, whose upstream URL changed, or whose last attempt
  failed (fewer than `MAX_FAILURES` times); a re-run after a complete run sends no request.
* refresh: every print with an image, revalidated with a conditional request (304: nothing
  downloaded or stored).

A cursor per scope (`image_sync_cursors`) records the last batch done; a run killed at any point
resumes there (and a resumed refresh skips the prints it already checked). One run per scope at a
time: on PostgreSQL a second one stops with `SyncBusyError` (an advisory lock).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from images.fetch import Fetcher, FetchResult, HostLimits
from images.models import ImageSyncCursor, PrintImage
from images.renditions import RENDITIONS, RESULT_RENDITION, ImageError, process, sha256_hex, srcset
from images.storage import ImageStore, StoreError, make_store
from models.base import utcnow
from models.catalog import Print
from models.db import get_engine
from models.games import GAME_IDS
from models.locks import AdvisoryLease
from models.outbox import record_touched_prints
from models.settings import get_settings

log = logging.getLogger(__name__)

#: Keys of `prints.images` in order of preference (etl/sources: Scryfall's image_uris,
#: pokemontcg's images, YGOPRODeck's card_images, OPTCG's image_url): the largest first.
SOURCE_KEYS = ("large", "png", "normal", "small", "image")
SOURCE_URL: sa.ColumnElement[Any] = sa.func.coalesce(
    *[Print.images[key].as_string() for key in SOURCE_KEYS]
)
BATCH_SIZE = 64
WORKERS = 4
#: Failed attempts after which a pending sync leaves a print alone (a refresh still tries it).
MAX_FAILURES = 3


class SyncBusyError(RuntimeError):
    """Another run of the same scope holds its lease (a PostgreSQL advisory lock, released
    when that run's process ends, SIGKILL included)."""


IMAGES: sa.Table = PrintImage.__table__  # type: ignore[assignment]
CURSORS: sa.Table = ImageSyncCursor.__table__  # type: ignore[assignment]


@dataclass
class SyncOptions:
    game: str | None = None
    #: Most prints to handle in this run (the cursor keeps the place for the next one).
    limit: int | None = None
    refresh: bool = False
    #: Ignore an unfinished cursor and start from the first print.
    restart: bool = False
    #: Stop after the batch that passes this many seconds (a Celery slice).
    seconds: float | None = None
    batch_size: int = BATCH_SIZE
    workers: int = WORKERS

    @property
    def scope(self) -> str:
        return f"{'refresh' if self.refresh else 'pending'}:{self.game or 'all'}"


@dataclass
class SyncStats:
    checked: int = 0
    #: Bodies received (HTTP 200).
    downloaded: int = 0
    #: 304 Not Modified answers.
    not_modified: int = 0
    #: Downloaded, but the same bytes as mirrored already (no upstream ETag support).
    unchanged: int = 0
    #: New or changed images stored and recorded on their print.
    mirrored: int = 0
    missing: int = 0
    failed: int = 0
    #: Objects written to the store.
    uploads: int = 0
    reindexed: int = 0
    done: bool = False
    scope: str = ""
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Row:
    print_id: int
    url: str
    source_url: str | None
    etag: str | None
    last_modified: str | None
    sha256: str | None
    status: str | None
    failures: int | None
    mirror_url: str | None
    mirror_srcset: str | None
    blurhash: str | None


@dataclass
class _Done:
    row: _Row
    fetched: FetchResult
    outcome: str  # mirrored | unchanged | not_modified | missing | error
    values: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def _candidates(options: SyncOptions, after: int, started_at: datetime | None) -> sa.Select[Any]:
    pi = PrintImage
    stmt = (
        sa.select(
            Print.id,
            SOURCE_URL.label("url"),
            pi.source_url,
            pi.etag,
            pi.last_modified,
            pi.sha256,
            pi.status,
            pi.failures,
            Print.image_mirror_url,
            Print.image_mirror_srcset,
            Print.image_blurhash,
        )
        .outerjoin(pi, pi.print_id == Print.id)
        .where(SOURCE_URL.is_not(None), Print.id > after)
    )
    if options.game:
        stmt = stmt.where(Print.game_id == GAME_IDS[options.game])
    if options.refresh:
        if started_at is not None:  # a resumed refresh: skip what this run checked already
            stmt = stmt.where(sa.or_(pi.checked_at.is_(None), pi.checked_at < started_at))
    else:
        stmt = stmt.where(
            sa.or_(
                pi.print_id.is_(None),
                pi.source_url != SOURCE_URL,
                sa.and_(pi.status == "error", pi.failures < MAX_FAILURES),
            )
        )
    return stmt


def count_candidates(engine: Engine, options: SyncOptions) -> int:
    """How many prints a run of `options` would look at from its cursor on (for a progress bar)."""
    with engine.connect() as conn:
        cursor = _read_cursor(conn, options)
        after, started = (cursor["last_print_id"], cursor["started_at"]) if cursor else (0, None)
        inner = _candidates(options, after, started).subquery()
        return int(conn.execute(sa.select(sa.func.count()).select_from(inner)).scalar_one())


def _read_cursor(conn: Connection, options: SyncOptions) -> dict[str, Any] | None:
    """The unfinished cursor of this scope, or None when a run starts over."""
    if options.restart:
        return None
    row = conn.execute(sa.select(CURSORS).where(CURSORS.c.scope == options.scope)).mappings()
    found = row.first()
    if found is None or found["finished_at"] is not None:
        return None
    return dict(found)


def _upsert(conn: Connection, table: sa.Table, values: dict[str, Any], key: str) -> None:
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(table).values(**values)
    update = {k: stmt.excluded[k] for k in values if k != key}
    conn.execute(stmt.on_conflict_do_update(index_elements=[key], set_=update))


def _batches(
    engine: Engine, options: SyncOptions, after: int, started: datetime | None
) -> Iterator[list[_Row]]:
    while True:
        stmt = _candidates(options, after, started).order_by(Print.id).limit(options.batch_size)
        with engine.connect() as conn:
            rows = [_Row(*r) for r in conn.execute(stmt).all()]
        if not rows:
            return
        yield rows
        after = rows[-1].print_id


class Mirror:
    """One sync run's machinery: the fetcher with its host limits and the store."""

    def __init__(self, store: ImageStore, fetcher: Fetcher) -> None:
        self.store = store
        self.fetcher = fetcher

    def handle(self, row: _Row) -> _Done:
        """Download, process and store one print's image (a worker thread; no database)."""
        same_source = row.source_url == row.url and row.status in ("ok", "missing")
        fetched = self.fetcher.fetch(
            row.url,
            etag=row.etag if same_source else None,
            last_modified=row.last_modified if same_source else None,
        )
        if fetched.outcome == "not_modified":
            return _Done(row, fetched, "not_modified")
        if fetched.outcome in ("missing", "error"):
            return _Done(row, fetched, fetched.outcome, error=fetched.error)
        data = fetched.data or b""
        if row.status == "ok" and row.sha256 == sha256_hex(data):
            return _Done(row, fetched, "unchanged")
        try:
            processed = process(data)
            renditions: dict[str, Any] = {}
            for blob in processed.blobs:
                if not self.store.exists(blob.key):
                    self.store.put(blob.key, blob.data, blob.content_type)
                renditions[blob.name] = {
                    "key": blob.key,
                    "url": self.store.url(blob.key),
                    "width": blob.width,
                    "height": blob.height,
                    "bytes": len(blob.data),
                }
        except (ImageError, StoreError, OSError) as exc:
            return _Done(row, fetched, "error", error=f"{type(exc).__name__}: {exc}")
        values = {
            "sha256": processed.sha256,
            "width": processed.width,
            "height": processed.height,
            "blurhash": processed.blurhash,
            "renditions": renditions,
        }
        return _Done(row, fetched, "mirrored", values=values)


def _commit(engine: Engine, done: _Done, stats: SyncStats) -> None:
    """Record one print's outcome in its own transaction."""
    row, fetched, now = done.row, done.fetched, utcnow()
    values: dict[str, Any] = {"print_id": row.print_id, "source_url": row.url, "checked_at": now}
    if fetched.outcome == "ok":
        values.update(
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            content_type=(fetched.content_type or "")[:64] or None,
        )
    if done.outcome in ("mirrored", "unchanged", "not_modified"):
        values.update(status="ok", error=None, failures=0)
    else:
        values.update(status=done.outcome, error=done.error, failures=(row.failures or 0) + 1)
    if done.outcome == "mirrored":
        values.update(done.values, changed_at=now)
    public: dict[str, Any] | None = None
    if done.outcome == "mirrored":
        renditions = done.values["renditions"]
        public = {
            "image_mirror_url": renditions[RESULT_RENDITION]["url"],
            "image_mirror_srcset": srcset(
                {renditions[n]["width"]: renditions[n]["url"] for n in RENDITIONS}
            ),
            "image_blurhash": done.values["blurhash"],
        }
        current = (row.mirror_url, row.mirror_srcset, row.blurhash)
        if current == tuple(public.values()):
            public = None
    with engine.begin() as conn:
        if row.source_url is None:
            values.setdefault("renditions", {})
        _upsert(conn, IMAGES, values, "print_id")
        if public is not None:
            conn.execute(sa.update(Print).where(Print.id == row.print_id).values(**public))
            stats.reindexed += record_touched_prints(conn, [row.print_id], reason="images")


def sync(
    options: SyncOptions,
    *,
    engine: Engine | None = None,
    store: ImageStore | None = None,
    fetcher: Fetcher | None = None,
    progress: Callable[[int], None] | None = None,
) -> SyncStats:
    """Run (or resume) a sync; returns its counts. `progress(n)` is called per print handled."""
    engine = engine or get_engine()
    settings = get_settings()
    own_store = store is None
    own_fetcher = fetcher is None
    store = store or make_store(settings)
    fetcher = fetcher or Fetcher(
        HostLimits(
            settings.sidedecked_images_host_concurrency, settings.sidedecked_images_host_rate
        )
    )
    stats = SyncStats(scope=options.scope)
    uploads_before = store.uploads
    began = time.monotonic()
    mirror = Mirror(store, fetcher)
    lease = AdvisoryLease(engine, f"sidedecked:images:sync:{options.scope}")
    token = lease.try_acquire(what=f"images sync {options.scope}")
    if token is None:
        if own_store:
            store.close()
        if own_fetcher:
            fetcher.close()
        holder = lease.describe()
        raise SyncBusyError(
            f"another images sync of {options.scope} is running"
            + (f": {holder.sentence()}" if holder else "")
        )
    try:
        with engine.begin() as conn:
            cursor = _read_cursor(conn, options)
            if cursor is None:
                now = utcnow()
                cursor = {"scope": options.scope, "last_print_id": 0, "started_at": now}
                _upsert(
                    conn,
                    CURSORS,
                    {**cursor, "updated_at": now, "finished_at": None, "stats": {}},
                    "scope",
                )
        resumed_at = cursor["started_at"] if options.refresh else None
        after = int(cursor["last_print_id"])
        log.info("images sync %s from print id > %s", options.scope, after)
        with ThreadPoolExecutor(max_workers=options.workers, thread_name_prefix="images") as pool:
            stats.done = True
            for batch in _batches(engine, options, after, resumed_at):
                if options.limit is not None:
                    batch = batch[: options.limit - stats.checked]
                    if not batch:
                        stats.done = False
                        break
                futures = [pool.submit(mirror.handle, row) for row in batch]
                for future in as_completed(futures):
                    done = future.result()
                    _count(stats, done)
                    _commit(engine, done, stats)
                    if progress:
                        progress(1)
                _save_cursor(engine, options, batch[-1].print_id, stats, finished=False)
                out_of_prints = options.limit is not None and stats.checked >= options.limit
                out_of_time = options.seconds is not None and (
                    time.monotonic() - began >= options.seconds
                )
                if out_of_prints or out_of_time:
                    stats.done = False
                    break
            if stats.done:
                _save_cursor(engine, options, None, stats, finished=True)
    finally:
        lease.release(token)
        stats.uploads = store.uploads - uploads_before
        if own_store:
            store.close()
        if own_fetcher:
            fetcher.close()
    return stats


def _count(stats: SyncStats, done: _Done) -> None:
    stats.checked += 1
    if done.fetched.outcome == "ok":
        stats.downloaded += 1
    if done.outcome == "not_modified":
        stats.not_modified += 1
    elif done.outcome == "unchanged":
        stats.unchanged += 1
    elif done.outcome == "mirrored":
        stats.mirrored += 1
    elif done.outcome == "missing":
        stats.missing += 1
    else:
        stats.failed += 1
        if len(stats.errors) < 20:
            stats.errors.append(f"print {done.row.print_id}: {done.error}")


def _save_cursor(
    engine: Engine, options: SyncOptions, last_id: int | None, stats: SyncStats, *, finished: bool
) -> None:
    values: dict[str, Any] = {"updated_at": utcnow(), "stats": stats.as_dict()}
    if last_id is not None:
        values["last_print_id"] = last_id
    if finished:
        values["finished_at"] = values["updated_at"]
    with engine.begin() as conn:
        conn.execute(sa.update(CURSORS).where(CURSORS.c.scope == options.scope).values(**values))
