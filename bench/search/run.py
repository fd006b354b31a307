"""Search API benchmark: what a storefront sends, on the whole shared catalog, with wrk.

    .venv/bin/python -m bench.search.run [--seconds 10] [--clients 1,8,32]
        [--setups tantivy:sqlite,opensearch:postgresql] [--workloads search,autocomplete,...]
        [--api-workers 1] [--server auto|serve|uvicorn] [--redis-url URL] [--rebuild]

Needs the catalog database of `python -m bench.catalog` (PostgreSQL) and wrk
(`scripts/bench.sh search` installs it). Each setup is an engine and a database: the bench
index of the engine is rebuilt from the catalog when stale (OpenSearch prefix `searchbench`,
tantivy under var/bench-search/index), SQLite is a copy of the catalog under var/bench-search/.
For each setup the API runs in its own process tree (`sidedecked serve`), and wrk runs every
workload (bench/search/workload.py) at each client count, one connection per client, each
cycling through the workload's entries. Then, per engine, the engine alone on the requests the
API made for the same entries (captured in-process beforehand, bench/search/capture.py): on
OpenSearch the recorded HTTP requests replayed with wrk, on tantivy `engine.search`/`suggest`
in-process on threads; and serially, per logical request, the engine's own cost of the default
search against the bare ranked query (no facets, no print lists). Prints markdown tables.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass

from bench.catalog import DEFAULT_URL as DEFAULT_DB
from bench.search import api, engines, report
from bench.search.capture import Captured, Capturer, recording_client
from bench.search.sqlite_copy import copy_catalog
from bench.search.workload import Entry, build_workloads, sample_catalog, search_target
from bench.search.wrk import run_wrk
from models.settings import REPO_ROOT

WORKLOADS = ("search", "autocomplete", "lookups", "health")
ENGINE_WORKLOADS = ("search", "autocomplete")
REPORT = REPO_ROOT / "var" / "bench-search" / "report.md"


@dataclass(frozen=True, slots=True)
class Setup:
    engine: str  # tantivy | opensearch
    database: str  # sqlite | postgresql


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add = parser.add_argument
    add("--database-url", default=DEFAULT_DB, help="the PostgreSQL catalog (bench.catalog)")
    add("--opensearch-url", default=os.environ.get("OPENSEARCH_URL") or "http://127.0.0.1:9200")
    add("--setups", default="tantivy:sqlite,opensearch:postgresql", help="engine:database,...")
    add("--workloads", default=",".join(WORKLOADS))
    add("--clients", default="1,8,32", help="connections per cell")
    add("--seconds", type=float, default=10.0, help="per cell (and per serial measurement)")
    add("--warmup", type=float, default=2.0, help="seconds per workload before the cells")
    add("--size", type=int, default=600, help="entries per workload")
    add("--serial-min", type=int, default=200, help="entries measured serially, at least")
    add("--seed", type=int, default=7)
    add("--api-workers", type=int, default=1, help="API processes (serve --workers)")
    add("--server", choices=("auto", "serve", "uvicorn"), default="auto")
    add("--redis-url", default="", help="lookup cache for the API (default: none)")
    add("--port", type=int, default=0, help="API port (0: a free one)")
    add("--rebuild", action="store_true", help="rebuild the bench indices even when current")
    return parser.parse_args()


def make_workloads(args, engine) -> dict[str, list[Entry]]:
    """The workloads; faceted selections tick values the API offers on `engine`."""
    sample = sample_catalog(args.database_url, size=args.size, seed=args.seed)
    capturer = Capturer(engine)

    def facets_for(q: str, game: str | None) -> dict:
        params = [("q", q)] if q else []
        status, body = capturer.get(search_target(params + ([("game", game)] if game else [])))
        if status != 200:
            raise RuntimeError(f"the facets of {q!r} ({game}): HTTP {status} {body}")
        return body["facets"]

    try:
        built = build_workloads(sample, size=args.size, seed=args.seed, facets_for=facets_for)
    finally:
        capturer.close()
    return {name: built[name] for name in args.workloads}


def capture(kind: str, engine, args, workloads) -> tuple[dict[str, list[Captured]], dict]:
    """The engine calls and requests of each search and autocomplete entry, and the requests of
    the bare ranked query of each search (by `id` of its capture)."""
    sink: list = []
    if kind == "opensearch":
        client = recording_client(args.opensearch_url, sink)
        engine = engines.open_engine(kind, args.opensearch_url, client=client)
    capturer = Capturer(engine, sink)
    print(f"{kind}: capturing the engine requests of each entry", file=sys.stderr)
    try:
        captured = {w: capturer.capture(workloads[w]) for w in ENGINE_WORKLOADS if w in workloads}
        bare = {id(c): bare_calls(c) for c in captured.get("search", [])}
        bare_http = {}
        if kind == "opensearch":
            bare_http = {key: capturer.http_of(calls) for key, calls in bare.items()}
    finally:
        capturer.close()
    return captured, {"calls": bare, "http": bare_http}


def bare_calls(captured: Captured) -> tuple:
    return tuple(b for b in (call.bare() for call in captured.calls) if b is not None)


def measure_api(setup: Setup, args, db_url: str, workloads: dict[str, list[Entry]]):
    port = args.port or api.free_port()
    command = api.server_command(args.server, port, args.api_workers)
    env = api.api_env(
        database_url=db_url,
        opensearch_url=args.opensearch_url if setup.engine == "opensearch" else None,
        index_dir=engines.TANTIVY_DIR,
        prefix=engines.PREFIX,
        redis_url=args.redis_url or None,
    )
    process = api.ApiProcess(command, env, port)
    cells = []
    try:
        process.wait_ready(engine=setup.engine, database=setup.database)
        for entries in workloads.values():
            run_wrk(process.base_url, entries, connections=2, seconds=args.warmup)
        for name, entries in workloads.items():
            for clients in args.clients:
                r = run_wrk(process.base_url, entries, connections=clients, seconds=args.seconds)
                label = f"{setup.engine}+{setup.database} {name} x{clients}"
                print(f"{label}: {r.rate:,.0f}/s p95 {r.all.p95:.1f} ms", file=sys.stderr)
                cells.append(report.ApiCell(setup.engine, setup.database, name, clients, r))
        rss = process.rss_mb()
    finally:
        process.stop()
    return cells, report.Memory(setup.engine, setup.database, *rss), command


def measure_engine(kind: str, engine, args, captured, bare):
    """The engine alone: concurrent cells and the serial cost per logical request."""
    cells = []
    if kind == "opensearch":
        measure = engines.OverHttp(args.opensearch_url)
        default, reduced = (lambda c: c.http), (lambda c: bare["http"][id(c)])
    else:
        measure = engines.in_process(engine)
        default, reduced = (lambda c: c.calls), (lambda c: bare["calls"][id(c)])
    for workload, items in captured.items():
        for clients in args.clients:
            if kind == "opensearch":
                entries = [Entry(c.entry.category, c.http) for c in items]
                r = run_wrk(args.opensearch_url, entries, connections=clients, seconds=args.seconds)
                rate, total, per = r.rate, r.all, r.categories
            else:
                pairs = [(c.entry.category, c.calls) for c in items]
                per, total, rate = engines.concurrent(
                    measure, pairs, clients=clients, seconds=args.seconds
                )
            print(f"{kind} alone {workload} x{clients}: {rate:,.0f}/s", file=sys.stderr)
            cells.append(report.EngineCell(kind, workload, clients, rate, total, per))
    rows = []
    for workload, items in captured.items():
        variants = {f"{workload}, default": default}
        if workload == "search":
            variants["search, bare ranked query"] = reduced
        picked = [[pick(c) for c in items] for pick in variants.values()]
        costs = engines.serial(measure, picked, seconds=args.seconds, at_least=args.serial_min)
        for what, requests, cost in zip(variants, picked, costs, strict=True):
            each = sum(map(len, requests)) / len(requests) if kind == "opensearch" else None
            rows.append(report.SerialRow(kind, what, each, cost))
    if isinstance(measure, engines.OverHttp):
        measure.close()
    return cells, rows


def _git() -> str:
    def out(*cmd: str) -> str:
        return subprocess.run(cmd, capture_output=True, text=True, cwd=REPO_ROOT).stdout.strip()

    dirty = " (uncommitted changes)" if out("git", "status", "--porcelain") else ""
    return out("git", "rev-parse", "--short", "HEAD") + dirty


def main() -> None:
    args = parse_args()
    args.clients = [int(c) for c in args.clients.split(",")]
    args.workloads = [w for w in args.workloads.split(",") if w]
    setups = [Setup(*s.split(":")) for s in args.setups.split(",")]
    unknown = [w for w in args.workloads if w not in WORKLOADS]
    if unknown or any(s.engine not in ("tantivy", "opensearch") for s in setups):
        raise SystemExit(f"unknown workloads {unknown} or engines in {args.setups}")
    load_before = os.getloadavg()
    urls = {"postgresql": args.database_url}
    if any(s.database == "sqlite" for s in setups):
        urls["sqlite"] = copy_catalog(args.database_url)
    kinds = list(dict.fromkeys(s.engine for s in setups))
    built = {
        k: engines.rebuild_for(k, args.database_url, args.opensearch_url, force=args.rebuild)
        for k in kinds
    }
    workloads = make_workloads(args, built[kinds[0]])
    api_cells, engine_cells, serial_rows, memory = [], [], [], []
    command = []
    for kind in kinds:
        captured, bare = capture(kind, built[kind], args, workloads)
        # the API gets the entries the engine answered, so that both sides see the same requests
        answered = {**workloads, **{w: [c.entry for c in items] for w, items in captured.items()}}
        for setup in (s for s in setups if s.engine == kind):
            cells, rss, command = measure_api(setup, args, urls[setup.database], answered)
            api_cells += cells
            memory.append(rss)
        cells, rows = measure_engine(kind, built[kind], args, captured, bare)
        engine_cells += cells
        serial_rows += rows
        built[kind].close()
    context = report.Context(
        command=" ".join([".venv/bin/python -m bench.search.run", *sys.argv[1:]]),
        machine=f"{platform.machine()}, {os.cpu_count()} cores",
        load=(load_before, os.getloadavg()),
        revision=_git(),
        server=" ".join(command),
        args=vars(args),
        sizes={name: len(entries) for name, entries in workloads.items()},
        when=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    )
    text = report.render(context, api_cells, engine_cells, serial_rows, memory)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
