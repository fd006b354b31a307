"""Where a search's time goes on a catalog: bench/search's entries through the API in-process
under cProfile.

    .venv/bin/python -m bench.scale.profile --factor 10 --engine tantivy [--workload search]
        [--limit 200] [--top 25]
    .venv/bin/python -m bench.scale.profile --factor 10 --workload match [--limit 10000]

The engine's bench index must hold that factor's catalog (`bench.scale.run --steps rebuild`
leaves the last factor rebuilt in it). Each entry goes once through the application
(`bench.search.capture.Capturer`: the real routes, the real engine, no HTTP server), which
records the engine calls each made; those calls are then replayed on the engine in this
thread under cProfile (the route itself runs in the test client's thread, out of the
profiler's sight). Prints the replay's latency percentiles and the top functions by
cumulative time (on OpenSearch, time waiting for the node shows as socket reads). With
`--workload match`: the matching index built from the catalog, then the first `--limit` rows
of the real structured exports matched with no result cache under cProfile. Written to
var/bench/scale/profile-<factor>x-<engine or match>-<workload>.txt.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time

import sqlalchemy as sa

from bench.scale.run import SINGLE_URL, URLS, search_args
from bench.search.stats import Stats
from models.settings import REPO_ROOT


def main() -> None:
    from bench.search import engines
    from bench.search import run as search_run
    from bench.search.capture import Capturer, recording_client
    from bench.search.workload import Request
    from models.db import make_engine

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--engine", choices=("tantivy", "opensearch"), default="tantivy")
    parser.add_argument("--workload", choices=("search", "autocomplete", "match"), default="search")
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    url = URLS[args.factor]
    if args.workload == "match":
        write(args, "match", profile_matching(url, args.limit, args.top))
        return
    db = make_engine(url)
    with db.connect() as conn:
        prints = conn.execute(sa.text("SELECT count(*) FROM prints")).scalar_one()
    db.dispose()
    sink: list[Request] = []
    client = recording_client(SINGLE_URL, sink) if args.engine == "opensearch" else None
    engine = engines.open_engine(args.engine, SINGLE_URL, client=client)
    if engine.count() != prints:
        raise SystemExit(
            f"the {args.engine} bench index holds {engine.count():,} prints, the {args.factor}x "
            f"catalog {prints:,}: run bench.scale.run --factors {args.factor} --steps rebuild"
        )
    entries = search_run.make_workloads(search_args(url, 1), engine)[args.workload][: args.limit]
    capturer = Capturer(engine, sink)
    captured = capturer.capture(entries)  # also the untimed pass: caches, the node's JIT
    capturer.close()
    profiler = cProfile.Profile()
    latencies, requests = [], []
    for item in captured:
        sink.clear()
        started = time.perf_counter()
        profiler.enable()
        for call in item.calls:
            call.run(engine)
        profiler.disable()
        latencies.append((time.perf_counter() - started) * 1000)
        requests.append(float(len(sink)))
    stats = Stats.of(latencies)
    out = io.StringIO()
    print(
        f"{args.factor}x, {args.engine}, {args.workload}: {len(captured)} entries' engine calls, "
        f"p50 {stats.p50:.1f} ms, p95 {stats.p95:.1f} ms, mean {stats.mean:.1f} ms"
        + (f"; {sum(requests) / len(requests):.1f} HTTP requests each" if client else ""),
        file=out,
    )
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
    write(args, args.engine, out.getvalue())


def profile_matching(url: str, limit: int, top: int) -> str:
    from bench.match import data
    from bench.match.run import STRUCTURED, time_rows
    from matching.formats import read_inventory
    from matching.index_build import build_index
    from matching.service import Matcher
    from models.db import make_engine

    db = make_engine(url)
    started = time.perf_counter()
    index = build_index(db)
    built = time.perf_counter() - started
    db.dispose()
    listings = []
    for path in data.paths(STRUCTURED):
        listings += [row.listing for row in read_inventory(path) if not row.error]
    listings = listings[:limit]
    profiler = cProfile.Profile()
    profiler.enable()
    seconds, n = time_rows(Matcher(index, cache_size=0), listings)
    profiler.disable()
    out = io.StringIO()
    print(
        f"matching: index {index.stats()} built in {built:.1f} s; {n} rows in {seconds:.1f} s "
        f"under cProfile ({n / seconds:,.0f} rows/s)",
        file=out,
    )
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def write(args: argparse.Namespace, what: str, text: str) -> None:
    name = f"profile-{args.factor}x-{what}-{args.workload}.txt"
    path = REPO_ROOT / "var" / "bench" / "scale" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
