"""The catalog at 1x and 10x: ETL, full rebuilds, search latency, matching, disk.

    .venv/bin/python -m bench.scale.run [--factors 1,10]
        [--steps etl,rebuild,search,match,disk] [--cluster auto|on|off] [--seconds 10]
    .venv/bin/python -m bench.scale.run --report      # the table of what is recorded

Per factor, a catalog database: 1x is `sidedecked_bench_catalog` (the shared data, as
`python -m bench.catalog` loads it), 10x is `sidedecked_bench_catalog_10x` (the shared data
and what `python -m bench.scale.generate` writes to var/bench/scale-10x, generated when
missing). Steps, each recorded in var/bench/scale/results.json as it ends (a later run
replaces only the steps it runs, so the 10x load is never repeated needlessly):

* **etl**: the load of every source with `etl.pipeline.load` in a child process (time and
  peak RSS = VmHWM), when the factor's database is not loaded yet; `--etl-fresh` measures
  it again into a scratch database (`sidedecked_bench_scale_etl`, dropped afterwards);
* **rebuild**: `indexer.rebuild.rebuild` (no drain), each in a child process: OpenSearch on
  one node (the bench index of bench/search, prefix `searchbench`, so the search step uses
  it), on the 3-node cluster (`--cluster-url`, replicas 1, prefix `scalebench`, deleted after
  its size is read) when it answers, and tantivy (var/bench-search/index);
* **search**: bench/search's workloads and wrk cells (`bench.search.run.measure_api`) on the
  API with each engine and PostgreSQL, at 1 and 8 clients: the default storefront search,
  autocomplete, and the lookups (by-sku p95 is their `by_sku` category);
* **match**: in a child process, the matching index built from the catalog (seconds, peak
  RSS) and the real structured export rows matched with no result cache (rows/s);
* **disk**: PostgreSQL database and table sizes, OpenSearch index store sizes (one node and
  cluster as measured after the rebuild), the tantivy folder.

Prints the 1x/10x table (also var/bench/scale/report.md); docs/scaling.md holds the
measured one.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from bench.catalog import DEFAULT_URL, INPUTS
from models.settings import REPO_ROOT

RESULTS = REPO_ROOT / "var" / "bench" / "scale" / "results.json"
REPORT = REPO_ROOT / "var" / "bench" / "scale" / "report.md"
GENERATED = {10: REPO_ROOT / "var" / "bench" / "scale-10x"}
URLS = {1: DEFAULT_URL, 10: DEFAULT_URL + "_10x"}
ETL_SCRATCH = "sidedecked_bench_scale_etl"
SINGLE_URL = "http://127.0.0.1:9200"
CLUSTER_URL = "http://127.0.0.1:9201,http://127.0.0.1:9202,http://127.0.0.1:9203"
CLUSTER_PREFIX = "scalebench"
STEPS = ("etl", "rebuild", "search", "match", "disk")


# -- recorded results ---------------------------------------------------------------------------


def load_results() -> dict[str, Any]:
    if RESULTS.exists():
        return json.loads(RESULTS.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    return {}


def record(factor: int, step: str, value: Any) -> None:
    results = load_results()
    results.setdefault(str(factor), {})[step] = value
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def context() -> dict[str, Any]:
    def git(*cmd: str) -> str:
        out = subprocess.run(["git", *cmd], capture_output=True, text=True, cwd=REPO_ROOT)
        return out.stdout.strip()

    return {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "revision": git("rev-parse", "--short", "HEAD"),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }


# -- child processes (each its own peak RSS) ----------------------------------------------------


def child(kind: str, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run `--child kind args...` in a fresh interpreter; returns the JSON it prints last."""
    command = [sys.executable, "-m", "bench.scale.run", "--child", kind, *args]
    print(f"  ({' '.join(command[2:])})", file=sys.stderr, flush=True)
    out = subprocess.run(
        command,
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )
    if out.returncode != 0:
        raise SystemExit(f"child {kind} failed ({out.returncode}):\n{out.stdout[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def cpu_s() -> float:
    """CPU seconds (user + system) of this process so far: steadier than wall time on a
    shared machine (PostgreSQL's and OpenSearch's own CPU is not in it)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return round(usage.ru_utime + usage.ru_stime, 1)


def peak_rss_mb() -> float:
    from bench.etl.bench_etl import peak_rss_mb as vmhwm

    return round(vmhwm(), 1)


def inputs_for(factor: int) -> dict[str, list[Path]]:
    from models.settings import get_settings

    data = get_settings().sidedecked_shared_data
    if factor == 1:
        return {source: [data / f for f in folders] for source, folders in INPUTS.items()}
    from bench.scale.generate import load_inputs

    return load_inputs(GENERATED[factor], data)


def child_etl(url: str, factor: str) -> dict[str, Any]:
    from etl.pipeline import load
    from models.db import make_engine

    engine = make_engine(url)
    per_source = {}
    started = time.perf_counter()
    for source, paths in inputs_for(int(factor)).items():
        t0 = time.perf_counter()
        result = load(source, paths, engine=engine)
        per_source[source] = {
            "status": result.status,
            "seconds": round(time.perf_counter() - t0, 1),
            "records_read": result.counts.records_read,
            "rss_mb_after": peak_rss_mb(),
        }
        print(f"{source}: {per_source[source]}", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - started
    engine.dispose()
    return {
        "seconds": round(seconds, 1),
        "cpu_s": cpu_s(),
        "rss_mb": peak_rss_mb(),
        "sources": per_source,
    }


def child_rebuild(kind: str, db_url: str, search_url: str, replicas: str) -> dict[str, Any]:
    from indexer.rebuild import rebuild
    from models.db import make_engine
    from models.locks import FileLease

    db = make_engine(db_url)
    if kind == "tantivy" or (kind == "opensearch" and search_url == SINGLE_URL):
        from bench.search import engines

        engine = engines.open_engine(kind, search_url)
    else:
        from indexer.engines.opensearch import OpenSearchEngine

        engine = OpenSearchEngine(url=search_url, prefix=CLUSTER_PREFIX, replicas=int(replicas))
    with tempfile.TemporaryDirectory() as folder:
        lease = FileLease(Path(folder) / "lease")
        started = time.perf_counter()
        report = rebuild(engine=engine, db=db, lease=lease, drain=False)
        seconds = time.perf_counter() - started
    if kind == "tantivy" or search_url == SINGLE_URL:
        stamp_bench_index(kind, db_url)
    db.dispose()
    return {
        "seconds": round(seconds, 1),
        "documents": report.documents,
        "docs_per_s": round(report.documents / seconds),
        "cpu_s": cpu_s(),
        "rss_mb": peak_rss_mb(),
    }


def stamp_bench_index(kind: str, db_url: str) -> None:
    """What bench.search's `rebuild_for` writes after a rebuild, so that it reuses the index."""
    from bench.search import engines
    from models.db import make_engine

    db = make_engine(db_url)
    with db.connect() as conn:
        expected = conn.execute(sa.text("SELECT count(*) FROM prints")).scalar_one()
    source = db.url.render_as_string(hide_password=True)
    stamp = {"fingerprint": engines.index_fingerprint(), "catalog": source, "prints": expected}
    (engines.TANTIVY_DIR.parent / f"{kind}.built").write_text(json.dumps(stamp))
    db.dispose()


def child_match(db_url: str) -> dict[str, Any]:
    from bench.match import data
    from bench.match.run import STRUCTURED, time_rows
    from matching.formats import read_inventory
    from matching.index_build import build_index
    from matching.service import Matcher
    from models.db import make_engine

    engine = make_engine(db_url)
    started = time.perf_counter()
    index = build_index(engine)
    index_s = time.perf_counter() - started
    rss_index = peak_rss_mb()
    engine.dispose()
    listings = []
    for path in data.paths(STRUCTURED):
        listings += [row.listing for row in read_inventory(path) if not row.error]
    seconds, n = time_rows(Matcher(index, cache_size=0), listings)
    return {
        "index_s": round(index_s, 1),
        "index_stats": str(index.stats()),
        "rows": n,
        "seconds": round(seconds, 2),
        "rows_per_s": round(n / seconds),
        "cpu_s": cpu_s(),
        "rss_mb_index": rss_index,
        "rss_mb": peak_rss_mb(),
    }


# -- steps ----------------------------------------------------------------------------------------


def catalog_counts(url: str) -> dict[str, int] | None:
    from models.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                sa.text(
                    "SELECT (SELECT count(*) FROM prints), (SELECT count(*) FROM catalog_skus),"
                    " (SELECT count(*) FROM cards), (SELECT count(DISTINCT game_id) FROM prints)"
                )
            ).one()
    except sa.exc.DBAPIError:
        return None
    finally:
        engine.dispose()
    return {"prints": row[0], "skus": row[1], "cards": row[2], "games": row[3]}


