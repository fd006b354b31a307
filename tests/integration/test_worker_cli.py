"""`sidedecked worker` and `sidedecked beat` for real: subprocesses on a private Redis database
run what is queued, beat keeps its schedule under the folder it is given (var/celery by
default, never the cwd) and sends the periodic outbox drain that a worker then runs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from models import migrate
from models.settings import REPO_ROOT
from tests.integration.celery_workers import (
    SIDEDECKED,
    Proc,
    private_redis,
    producer,
    start_worker,
    wait_until,
    worker_env,
)

pytestmark = [pytest.mark.integration]


@pytest.fixture
def catalog_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'catalog.db'}"
    migrate.upgrade(url=url)
    return url


def test_without_redis_worker_and_beat_exit_2_with_a_reason(tmp_path: Path) -> None:
    env = worker_env("", f"sqlite:///{tmp_path / 'x.db'}")
    env.pop("REDIS_URL")
    for command in ("worker", "beat"):
        done = subprocess.run(
            [str(SIDEDECKED), command], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 2, done
        assert "REDIS_URL is not set" in done.stderr
        assert "inline" in done.stderr


def test_beat_schedule_defaults_under_var() -> None:
    from models.worker import BEAT_SCHEDULE_FILE, celery_app

    assert BEAT_SCHEDULE_FILE.is_relative_to(REPO_ROOT / "var")
    assert celery_app.conf.beat_schedule_filename == str(BEAT_SCHEDULE_FILE)


def test_worker_runs_a_queued_task(tmp_path: Path, catalog_url: str) -> None:
    with private_redis() as redis_url:
        env = worker_env(redis_url, catalog_url, SIDEDECKED_INDEX_DIR=str(tmp_path / "index"))
        worker = start_worker(env, tmp_path / "worker.log", "--queues", "celery")
        try:
            app = producer(redis_url)
            result = app.send_task("indexer.drain_outbox")
            report = result.get(timeout=60)
            assert report["rows"] == 0 and report["skipped_locked"] is False
            for name in ("etl.load", "images.sync", "matching.run_job", "popularity.flush"):
                assert f". {name}" in worker.text()  # every domain's tasks are registered
            wait_until(
                lambda: f"Task indexer.drain_outbox[{result.id}] succeeded" in worker.text(),
                timeout=30,
                what="the worker's log of the task",
            )
        finally:
            worker.stop()
        assert "sidedecked." in worker.text()  # the node name: sidedecked.<pid>@<host>


def test_beat_writes_its_schedule_and_sends_the_outbox_drain(
    tmp_path: Path, catalog_url: str
) -> None:
    schedule = tmp_path / "state" / "beat-schedule"
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    with private_redis() as redis_url:
        env = worker_env(redis_url, catalog_url, SIDEDECKED_INDEX_DIR=str(tmp_path / "index"))
        worker = start_worker(env, tmp_path / "worker.log")
        beat = Proc(["beat", "--schedule", str(schedule)], env, tmp_path / "beat.log", cwd=cwd)
        try:
            wait_until(
                lambda: "Sending due task indexer-drain-outbox" in beat.text(),
                timeout=60,
                what="beat to send the outbox drain",
            )
            wait_until(
                lambda: (
                    "Task indexer.drain_outbox[" in worker.text() and "succeeded" in worker.text()
                ),
                timeout=60,
                what="the worker to run the drain beat sent",
            )
        finally:
            beat.stop()
            worker.stop()
    assert list(schedule.parent.glob("beat-schedule*")), beat.text()
    assert not list(cwd.iterdir())  # nothing written where it was started
