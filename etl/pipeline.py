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

import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection, Engine

from etl import bronze, jobs
from etl.batch_entries import (
    DATA_ERRORS,
    Entry,
    entry_quarantine_rows,
    prepare_entry,
    rejection_reason,
)
from etl.checkpoints import record_checkpoint, stored_checkpoints
from etl.jobs import JobCounts
from etl.load_result import LoadBusyError, LoadInputError, LoadResult, NullProgress, Progress
from etl.prepare import PreparedSet, prepare_set
from etl.quarantine import insert_quarantine, json_safe, quarantine_row
from etl.records import InputUnit, RawRecord, Source
from etl.registry import get_source
from etl.silver import SilverWriter
from etl.validate import RecordError
from models.base import utcnow
from models.locks import AdvisoryLease

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 1000
#: How long a load waits for another load of the same source to finish (on PostgreSQL, where
#: loads of one source hold an advisory lock so they never interleave; the server may not yet
#: have noticed that the client of a killed run is gone).
LOCK_WAIT_S = 10.0


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
            checkpoints = stored_checkpoints(self.engine, self.source.name)
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
                        quarantine_row(
                            job_id=self.job_id,
                            source=self.source.name,
                            external_id=f"set {getattr(record, 'code', '?')}",
                            payload=json_safe(record),
                            reason=str(exc),
                        )
                    )
        except Exception as exc:  # noqa: BLE001 - a broken set file must not stop the cards
            quarantine.append(
                quarantine_row(
                    job_id=self.job_id,
                    source=self.source.name,
                    payload={},
                    reason=f"set metadata could not be read: {exc}",
                )
            )
        if not prepared and not quarantine:
            return
        batch = JobCounts(quarantined=len(quarantine))
        with self.conn.begin():
            result = self.writer.upsert_sets(self.conn, prepared)
            insert_quarantine(self.conn, quarantine)
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
        entries = [prepare_entry(raw, source=self.source, writer=self.writer) for raw in raws]
        batch = JobCounts(records_read=len(raws), batches=1)
        try:
            with self.conn.begin():
                self._write(entries, batch, fetched_at)
                jobs.update_job(self.conn, self.job_id, self.counts.merged(batch), self.extra)
        except DATA_ERRORS as exc:
            self.writer.rollback()
            log.info("batch rejected (%s); retrying record by record", rejection_reason(exc))
            self._process_one_by_one(entries, len(raws), fetched_at)
            return
        except BaseException:
            self.writer.rollback()
            raise
        self.writer.commit()
        self.counts.add(batch)

    def _write(self, entries: list[Entry], batch: JobCounts, fetched_at: datetime) -> None:
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
        rows = entry_quarantine_rows(rejected, job_id=self.job_id, source=self.source.name)
        insert_quarantine(self.conn, rows)
        batch.quarantined += len(rejected)

    def _process_one_by_one(
        self, entries: list[Entry], records_read: int, fetched_at: datetime
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
            except DATA_ERRORS as exc:
                self.writer.rollback()
                entry.reason = f"database rejected the record: {rejection_reason(exc)}"
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

    def _fail_unit(self, unit: InputUnit, exc: Exception) -> None:
        self.failed_units.append(unit.key)
        batch = JobCounts(units_failed=1, quarantined=1)
        row = quarantine_row(
            job_id=self.job_id,
            source=self.source.name,
            payload={"unit": unit.key},
            reason=f"input unit could not be read: {type(exc).__name__}: {exc}",
            source_file=unit.key,
        )
        with self.conn.begin():
            insert_quarantine(self.conn, [row])
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
        with self.conn.begin():
            record_checkpoint(self.conn, source=self.source.name, unit=unit, job_id=self.job_id)
            jobs.update_job(self.conn, self.job_id, self.counts.merged(batch), self.extra)
        self.counts.add(batch)
