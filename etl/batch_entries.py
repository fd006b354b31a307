"""The records of one load batch: each raw record with its bronze item and prepared card, or the
reason it is quarantined instead; and the database errors that send a batch back record by
record (`etl.pipeline.Loader` drives the batches)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from etl import bronze
from etl.prepare import PreparedCard
from etl.quarantine import quarantine_row
from etl.records import QuarantineError, RawRecord, Source
from etl.silver import SilverWriter
from etl.validate import RecordError

#: Database errors caused by the data of a batch (retried record by record); anything else
#: (lost connection, ...) aborts the run.
DATA_ERRORS = (sa.exc.IntegrityError, sa.exc.DataError)


@dataclass(slots=True)
class Entry:
    raw: RawRecord
    item: bronze.BronzeItem | None = None
    card: PreparedCard | None = None
    reason: str | None = None


def prepare_entry(raw: RawRecord, *, source: Source, writer: SilverWriter) -> Entry:
    """The record's bronze item and prepared card; a record that fails either gets a reason."""
    entry = Entry(raw)
    try:
        entry.item = bronze.prepare(raw)
        entry.card = writer.prepare(source.normalize(raw))
    except (QuarantineError, RecordError) as exc:
        entry.reason = str(exc) or type(exc).__name__
    except Exception as exc:  # noqa: BLE001 - one bad record never aborts a run
        entry.reason = f"normalize failed: {type(exc).__name__}: {exc}"
    return entry


def entry_quarantine_rows(
    entries: list[Entry], *, job_id: int, source: str
) -> list[dict[str, Any]]:
    """The quarantine rows of rejected `entries` (with the payload bronze stored, if any)."""
    return [
        quarantine_row(
            job_id=job_id,
            source=source,
            external_id=entry.raw.external_id,
            payload=entry.raw.payload,
            reason=entry.reason or "",
            payload_json=entry.item.payload_json if entry.item is not None else None,
            source_file=entry.raw.source_file,
        )
        for entry in entries
    ]


def rejection_reason(exc: BaseException) -> str:
    """The first line of what the database said."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__
