"""Quarantined input: the `etl_quarantine` rows a load writes for records, sets and files it could
not take, with the reason and the payload as JSON text (even when it is not plain JSON)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from models.base import utcnow
from models.bulk import insert_rows

#: `etl_quarantine` with its payload as text: the payload is sent already serialised, so that
#: payloads that are not plain JSON are stored as `payload_json` makes them.
QUARANTINE_TEXT = sa.Table(
    "etl_quarantine",
    sa.MetaData(),
    sa.Column("etl_job_id", sa.BigInteger),
    sa.Column("source", sa.String),
    sa.Column("external_id", sa.String),
    sa.Column("reason", sa.Text),
    sa.Column("payload", sa.Text),
    sa.Column("source_file", sa.String),
    sa.Column("created_at", sa.DateTime(timezone=True)),
)


def quarantine_row(
    *,
    job_id: int,
    source: str,
    payload: Any,
    reason: str,
    external_id: Any = None,
    payload_json: str | None = None,
    source_file: str | None = None,
) -> dict[str, Any]:
    """The quarantine row of one rejected input (ids and file names cut to their columns)."""
    if payload_json is None:
        payload_json = payload_to_json(payload)
    external = external_id if isinstance(external_id, str) else None
    return {
        "etl_job_id": job_id,
        "source": source,
        "external_id": external[:128] if external else None,
        "reason": reason,
        "payload": payload_json,
        "source_file": source_file[-512:] if source_file else None,
        "created_at": utcnow(),
    }


def insert_quarantine(conn: Connection, rows: list[dict[str, Any]]) -> None:
    insert_rows(conn, QUARANTINE_TEXT, rows)


def payload_to_json(payload: Any) -> str:
    """JSON text of a payload for quarantine, even when it is not plain JSON."""
    try:
        text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str, allow_nan=False)
    except (TypeError, ValueError):
        text = json.dumps({"unstorable_payload": repr(payload)[:20000]}, ensure_ascii=False)
    return text.replace("\\u0000", "\\ufffd").encode("utf-8", "replace").decode("utf-8")


def json_safe(record: Any) -> Any:
    """A dataclass record as a dict, anything else as its (cut) repr."""
    try:
        return asdict(record)
    except TypeError:
        return {"value": repr(record)[:20000]}
