"""Real Celery workers for the fault tests: start them as an operator would, kill them whole or
child by child, and wait for the marker a paused fault point writes (`models.faults`).

A `Worker` is `celery -A models.worker:celery_app worker` in a session of its own
(`start_new_session=True`), so SIGKILL to its process group takes the main process and every
prefork pool child at once, like a machine losing the worker; `kill_child` kills one pool child
and leaves the main process to notice (Celery then rejects the task back to the queue).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

from models.settings import REPO_ROOT
from tests.integration.celery_workers import wait_until  # one poller for every worker test

#: Seconds a worker may take to say "ready" (imports on a busy two-core machine).
READY_S = 90.0


def children(pid: int) -> list[int]:
    """Direct children of `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Worker:
    """One `celery worker` process group, its log in `log_dir/<name>.log`."""

    def __init__(
        self,
        name: str,
        env: Mapping[str, str],
        log_dir: Path,
        *,
        concurrency: int = 1,
        pause: Iterable[str] = (),
    ) -> None:
        self.name = name
        self.env = {**env, "SIDEDECKED_FAULT_PAUSE": json.dumps(list(pause))}
        self.log_path = log_dir / f"{name}.log"
        self.concurrency = concurrency
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, *, wait_ready: bool = True) -> Worker:
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "models.worker:celery_app",
            "worker",
            "--hostname",
            f"{self.name}@faults",
            "--concurrency",
            str(self.concurrency),
            "--pool",
            "prefork",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ]
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                command,
                cwd=REPO_ROOT,
                env=dict(self.env),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if wait_ready:
            self.wait_ready()
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None, f"worker {self.name} was not started"
        return self.proc.pid

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def wait_ready(self) -> None:
        def ready() -> bool:
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"worker {self.name} exited:\n{self.log()[-4000:]}")
            return " ready." in self.log()

        wait_until(ready, timeout=READY_S, what=f"worker {self.name} to be ready")

    def pool(self) -> list[int]:
        """The prefork pool children."""
        return children(self.pid)

    def kill(self) -> None:
        """SIGKILL the whole process group: the main process and every pool child at once."""
        if self.proc is None or self.proc.poll() is not None:
            return
        pool = self.pool()
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        wait_until(
            lambda: not any(alive(pid) for pid in pool), timeout=30, what="pool children to die"
        )

    def kill_child(self, pid: int) -> None:
        """SIGKILL one pool child; the main process lives on and starts another."""
        assert pid in self.pool(), f"{pid} is not a pool child of worker {self.name}"
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: not alive(pid), timeout=30, what=f"pool child {pid} to die")

    def stop(self) -> None:
        """Cold shutdown (SIGQUIT: unfinished tasks stay in the broker, which the next test
        empties), then SIGKILL whatever is left of the group."""
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGQUIT)
        with suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        with suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)


class Workers:
    """The workers a test started; all stopped at its end."""

    def __init__(self, env: Mapping[str, str], log_dir: Path) -> None:
        self.env = dict(env)
        self.log_dir = log_dir
        self.started: list[Worker] = []

    def start(
        self,
        name: str,
        *,
        pause: Iterable[str] = (),
        concurrency: int = 1,
        wait_ready: bool = True,
        **env: str,
    ) -> Worker:
        worker = Worker(
            name,
            {**self.env, **env},
            self.log_dir,
            concurrency=concurrency,
            pause=pause,
        )
        self.started.append(worker)
        return worker.start(wait_ready=wait_ready)

    def stop_all(self) -> None:
        for worker in self.started:
            worker.stop()

    def logs(self) -> str:
        return "\n".join(f"--- {w.name} ---\n{w.log()[-6000:]}" for w in self.started)


def markers(fault_dir: Path, point: str) -> dict[int, Path]:
    """Pids that paused at `point` (their marker files)."""
    found = {}
    for path in fault_dir.glob(f"{point}.*"):
        pid = path.name.rsplit(".", 1)[1]
        if pid.isdigit():
            found[int(pid)] = path
    return found


def wait_for_pause(
    fault_dir: Path, point: str, *, seen: Iterable[int] = (), timeout: float = 120.0
) -> int:
    """The pid of a process newly paused at `point`."""
    known = set(seen)

    def fresh() -> int | None:
        new = sorted(set(markers(fault_dir, point)) - known)
        return new[0] if new else None

    return int(wait_until(fresh, timeout=timeout, what=f"a worker to pause at {point}"))


class Sampler:
    """Calls `probe` in a thread every `every` seconds until stopped, keeping what it answers
    (None for a good sample, else a description of what was wrong)."""

    def __init__(self, probe: Callable[[], str | None], *, every: float = 0.05) -> None:
        self.probe = probe
        self.every = every
        self.samples = 0
        self.problems: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fault-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                problem = self.probe()
            except Exception as exc:  # noqa: BLE001 - every failure is a finding
                problem = f"{type(exc).__name__}: {exc}"
            self.samples += 1
            if problem:
                self.problems.append(problem)
            self._stop.wait(self.every)

    @contextmanager
    def running(self) -> Iterator[Sampler]:
        self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._thread.join(timeout=60)
