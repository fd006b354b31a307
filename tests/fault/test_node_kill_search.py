"""Searches on the three-node cluster while the node holding the live index's primary shard is
SIGKILLed: with one replica of every index and the client given the three nodes, no search
fails or answers differently; after `cluster.sh up` restarts the node the cluster is green again
and every node counts the same documents.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from indexer.engines.opensearch import OpenSearchEngine
from indexer.engines.opensearch_client import opensearch_client
from indexer.query import MatchAll, SearchRequest, Text
from indexer.rebuild import rebuild
from models.locks import FileLease
from models.settings import opensearch_hosts
from tests.fault.conftest import cluster_health, cluster_sh, primary_node

#: Search threads (the two cores are shared with three nodes, PostgreSQL and Redis).
CLIENTS = 3
#: Seconds of searching before the kill and after it.
BEFORE_S, AFTER_S = 3.0, 12.0
REQUESTS = [
    SearchRequest(),  # the default search: every card, by relevance, with facets
    SearchRequest(query=Text("bolt")),
    SearchRequest(query=MatchAll(), unique="prints", page_size=100),
    SearchRequest(query=Text("grizzly bears"), unique="prints"),
]


def answer(engine: OpenSearchEngine, request: SearchRequest) -> tuple[int, list[int]]:
    result = engine.search(request)
    return result.total, [hit.document["print_id"] for hit in result.hits]


def test_no_search_fails_while_a_node_is_killed(
    fault_catalog, cluster_url: str, cluster_prefix: str, cluster_engine, tmp_path: Path
) -> None:
    engine: OpenSearchEngine = cluster_engine
    built = rebuild(engine=engine, db=fault_catalog.engine, lease=FileLease(tmp_path / "w.lock"))
    client = engine.client
    health = cluster_health(index=f"{cluster_prefix}*", wait_for_status="green", timeout="120s")
    assert health["status"] == "green", health
    settings = client.indices.get_settings(index=built.index)[built.index]["settings"]["index"]
    assert int(settings["number_of_replicas"]) == 1
    expected = [answer(engine, request) for request in REQUESTS]
    assert expected[2][0] == built.documents
    victim = primary_node(client, built.index)

    stop = threading.Event()
    killed_at: list[float] = []
    done: list[tuple[float, int]] = []  # (when, request) of every good answer
    failures: list[str] = []

    def search(worker: int) -> None:
        n = worker
        while not stop.is_set():
            which = n % len(REQUESTS)
            n += 1
            try:
                got = answer(engine, REQUESTS[which])
            except Exception as exc:  # noqa: BLE001 - every failed search is the finding
                failures.append(f"request {which}: {type(exc).__name__}: {exc}")
                continue
            if got != expected[which]:
                failures.append(f"request {which}: {got} instead of {expected[which]}")
            else:
                done.append((time.monotonic(), which))

    threads = [threading.Thread(target=search, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(BEFORE_S)
        cluster_sh("kill", str(victim))
        killed_at.append(time.monotonic())
        time.sleep(AFTER_S)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    assert failures == [], failures[:5]
    after = [when for when, _ in done if when > killed_at[0]]
    assert len(after) >= 20, f"only {len(after)} searches after the kill"
    # a replica took over: the searches went on with the node still gone
    assert cluster_health().get("number_of_nodes") == 2

    cluster_sh("up")
    health = cluster_health(wait_for_status="green", wait_for_nodes="3", timeout="120s")
    assert health["status"] == "green" and health["number_of_nodes"] == 3, health
    for host in opensearch_hosts(cluster_url):
        node = opensearch_client(host)
        try:
            assert node.count(index=engine.alias)["count"] == built.documents, host
            assert node.count(index=engine.names.alias)["count"] > 0, host
        finally:
            node.close()
    assert [answer(engine, request) for request in REQUESTS] == expected
