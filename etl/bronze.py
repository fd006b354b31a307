"""Bronze layer: every raw upstream record stored once per distinct content, never changed.

A record is identified by (source, external_id, content_hash); the hash is
`etl.records.content_hash(payload)` (sha256 of the canonical JSON). A batch looks up the hashes
its external ids already have with one query and inserts only the new ones (executemany, or
`COPY` on PostgreSQL). The pipeline never updates or deletes bronze rows.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from etl.records import RawRecord
from etl.validate import RecordError
from models.bulk import insert_rows, select_in
from models.etl import BronzeRecord

BRONZE: sa.Table = BronzeRecord.__table__  # type: ignore[assignment]
_EXTERNAL_ID_MAX = BRONZE.c.external_id.type.length  # type: ignore[attr-defined]
_SOURCE_FILE_MAX = BRONZE.c.source_file.type.length  # type: ignore[attr-defined]

#: The bronze table with `payload` as text, to insert the canonical JSON we already built
#: (hashing needs it anyway) instead of serialising every payload a second time.
_BRONZE_TEXT = sa.table(
    "bronze_records",
    sa.column("source", sa.String),
    sa.column("external_id", sa.String),
    sa.column("content_hash", sa.String),
    sa.column("payload", sa.Text),
    sa.column("fetched_at", sa.DateTime(timezone=True)),
    sa.column("etl_job_id", sa.BigInteger),
    sa.column("source_file", sa.String),
)


@dataclass(slots=True)
class BronzeItem:
    external_id: str
    content_hash: str
    payload_json: str
    source_file: str | None


def canonical_json(payload: Any) -> str:
    """The canonical JSON text `etl.records.content_hash` hashes (sorted keys, no spaces)."""
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def prepare(raw: RawRecord) -> BronzeItem:
    """Canonical JSON and hash of a raw record; `RecordError` if it cannot be stored."""
    external_id = raw.external_id
    if not isinstance(external_id, str) or not external_id:
        raise RecordError("record has no external id")
    if len(external_id) > _EXTERNAL_ID_MAX:
        raise RecordError(f"external id longer than {_EXTERNAL_ID_MAX} characters")
    if not isinstance(raw.payload, dict):
        raise RecordError(f"payload is a {type(raw.payload).__name__}, not a JSON object")
    try:
        text = canonical_json(raw.payload)
        data = text.encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise RecordError(f"payload is not plain JSON ({exc})") from None
    if "\\u0000" in text:
        raise RecordError("payload contains a NUL character, which the database cannot store")
    source_file = raw.source_file
    if source_file is not None and len(source_file) > _SOURCE_FILE_MAX:
        source_file = source_file[-_SOURCE_FILE_MAX:]
    return BronzeItem(external_id, hashlib.sha256(data).hexdigest(), text, source_file)


def store(
    conn: Connection,
    source: str,
    items: list[BronzeItem],
    *,
    job_id: int | None,
    fetched_at: datetime,
) -> int:
    """Insert the items whose (source, external_id, content_hash) is new; returns how many."""
    if not items:
        return 0
    existing = {
        (external_id, digest)
        for external_id, digest in select_in(
            conn,
            [BRONZE.c.external_id, BRONZE.c.content_hash],
            BRONZE.c.external_id,
            [item.external_id for item in items],
            BRONZE.c.source == source,
        )
    }
    rows = []
    for item in items:
        key = (item.external_id, item.content_hash)
        if key in existing:
            continue
        existing.add(key)
        rows.append(
            {
                "source": source,
                "external_id": item.external_id,
                "content_hash": item.content_hash,
                "payload": item.payload_json,
                "fetched_at": fetched_at,
                "etl_job_id": job_id,
                "source_file": item.source_file,
            }
        )
    insert_rows(conn, _BRONZE_TEXT, rows)  # type: ignore[arg-type]
    return len(rows)
