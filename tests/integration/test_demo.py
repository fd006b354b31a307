"""`make demo` as a newcomer runs it: no services, a real server, real sample cards."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx

from models.settings import REPO_ROOT


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_demo_script_loads_all_four_games_and_serves(tmp_path: Path, shared_data: Path) -> None:
    # counts of the sample `make demo` cuts from the shared data (skipped where it is absent)
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "OPENSEARCH_URL", "REDIS_URL", "SIDEDECKED_INDEX_DIR"}
    }
    env["DEMO_DATABASE_URL"] = f"sqlite:///{tmp_path / 'demo.db'}"
    env["DEMO_INDEX_DIR"] = str(tmp_path / "index")
    env["DEMO_SAMPLE_DIR"] = str(tmp_path / "sample")
    log = (tmp_path / "demo.log").open("w")
    proc = subprocess.Popen(
        ["bash", str(REPO_ROOT / "scripts" / "demo.sh"), "--port", str(port)],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, (tmp_path / "demo.log").read_text()
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "demo did not come up in 180 s"
            time.sleep(0.5)
        ready = httpx.get(f"http://127.0.0.1:{port}/ready", timeout=5)
        assert ready.status_code == 200, ready.text
        output = (tmp_path / "demo.log").read_text()
        for source in ("scryfall", "pokemontcg", "ygoprodeck", "optcg"):
            assert f"{source}" in output and "succeeded" in output
        assert "search index" in output
        base = f"http://127.0.0.1:{port}/api/catalog"
        for game in ("MTG", "POKEMON", "YUGIOH", "OPTCG"):
            found = httpx.get(f"{base}/search", params={"game": game}, timeout=10).json()
            assert found["total"] > 100, (game, found["total"])
        typo = httpx.get(f"{base}/search", params={"q": "lightnig bolt"}, timeout=10).json()
        assert typo["data"][0]["name"] == "Lightning Bolt"
        suggestions = httpx.get(f"{base}/autocomplete", params={"q": "chari"}, timeout=10).json()
        assert "Charizard" in [s["name"] for s in suggestions["data"]]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()
