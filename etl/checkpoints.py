"""Per-unit checkpoints (`etl_checkpoints`): when a load has finished an input unit it records
the unit's content hash, and a later load of the source skips units whose hash still matches."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from etl.records import InputUnit
from models.base import utcnow
from models.etl import EtlCheckpoint

CHECKPOINTS: sa.Table = EtlCheckpoint.__table__  # type: ignore[assignment]


def stored_checkpoints(engine: Engine, source: str) -> dict[str, str]:
    """Unit key -> content hash of the units of `source` finished by earlier loads."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(CHECKPOINTS.c.unit_key, CHECKPOINTS.c.content_hash).where(
                CHECKPOINTS.c.source == source
            )
        )
        return dict(rows.all())


def record_checkpoint(conn: Connection, *, source: str, unit: InputUnit, job_id: int) -> None:
    """Record `unit` as finished by job `job_id` (in the caller's transaction)."""
    existing = conn.execute(
        sa.select(CHECKPOINTS.c.id).where(
            CHECKPOINTS.c.source == source, CHECKPOINTS.c.unit_key == unit.key
        )
    ).scalar()
    values = {"content_hash": unit.content_hash, "etl_job_id": job_id, "completed_at": utcnow()}
    if existing is None:
        conn.execute(sa.insert(CHECKPOINTS), {"source": source, "unit_key": unit.key, **values})
    else:
        conn.execute(sa.update(CHECKPOINTS).where(CHECKPOINTS.c.id == existing).values(**values))