def step_etl(factor: int, args: argparse.Namespace) -> None:
    from models.databases import ensure_database, recreate_database
    from models.migrate import upgrade

    if factor in GENERATED and not (GENERATED[factor] / "MANIFEST.json").exists():
        from bench.scale.generate import main as generate_main

        generate_main(["--factor", str(factor), "--out", str(GENERATED[factor])])
    url = URLS[factor]
    counts = catalog_counts(url)
    loaded = counts is not None and counts["games"] >= len(INPUTS)
    if loaded and not args.etl_fresh:
        print(f"{factor}x: catalog already loaded ({counts}); ETL not measured again")
        record(factor, "catalog", counts)
        return
    admin = DEFAULT_URL.rsplit("/", 1)[0] + "/sidedecked"
    target = recreate_database(admin, ETL_SCRATCH) if loaded else url
    if not loaded:
        ensure_database(url)
    upgrade(url=target)
    result = child("etl", target, str(factor))
    result["context"] = context()
    result["database"] = target.rsplit("/", 1)[-1]
    counts = catalog_counts(target)
    if loaded:
        from models.databases import drop_database

        drop_database(admin, ETL_SCRATCH)
    record(factor, "etl", result)
    record(factor, "catalog", counts)
    print(f"{factor}x ETL: {result['seconds']} s, peak RSS {result['rss_mb']} MB; {counts}")


