"""Marketplace events flowing (published on the Redis stream, applied by `events.consume` tasks on
a real Celery worker, drained from the index outbox into the cluster) while a cluster node is
SIGKILLed: no change is lost. Afterwards every event has been applied exactly once, and every
print's search document on the cluster is the one the catalog makes now.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from indexer.catalog import stream_documents
from indexer.engines.opensearch import OpenSearchEngine
from indexer.outbox import pending_count
from indexer.rebuild import rebuild
from marketplace import samples
from marketplace.stream import STREAM, publish
from models import migrate
from models.db import make_engine
from models.locks import FileLease
from tests.conftest import worker_id
from tests.fault.conftest import (
    broker_quiet,
    celery_client,
    cluster_health,
    cluster_sh,
    create_database,
    drop_database,
    primary_node,
)
from tests.fault.harness import Workers, wait_until
from tests.integration.marketplace.conftest import EventsDb, seed
from tests.integration.marketplace.test_stream import expected_snapshot

EVENTS = 600
BATCH = 50
#: The batch after which the node is killed (of EVENTS / BATCH).
KILL_AFTER = 3
SETTLE_S = 180.0


@pytest.fixture(scope="module")
def events_catalog(postgres_admin_url: str) -> Iterator[EventsDb]:
    name = f"sidedecked_test_{worker_id()}_faults_events"
    url = create_database(postgres_admin_url, name)
    migrate.upgrade(url=url)
    engine = make_engine(url)
    skus, print_of, names = seed(engine)
    yield EventsDb(url, engine, skus, print_of, names)
    engine.dispose()
    drop_database(postgres_admin_url, name)


def _filled(doc: dict) -> dict:
    """The fields with a value (the engine leaves empty ones out of what it stores)."""
    return {k: v for k, v in doc.items() if v not in (None, [], {})}


def documents_differ(engine: OpenSearchEngine, db: EventsDb) -> list[str]:
    """Prints whose document on the cluster is not the one the catalog makes now."""
    with db.engine.connect() as conn:
        wanted = {
            d["print_id"]: orjson.loads(orjson.dumps(d, default=str))
            for d in stream_documents(conn)
        }
    found = engine.client.mget(index=engine.alias, body={"ids": [str(i) for i in wanted]})
    have = {int(d["_id"]): d.get("_source") for d in found["docs"]}
    problems = []
    for pid, doc in wanted.items():
        got = _filled(have.get(pid) or {})
        doc = _filled(doc)
        keys = sorted(k for k in {*doc, *got} if got.get(k) != doc.get(k))
        if keys:
            problems.append(
                f"print {pid}: " + ", ".join(f"{k} {got.get(k)!r} != {doc.get(k)!r}" for k in keys)
            )
    return problems


def test_no_change_is_lost_while_a_node_is_killed(
    events_catalog: EventsDb,
    cluster_url: str,
    cluster_prefix: str,
    cluster_engine: OpenSearchEngine,
    broker_url: str,
    redis_client,
    workers: Workers,
    tmp_path: Path,
) -> None:
    db = events_catalog
    db.reset()
    engine = cluster_engine
    built = rebuild(engine=engine, db=db.engine, lease=FileLease(tmp_path / "w.lock"))
    assert (
        cluster_health(index=f"{cluster_prefix}*", wait_for_status="green", timeout="120s")[
            "status"
        ]
        == "green"
    )
    assert documents_differ(engine, db) == []
    raw = list(samples.random_stream(db.skus, EVENTS, seed=16))
    expected = expected_snapshot(db, raw)
    workers.env.update(
        DATABASE_URL=db.url,
        REDIS_URL=broker_url,
        OPENSEARCH_URL=cluster_url,
        SIDEDECKED_INDEX_PREFIX=cluster_prefix,
        SIDEDECKED_INDEX_REPLICAS="1",
        SIDEDECKED_INDEX_DIR=str(tmp_path / "index"),
    )
    workers.start("events")
    tasks = celery_client(broker_url)
    victim = primary_node(engine.client, built.index)
    for n, start in enumerate(range(0, EVENTS, BATCH)):
        publish(redis_client, raw[start : start + BATCH])
        tasks.send_task("events.consume", kwargs={"seconds": 1.0})
        tasks.send_task("indexer.drain_outbox")
        if n == KILL_AFTER:
            cluster_sh("kill", str(victim))
        time.sleep(0.5)
    cluster_sh("up")
    assert (
        cluster_health(wait_for_status="green", wait_for_nodes="3", timeout="120s")["status"]
        == "green"
    )

    def settled() -> bool:
        """Every event read and acknowledged, the outbox empty, no task left."""
        groups = redis_client.xinfo_groups(STREAM)
        if any(g["pending"] or g.get("lag") for g in groups):
            tasks.send_task("events.consume", kwargs={"seconds": 1.0})
            return False
        if pending_count(db.engine):
            tasks.send_task("indexer.drain_outbox")
            return False
        return broker_quiet(redis_client)

    wait_until(settled, timeout=SETTLE_S, what="the events and the outbox to drain", every=2.0)
    assert db.snapshot() == expected
    engine.refresh()
    assert documents_differ(engine, db) == []
    assert engine.count() == built.documents
