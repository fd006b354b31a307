"""A bulk job run in time slices (`run_job(max_seconds=...)`, what `matching.run_job` does on a
worker): each slice stops after the chunk that passes its time, answers `running`, and the next
one continues from `processed_rows`; every row exactly once. The job records its worker and
heartbeat, and the job API says when a running job's heartbeat is stale."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.integration.matching.conftest import bearer

pytestmark = [pytest.mark.integration, pytest.mark.shared_data]

EXPORT = "seller-exports/mtgcsvhelper/Collection/tcgplayer-collection-old.csv"


def test_a_job_runs_slice_after_slice_each_row_once(matching_db, keys, shared_data) -> None:
    from matching.jobs.intake import create_job
    from matching.jobs.liveness import worker_name
    from matching.jobs.runner import run_job
    from matching.models import MatchJob, MatchJobRow
    from models.db import get_engine, session_scope

    with session_scope() as session:
        job = create_job(
            session, seller_id=keys.seller, content=(shared_data / EXPORT).read_bytes()
        )
        job_id, total = job.id, job.total_rows
    slices, status = 0, "queued"
    while status != "succeeded":
        status = run_job(job_id, chunk_size=100, max_seconds=0)  # one chunk a slice
        slices += 1
        assert status in ("running", "succeeded")
        assert slices <= total // 100 + 2
    assert slices == -(-total // 100)  # the last chunk's slice finishes the job
    engine = get_engine()
    with engine.connect() as conn:
        indexes = list(
            conn.execute(
                sa.select(MatchJobRow.row_index)
                .where(MatchJobRow.job_id == job_id)
                .order_by(MatchJobRow.row_index)
            ).scalars()
        )
        done = conn.execute(sa.select(MatchJob).where(MatchJob.id == job_id)).one()
    assert indexes == list(range(total))
    assert done.attempts == slices and done.worker == worker_name()


def test_the_job_api_flags_a_running_job_with_an_old_heartbeat(
    matching_db, keys, client, shared_data
) -> None:
    from matching.jobs.intake import create_job
    from matching.jobs.runner import run_job
    from matching.models import MatchJob
    from models.base import utcnow
    from models.db import get_engine, session_scope

    with session_scope() as session:
        job = create_job(
            session, seller_id=keys.seller, content=(shared_data / EXPORT).read_bytes()
        )
        job_id = job.id
    queued = client.get(f"/api/matching/jobs/{job_id}", headers=bearer(keys.vendor)).json()
    assert queued["heartbeat_at"] is None and queued["worker"] is None
    assert queued["stale"] is False
    assert run_job(job_id, chunk_size=100, max_chunks=1) == "running"
    fresh = client.get(f"/api/matching/jobs/{job_id}", headers=bearer(keys.vendor)).json()
    assert fresh["status"] == "running" and fresh["stale"] is False
    assert fresh["worker"] and fresh["heartbeat_at"] and fresh["heartbeat_age_s"] < 60
    with get_engine().begin() as conn:  # its worker died ten minutes ago
        conn.execute(
            sa.update(MatchJob)
            .where(MatchJob.id == job_id)
            .values(heartbeat_at=utcnow() - timedelta(minutes=10))
        )
    listed = client.get(
        "/api/matching/jobs", params={"status": "running"}, headers=bearer(keys.vendor)
    ).json()["items"]
    stuck = next(j for j in listed if j["id"] == job_id)
    assert stuck["stale"] is True and stuck["heartbeat_age_s"] >= 600
    assert stuck["worker"] == fresh["worker"]


def test_on_a_real_worker_each_slice_queues_the_next(
    matching_db, keys, client, shared_data, tmp_path
) -> None:
    """A 7,385-row job on a worker whose visibility timeout is 5 s (slices of 1.7 s): the job
    goes through several deliveries of `matching.run_job`, each row once."""
    import re

    from matching.jobs.intake import create_job
    from models.db import session_scope
    from tests.integration.celery_workers import (
        private_redis,
        producer,
        start_worker,
        worker_env,
    )
    from tests.integration.matching.conftest import wait_for_job

    path = shared_data / "seller-exports/mtgcsvhelper/Collection/moxfield-haves.csv"
    with session_scope() as session:
        job = create_job(session, seller_id=keys.seller, content=path.read_bytes())
        job_id, total = job.id, job.total_rows
    with private_redis() as redis_url:
        env = worker_env(redis_url, matching_db, SIDEDECKED_TASK_VISIBILITY_TIMEOUT="5")
        worker = start_worker(env, tmp_path / "worker.log")
        try:
            producer(redis_url).send_task("matching.run_job", args=[job_id])
            done = wait_for_job(client, keys.vendor, job_id, timeout=240)
        finally:
            worker.stop()
    deliveries = set(re.findall(r"Task matching\.run_job\[([0-9a-f-]+)\] received", worker.text()))
    assert done["status"] == "succeeded" and done["processed_rows"] == total
    assert len(deliveries) > 1, worker.text()[-3000:]
    assert done["attempts"] == len(deliveries)