def cluster_up(url: str) -> bool:
    try:
        first = url.split(",")[0]
        health = httpx.get(f"{first}/_cluster/health", timeout=5).json()
    except (httpx.HTTPError, ValueError):
        return False
    return bool(health.get("number_of_nodes", 0) >= 3 and health.get("status") != "red")


def index_sizes(url: str, pattern: str) -> dict[str, Any]:
    first = url.split(",")[0]
    rows = httpx.get(
        f"{first}/_cat/indices/{pattern}", params={"format": "json", "bytes": "b"}, timeout=30
    ).json()
    return {
        "indices": len(rows),
        "docs": sum(int(r.get("docs.count") or 0) for r in rows),
        "store_bytes": sum(int(r.get("store.size") or 0) for r in rows),
        "primary_bytes": sum(int(r.get("pri.store.size") or 0) for r in rows),
    }


def step_rebuild(factor: int, args: argparse.Namespace) -> None:
    url = URLS[factor]
    results = load_results().get(str(factor), {}).get("rebuild", {})
    if args.cluster != "off":
        if cluster_up(args.cluster_url):
            env = {"SIDEDECKED_INDEX_REPLICAS": "1", "OPENSEARCH_URL": args.cluster_url}
            r = child("rebuild", "opensearch", url, args.cluster_url, "1", env=env)
            r["sizes"] = index_sizes(args.cluster_url, f"{CLUSTER_PREFIX}*")
            r["context"] = context()
            httpx.delete(f"{args.cluster_url.split(',')[0]}/{CLUSTER_PREFIX}*", timeout=120)
            results["opensearch_cluster"] = r
            record(factor, "rebuild", results)
            print(f"{factor}x rebuild on the cluster: {r}")
        elif args.cluster == "on":
            raise SystemExit(f"the cluster at {args.cluster_url} does not answer (make cluster)")
        else:
            print(f"cluster at {args.cluster_url} not up: measured on one node only")
    for kind, key, search_url in (
        ("opensearch", "opensearch_node", SINGLE_URL),
        ("tantivy", "tantivy", SINGLE_URL),
    ):
        r = child("rebuild", kind, url, search_url, "0")
        r["context"] = context()
        results[key] = r
        record(factor, "rebuild", results)
        print(f"{factor}x rebuild {key}: {r}")


def search_args(url: str, seconds: float) -> argparse.Namespace:
    """bench/search's options for the scale runs: its default workloads at 1 and 8 clients."""
    from bench.search import run as search_run

    argv = ["bench.search.run", "--database-url", url, "--opensearch-url", SINGLE_URL]
    argv += ["--workloads", "search,autocomplete,lookups", "--clients", "1,8"]
    argv += ["--seconds", str(seconds)]
    saved, sys.argv = sys.argv, argv
    try:
        sargs = search_run.parse_args()
    finally:
        sys.argv = saved
    sargs.clients = [1, 8]
    sargs.workloads = ["search", "autocomplete", "lookups"]
    return sargs


