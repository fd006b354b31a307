"""The Celery configuration the workers run with: the broker's visibility timeout and its sweep,
the worker command's arguments, a job's liveness as the API shows it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from matching.jobs.liveness import liveness
from models.worker import make_celery, transport_options
from models.worker_cli import worker_argv


def test_the_visibility_timeout_reaches_the_broker_with_a_frequent_sweep(monkeypatch) -> None:
    from models.settings import get_settings

    assert transport_options(300) == {
        "visibility_timeout": 300,
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
        "unacked_mutex_expire": 10,
    }
    assert transport_options(10)["unacked_restore_interval"] == 1
    assert transport_options(10)["unacked_mutex_expire"] == 5
    monkeypatch.setenv("SIDEDECKED_TASK_VISIBILITY_TIMEOUT", "42")
    get_settings.cache_clear()
    app = make_celery("redis://127.0.0.1:6379/14")
    assert app.conf.broker_transport_options["visibility_timeout"] == 42
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert not app.conf.task_always_eager


def test_worker_argv() -> None:
    argv = worker_argv(concurrency=3, queues=" celery, etl ,", loglevel="info", hostname=None)
    assert argv[:3] == ["worker", "--loglevel", "INFO"]
    assert argv[argv.index("--concurrency") + 1] == "3"
    assert argv[argv.index("--queues") + 1] == "celery,etl"
    assert argv[argv.index("--hostname") + 1].startswith("sidedecked.")
    bare = worker_argv(concurrency=None, queues=None, loglevel="INFO", hostname="w1@%h")
    assert "--concurrency" not in bare and "--queues" not in bare and "w1@%h" in bare


def test_liveness_flags_an_old_heartbeat_of_a_running_job_only() -> None:
    now = datetime(2026, 1, 1, 12, tzinfo=UTC)
    old = now - timedelta(minutes=5)
    assert liveness("running", old, old, "vm:12", now)["stale"] is True
    assert liveness("succeeded", old, old, "vm:12", now)["stale"] is False
    fresh = liveness("running", now - timedelta(seconds=2), old, "vm:12", now)
    assert fresh == {
        "heartbeat_at": (now - timedelta(seconds=2)).isoformat(),
        "heartbeat_age_s": 2.0,
        "worker": "vm:12",
        "stale": False,
    }
    queued = liveness("queued", None, old.replace(tzinfo=None), None, now)  # SQLite: naive
    assert queued["stale"] is True and queued["heartbeat_age_s"] is None
