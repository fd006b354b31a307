"""scripts/cluster.sh for real: three OpenSearch nodes come up green, a SIGKILLed node is down
while the other two answer with every document, `up` restarts just that node and the cluster is
green again, and `down` stops the three and leaves the single node of `make services` running.

It starts and stops JVMs (about two minutes), so it runs only with SIDEDECKED_TEST_CLUSTER=1, in
a serial step of scripts/test.sh. A cluster that ran before the test runs again after it.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = [
    pytest.mark.skipif(
        os.environ.get("SIDEDECKED_TEST_CLUSTER") != "1",
        reason="starts and kills cluster nodes: set SIDEDECKED_TEST_CLUSTER=1 (a serial step)",
    ),
    pytest.mark.timeout(1200),
]

ROOT = Path(__file__).resolve().parents[3]
BASE = int(os.environ.get("CLUSTER_HTTP_PORT", "9201"))
PORTS = [BASE, BASE + 1, BASE + 2]
TRANSPORT = int(os.environ.get("CLUSTER_TRANSPORT_PORT", "9301"))
SINGLE_PORT = int(os.environ.get("OPENSEARCH_PORT", "9200"))
DOCS = 20


def script(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / name), *args],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def cluster(*args: str) -> subprocess.CompletedProcess[str]:
    result = script("cluster.sh", *args)
    assert result.returncode == 0, f"cluster.sh {' '.join(args)}:\n{result.stderr}"
    return result


def get(port: int, path: str) -> Any | None:
    """The JSON a node answers, or None when nothing listens there."""
    try:
        response = httpx.get(f"http://127.0.0.1:{port}{path}", timeout=10)
    except httpx.TransportError:
        return None
    response.raise_for_status()
    return response.json()


def wait_until(what: str, condition: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not within {seconds}s: {what}"
        time.sleep(1)


def node_states() -> dict[str, str]:
    """cluster-node-N -> up/down, from `cluster.sh status`."""
    out = cluster("status").stdout
    return dict(re.findall(r"^(cluster-node-\d)\s+(up|down)\b", out, re.MULTILINE))


def single_node_pid() -> str | None:
    out = script("services.sh", "status", "opensearch").stdout
    match = re.search(r"opensearch\s+up\s+pid (\d+)", out)
    return match.group(1) if match else None


def count(port: int, index: str) -> int | None:
    body = get(port, f"/{index}/_count")
    return None if body is None else int(body["count"])


def green_with_three(port: int) -> bool:
    health = get(port, "/_cluster/health")
    return bool(health) and health["status"] == "green" and health["number_of_nodes"] == 3


def test_up_kill_up_down() -> None:
    was_running = all(get(port, "/") is not None for port in PORTS)
    single_pid = single_node_pid()
    index = f"cluster-script-test-{uuid.uuid4().hex[:8]}"
    try:
        # up: green with three nodes, and the export line on stdout alone.
        up = cluster("up")
        urls = ",".join(f"http://127.0.0.1:{port}" for port in PORTS)
        assert up.stdout.strip() == f"export OPENSEARCH_URL={urls}"
        assert cluster("env").stdout.strip() == up.stdout.strip()
        health = get(PORTS[0], "/_cluster/health")
        assert health is not None
        assert (health["cluster_name"], health["status"], health["number_of_nodes"]) == (
            "sidedecked-cluster",
            "green",
            3,
        )
        nodes = get(PORTS[1], "/_cat/nodes?format=json&h=name,port")
        assert sorted((n["name"], n["port"]) for n in nodes or []) == [
            (f"sidedecked-cluster-node-{i}", str(TRANSPORT + i - 1)) for i in (1, 2, 3)
        ]
        assert node_states() == {f"cluster-node-{i}": "up" for i in (1, 2, 3)}

        # An index with a replica of every shard: a lost node leaves it yellow, not red.
        settings = {"settings": {"number_of_shards": 3, "number_of_replicas": 1}}
        httpx.put(
            f"http://127.0.0.1:{PORTS[0]}/{index}", json=settings, timeout=30
        ).raise_for_status()
        for i in range(DOCS):
            httpx.put(
                f"http://127.0.0.1:{PORTS[i % 3]}/{index}/_doc/{i}", json={"n": i}, timeout=30
            ).raise_for_status()
        httpx.post(f"http://127.0.0.1:{PORTS[0]}/{index}/_refresh", timeout=30).raise_for_status()
        wait_until("green after indexing", lambda: green_with_three(PORTS[0]))

        # kill 2: that node is down, the other two answer with every document.
        cluster("kill", "2")
        assert get(PORTS[1], "/") is None
        assert node_states() == {
            "cluster-node-1": "up",
            "cluster-node-2": "down",
            "cluster-node-3": "up",
        }

        def two_nodes() -> bool:
            health = get(PORTS[0], "/_cluster/health")
            return bool(health) and health["number_of_nodes"] == 2

        wait_until("the other nodes see node 2 gone", two_nodes)
        wait_until(
            "every document on nodes 1 and 3",
            lambda: count(PORTS[0], index) == DOCS and count(PORTS[2], index) == DOCS,
        )
        status_line = cluster("status").stdout.splitlines()[-1]
        assert re.match(r"cluster\s+(yellow|green) 2 of 3 nodes", status_line), status_line

        # up again: only node 2 starts, and the cluster is green with three nodes.
        again = cluster("up")
        assert "cluster-node-2: starting" in again.stderr
        assert "cluster-node-1: already running" in again.stderr
        assert "cluster-node-3: already running" in again.stderr
        assert green_with_three(PORTS[1])
        assert count(PORTS[1], index) == DOCS

        # down: the three stop, the single node of `make services` does not.
        httpx.delete(f"http://127.0.0.1:{PORTS[0]}/{index}", timeout=30)
        cluster("down")
        assert all(get(port, "/") is None for port in PORTS)
        assert node_states() == {f"cluster-node-{i}": "down" for i in (1, 2, 3)}
        if single_pid is not None:
            assert single_node_pid() == single_pid
            assert get(SINGLE_PORT, "/") is not None
    finally:
        live = [port for port in PORTS if get(port, "/") is not None]
        if live:
            httpx.delete(f"http://127.0.0.1:{live[0]}/{index}", timeout=30)
        if was_running:
            cluster("up")  # as it was found: other tests and helpers use it