def step_search(factor: int, args: argparse.Namespace) -> None:
    from bench.search import engines
    from bench.search import run as search_run

    url = URLS[factor]
    sargs = search_args(url, args.seconds)
    out: dict[str, Any] = {"context": context(), "cells": []}
    for kind in args.engines.split(","):
        engine = engines.rebuild_for(kind, url, SINGLE_URL)
        try:
            workloads = search_run.make_workloads(sargs, engine)
        finally:
            engine.close()
        setup = search_run.Setup(kind, "postgresql")
        cells, memory, _command = search_run.measure_api(setup, sargs, url, workloads)
        for cell in cells:
            r = cell.result
            out["cells"].append(
                {
                    "engine": kind,
                    "workload": cell.workload,
                    "clients": cell.clients,
                    "rate": round(r.rate, 1),
                    "p50": round(r.all.p50, 2),
                    "p95": round(r.all.p95, 2),
                    "p99": round(r.all.p99, 2),
                    "errors": r.all.errors,
                    "categories": {
                        name: {"p50": round(s.p50, 2), "p95": round(s.p95, 2), "n": s.n}
                        for name, s in r.categories.items()
                    },
                }
            )
        out.setdefault("api_rss_mb", {})[kind] = round(memory.rss_mb, 1)
        record(factor, "search", out)


def step_match(factor: int, args: argparse.Namespace) -> None:
    r = child("match", URLS[factor])
    r["context"] = context()
    record(factor, "match", r)
    print(f"{factor}x matching: {r}")


def step_disk(factor: int, args: argparse.Namespace) -> None:
    from bench.search import engines
    from models.db import make_engine

    engine = make_engine(URLS[factor])
    with engine.connect() as conn:
        database = conn.execute(sa.text("SELECT pg_database_size(current_database())")).scalar()
        tables = {
            name: conn.execute(sa.text(f"SELECT pg_total_relation_size('{name}')")).scalar()
            for name in ("prints", "catalog_skus", "cards", "bronze_records")
        }
    engine.dispose()
    tantivy = sum(p.stat().st_size for p in engines.TANTIVY_DIR.rglob("*") if p.is_file())
    out = {
        "postgresql_bytes": database,
        "postgresql_tables": tables,
        "opensearch_node": index_sizes(SINGLE_URL, f"{engines.PREFIX}*"),
        "tantivy_bytes": tantivy,
        "context": context(),
    }
    record(factor, "disk", out)
    record(factor, "catalog", catalog_counts(URLS[factor]))
    print(f"{factor}x disk: {out}")


# -- the report -----------------------------------------------------------------------------------


def _get(results: dict[str, Any], factor: int, *path: str) -> Any:
    value: Any = results.get(str(factor), {})
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _cell(results: dict[str, Any], factor: int, engine: str, workload: str, clients: int) -> Any:
    for cell in _get(results, factor, "search", "cells") or []:
        if (cell["engine"], cell["workload"], cell["clients"]) == (engine, workload, clients):
            return cell
    return None


Getter = Callable[[dict[str, Any], int], Any]


def at(*path: str) -> Getter:
    return lambda results, factor: _get(results, factor, *path)


def cell(engine: str, workload: str, clients: int, stat: str, category: str = "") -> Getter:
    def get(results: dict[str, Any], factor: int) -> Any:
        found = _cell(results, factor, engine, workload, clients) or {}
        if category:
            found = (found.get("categories") or {}).get(category) or {}
        return found.get(stat)

    return get


def megabytes(getter: Getter) -> Getter:
    def get(results: dict[str, Any], factor: int) -> Any:
        value = getter(results, factor)
        return None if value is None else value / (1024 * 1024)

    return get


