"""The load pipeline: discover units, store bronze, upsert silver, checkpoint, record the job.

    result = load("pokemontcg", [Path("../shared/data/pokemon-tcg-data")])

One run = one `etl_jobs` row. Each input unit (file) is read as a stream in batches of
`batch_size` raw records; a batch is one transaction (bronze rows, silver upserts, outbox rows,
quarantined records and the job's counters), so a run killed at any point leaves the catalog
as it was after some whole batch. When a unit is done its checkpoint (unit key + file hash) is
written; a later run skips units whose checkpoint matches unless `force=True`. Re-processing a
unit is idempotent (bronze dedups by hash, silver compares content hashes), so a killed run
started again ends in exactly the catalog an uninterrupted run gives. See docs/etl.md.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from etl import bronze, jobs
from etl.jobs import JobCounts
from etl.prepare import PreparedCard, PreparedSet, prepare_set
from etl.records import InputUnit, QuarantineError, RawRecord, Source
from etl.registry import get_source
from etl.silver import SilverWriter
from etl.validate import RecordError
from models.base import utcnow
from models.bulk import insert_rows
from models.etl import EtlCheckpoint
from models.locks import AdvisoryLease

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 1000
#: How long a load waits for another load of the same source to finish (on PostgreSQL, where
#: loads of one source hold an advisory lock so they never interleave; the server may not yet
#: have noticed that the client of a killed run is gone).
LOCK_WAIT_S = 10.0
CHECKPOINTS: sa.Table = EtlCheckpoint.__table__  # type: ignore[assignment]
_QUARANTINE_TEXT = sa.table(
    "etl_quarantine",
    sa.column("etl_job_id", sa.BigInteger),
    sa.column("source", sa.String),
    sa.column("external_id", sa.String),
    sa.column("reason", sa.Text),
    sa.column("payload", sa.Text),
    sa.column("source_file", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
#: Database errors caused by the data of a batch (retried record by record); anything else
#: (lost connection, ...) aborts the run.
_DATA_ERRORS = (sa.exc.IntegrityError, sa.exc.DataError)


class LoadInputError(ValueError):
    """Bad input (unknown source, missing path, nothing to load); nothing was written."""


class LoadBusyError(RuntimeError):
    """Another load of the same source holds the lock."""


class Progress(Protocol):
    def start(self, units: Sequence[InputUnit]) -> None: ...
    def unit_started(self, unit: InputUnit, *, skipped: bool) -> None: ...
    def records(self, count: int) -> None: ...
    def unit_finished(self, unit: InputUnit) -> None: ...


class NullProgress:
    def start(self, units: Sequence[InputUnit]) -> None:
        pass

    def unit_started(self, unit: InputUnit, *, skipped: bool) -> None:
        pass

    def records(self, count: int) -> None:
        pass

    def unit_finished(self, unit: InputUnit) -> None:
        pass


@dataclass
class LoadResult:
    job_id: int
    source: str
    status: str
    counts: JobCounts
    seconds: float
    error: str | None = None
    failed_units: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == jobs.SUCCEEDED


@dataclass(slots=True)
class _Entry:
    raw: RawRecord
    item: bronze.BronzeItem | None = None
    card: PreparedCard | None = None
    reason: str | None = None


class _Interrupted(KeyboardInterrupt):
    """SIGTERM while loading."""


def resolve_source(source: str | Source) -> Source:
    if isinstance(source, str):
        try:
            return get_source(source)
        except LookupError as exc:
            raise LoadInputError(str(exc)) from None
        except ImportError as exc:
            raise LoadInputError(f"source {source!r} is not available ({exc})") from None
    return source


def check_paths(paths: Sequence[str | Path]) -> list[Path]:
    if not paths:
        raise LoadInputError("no input path given")
    resolved = [Path(p) for p in paths]
    missing = [str(p) for p in resolved if not p.exists()]
    if missing:
        raise LoadInputError(f"path not found: {', '.join(missing)}")
    return resolved


def load(
    source: str | Source,
    paths: Sequence[str | Path],
    *,
    engine: Engine | None = None,
    force: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    handle_signals: bool = False,
) -> LoadResult:
    """Load `paths` with `source` into the catalog; see the module docstring."""
    from models.db import get_engine

    src = resolve_source(source)
    input_paths = check_paths(paths)
    if batch_size < 1:
        raise LoadInputError("batch size must be at least 1")
    units = src.discover(input_paths)
    if not units:
        raise LoadInputError(f"no {src.name} input files found in {', '.join(map(str, paths))}")
    loader = Loader(src, engine or get_engine(), force=force, batch_size=batch_size)
    return loader.run(input_paths, units, progress or NullProgress(), handle_signals)


class Loader:
    def __init__(self, source: Source, engine: Engine, *, force: bool, batch_size: int) -> None:
        self.source = source
        self.engine = engine
        self.force = force
        self.batch_size = batch_size
        self.writer = SilverWriter(source.game)
        self.counts = JobCounts()
        self.job_id = 0
        self.failed_units: list[str] = []
        self.extra: dict[str, Any] = {}
        self.conn: Connection

    # -- the run ----------------------------------------------------------------------------

    def run(
        self,
        paths: list[Path],
        units: list[InputUnit],
        progress: Progress,
        handle_signals: bool,
    ) -> LoadResult:
        started = time.monotonic()
        jobs.reap_stale_jobs(self.engine)
        self.extra = {
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "force": self.force,
            "batch_size": self.batch_size,
        }
        lease = AdvisoryLease(self.engine, f"sidedecked.etl.{self.source.name}")
        lock = lease.acquire(wait=LOCK_WAIT_S)
        if lock is None:
            raise LoadBusyError(f"another load of {self.source.name} is running")
        try:
            self.job_id = jobs.start_job(
                self.engine, self.source.name, [str(p) for p in paths], stats=self.extra
            )
        except BaseException:
            lease.release(lock)
            raise
        self.writer.job_id = self.job_id
        self.counts.units_total = len(units)
        previous = self._install_sigterm() if handle_signals else None
        status, error = jobs.FAILED, None
        self.conn = self.engine.connect()
        try:
            with self.conn.begin():
                self.writer.load_cache(self.conn)
            self._load_sets(paths)
            checkpoints = self._checkpoints()
            progress.start(units)
            for unit in units:
                if not self.force and checkpoints.get(unit.key) == unit.content_hash:
                    self.counts.units_skipped += 1
                    progress.unit_started(unit, skipped=True)
                    progress.unit_finished(unit)
                    continue
                progress.unit_started(unit, skipped=False)
                self._load_unit(unit, progress)
                progress.unit_finished(unit)
            self._flush_pending()
            if self.failed_units:
                error = f"{len(self.failed_units)} input unit(s) could not be read: " + ", ".join(
                    self.failed_units
                )
            else:
                status = jobs.SUCCEEDED
        except KeyboardInterrupt:
            status, error = jobs.INTERRUPTED, "interrupted"
            raise
        except BaseException as exc:
            status, error = jobs.FAILED, f"{type(exc).__name__}: {exc}"
            raise
        finally:
            self.conn.close()
            jobs.finish_job(self.engine, self.job_id, status, self.counts, self.extra, error=error)
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
            lease.release(lock)
        return LoadResult(
            self.job_id,
            self.source.name,
            status,
            self.counts,
            time.monotonic() - started,
            error,
            list(self.failed_units),
        )

    def _install_sigterm(self) -> Any:
        if threading.current_thread() is not threading.main_thread():
            return None

        def _terminate(signum: int, frame: Any) -> None:
            raise _Interrupted()

        return signal.signal(signal.SIGTERM, _terminate)

    def _checkpoints(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(CHECKPOINTS.c.unit_key, CHECKPOINTS.c.content_hash).where(
                    CHECKPOINTS.c.source == self.source.name
                )
            )
            return dict(rows.all())

    # -- sets -------------------------------------------------------------------------------

    def _load_sets(self, paths: list[Path]) -> None:
        prepared: list[PreparedSet] = []
        quarantine: list[dict[str, Any]] = []
        try:
            for record in self.source.sets(paths):
                try:
                    prepared.append(prepare_set(record, self.source.game))
                except RecordError as exc:
                    quarantine.append(
                        self._quarantine_row(
                            f"set {getattr(record, 'code', '?')}", _json_safe(record), str(exc)
                        )
                    )
        except Exception as exc:  # noqa: BLE001 - a broken set file must not stop the cards
            quarantine.append(
                self._quarantine_row(None, {}, f"set metadata could not be read: {exc}")
            )
        if not prepared and not quarantine:
            return
        batch = JobCounts(quarantined=len(quarantine))
        with self.conn.begin():
            result = self.writer.upsert_sets(self.conn, prepared)
            insert_rows(self.conn, _QUARANTINE_TEXT, quarantine)  # type: ignore[arg-type]
            batch.tables["sets"].update(result.counts["sets"])
            batch.outbox = result.outbox
            jobs.update_job(self.conn, self.job_id, self.counts.merged(batch), self.extra)
        self.writer.commit()
        self.counts.add(batch)

    # -- units and batches ------------------------------------------------------------------

    def _load_unit(self, unit: InputUnit, progress: Progress) -> None:
        try:
            fetched_at = datetime.fromtimestamp(unit.path.stat().st_mtime, UTC)
        except OSError:
            fetched_at = utcnow()
        records = iter(self.source.read(unit))
        while True:
            read_error: Exception | None = None
            raws: list[RawRecord] = []
            try:
                raws.extend(islice(records, self.batch_size))
            except Exception as exc:  # noqa: BLE001 - a broken file fails its unit only
                read_error = exc
            if raws:
                self._process(raws, fetched_at)
                progress.records(len(raws))
            if read_error is not None:
                self._fail_unit(unit, read_error)
                return
            if len(raws) < self.batch_size:
                break
        self._checkpoint(unit)

    def _process(self, raws: list[RawRecord], fetched_at: datetime) -> None:
        entries = [self._prepare(raw) for raw in raws]
        batch = JobCounts(records_read=len(raws), batches=1)
        try:
            with self.conn.begin():
                self._write(entries, batch, fetched_at)
                jobs.update_job(self.conn, self.job_id, self.counts.merged(batch), self.extra)
        except _DATA_ERRORS as exc:
            self.writer.rollback()
            log.info("batch rejected (%s); retrying record by record", _reason(exc))
            self._process_one_by_one(entries, len(raws), fetched_at)
            return
        except BaseException:
            self.writer.rollback()
            raise
        self.writer.commit()
        self.counts.add(batch)

    def _prepare(self, raw: RawRecord) -> _Entry:
        entry = _Entry(raw)
        try:
            entry.item = bronze.prepare(raw)
            entry.card = self.writer.prepare(self.source.normalize(raw))
        except (QuarantineError, RecordError) as exc:
            entry.reason = str(exc) or type(exc).__name__
        except Exception as exc:  # noqa: BLE001 - one bad record never aborts a run
            entry.reason = f"normalize failed: {type(exc).__name__}: {exc}"
        return entry

    def _write(self, entries: list[_Entry], batch: JobCounts, fetched_at: datetime) -> None:
        items = [e.item for e in entries if e.item is not None]
        batch.bronze_inserted += bronze.store(
            self.conn, self.source.name, items, job_id=self.job_id, fetched_at=fetched_at
        )
        cards = [e.card for e in entries if e.card is not None]
        result = self.writer.write(self.conn, cards)
        for table, counter in result.counts.items():
            batch.tables[table].update(counter)
        batch.outbox += result.outbox
        rejected = [e for e in entries if e.reason is not None]
        self._insert_quarantine(rejected)
        batch.quarantined += len(rejected)

    def _process_one_by_one(
        self, entries: list[_Entry], records_read: int, fetched_at: datetime
    ) -> None:
        """Isolate the record(s) the database rejects: one transaction per record."""
        with self.conn.begin():
            self.writer.load_cache(self.conn)  # another writer may have created sets
        for entry in entries:
            if entry.card is None:
                continue
            single = JobCounts()
            try:
                with self.conn.begin():
                    self._write([entry], single, fetched_at)
            except _DATA_ERRORS as exc:
                self.writer.rollback()
                entry.reason = f"database rejected the record: {_reason(exc)}"
                entry.card = None
                continue
            self.writer.commit()
            self.counts.add(single)
        rest = [e for e in entries if e.card is None]
        batch = JobCounts(records_read=records_read, batches=1)
        with self.conn.begin():
            self._write(rest, batch, fetched_at)
            jobs.update_job(self.conn, self.job_id, self.counts.merged(batch), self.extra)
        self.counts.add(batch)

    def _insert_quarantine(self, entries: list[_Entry]) -> None:
        rows = []
        for entry in entries:
            payload = entry.item.payload_json if entry.item is not None else None
            rows.append(
                self._quarantine_row(
                    entry.raw.external_id,
                    entry.raw.payload,
                    entry.reason or "",
                    payload,
                    entry.raw.source_file,
                )
            )
        insert_rows(self.conn, _QUARANTINE_TEXT, rows)  # type: ignore[arg-type]

    def _quarantine_row(
        self,
        external_id: Any,
        payload: Any,
        reason: str,
        payload_json: str | None = None,
        source_file: str | None = None,
    ) -> dict[str, Any]:
        if payload_json is None:
            payload_json = _payload_json(payload)
        external = external_id if isinstance(external_id, str) else None
        return {
            "etl_job_id": self.job_id,
            "source": self.source.name,
            "external_id": external[:128] if external else None,
            "reason": reason,
            "payload": payload_json,
            "source_file": source_file[-512:] if source_file else None,
            "created_at": utcnow(),
        }

    def _fail_unit(self, unit: InputUnit, exc: Exception) -> None:
        self.failed_units.append(unit.key)
        batch = JobCounts(units_failed=1, quarantined=1)
        row = self._quarantine_row(
            None,
            {"unit": unit.key},
            f"input unit could not be read: {type(exc).__name__}: {exc}",
            source_file=unit.key,
        )
        with self.conn.begin():
            insert_rows(self.conn, _QUARANTINE_TEXT, [row])  # type: ignore[arg-type]
            jobs.update_job(self.conn, self.job_id, self.counts.merged(batch), self.extra)
        self.counts.add(batch)

    def _flush_pending(self) -> None:
        """Apply the changes to pre-existing cards and prints held during the run."""
        more = True
        while more:
            batch = JobCounts()
            with self.conn.begin():
                result, more = self.writer.flush_pending(self.conn)
                for table, counter in result.counts.items():
                    batch.tables[table].update(counter)
                batch.outbox += result.outbox
                jobs.update_job(self.conn, self.job_id, self.counts.merged(batch), self.extra)
            self.counts.add(batch)

    def _checkpoint(self, unit: InputUnit) -> None:
        batch = JobCounts(units_done=1)
        now = utcnow()
        with self.conn.begin():
            existing = self.conn.execute(
                sa.select(CHECKPOINTS.c.id).where(
                    CHECKPOINTS.c.source == self.source.name,
                    CHECKPOINTS.c.unit_key == unit.key,
                )
            ).scalar()
            values = {
                "content_hash": unit.content_hash,
                "etl_job_id": self.job_id,
                "completed_at": now,
            }
            if existing is None:
                self.conn.execute(
                    sa.insert(CHECKPOINTS),
                    {"source": self.source.name, "unit_key": unit.key, **values},
                )
            else:
                self.conn.execute(
                    sa.update(CHECKPOINTS).where(CHECKPOINTS.c.id == existing).values(**values)
                )
            jobs.update_job(self.conn, self.job_id, self.counts.merged(batch), self.extra)
        self.counts.add(batch)


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__


def _payload_json(payload: Any) -> str:
    """JSON text of a payload for quarantine, even when it is not plain JSON."""
    try:
        text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str, allow_nan=False)
    except (TypeError, ValueError):
        text = json.dumps({"unstorable_payload": repr(payload)[:20000]}, ensure_ascii=False)
    return text.replace("\\u0000", "\\ufffd").encode("utf-8", "replace").decode("utf-8")


def _json_safe(record: Any) -> Any:
    try:
        return asdict(record)
    except TypeError:
        return {"value": repr(record)[:20000]}
