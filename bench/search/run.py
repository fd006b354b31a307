"""Search API benchmark: latency and throughput of `/api/catalog` on the whole shared catalog.

    .venv/bin/python -m bench.search.run [--engines opensearch,tantivy] [--seconds 10]

Needs the catalog database of the index benchmark (`python -m bench.catalog`, the
whole ../shared/data). For each engine it rebuilds a private index from it (OpenSearch prefix
`searchbench`, tantivy under var/bench-search/), starts the API with uvicorn, and for 1, 8 and
32 concurrent clients runs a mixed workload (plain names, typos, fielded queries, faceted
queries, autocomplete, by-sku) over HTTP for `--seconds`. Then, in the same run, it sends the
same engine requests straight to the engine: for OpenSearch the very request bodies the API
sends (`search_body` / `suggest_body`) over HTTP to `_search`; for tantivy, `engine.search` /
`engine.suggest` in-process. The overhead ratio is API latency / engine latency (p50 and p95).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import sqlalchemy as sa

from bench.catalog import DEFAULT_URL as DEFAULT_DB
from indexer.engines.opensearch_query import search_body, suggest_body
from indexer.suggest import CANDIDATES
from models.db import make_engine
from models.settings import REPO_ROOT
from search_api.catalog.search import SearchParams, build_request

PREFIX = "searchbench"
TANTIVY_DIR = REPO_ROOT / "var" / "bench-search" / "index"
CLIENTS = (1, 8, 32)
SEARCH = ("name", "typo", "fielded", "faceted")
CATEGORIES = (*SEARCH, "autocomplete", "by_sku")

FIELDED = [
    "t:dragon", "t:instant c:r mv<=2", "hp>=200 game:pokemon", "atk>=2500 game:ygo",
    "r:mythic c>=ug", 'o:"draw a card" mv=2', "cost>=5 game:op", "t:goblin -t:creature",
    "s:lob", "t:creature pow>=5 c:g", "game:op c:red", "t:wizard usd<2", "lang:jp game:op",
    "r>=rare t:angel", "c=wu t:creature", "level>=8 t:dragon",
]  # fmt: skip
FACETED: list[tuple[str, dict[str, Any]]] = [
    ("dragon", {"game": "ygo", "rarity": ["Ultra Rare", "Secret Rare"]}),
    ("", {"game": "mtg", "color": ["R", "G"], "rarity": ["rare", "mythic"]}),
    ("pikachu", {"set": ["SV3PT5", "BASE1", "SWSH12PT5"]}),
    ("", {"game": "op", "language": ["JP"], "type": ["Leader"]}),
    ("goblin", {"type": ["Creature"], "color": ["R"]}),
    ("", {"game": "pokemon", "type": ["Trainer"], "rarity": ["Rare"]}),
    ("angel", {"finish": ["FOIL"], "game": "mtg"}),
    ("magician", {"game": "ygo", "language": ["EN"]}),
]


@dataclass(frozen=True, slots=True)
class Op:
    category: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    engine: tuple[str, Any] | None = None  # ("search", SearchRequest) | ("suggest", (q, game))


def _typo(name: str, rng: random.Random) -> str:
    words = name.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long:
        return name
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :] if rng.random() < 0.5 else w[:j] + w[j + 1 :]
    return " ".join(words)


def _search_op(category: str, q: str, extra: dict[str, Any] | None = None) -> Op:
    extra = dict(extra or {})
    params: dict[str, Any] = {"q": q, "page_size": 20, "prints_per_card": 0, **extra}
    filters = {k: tuple(v) for k, v in extra.items() if k not in ("game",)}
    request, _ = build_request(SearchParams(q=q, game=extra.get("game"), page_size=20,
                                            prints_per_card=0, filters=filters))  # fmt: skip
    return Op(category, "/api/catalog/search", params, ("search", request))


def workload(db_url: str, size: int = 400, seed: int = 7) -> list[Op]:
    rng = random.Random(seed)
    db = make_engine(db_url)
    with db.connect() as conn:
        conn.execute(sa.text("SELECT setseed(0.42)"))
        names = [r[0] for r in conn.execute(
            sa.text("SELECT name FROM cards ORDER BY random() LIMIT :n"), {"n": size})]  # fmt: skip
        skus = [r[0] for r in conn.execute(
            sa.text("SELECT sku FROM catalog_skus ORDER BY random() LIMIT :n"), {"n": size})]  # fmt: skip
    db.dispose()
    ops: list[Op] = []
    for n in range(size):
        name = names[n % len(names)]
        pick = n % 10
        if pick < 3:
            ops.append(_search_op("name", name))
        elif pick < 4:
            ops.append(_search_op("typo", _typo(name, rng)))
        elif pick < 5:
            ops.append(_search_op("fielded", FIELDED[n % len(FIELDED)]))
        elif pick < 6:
            q, extra = FACETED[n % len(FACETED)]
            ops.append(_search_op("faceted", q, extra))
        elif pick < 8:
            prefix = name[: rng.randint(3, 6)]
            ops.append(Op("autocomplete", "/api/catalog/autocomplete", {"q": prefix},
                          ("suggest", (prefix, None))))  # fmt: skip
        else:
            ops.append(Op("by_sku", f"/api/catalog/by-sku/{skus[n % len(skus)]}"))
    rng.shuffle(ops)
    return ops


def drive(ops: list[Op], clients: int, seconds: float,
          call: Callable[[Any, Op], None], make_client: Callable[[], Any]) -> tuple[dict, float]:  # fmt: skip
    """`clients` threads loop over `ops` for `seconds`; returns latencies (s) per category and
    the elapsed time."""
    latencies: dict[str, list[float]] = defaultdict(list)
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    errors: list[str] = []

    def worker(offset: int) -> None:
        client = make_client()
        mine: dict[str, list[float]] = defaultdict(list)
        i = offset
        while time.perf_counter() < stop:
            op = ops[i % len(ops)]
            i += 1
            started = time.perf_counter()
            try:
                call(client, op)
            except Exception as exc:  # noqa: BLE001 - counted, reported
                errors.append(f"{op.category}: {exc}")
                continue
            mine[op.category].append(time.perf_counter() - started)
        with lock:
            for key, values in mine.items():
                latencies[key].extend(values)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k * len(ops) // clients,))
               for k in range(clients)]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print(f"  {len(errors)} errors, e.g. {errors[:2]}", file=sys.stderr)
    return latencies, time.perf_counter() - started


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


# -- the two sides ------------------------------------------------------------------------------


def api_call(base: str) -> Callable[[httpx.Client, Op], None]:
    def call(client: httpx.Client, op: Op) -> None:
        response = client.get(base + op.path, params=op.params)
        if response.status_code != 200:
            raise RuntimeError(f"{response.status_code} {response.text[:100]}")
        response.read()

    return call


def opensearch_call(url: str, alias: str) -> Callable[[httpx.Client, Op], None]:
    def call(client: httpx.Client, op: Op) -> None:
        kind, arg = op.engine
        if kind == "search":
            body = search_body(arg, None)
        else:
            body = suggest_body(arg[0], arg[1], CANDIDATES)
        response = client.post(f"{url}/{alias}/_search", json=body)
        response.raise_for_status()
        response.json()

    return call


def tantivy_call(engine) -> Callable[[Any, Op], None]:
    def call(_client: Any, op: Op) -> None:
        kind, arg = op.engine
        if kind == "search":
            engine.search(arg)
        else:
            engine.suggest(arg[0], game=arg[1], limit=20)

    return call


def start_api(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "uvicorn", "search_api.app:create_app", "--factory",
           "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
           "--log-level", "warning", "--no-access-log"]  # fmt: skip
    proc = subprocess.Popen(cmd, env={**os.environ, **env}, cwd=REPO_ROOT)
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.terminate()
    raise RuntimeError("the API did not start")


def rebuild_for(kind: str, db_url: str, opensearch_url: str):
    from indexer.locks import FileLease
    from indexer.rebuild import rebuild

    TANTIVY_DIR.mkdir(parents=True, exist_ok=True)
    if kind == "opensearch":
        from indexer.engines.opensearch import OpenSearchEngine

        engine = OpenSearchEngine(url=opensearch_url, prefix=PREFIX)
    else:
        from indexer.engines.tantivy_engine import TantivyEngine

        engine = TantivyEngine(directory=TANTIVY_DIR)
    db = make_engine(db_url)
    with db.connect() as conn:
        expected = conn.execute(sa.text("SELECT count(*) FROM prints")).scalar_one()
    if engine.count() != expected:
        started = time.perf_counter()
        lease = FileLease(TANTIVY_DIR.parent / f"{kind}.lock")
        rebuild(engine=engine, db=db, lease=lease, drain=False)
        print(f"{kind}: rebuilt {expected:,} prints in {time.perf_counter() - started:.0f} s")
    db.dispose()
    return engine


def measure(kind: str, args: argparse.Namespace, ops: list[Op]) -> list[dict[str, Any]]:
    engine = rebuild_for(kind, args.database_url, args.opensearch_url)
    env = {"DATABASE_URL": args.database_url, "SIDEDECKED_INDEX_DIR": str(TANTIVY_DIR)}
    env["SIDEDECKED_INDEX_PREFIX"] = PREFIX
    if kind == "opensearch":
        env["OPENSEARCH_URL"] = args.opensearch_url
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    proc = start_api(env, args.port, args.api_workers)
    base = f"http://127.0.0.1:{args.port}"
    engine_ops = [op for op in ops if op.engine is not None]
    if kind == "opensearch":
        direct = opensearch_call(args.opensearch_url.rstrip("/"), engine.alias)
    else:
        direct = tantivy_call(engine)
    rows = []
    try:
        drive(ops, 4, 3, api_call(base), lambda: httpx.Client(timeout=30))  # warm-up
        drive(engine_ops, 4, 2, direct, lambda: httpx.Client(timeout=30))
        for clients in CLIENTS:
            api_lat, api_s = drive(ops, clients, args.seconds, api_call(base),
                                   lambda: httpx.Client(timeout=30))  # fmt: skip
            eng_lat, _ = drive(engine_ops, clients, args.seconds, direct,
                               lambda: httpx.Client(timeout=30))  # fmt: skip
            total = sum(len(v) for v in api_lat.values())
            search_api = [x for c in SEARCH for x in api_lat.get(c, [])]
            search_eng = [x for c in SEARCH for x in eng_lat.get(c, [])]
            groups = {"search (all)": (search_api, search_eng)}
            for category in CATEGORIES:
                groups[category] = (api_lat.get(category, []), eng_lat.get(category, []))
            for label, (a, e) in groups.items():
                rows.append({
                    "engine": kind, "clients": clients, "what": label, "n": len(a),
                    "p50": pct(a, 50), "p95": pct(a, 95), "p99": pct(a, 99),
                    "rps": total / api_s if label == "search (all)" else None,
                    "e50": pct(e, 50) if e else None, "e95": pct(e, 95) if e else None,
                })  # fmt: skip
            print(f"{kind} x{clients}: {total / api_s:,.0f} req/s", file=sys.stderr)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        engine.close()
    return rows


def fmt(value: float | None, digits: int = 1) -> str:
    return "" if value is None or value != value else f"{value:.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description="search API benchmark")
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--opensearch-url", default="http://127.0.0.1:9200")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12",
                        help="lookup cache ('' for none)")  # fmt: skip
    parser.add_argument("--engines", default="opensearch,tantivy")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--port", type=int, default=8765)
    # uvicorn's multi-process mode added ~45 ms to every request here (even /health): one process
    parser.add_argument("--api-workers", type=int, default=1)
    args = parser.parse_args()
    ops = workload(args.database_url)
    rows = []
    for kind in args.engines.split(","):
        rows += measure(kind, args, ops)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{platform.machine()}, {os.cpu_count()} cores, load average at the end {load}; "
          f"API: uvicorn, {args.api_workers} worker processes; {args.seconds:.0f} s per cell\n")  # fmt: skip
    print(
        "| engine | clients | requests | API p50 | p95 | p99 (ms) | API req/s (mix) "
        "| engine p50 | p95 (ms) | overhead p50 | p95 |"
    )
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        ratio50 = r["p50"] / r["e50"] if r["e50"] else None
        ratio95 = r["p95"] / r["e95"] if r["e95"] else None
        print(f"| {r['engine']} | {r['clients']} | {r['what']} ({r['n']:,}) | {fmt(r['p50'])} "
              f"| {fmt(r['p95'])} | {fmt(r['p99'])} | {fmt(r['rps'], 0)} | {fmt(r['e50'])} "
              f"| {fmt(r['e95'])} | {fmt(ratio50, 2)} | {fmt(ratio95, 2)} |")  # fmt: skip


if __name__ == "__main__":
    main()