def report_rows() -> list[tuple[str, Getter, str, str]]:
    """(what, value of a factor, unit, target) of the 1x/10x table."""
    rows = [
        ("prints", at("catalog", "prints"), "", ""),
        ("SKUs", at("catalog", "skus"), "", ""),
        ("ETL first load", at("etl", "seconds"), "s", "<= linear"),
        ("ETL CPU of the loading process", at("etl", "cpu_s"), "s", ""),
        ("ETL peak RSS", at("etl", "rss_mb"), "MB", "bounded"),
    ]
    for key, label in (
        ("opensearch_node", "rebuild, OpenSearch 1 node"),
        ("opensearch_cluster", "rebuild, OpenSearch 3 nodes, 1 replica"),
        ("tantivy", "rebuild, tantivy"),
    ):
        rows.append((label, at("rebuild", key, "seconds"), "s", "<= linear"))
        rows.append((f"{label}: peak RSS", at("rebuild", key, "rss_mb"), "MB", "bounded"))
    for engine in ("opensearch", "tantivy"):
        for clients in (1, 8):
            for stat in ("p50", "p95"):
                target = "<= 2x" if stat == "p95" else ""
                label = f"search ({engine}), {clients} client(s), {stat}"
                rows.append((label, cell(engine, "search", clients, stat), "ms", target))
        for clients in (1, 8):
            label = f"autocomplete ({engine}), {clients} client(s), p95"
            rows.append((label, cell(engine, "autocomplete", clients, "p95"), "ms", "<= 2x"))
        for clients in (1, 8):
            label = f"by-sku (API on {engine}), {clients} client(s), p95"
            rows.append((label, cell(engine, "lookups", clients, "p95", "by_sku"), "ms", ""))
    rows += [
        ("matching index build", at("match", "index_s"), "s", ""),
        ("matching rows/s (no result cache)", at("match", "rows_per_s"), "", ""),
        ("matching process peak RSS", at("match", "rss_mb"), "MB", ""),
        ("PostgreSQL database", megabytes(at("disk", "postgresql_bytes")), "MB", ""),
        (
            "OpenSearch index, 1 node",
            megabytes(at("disk", "opensearch_node", "store_bytes")),
            "MB",
            "",
        ),
        (
            "OpenSearch indices, cluster (primaries + replicas)",
            megabytes(at("rebuild", "opensearch_cluster", "sizes", "store_bytes")),
            "MB",
            "",
        ),
        ("tantivy folder", megabytes(at("disk", "tantivy_bytes")), "MB", ""),
    ]
    return rows


def report(results: dict[str, Any], factors: tuple[int, int] = (1, 10)) -> str:
    a, b = factors
    lines = [
        f"| what | {a}x | {b}x | {b}x / {a}x | target |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for label, get, unit, target in report_rows():
        x, y = get(results, a), get(results, b)
        ratio = f"{y / x:.2f}" if x and y else ""
        lines.append(f"| {label} | {_fmt(x, unit)} | {_fmt(y, unit)} | {ratio} | {target} |")
    return "\n".join(lines) + "\n"


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if isinstance(value, int) or float(value).is_integer():
        text = f"{value:,.0f}"
    else:
        text = f"{value:,.1f}"
    return f"{text} {unit}".strip()


def main() -> None:
    from models.migrate import upgrade

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--factors", default="1,10")
    parser.add_argument("--steps", default=",".join(STEPS))
    parser.add_argument("--cluster", choices=("auto", "on", "off"), default="auto")
    parser.add_argument("--cluster-url", default=CLUSTER_URL)
    parser.add_argument("--engines", default="opensearch,tantivy", help="for the search step")
    parser.add_argument("--seconds", type=float, default=10.0, help="per wrk cell")
    parser.add_argument("--etl-fresh", action="store_true", help="measure a loaded ETL again")
    parser.add_argument("--report", action="store_true", help="only print the recorded table")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        handlers: dict[str, Callable[..., dict[str, Any]]] = {
            "etl": child_etl,
            "rebuild": child_rebuild,
            "match": child_match,
        }
        print(json.dumps(handlers[kind](*rest)))
        return
    if not args.report:
        steps = {
            "etl": step_etl,
            "rebuild": step_rebuild,
            "search": step_search,
            "match": step_match,
            "disk": step_disk,
        }
        for factor in (int(f) for f in args.factors.split(",")):
            if factor not in URLS:
                raise SystemExit(f"factor {factor}: only {sorted(URLS)} are set up")
            for step in args.steps.split(","):
                print(f"== {factor}x {step}", file=sys.stderr, flush=True)
                if step != "etl":
                    if catalog_counts(URLS[factor]) is None:
                        step_etl(factor, args)
                    upgrade(url=URLS[factor])  # a catalog loaded before a newer migration
                steps[step](factor, args)
    text = report(load_results())
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
