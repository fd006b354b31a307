"""The API under test: `sidedecked serve` (uvicorn directly when serve lacks what is needed)
in its own process tree, configured only by the environment this module gives it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from models.settings import REPO_ROOT

#: Configuration the API must not inherit from the benchmark's own environment.
CONFIG_VARS = (
    "DATABASE_URL",
    "OPENSEARCH_URL",
    "REDIS_URL",
    "SIDEDECKED_INDEX_DIR",
    "SIDEDECKED_INDEX_PREFIX",
)
LOG = REPO_ROOT / "var" / "bench-search" / "api.log"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve_help() -> str:
    sidedecked = Path(sys.executable).with_name("sidedecked")
    env = {**os.environ, "COLUMNS": "200", "TERM": "dumb", "NO_COLOR": "1"}
    done = subprocess.run(
        [str(sidedecked), "serve", "--help"], capture_output=True, text=True, env=env, check=False
    )
    return done.stdout if done.returncode == 0 else ""


def server_command(server: str, port: int, workers: int) -> list[str]:
    """`server`: serve | uvicorn | auto (serve when it takes --workers). Quiet logging and no
    access log when the server lets us say so."""
    base = ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    help_text = _serve_help() if server in ("auto", "serve") else ""
    if server == "serve" or (server == "auto" and "--workers" in help_text):
        command = [str(Path(sys.executable).with_name("sidedecked")), "serve", *base]
        if "--no-access-log" in help_text:
            command.append("--no-access-log")
        if "--log-level" in help_text:
            command += ["--log-level", "warning"]
        return command
    uvicorn = [sys.executable, "-m", "uvicorn", "search_api.app:create_app", "--factory"]
    return [*uvicorn, *base, "--log-level", "warning", "--no-access-log"]


def api_env(
    *,
    database_url: str,
    opensearch_url: str | None,
    index_dir: Path,
    prefix: str,
    redis_url: str | None,
) -> dict[str, str]:
    """The environment of the API: empty values switch OpenSearch and Redis off even when a
    `.env` file sets them."""
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    env.update(
        DATABASE_URL=database_url,
        OPENSEARCH_URL=opensearch_url or "",
        REDIS_URL=redis_url or "",
        SIDEDECKED_INDEX_DIR=str(index_dir),
        SIDEDECKED_INDEX_PREFIX=prefix,
    )
    return env


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_rss_mb(pid: int) -> tuple[float, int]:
    """Resident memory of `pid` and its descendants (MB, shared pages counted in each process),
    and the number of processes."""
    tree, todo, total, count = _children(), [pid], 0, 0
    while todo:
        current = todo.pop()
        todo += tree.get(current, [])
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        rss = next((ln.split()[1] for ln in status.splitlines() if ln.startswith("VmRSS:")), "0")
        total += int(rss)
        count += 1
    return total / 1024, count


class ApiProcess:
    """The API started with `command` and `env`; ready when `/ready` says the expected engine
    and database answer."""

    def __init__(self, command: list[str], env: dict[str, str], port: int) -> None:
        self.command = command
        self.base_url = f"http://127.0.0.1:{port}"
        LOG.parent.mkdir(parents=True, exist_ok=True)
        self._log = LOG.open("a")
        self._log.write(f"\n== {' '.join(command)}\n")
        self._log.flush()
        self.proc = subprocess.Popen(
            command, env=env, cwd=REPO_ROOT, stdout=self._log, stderr=subprocess.STDOUT
        )

    def wait_ready(self, *, engine: str, database: str, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        last = ""
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the API exited ({self.proc.returncode}); see {LOG}")
            try:
                response = httpx.get(f"{self.base_url}/ready", timeout=5)
                checks = response.json().get("checks", {})
                found_engine = str(checks.get("search_engine", {}).get("detail", ""))
                found_db = str(checks.get("database", {}).get("detail", ""))
                if response.status_code == 200:
                    if not (found_engine.startswith(engine) and found_db == database):
                        raise RuntimeError(f"the API serves {found_engine} on {found_db}")
                    return
                last = response.text[:300]
            except httpx.HTTPError as exc:
                last = str(exc)
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the API did not become ready: {last}")

    def rss_mb(self) -> tuple[float, int]:
        return tree_rss_mb(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log.close()
