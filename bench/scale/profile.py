"""Where a search's time goes on a catalog: bench/search's entries through the API in-process
under cProfile.

    .venv/bin/python -m bench.scale.profile --factor 10 --engine tantivy [--workload search]
        [--limit 200] [--top 25]

The engine's bench index must hold that factor's catalog (`bench.scale.run --steps rebuild`
leaves the last factor rebuilt in it). Each entry goes once through the application
(`bench.search.capture.Capturer`: the real routes, the real engine, no HTTP server), which
records the engine calls each made; those calls are then replayed on the engine in this
thread under cProfile (the route itself runs in the test client's thread, out of the
profiler's sight). Prints the replay's latency percentiles and the top functions by
cumulative time (on OpenSearch, time waiting for the node shows as socket reads). Written to
var/bench/scale/profile-<factor>x-<engine>-<workload>.txt.
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
    parser.add_argument("--workload", choices=("search", "autocomplete"), default="search")
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    url = URLS[args.factor]
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
    text = out.getvalue()
    path = (
        REPO_ROOT
        / "var"
        / "bench"
        / "scale"
        / (f"profile-{args.factor}x-{args.engine}-{args.workload}.txt")
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
