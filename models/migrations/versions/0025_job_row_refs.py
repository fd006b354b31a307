"""One identity for a job's row on every page: a job row's match is `job:<job>:line:<line>`,
the file's line number as the seller knows it (issue 13 item 1). Matches recorded before
this used the 0-based record index (`job:<job>:row:<index>`); they are rewritten through
the job row that links them (`match_job_rows.match_id`). Old refs still parse and resolve
(`matching/jobs/row_ref.py`), so anything that kept one finds its row. Rows are looked up by
line (a seller deciding a row), hence the index.

Revision ID: 0025_job_row_refs
Revises: 0024_review_queue
Create Date: 2026-12-02 13:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0025_job_row_refs"
down_revision: str | None = "0024_review_queue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rewrite(old_kind: str, new_kind: str, new_column: str) -> None:
    op.execute(
        f"""
        UPDATE product_catalog_matches
        SET product_ref = 'job:' || CAST(job_id AS VARCHAR) || ':{new_kind}:' || (
            SELECT CAST(r.{new_column} AS VARCHAR) FROM match_job_rows r
            WHERE r.match_id = product_catalog_matches.id
        )
        WHERE job_id IS NOT NULL
          AND product_ref LIKE 'job:%:{old_kind}:%'
          AND EXISTS (
            SELECT 1 FROM match_job_rows r WHERE r.match_id = product_catalog_matches.id
          )
        """
    )


def upgrade() -> None:
    _rewrite("row", "line", "line_number")
    op.create_index(
        "ix_match_job_rows_job_id_line_number", "match_job_rows", ["job_id", "line_number"]
    )


def downgrade() -> None:
    op.drop_index("ix_match_job_rows_job_id_line_number", table_name="match_job_rows")
    _rewrite("line", "row", "row_index")
