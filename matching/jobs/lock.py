"""The lock that keeps two workers off one job.

On PostgreSQL a session advisory lock per job, held for the run on its own connection (a dead
worker's lock goes with its connection); elsewhere (SQLite: one process) a no-op.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

_LOCK_NAMESPACE = 7246  # pg_try_advisory_lock(namespace, job id)


class JobLock:
    """PostgreSQL: a session advisory lock on the job held for the run; elsewhere a no-op."""

    def __init__(self, engine: Engine, job_id: int) -> None:
        self.engine = engine
        self.job_id = job_id
        self.conn = None

    def acquire(self) -> bool:
        if self.engine.dialect.name != "postgresql":
            return True
        self.conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        got = self.conn.execute(
            sa.select(sa.func.pg_try_advisory_lock(_LOCK_NAMESPACE, self.job_id))
        ).scalar()
        if not got:
            self.conn.close()
            self.conn = None
        return bool(got)

    def release(self) -> None:
        if self.conn is not None:
            try:
                self.conn.execute(
                    sa.select(sa.func.pg_advisory_unlock(_LOCK_NAMESPACE, self.job_id))
                )
            finally:
                self.conn.close()
                self.conn = None
