"""Partitioned loading: a rebuild's documents built and sent by several processes at once.

Building documents is Python work, bound to one core by the GIL, while the engine indexes on
the others; on OpenSearch the rebuild splits the print ids into ranges and gives each range to
a process that streams it (one query per range, `yield_per`), builds its documents and bulk
loads them into the new index. The parent keeps the writer lease alive, reports progress and,
if any partition fails, stops the rest and lets the rebuild delete the new index.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from typing import Any

from sqlalchemy.engine import Engine

from indexer.catalog import count_prints, print_id_bounds
from indexer.engine import RebuildTarget, SearchEngine, engine_from_spec

_done: Any = None  # the shared progress counter, in each worker process


def partitions(low: int, high: int, count: int) -> list[tuple[int, int]]:
    """`count` consecutive id ranges covering [low, high) (fewer when there are fewer ids)."""
    if high <= low:
        return []
    count = max(1, min(count, high - low))
    step = -(-(high - low) // count)
    return [(start, min(start + step, high)) for start in range(low, high, step)]


def _init(counter: Any) -> None:
    global _done
    _done = counter


def _load(
    spec: dict[str, Any], url: str, target: tuple[str, int], id_range: tuple[int, int]
) -> int:
    from indexer.rebuild import load_catalog
    from models.db import make_engine

    engine, db = engine_from_spec(spec), make_engine(url)
    reported = 0

    def progress(done: int, _total: int) -> None:
        nonlocal reported
        with _done.get_lock():
            _done.value += done - reported
        reported = done

    try:
        with db.connect() as conn:
            return load_catalog(
                conn, engine, RebuildTarget(*target), id_range=id_range, progress=progress
            )
    finally:
        engine.close()
        db.dispose()


def load_partitioned(
    *,
    engine: SearchEngine,
    db: Engine,
    target: RebuildTarget,
    workers: int,
    progress: Callable[[int, int], None] | None = None,
    tick: Callable[[], Any] = lambda: None,
) -> int:
    """Load the whole catalog into `target` with `workers` processes; returns the count."""
    spec = engine.spec()
    if spec is None:
        raise ValueError(f"the {engine.kind} engine cannot load from several processes")
    with db.connect() as conn:
        low, high = print_id_bounds(conn)
        total = count_prints(conn)
    url = db.url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("spawn")
    counter = context.Value("q", 0)
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init, initargs=(counter,)
    ) as pool:
        futures = [
            pool.submit(_load, spec, url, (target.name, target.version), part)
            for part in partitions(low, high, workers)
        ]
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, timeout=1.0, return_when=FIRST_EXCEPTION)
            tick()
            if progress is not None:
                progress(counter.value, total)
            for future in finished:
                error = future.exception()
                if error is not None:
                    for other in pending:
                        other.cancel()
                    raise error
        return sum(future.result() for future in futures)
