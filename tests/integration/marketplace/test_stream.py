"""The Redis Streams consumer on real Redis and PostgreSQL: batches, dead letters, failed
deliveries, and a worker SIGKILLed mid-stream."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from sqlalchemy.orm import Session

from marketplace import samples
from marketplace.apply import apply_events
from marketplace.events import parse_event
from marketplace.stream import StreamConsumer, publish
from models.db import make_engine

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def stream(redis_url):
    name = f"test:events:{uuid.uuid4().hex[:10]}"
    yield name
    client = redis.Redis.from_url(redis_url)
    client.delete(name, f"{name}:dead", f"{name}:errors")
    client.close()


@pytest.fixture
def rclient(redis_url):
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


def expected_snapshot(events_db, raw):
    """The aggregates after applying `raw` directly (then the state is reset)."""
    events = [parse_event(e) for e in raw]
    for start in range(0, len(events), 500):
        with Session(events_db.engine) as session, session.begin():
            apply_events(session, events[start : start + 500])
    snapshot = events_db.snapshot()
    events_db.reset()
    return snapshot


def consumer(rclient, events_db, stream, **kwargs) -> StreamConsumer:
    kwargs.setdefault("block_ms", 100)
    return StreamConsumer(client=rclient, db=events_db.engine, stream=stream, **kwargs)


def test_stream_applies_batches_and_acks_after_commit(rclient, events_db, stream):
    raw = list(samples.random_stream(events_db.skus[:40], 2000, seed=11))
    expected = expected_snapshot(events_db, raw)
    publish(rclient, raw, stream=stream)
    publish(rclient, raw[:300], stream=stream)  # the publisher retried: at least once
    worker = consumer(rclient, events_db, stream, batch_size=250)
    report = worker.run(idle_exit_s=0.5)
    assert (report.read, report.applied, report.duplicates) == (2300, 2000, 300)
    assert worker.pending() == 0 and worker.lag() == 0
    assert events_db.snapshot() == expected


def test_invalid_messages_go_to_the_dead_letter_stream_with_reasons(rclient, events_db, stream):
    sku = events_db.skus[0]
    at = samples.datetime(2026, 11, 10, tzinfo=samples.UTC)
    good = samples.listed(sku, "v1", price="2.00", at=at, event_id="g1")
    bad_schema = {**samples.listed(sku, "v2", at=at, event_id="b1"), "type": "product.teleported"}
    unknown = samples.listed("MTG-ZZZ-001-EN-NM-NORMAL", "v3", at=at, event_id="b2")
    publish(rclient, [good, bad_schema, unknown, "{not json"], stream=stream)
    rclient.xadd(stream, {"other": "field"})
    worker = consumer(rclient, events_db, stream)
    report = worker.run(idle_exit_s=0.3)
    assert (report.applied, report.dead_lettered, report.acked) == (1, 4, 5)
    dead = [
        {k.decode(): v.decode() for k, v in f.items()} for _, f in rclient.xrange(f"{stream}:dead")
    ]
    reasons = sorted(d["reason"] for d in dead)
    assert any("unknown catalog_sku" in r for r in reasons)
    assert sum("invalid event" in r for r in reasons) == 3
    assert events_db.count("event_dead_letters") == 4
    assert worker.pending() == 0
    assert events_db.sku_row(sku)["is_available_b2c"]


def test_a_message_failing_every_attempt_is_dead_lettered(
    rclient, events_db, stream, empty_database_url
):
    """A database without the tables fails every apply; after max_attempts deliveries the
    message goes to the dead-letter stream with the last error."""
    broken = make_engine(empty_database_url)
    at = samples.datetime(2026, 11, 10, tzinfo=samples.UTC)
    publish(rclient, [samples.listed(events_db.skus[0], "v1", at=at, event_id="p1")], stream=stream)
    worker = StreamConsumer(
        client=rclient, db=broken, stream=stream, block_ms=50, min_idle_ms=50, max_attempts=3
    )
    deadline = time.monotonic() + 20
    while not rclient.xlen(f"{stream}:dead") and time.monotonic() < deadline:
        worker.step()
        time.sleep(0.06)
    broken.dispose()
    ((_, fields),) = rclient.xrange(f"{stream}:dead")
    reason = fields[b"reason"].decode()
    assert "failed 3 delivery attempts" in reason and "ProgrammingError" in reason
    assert worker.pending() == 0


def _worker_process(events_db, redis_url, stream, name, *extra):
    env = {
        **os.environ,
        "DATABASE_URL": events_db.url,
        "REDIS_URL": redis_url,
        "PYTHONPATH": str(REPO),
    }
    consume = [sys.executable, "-m", "search_api.cli", "events", "consume", "--no-drain"]
    names = ["--consumer", name, "--stream", stream]
    tuning = ["--batch-size", "100", "--block-ms", "100", "--min-idle-ms", "1000"]
    cmd = [*consume, *names, *tuning, *extra]
    return subprocess.Popen(
        cmd, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def test_killing_the_worker_mid_stream_loses_and_double_counts_nothing(
    rclient, redis_url, events_db, stream
):
    raw = list(samples.random_stream(events_db.skus[:60], 6000, seed=5))
    expected = expected_snapshot(events_db, raw)
    publish(rclient, raw, stream=stream)
    first = _worker_process(events_db, redis_url, stream, "victim")
    deadline = time.monotonic() + 60
    while events_db.count("processed_events") < 1500 and time.monotonic() < deadline:
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    done_at_kill = events_db.count("processed_events")
    assert 0 < done_at_kill < 6000, "the worker was not killed mid-stream"
    # a different consumer picks up the rest, reclaiming what the victim left pending
    second = _worker_process(events_db, redis_url, stream, "rescuer", "--idle-exit", "3")
    out, _ = second.communicate(timeout=120)
    assert second.returncode == 0, out
    report = json.loads(out.strip().splitlines()[-1])
    assert report["reclaimed"] > 0 or report["duplicates"] == 0
    assert events_db.count("processed_events") == 6000
    assert events_db.count("event_dead_letters") == 0
    assert rclient.xpending(stream, "catalog")["pending"] == 0
    assert events_db.snapshot() == expected


def test_the_celery_task_consumes_a_slice(rclient, redis_url, events_db, monkeypatch):
    from marketplace.stream import STREAM
    from marketplace.tasks import consume_stream
    from models.db import get_engine
    from models.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", events_db.url)
    monkeypatch.setenv("REDIS_URL", redis_url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    rclient.delete(STREAM, f"{STREAM}:dead", f"{STREAM}:errors")
    try:
        raw = list(samples.random_stream(events_db.skus[:10], 300, seed=9))
        publish(rclient, raw)
        report = consume_stream.apply(kwargs={"seconds": 1.5, "drain": False}).get()
        assert report["applied"] == 300 and report["acked"] == 300
        assert events_db.count("processed_events") == 300
    finally:
        rclient.delete(STREAM, f"{STREAM}:dead", f"{STREAM}:errors")
        get_engine().dispose()
