"""The lease that keeps two workers off one job: the kernel's advisory lease (`models.locks`)
named for the job. On PostgreSQL a session advisory lock held for the run on its own
connection (a dead worker's lock goes with its connection); elsewhere (SQLite: one process)
always granted.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine

from models.locks import AdvisoryLease


def job_lease(engine: Engine, job_id: int) -> AdvisoryLease:
    return AdvisoryLease(engine, f"sidedecked.matching.job.{job_id}")
