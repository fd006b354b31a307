"""Which worker holds a running match job (issue 16 item 2): `match_jobs.worker` records the
`host:pid` of the process that took the job's lease last, shown with the heartbeat in the job
API so a stuck job names its worker.

Revision ID: 0026_match_job_worker
Revises: 0025_job_row_refs
Create Date: 2026-12-09 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026_match_job_worker"
down_revision: str | None = "0025_job_row_refs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("match_jobs", sa.Column("worker", sa.String(128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("match_jobs") as batch:
        batch.drop_column("worker")
