"""A bulk matching job on real Celery workers, its worker SIGKILLed after the first chunk is
committed: as a whole (the process group, as when a machine dies: the task comes back after the
broker's visibility timeout) or only the pool child running it (Celery hands the task back at
once). Another worker finishes the job exactly once: every line of the export has one row, and
every auto/review row one match.
"""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from matching.jobs.intake import create_job
from matching.models import MatchJob, MatchJobRow, ProductCatalogMatch
from tests.fault.conftest import broker_quiet, celery_client
from tests.fault.harness import Workers, wait_for_pause, wait_until

POINT = "matching.job.after_chunk"
#: Rows of the export: a few chunks of `matching.jobs.runner.CHUNK_SIZE` (1,000).
ROWS = 2_500
FINISH_S = 150.0
LISTINGS = [
    ("Lightning Bolt", "m10", "146"),
    ("Lim-Dûl's Vault", "m10", "300"),
    ("Grizzly Bears", "m10", "1000"),
    ("Llanowar Elves", "m10", "999"),  # not in the catalog
]


def moxfield_export(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow(
        ["Count", "Name", "Edition", "Condition", "Language", "Foil", "Collector Number"]
    )
    for n in range(rows):
        name, edition, number = LISTINGS[n % len(LISTINGS)]
        foil = "foil" if n % 3 == 0 else ""
        writer.writerow([str(1 + n % 4), name, edition, "Near Mint", "English", foil, number])
    return out.getvalue().encode()


def job_state(engine: sa.Engine, job_id: int) -> sa.Row:
    with engine.connect() as conn:
        return conn.execute(sa.select(MatchJob).where(MatchJob.id == job_id)).one()


@pytest.mark.parametrize("kill", ["whole", "child"])
def test_a_bulk_job_survives_its_worker_killed(
    kill: str,
    fault_catalog,
    broker_url: str,
    redis_client,
    fault_dir: Path,
    workers: Workers,
    tmp_path: Path,
) -> None:
    db = fault_catalog.engine
    with Session(db) as session:
        job = create_job(
            session, seller_id=f"seller-{uuid.uuid4().hex[:10]}", content=moxfield_export(ROWS)
        )
        job_id, total = job.id, job.total_rows
    assert total == ROWS
    workers.env.update(
        DATABASE_URL=fault_catalog.url,
        REDIS_URL=broker_url,
        SIDEDECKED_INDEX_DIR=str(tmp_path / "index"),
        SIDEDECKED_FAULT_DIR=str(fault_dir),
    )
    paused = workers.start("paused", pause=[POINT])
    celery_client(broker_url).send_task("matching.run_job", args=[job_id])
    pid = wait_for_pause(fault_dir, POINT)
    assert pid in paused.pool()
    assert 0 < job_state(db, job_id).processed_rows < total, "paused mid-job"
    if kill == "whole":
        paused.kill()
        workers.start("rescuer")
    else:
        workers.start("rescuer")  # waiting first, so it takes the task handed back
        seen = {pid}
        paused.kill_child(pid)
        for _ in range(3):  # a new child of the paused worker pauses again: kill it too
            try:
                again = wait_for_pause(fault_dir, POINT, seen=seen, timeout=5)
            except AssertionError:
                break
            seen.add(again)
            paused.kill_child(again)

    def done() -> bool:
        return job_state(db, job_id).status in ("succeeded", "failed") and broker_quiet(
            redis_client
        )

    wait_until(done, timeout=FINISH_S, what=f"job {job_id} to finish after the kill")
    finished = job_state(db, job_id)
    assert finished.status == "succeeded", finished.error
    assert finished.processed_rows == total
    with db.connect() as conn:
        lines = conn.execute(
            sa.select(MatchJobRow.line_number, sa.func.count())
            .where(MatchJobRow.job_id == job_id)
            .group_by(MatchJobRow.line_number)
        ).all()
        indexes = conn.execute(
            sa.select(MatchJobRow.row_index)
            .where(MatchJobRow.job_id == job_id)
            .order_by(MatchJobRow.row_index)
        ).scalars()
        refs = conn.execute(
            sa.select(ProductCatalogMatch.product_ref, sa.func.count())
            .where(ProductCatalogMatch.job_id == job_id)
            .group_by(ProductCatalogMatch.product_ref)
        ).all()
    assert [n for _, n in lines if n != 1] == [], "a line has more than one row"
    assert len(lines) == total and list(indexes) == list(range(total))
    assert [n for _, n in refs if n != 1] == [], "a line has more than one match"
    assert len(refs) == finished.count_auto + finished.count_review
    assert (
        finished.count_auto + finished.count_review + finished.count_none + finished.count_error
        == total
    )
