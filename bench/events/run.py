"""Benchmark: marketplace events through the Redis stream into PostgreSQL and OpenSearch.

    .venv/bin/python -m bench.events.run [--rate 1000] [--seconds 30] [--consumers 1]

Set-up (untimed): a fresh PostgreSQL database `sidedecked_bench_events` with a synthetic
catalog (`--prints` prints x 10 SKUs), an OpenSearch index built from it (private prefix), a
private stream key in Redis database 14.

Timed: `--consumers` worker processes (`sidedecked events consume --no-drain`, batches of
`--batch-size`) read the stream; one drainer thread in this process drains the index outbox
into OpenSearch continuously (what the indexer's beat task does every 5 s, here as fast as it
can); a publisher thread XADDs the seeded random stream (`samples.random_stream`) at `--rate`
events/s for `--seconds`. Ten times a second the publisher also sends a *probe*: a listing at
a fresh price on one of 200 probe prints; a poller measures when that price is visible in the
search documents. Lag = searchable - published, over all probes (p50, p95, max).
Sustained rate = events applied / (first publish -> last commit), with the backlog checked.
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import redis
import sqlalchemy as sa

from indexer.engines.opensearch import OpenSearchEngine
from indexer.outbox import drain_outbox, pending_count
from indexer.rebuild import rebuild
from marketplace import samples
from marketplace.stream import ensure_group, publish
from models import Card, CardSet, CatalogSku, Print, migrate
from models.databases import recreate_database
from models.db import make_engine
from models.games import GAME_IDS
from models.locks import FileLease
from models.sku import CONDITIONS, SkuParts, format_sku

REPO = Path(__file__).resolve().parents[2]
ADMIN_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://sidedecked:sidedecked@127.0.0.1:5432/sidedecked"
)
OPENSEARCH_URL = os.environ.get("BENCH_OPENSEARCH_URL", "http://127.0.0.1:9200")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
DB_NAME = "sidedecked_bench_events"
PROBES = 200
PROBES_PER_S = 10
FINISHES = ("NORMAL", "FOIL")
#: (condition, finish) of the SKU a probe lists.
PROBE_SKU = ("NM", "NORMAL")


def _set_row(code: str) -> dict[str, Any]:
    return {
        "game_id": GAME_IDS["MTG"],
        "code": code,
        "name": f"Bench {code}",
        "aliases": [],
        "external_ids": {},
        "images": {},
        "game_data": {},
    }


def _card_row(code: str, n: int) -> dict[str, Any]:
    return {
        "game_id": GAME_IDS["MTG"],
        "oracle_key": f"{code}-{n}",
        "name": f"{code} Bench Card {n}",
        "normalized_name": f"{code.lower()} bench card {n}",
    }


def _print_row(code: str, n: int, *, card_id: int, set_id: int) -> dict[str, Any]:
    return {
        "game_id": GAME_IDS["MTG"],
        "card_id": card_id,
        "set_id": set_id,
        "print_key": f"{code}-{n}",
        "collector_number": str(n + 1),
        "sku_set": code,
        "sku_number": f"{n + 1:05d}",
        "language": "EN",
        "finishes": list(FINISHES),
        "images": {},
        "legalities": {},
        "game_data": {},
    }


def _sku_rows(code: str, print_id: int, sku_number: str) -> list[dict[str, Any]]:
    """The 10 SKUs of a print (each finish x each condition)."""
    rows = []
    for finish in FINISHES:
        for cond in CONDITIONS:
            parts = SkuParts("MTG", code, sku_number, "EN", cond, finish)
            rows.append(
                {
                    "sku": format_sku(parts),
                    "print_id": print_id,
                    "game_code": "MTG",
                    "set_code": parts.set_token,
                    "number": parts.number_token,
                    "language": "EN",
                    "condition": cond,
                    "finish": finish,
                }
            )
    return rows


def seed(db, prints: int) -> tuple[list[str], dict[int, str], list[int]]:
    """`prints` market prints + PROBES probe prints, 10 SKUs each (5 conditions x 2 finishes).
    Returns (market SKUs, probe print id -> its NM NORMAL SKU, probe print ids)."""
    with db.begin() as conn:
        set_ids = {}
        for code in ("BEV", "PRB"):
            insert_set = sa.insert(CardSet).values(**_set_row(code)).returning(CardSet.id)
            set_ids[code] = conn.execute(insert_set).scalar_one()
        market, probes, probe_sku = [], [], {}
        for code, count in (("BEV", prints), ("PRB", PROBES)):
            for start in range(0, count, 1000):
                n_range = range(start, min(count, start + 1000))
                card_rows = [_card_row(code, n) for n in n_range]
                card_ids = conn.execute(sa.insert(Card).returning(Card.id), card_rows).scalars()
                print_rows = [
                    _print_row(code, n, card_id=cid, set_id=set_ids[code])
                    for n, cid in zip(n_range, list(card_ids), strict=True)
                ]
                print_ids = list(
                    conn.execute(sa.insert(Print).returning(Print.id), print_rows).scalars()
                )
                sku_rows = []
                for pid, prow in zip(print_ids, print_rows, strict=True):
                    rows = _sku_rows(code, pid, prow["sku_number"])
                    sku_rows += rows
                    if code == "BEV":
                        market += [r["sku"] for r in rows]
                    else:
                        probe_sku[pid] = next(
                            r["sku"] for r in rows if (r["condition"], r["finish"]) == PROBE_SKU
                        )
                        probes.append(pid)
                conn.execute(sa.insert(CatalogSku), sku_rows)
    return market, probe_sku, probes


class Probes:
    """Probe listings: publish one, then poll OpenSearch until its price shows."""

    def __init__(self, engine: OpenSearchEngine, probe_sku: dict[int, str]) -> None:
        self.engine = engine
        self.sku = probe_sku
        self.ids = list(probe_sku)
        self.n = 0
        self.outstanding: dict[int, tuple[Decimal, float]] = {}  # print -> (price, published)
        self.lags: list[float] = []
        self.lock = threading.Lock()

    def next_event(self) -> dict:
        self.n += 1
        pid = self.ids[self.n % len(self.ids)]
        price = Decimal(1000) + Decimal(self.n) / 100
        with self.lock:
            self.outstanding[pid] = (price, time.monotonic())
        return samples.listed(
            self.sku[pid],
            "probe",
            seller="probe-shop",
            price=price,
            quantity=1,
            at=datetime.now(UTC),
            event_id=f"probe-{self.n}",
        )

    def poll(self) -> None:
        with self.lock:
            wanted = dict(self.outstanding)
        if not wanted:
            return
        body = {
            "query": {"terms": {"print_id": list(wanted)}},
            "size": len(wanted),
            "_source": ["print_id", "price_min"],
        }
        try:
            hits = self.engine.client.search(index=self.engine.alias, body=body)["hits"]["hits"]
        except Exception:  # noqa: BLE001
            return
        now = time.monotonic()
        with self.lock:
            for hit in hits:
                pid, price = hit["_source"]["print_id"], hit["_source"].get("price_min")
                entry = self.outstanding.get(pid)
                if entry and price is not None and Decimal(str(price)) == entry[0]:
                    self.lags.append(now - entry[1])
                    del self.outstanding[pid]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def run(args) -> dict:
    tag = uuid.uuid4().hex[:8]
    url = recreate_database(ADMIN_URL, DB_NAME)
    migrate.upgrade(url=url)
    db = make_engine(url, pool_size=4)
    t = time.monotonic()
    market, probe_sku, _ = seed(db, args.prints)
    print(f"seeded {len(market) + len(probe_sku) * 10} SKUs in {time.monotonic() - t:.1f}s")
    engine = OpenSearchEngine(url=OPENSEARCH_URL, prefix=f"bench-events-{tag}")
    lease = FileLease(Path(tempfile.mkdtemp()) / "writer.lock")
    rebuild(engine=engine, db=db, lease=lease)
    client = redis.Redis.from_url(REDIS_URL)
    stream = f"bench:events:{tag}"
    ensure_group(client, stream=stream)

    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": REDIS_URL, "PYTHONPATH": str(REPO)}
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "search_api.cli",
                "events",
                "consume",
                "--no-drain",
                "--stream",
                stream,
                "--batch-size",
                str(args.batch_size),
                "--block-ms",
                "100",
                "--consumer",
                f"bench-{i}",
            ],
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for i in range(args.consumers)
    ]
    probes = Probes(engine, probe_sku)
    stop = threading.Event()
    drains = {"rows": 0, "runs": 0}

    def drainer() -> None:
        while not stop.is_set():
            report = drain_outbox(engine=engine, db=db, lease=lease, batch_size=2000)
            drains["rows"] += report.rows
            drains["runs"] += 1
            if not report.rows:
                time.sleep(0.05)

    def poller() -> None:
        while not stop.is_set():
            probes.poll()
            time.sleep(0.05)

    backlog: list[int] = []

    def sampler() -> None:
        while not stop.is_set():
            info = {g["name"].decode(): g for g in client.xinfo_groups(stream)}["catalog"]
            backlog.append(int(info.get("lag") or 0) + int(info.get("pending") or 0))
            time.sleep(1)

    threads = [threading.Thread(target=f, daemon=True) for f in (drainer, poller, sampler)]
    for th in threads:
        th.start()
    time.sleep(1.0)  # consumers connected

    gen = samples.random_stream(market, 10**9, seed=args.seed, prefix=f"bench-{tag}")
    tick = 0.1
    published = 0
    started = time.monotonic()
    next_probe = started
    deadline = started + args.seconds
    market_sent = 0
    while (now := time.monotonic()) < deadline:
        owed = args.rate * (now - started + tick) - market_sent
        batch = [next(gen) for _ in range(max(0, int(owed)))]
        market_sent += len(batch)
        if now >= next_probe:
            batch.append(probes.next_event())
            next_probe += 1 / PROBES_PER_S
        publish(client, batch, stream=stream)
        published += len(batch)
        sleep = tick - (time.monotonic() - now)
        if sleep > 0:
            time.sleep(sleep)
    publish_s = time.monotonic() - started

    # wait until everything is applied and searchable
    wait_deadline = time.monotonic() + 120
    while time.monotonic() < wait_deadline:
        info = {g["name"].decode(): g for g in client.xinfo_groups(stream)}["catalog"]
        left = int(info.get("lag") or 0) + int(info.get("pending") or 0)
        if left == 0 and pending_count(db) == 0 and not probes.outstanding:
            break
        time.sleep(0.1)
    with db.connect() as conn:
        applied = conn.execute(sa.text("SELECT count(*) FROM processed_events")).scalar_one()
        last_commit = conn.execute(
            sa.text("SELECT max(processed_at) FROM processed_events")
        ).scalar_one()
        first = conn.execute(sa.text("SELECT min(processed_at) FROM processed_events")).scalar_one()
        dead = conn.execute(sa.text("SELECT count(*) FROM event_dead_letters")).scalar_one()
    stop.set()
    for w in workers:
        w.send_signal(signal.SIGTERM)
    for w in workers:
        try:
            w.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            w.kill()
    for th in threads:
        th.join(timeout=5)
    span = (last_commit - first).total_seconds() if first and last_commit else float("nan")
    result = {
        "published": published,
        "publish_s": publish_s,
        "publish_rate": published / publish_s,
        "applied": applied,
        "dead": dead,
        "apply_span_s": span,
        "sustained": applied / max(span, publish_s),
        "probes": len(probes.lags),
        "unseen_probes": len(probes.outstanding),
        "p50": percentile(probes.lags, 0.5),
        "p95": percentile(probes.lags, 0.95),
        "max": max(probes.lags, default=float("nan")),
        "max_backlog": max(backlog, default=0),
        "drained_rows": drains["rows"],
        "consumers": args.consumers,
        "rate": args.rate,
        "seconds": args.seconds,
        "batch_size": args.batch_size,
        "skus": len(market) + len(probe_sku) * 10,
    }
    client.delete(stream, f"{stream}:dead", f"{stream}:errors")
    client.close()
    engine.client.indices.delete(index=f"bench-events-{tag}*", ignore_unavailable=True)
    engine.close()
    db.dispose()
    return result


def table(results: list[dict]) -> str:
    lines = [
        "| target rate | consumers | batch | published | applied | sustained events/s "
        "| p50 lag | p95 lag | max lag | probes | max backlog |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['rate']:,}/s for {r['seconds']:.0f} s | {r['consumers']} | {r['batch_size']} "
            f"| {r['published']:,} | {r['applied']:,} | {r['sustained']:,.0f} "
            f"| {r['p50']:.2f} s | {r['p95']:.2f} s | {r['max']:.2f} s "
            f"| {r['probes']} ({r['unseen_probes']} unseen) | {r['max_backlog']:,} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, nargs="+", default=[1000])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--consumers", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--prints", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    results = []
    for rate in args.rate:
        args.rate = rate
        result = run(args)
        print(result, flush=True)
        results.append(result)
        args.rate = [rate]
    print(
        f"\nMachine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{datetime.now(UTC):%Y-%m-%d}\n"
    )
    print(table(results))


if __name__ == "__main__":
    main()
