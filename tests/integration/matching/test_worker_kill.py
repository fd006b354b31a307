"""Bulk jobs on real Celery workers (`sidedecked worker` subprocesses on Redis) that die mid-job.

A worker is stopped at the fault point `matching.job.after_chunk` (a chunk committed) and
killed with SIGKILL:

- the whole worker (its process group: parent and pool child): nobody rejects its task, so it
  stays unacknowledged until the broker's visibility timeout (10 s here) and another live
  worker's sweep hands it out again;
- the pool child only: the parent rejects the task at once and it is requeued without waiting
  for the visibility timeout (300 s here); a new child continues the job.

Either way the job finishes once, every row of the file exactly once, no match twice.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.integration.celery_workers import (
    private_redis,
    producer,
    start_worker,
    wait_until,
    worker_env,
)
from tests.integration.matching.conftest import bearer, wait_for_job

pytestmark = [pytest.mark.integration, pytest.mark.shared_data]

EXPORT = "seller-exports/dragonshield-acquadrod/all-folders.csv"  # ~4,000 rows: 4 chunks
PAUSE = "matching.job.after_chunk"


def _create(keys, shared_data: Path) -> tuple[int, int]:
    from matching.jobs.intake import create_job
    from models.db import session_scope

    with session_scope() as session:
        job = create_job(
            session, seller_id=keys.seller, content=(shared_data / EXPORT).read_bytes()
        )
        return job.id, job.total_rows


def _paused(folder: Path, seen: set[int]) -> int | None:
    """The pid of a process newly paused at the fault point, if any."""
    for marker in folder.glob(f"{PAUSE}.*"):
        pid = int(marker.name.rsplit(".", 1)[1])
        if pid not in seen:
            return pid
    return None


def _assert_each_row_once(job_id: int, total: int) -> None:
    from matching.models import MatchJob, MatchJobRow, ProductCatalogMatch
    from models.db import get_engine

    with get_engine().connect() as conn:
        indexes = list(
            conn.execute(
                sa.select(MatchJobRow.row_index)
                .where(MatchJobRow.job_id == job_id)
                .order_by(MatchJobRow.row_index)
            ).scalars()
        )
        job = conn.execute(sa.select(MatchJob).where(MatchJob.id == job_id)).one()
        refs = conn.execute(
            sa.select(ProductCatalogMatch.product_ref).where(ProductCatalogMatch.job_id == job_id)
        ).scalars()
        refs = list(refs)
    assert indexes == list(range(total))
    assert job.status == "succeeded" and job.processed_rows == total
    assert job.count_auto + job.count_review + job.count_none + job.count_error == total
    assert len(refs) == len(set(refs)) == job.count_auto + job.count_review


def test_a_whole_worker_killed_mid_job_is_replaced_after_the_visibility_timeout(
    matching_db, keys, client, shared_data, tmp_path
) -> None:
    job_id, total = _create(keys, shared_data)
    faults = tmp_path / "faults"
    common = {"SIDEDECKED_TASK_VISIBILITY_TIMEOUT": "10", "SIDEDECKED_FAULT_DIR": str(faults)}
    with private_redis() as redis_url:
        env_a = worker_env(
            redis_url, matching_db, SIDEDECKED_FAULT_PAUSE=json.dumps([PAUSE]), **common
        )
        first = start_worker(env_a, tmp_path / "a.log")
        second = None
        try:
            producer(redis_url).send_task("matching.run_job", args=[job_id])
            child = wait_until(
                lambda: _paused(faults, set()), timeout=180, what="the worker to pause mid-job"
            )
            assert os.getpgid(child) == first.pid  # a pool child of the first worker
            held = client.get(f"/api/matching/jobs/{job_id}", headers=bearer(keys.vendor)).json()
            assert held["status"] == "running" and 0 < held["processed_rows"] < total
            assert held["worker"].endswith(f":{child}") and held["heartbeat_at"]
            assert held["stale"] is False and held["heartbeat_age_s"] >= 0

            first.kill_group(signal.SIGKILL)  # parent and child: nobody rejects the task
            first.popen.wait()
            second = start_worker(worker_env(redis_url, matching_db, **common), tmp_path / "b.log")
            done = wait_for_job(client, keys.vendor, job_id, timeout=240)
        finally:
            first.stop()
            if second is not None:
                second.stop()
    assert done["status"] == "succeeded", done
    assert not done["worker"].endswith(f":{child}") and done["attempts"] >= 2
    assert "Restoring" in second.text() or "matching.run_job" in second.text()
    _assert_each_row_once(job_id, total)


def test_a_killed_pool_child_requeues_the_job_at_once(
    matching_db, keys, client, shared_data, tmp_path
) -> None:
    job_id, total = _create(keys, shared_data)
    faults = tmp_path / "faults"
    env = worker_env(
        redis_url="",
        database_url=matching_db,
        SIDEDECKED_FAULT_PAUSE=json.dumps([PAUSE]),
        SIDEDECKED_FAULT_DIR=str(faults),
        SIDEDECKED_TASK_VISIBILITY_TIMEOUT="300",
    )
    killed: set[int] = set()
    with private_redis() as redis_url:
        env["REDIS_URL"] = redis_url
        worker = start_worker(env, tmp_path / "worker.log")
        try:
            producer(redis_url).send_task("matching.run_job", args=[job_id])

            def finished_or_paused() -> bool:
                child = _paused(faults, killed)
                if child is not None:  # a child paused after a chunk: kill it alone
                    assert os.getpgid(child) == worker.pid
                    os.kill(child, signal.SIGKILL)
                    killed.add(child)
                status = client.get(
                    f"/api/matching/jobs/{job_id}", headers=bearer(keys.vendor)
                ).json()["status"]
                return status in ("succeeded", "failed")

            # well inside the 300 s visibility timeout: the parent requeued each task at once
            wait_until(finished_or_paused, timeout=200, what="the job to finish", every=0.5)
            assert worker.popen.poll() is None  # the worker itself lived on
        finally:
            worker.stop()
    assert killed, "a pool child should have been killed mid-job"
    assert "WorkerLostError" in worker.text() or "signal 9" in worker.text()
    _assert_each_row_once(job_id, total)
