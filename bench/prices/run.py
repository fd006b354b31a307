"""Price history API benchmark: the two price-history routes under wrk, with and without the
Redis cache (issue 14 item 2: p95 under 20 ms at 8 clients, the seed's price-lookup target).

    .venv/bin/python -m bench.prices.run [--prints 5000] [--days 90] [--seconds 10]
        [--clients 1,8] [--api-workers 2] [--redis-url URL] [--database-url URL]

Builds (once) a catalog of its own in PostgreSQL (`sidedecked_bench_prices`, never the shared
bench catalog): `--prints` synthetic prints with 10 SKUs each (5 conditions x 2 finishes) and,
for the 4 SKUs of NM and LP of each print, a daily price point on each of the last `--days`
days (the points are generated directly, as `recompute` would store them; the events path is
what the integration tests cover). Then, for each cache setting, the API (`sidedecked serve`)
answers wrk cycling through `GET /api/catalog/by-sku/{sku}/price-history?days=30` and
`GET /api/catalog/prints/{id}/price-history?days=90` for random SKUs and prints. Prints a
markdown table of p50/p95/p99 per route and client count.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import sqlalchemy as sa

from bench.search import api
from bench.search.workload import Entry, get
from bench.search.wrk import run_wrk
from marketplace.models import PRICE_HISTORY
from models import Card, CardSet, CatalogSku, Print
from models.bulk import insert_rows, is_json_column
from models.databases import database_url, ensure_database
from models.db import make_engine
from models.migrate import upgrade
from models.settings import get_settings
from models.sku import SkuParts, format_sku, number_token
from models.vocabulary import CONDITION_CODES

DATABASE = "sidedecked_bench_prices"
FINISHES = ("NORMAL", "FOIL")
PRICED_CONDITIONS = ("NM", "LP")
SKUS: sa.Table = CatalogSku.__table__  # type: ignore[assignment]
PRINTS: sa.Table = Print.__table__  # type: ignore[assignment]
CARDS: sa.Table = Card.__table__  # type: ignore[assignment]
SETS: sa.Table = CardSet.__table__  # type: ignore[assignment]


def empty_json(table: sa.Table) -> dict[str, str]:
    """Empty JSON documents, serialised (`copy_rows` sends a str as JSON text; defaults of JSON
    columns it does not serialise)."""
    return {c.name: "{}" for c in table.columns if is_json_column(c)}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add = parser.add_argument
    add("--prints", type=int, default=5_000)
    add("--days", type=int, default=90, help="days of history per priced SKU")
    add("--seconds", type=float, default=10)
    add("--clients", default="1,8")
    add("--api-workers", type=int, default=2)
    add("--entries", type=int, default=2_000, help="distinct requests per route")
    add("--redis-url", default=None, help="the cache (default: the configured REDIS_URL)")
    add("--database-url", default=None, help=f"default: {DATABASE} on the configured server")
    return parser.parse_args()


def _batches(rows: list[dict[str, Any]], size: int = 50_000) -> list[list[dict[str, Any]]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def build_catalog(url: str, *, prints: int, days: int) -> None:
    """The synthetic catalog and its price points, unless already there at this size."""
    ensure_database(url)
    upgrade(url=url)
    db = make_engine(url)
    try:
        with db.connect() as conn:
            have = conn.execute(sa.select(sa.func.count()).select_from(PRINTS)).scalar_one()
            stored = conn.execute(sa.select(sa.func.count()).select_from(PRICE_HISTORY)).scalar()
        wanted_points = prints * len(FINISHES) * len(PRICED_CONDITIONS) * days
        if have == prints and stored == wanted_points:
            return
        started = time.perf_counter()
        rng = random.Random(14)
        with db.begin() as conn:
            conn.execute(
                sa.text("TRUNCATE price_history, catalog_skus, prints, cards, card_sets CASCADE")
            )
            now = datetime.now(UTC)
            stamps = {"created_at": now, "updated_at": now}
            (set_id,) = insert_rows(
                conn,
                SETS,
                [
                    {
                        "game_id": 1,
                        "code": "PRB",
                        "name": "Price Bench",
                        **stamps,
                        **empty_json(SETS),
                    }
                ],
                returning=[SETS.c.id],
            )[0]
            card_rows = [
                {
                    "game_id": 1,
                    "oracle_key": f"bench-{n}",
                    "name": f"Bench Card {n}",
                    "normalized_name": f"bench card {n}",
                    **stamps,
                    **empty_json(CARDS),
                }
                for n in range(prints)
            ]
            for batch in _batches(card_rows):
                insert_rows(conn, CARDS, batch)
            card_ids = conn.execute(sa.text("SELECT id FROM cards ORDER BY id")).scalars().all()
            print_rows = [
                {
                    "game_id": 1,
                    "card_id": card_id,
                    "set_id": set_id,
                    "print_key": f"bench-{n}",
                    "collector_number": str(n + 1),
                    "sku_set": "PRB",
                    "sku_number": number_token(str(n + 1), pad=3),
                    "language": "EN",
                    "finishes": list(FINISHES),
                    **stamps,
                    **empty_json(PRINTS),
                }
                for n, card_id in enumerate(card_ids)
            ]
            for batch in _batches(print_rows):
                insert_rows(conn, PRINTS, batch)
            print_ids = conn.execute(sa.text("SELECT id, sku_number FROM prints")).all()
            sku_rows = []
            for print_id, number in print_ids:
                for finish in FINISHES:
                    for condition in CONDITION_CODES:
                        parts = SkuParts("MTG", "PRB", number, "EN", condition, finish)
                        sku_rows.append(
                            {
                                "sku": format_sku(parts),
                                "print_id": print_id,
                                "game_code": "MTG",
                                "set_code": "PRB",
                                "number": number,
                                "language": "EN",
                                "condition": condition,
                                "finish": finish,
                                "created_at": now,
                                "updated_at": now,
                            }
                        )
            for batch in _batches(sku_rows):
                insert_rows(conn, SKUS, batch)
            priced = conn.execute(
                sa.select(SKUS.c.id).where(SKUS.c.condition.in_(PRICED_CONDITIONS))
            ).scalars()
            today = now.date()
            points: list[dict[str, Any]] = []
            for sku_id in priced:
                price = Decimal(rng.randint(50, 50_000)) / 100
                for n in range(days, 0, -1):
                    price = max(Decimal("0.10"), price * Decimal(rng.uniform(0.97, 1.03)))
                    low = price.quantize(Decimal("0.01"))
                    points.append(
                        {
                            "sku_id": sku_id,
                            "day": today - timedelta(days=n - 1),
                            "min_price": low,
                            "max_price": low * 2,
                            "median_price": (low * Decimal("1.2")).quantize(Decimal("0.01")),
                            "market_price": (low * Decimal("1.1")).quantize(Decimal("0.01")),
                            "total_listings": rng.randint(1, 12),
                            "total_quantity": rng.randint(1, 40),
                            "units_sold": rng.randint(0, 3),
                            "updated_at": now,
                        }
                    )
                if len(points) >= 200_000:
                    insert_rows(conn, PRICE_HISTORY, points)
                    points = []
            insert_rows(conn, PRICE_HISTORY, points)
        with db.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")  # (in a transaction, the statistics roll back)
        print(
            f"built {prints} prints and {wanted_points} points in "
            f"{time.perf_counter() - started:.0f}s",
            flush=True,
        )
    finally:
        db.dispose()


def workload(url: str, *, size: int, seed: int = 7) -> list[Entry]:
    rng = random.Random(seed)
    db = make_engine(url)
    try:
        with db.connect() as conn:
            skus = (
                conn.execute(sa.select(SKUS.c.sku).where(SKUS.c.condition.in_(PRICED_CONDITIONS)))
                .scalars()
                .all()
            )
            prints = conn.execute(sa.select(PRINTS.c.id)).scalars().all()
    finally:
        db.dispose()
    entries = [
        get("sku_history", f"/api/catalog/by-sku/{sku}/price-history?days=30")
        for sku in rng.sample(list(skus), min(size, len(skus)))
    ]
    entries += [
        get("print_history", f"/api/catalog/prints/{pid}/price-history?days=90")
        for pid in rng.sample(list(prints), min(size, len(prints)))
    ]
    rng.shuffle(entries)
    return entries


def serve(url: str, redis_url: str | None, workers: int) -> api.ApiProcess:
    port = api.free_port()
    env = api.api_env(
        database_url=url,
        opensearch_url=None,
        index_dir=api.LOG.parent / "prices-index",
        prefix="pricesbench",
        redis_url=redis_url,
    )
    process = api.ApiProcess(api.server_command("auto", port, workers), env, port)
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{process.base_url}/health", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or process.proc.poll() is not None:
            process.stop()
            raise RuntimeError(f"the API did not start; see {api.LOG}")
        time.sleep(0.3)


def main() -> None:
    args = parse_args()
    settings = get_settings()
    url = args.database_url or database_url(settings.database_url, DATABASE)
    build_catalog(url, prints=args.prints, days=args.days)
    entries = workload(url, size=args.entries)
    redis_url = args.redis_url if args.redis_url is not None else settings.redis_url
    clients = [int(c) for c in args.clients.split(",")]
    rows = [
        "| cache | route | clients | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for cache in (["redis"] if redis_url else []) + ["none"]:
        process = serve(url, redis_url if cache == "redis" else None, args.api_workers)
        try:
            if cache == "redis":  # one pass fills the cache (its 60 s TTL outlives the runs)
                with httpx.Client(base_url=process.base_url, timeout=30) as client:
                    for entry in entries:
                        client.get(entry.target).raise_for_status()
            for n in clients:
                result = run_wrk(process.base_url, entries, connections=n, seconds=args.seconds)
                for name, stats in sorted(result.categories.items()):
                    rate = stats.n / result.seconds if result.seconds else 0
                    rows.append(
                        f"| {cache} | {name} | {n} | {rate:.0f} | {stats.p50:.1f} |"
                        f" {stats.p95:.1f} | {stats.p99:.1f} | {stats.errors} |"
                    )
                print(rows[-2], rows[-1], sep="\n", flush=True)
        finally:
            process.stop()
    print("\n".join(rows))


if __name__ == "__main__":
    main()
