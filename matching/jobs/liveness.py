"""Whether a job is alive: its heartbeat (advanced by every committed chunk), the worker that
took it last (`host:pid`) and the `stale` flag the job API shows for a running job whose
heartbeat is old (its worker died, or its next slice waits behind other tasks).
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

from models.base import utcnow

#: A queued or running job whose heartbeat (or creation) is older than this is taken to be
#: orphaned: a chunk takes about a second, a slice re-queues itself at once.
STALE_AFTER = timedelta(seconds=60)


def worker_name() -> str:
    """This process as the job API names it: `host:pid`."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _aware(moment: datetime) -> datetime:
    """SQLite hands timestamps back naive (they are stored in UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def liveness(
    status: str,
    heartbeat_at: datetime | None,
    created_at: datetime | None,
    worker: str | None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """`heartbeat_at`, `heartbeat_age_s` (seconds since), `worker` and `stale` of a job."""
    now = now or utcnow()
    beat = heartbeat_at or created_at
    age = (now - _aware(beat)).total_seconds() if beat else None
    stale = (
        status in ("queued", "running") and age is not None and age > STALE_AFTER.total_seconds()
    )
    return {
        "heartbeat_at": heartbeat_at.isoformat() if heartbeat_at else None,
        "heartbeat_age_s": round(age, 1) if age is not None and heartbeat_at else None,
        "worker": worker,
        "stale": stale,
    }
