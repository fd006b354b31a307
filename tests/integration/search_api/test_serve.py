"""`sidedecked serve --workers 2` as an operator runs it: both worker processes answer, a worker
that dies is replaced, a second server on the same port is refused, SIGTERM stops everything."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

STARTUP_S = 90


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve_command(port: int, workers: int) -> list[str]:
    script = Path(sys.executable).with_name("sidedecked")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "search_api.cli"]
    return [*command, "serve", "--port", str(port), "--workers", str(workers), "--no-access-log"]


def _parent_of(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _worker_pids(port: int, *, want: int, attempts: int = 300) -> set[int]:
    """Pids named by /health, each asked on a new connection, until `want` distinct ones."""
    pids: set[int] = set()
    for _ in range(attempts):
        response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=10)
        assert response.status_code == 200 and response.json() == {"status": "ok"}
        pids.add(int(response.headers["x-worker-pid"]))
        if len(pids) >= want:
            break
    return pids


def _wait_until_up(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stdout.read() if server.stdout else ""
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the server did not answer on port {port} within {STARTUP_S}s")


@pytest.fixture
def serve_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("OPENSEARCH_URL", "REDIS_URL")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'catalog.db'}"
    env["SIDEDECKED_INDEX_DIR"] = str(tmp_path / "index")
    return env


def test_two_workers_answer_recover_and_stop_cleanly(serve_env) -> None:
    port = _free_port()
    server = subprocess.Popen(
        _serve_command(port, 2),
        env=serve_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        _wait_until_up(port, server)
        workers = _worker_pids(port, want=2)
        assert len(workers) == 2
        assert {_parent_of(pid) for pid in workers} == {server.pid}

        refused = subprocess.run(
            _serve_command(port, 2), env=serve_env, capture_output=True, text=True, timeout=60
        )
        assert refused.returncode != 0
        assert "already in use" in refused.stdout + refused.stderr

        killed = min(workers)
        os.kill(killed, signal.SIGKILL)
        deadline = time.monotonic() + STARTUP_S
        replaced: set[int] = set()
        while time.monotonic() < deadline and len(replaced) < 2:
            try:
                replaced = _worker_pids(port, want=2, attempts=50) - {killed}
            except httpx.TransportError:  # a connection queued on the killed worker's socket
                time.sleep(0.1)
        assert len(replaced) == 2 and killed not in replaced

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
        assert not any(_alive(pid) for pid in workers | replaced)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
