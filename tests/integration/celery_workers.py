"""Real Celery workers for tests: `sidedecked worker` / `sidedecked beat` started as subprocesses
(each in a process group of its own, so a test can SIGKILL a whole worker, parent and pool),
on a Redis database private to these tests.

Databases 10 + the xdist worker's index: the rest of the suite uses 1 + index (and 15 as a
broker nobody consumes), so no other test's worker ever takes these tasks.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from models.settings import REPO_ROOT
from tests.conftest import TEST_REDIS_URL, service_missing, worker_index
from tests.integration.conftest import make_redis_url

SIDEDECKED = Path(sys.executable).with_name("sidedecked")


@contextmanager
def private_redis() -> Iterator[str]:
    """A flushed Redis database for real workers, flushed again afterwards."""
    import redis

    url = make_redis_url(TEST_REDIS_URL, db=10 + worker_index())
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.flushdb()
    except Exception as exc:  # noqa: BLE001
        service_missing("Redis", TEST_REDIS_URL, exc)
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


class Proc:
    """A `sidedecked` subprocess with its output in a log file."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path, cwd: Path | None = None):
        self.log = log
        self._out = log.open("wb")
        self.popen = subprocess.Popen(
            [str(SIDEDECKED), *args],
            env=env,
            cwd=cwd,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill the parent and its pool
        )
        self.pid = self.popen.pid

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def kill_group(self, sig: int = signal.SIGKILL) -> None:
        with suppress(ProcessLookupError):
            os.killpg(self.pid, sig)

    def stop(self) -> None:
        """SIGTERM (warm shutdown), then SIGKILL what is left of the group."""
        if self.popen.poll() is None:
            self.kill_group(signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=20)
        self.kill_group(signal.SIGKILL)
        self.popen.wait()
        self._out.close()


def worker_env(redis_url: str, database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update({"REDIS_URL": redis_url, "DATABASE_URL": database_url, **extra})
    # the checkout's packages, whether or not the installed distribution lists each one
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def wait_until(check: Callable[[], Any], *, timeout: float, what: str, every: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(every)


def start_worker(env: dict[str, str], log: Path, *args: str, ready_timeout: float = 60.0) -> Proc:
    """`sidedecked worker` (concurrency 1 unless `args` say otherwise), once it says ready."""
    worker = Proc(["worker", "--concurrency", "1", *args], env, log)
    try:
        wait_until(
            lambda: " ready." in worker.text() or worker.popen.poll() is not None,
            timeout=ready_timeout,
            what=f"worker {worker.pid} to be ready",
        )
    except AssertionError:
        worker.stop()
        raise
    assert worker.popen.poll() is None, worker.text()
    return worker


def producer(redis_url: str) -> Any:
    """A Celery app on `redis_url` to queue tasks by name and read their results."""
    from models.worker import make_celery

    return make_celery(redis_url)
