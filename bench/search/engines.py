"""The bench indices, and the engine measured alone: in-process (tantivy) or over HTTP with a
light serial driver (OpenSearch, summing the server-side `took` of each logical request)."""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import httpx
import sqlalchemy as sa

from bench.search.capture import EngineCall
from bench.search.stats import Stats
from bench.search.workload import Request
from indexer.engine import SearchEngine
from models.db import make_engine
from models.settings import REPO_ROOT

PREFIX = "searchbench"
TANTIVY_DIR = REPO_ROOT / "var" / "bench-search" / "index"
#: What an index is built from, besides the catalog: a change rebuilds the bench indices.
INDEX_SOURCES = (("indexer", "*.py"), ("opensearch", "*.json"))
T = TypeVar("T")


def open_engine(kind: str, opensearch_url: str, client=None) -> SearchEngine:
    if kind == "opensearch":
        from indexer.engines.opensearch import OpenSearchEngine

        return OpenSearchEngine(url=opensearch_url, prefix=PREFIX, client=client)
    from indexer.engines.tantivy_engine import TantivyEngine

    return TantivyEngine(directory=TANTIVY_DIR)


def index_fingerprint() -> str:
    """A hash of the indexer's code and the index definitions."""
    digest = hashlib.sha256()
    for folder, pattern in INDEX_SOURCES:
        for path in sorted((REPO_ROOT / folder).rglob(pattern)):
            digest.update(path.relative_to(REPO_ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def rebuild_for(kind: str, db_url: str, opensearch_url: str, *, force: bool = False):
    """The bench index of `kind`, rebuilt from the catalog at `db_url` when it holds another
    number of prints, was built from another catalog or by other indexer code or index
    definitions, or `force`."""
    from indexer.rebuild import rebuild
    from models.locks import FileLease

    TANTIVY_DIR.mkdir(parents=True, exist_ok=True)
    engine = open_engine(kind, opensearch_url)
    db = make_engine(db_url)
    with db.connect() as conn:
        expected = conn.execute(sa.text("SELECT count(*) FROM prints")).scalar_one()
    stamp_file = TANTIVY_DIR.parent / f"{kind}.built"
    source = db.url.render_as_string(hide_password=True)
    stamp = json.dumps({"fingerprint": index_fingerprint(), "catalog": source, "prints": expected})
    built = stamp_file.read_text() if stamp_file.exists() else None
    if force or engine.count() != expected or built != stamp:
        started = time.perf_counter()
        lease = FileLease(TANTIVY_DIR.parent / f"{kind}.lock")
        rebuild(engine=engine, db=db, lease=lease, drain=False)
        stamp_file.write_text(stamp)
        print(f"{kind}: rebuilt {expected:,} prints in {time.perf_counter() - started:.0f} s")
    db.dispose()
    return engine


# -- the engine alone ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cost:
    """One logical request: wall time, and the engine's own `took` where it reports one."""

    wall_ms: float
    took_ms: float | None = None


def in_process(engine: SearchEngine) -> Callable[[Sequence[EngineCall]], Cost]:
    def run(calls: Sequence[EngineCall]) -> Cost:
        started = time.perf_counter()
        for call in calls:
            call.run(engine)
        return Cost((time.perf_counter() - started) * 1000)

    return run


class OverHttp:
    """Sends recorded requests in order on one keep-alive connection and sums their `took`."""

    def __init__(self, base_url: str) -> None:
        self.client = httpx.Client(base_url=base_url.rstrip("/"), timeout=60)

    def __call__(self, requests: Sequence[Request]) -> Cost:
        took = 0.0
        started = time.perf_counter()
        for r in requests:
            headers = {"content-type": r.content_type} if r.content_type else None
            body = r.body.encode() if r.body is not None else None
            response = self.client.request(r.method, r.target, content=body, headers=headers)
            response.raise_for_status()
            took += float(response.json().get("took", 0))
        return Cost((time.perf_counter() - started) * 1000, took)

    def close(self) -> None:
        self.client.close()


def serial(
    measure: Callable[[T], Cost],
    variants: Sequence[Sequence[T]],
    *,
    seconds: float,
    at_least: int = 1,
) -> list[list[Cost]]:
    """Each item's variants measured back to back (e.g. default, then bare), item after item,
    for `seconds` and at least `at_least` items (or all of them); the costs per variant."""
    costs: list[list[Cost]] = [[] for _ in variants]
    deadline = time.perf_counter() + seconds
    at_least = max(1, min(at_least, len(variants[0])))
    for i in itertools.count():
        if i >= at_least and time.perf_counter() > deadline:
            break
        for variant, out in zip(variants, costs, strict=True):
            out.append(measure(variant[i % len(variant)]))
    return costs


def concurrent(
    run: Callable[[T], Cost], items: Sequence[tuple[str, T]], *, clients: int, seconds: float
) -> tuple[dict[str, Stats], Stats, float]:
    """`clients` threads each cycle through `items` (category, item) from their own offset for
    `seconds`; returns stats per category, overall, and logical requests per second."""
    latencies: dict[str, list[float]] = {}
    failures: dict[str, int] = {}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(offset: int) -> None:
        mine: list[tuple[str, float | None]] = []
        i = offset
        while time.perf_counter() < deadline:
            category, item = items[i % len(items)]
            i += 1
            try:
                mine.append((category, run(item).wall_ms))
            except Exception:  # noqa: BLE001 - counted as an error of its category
                mine.append((category, None))
        with lock:
            for category, ms in mine:
                if ms is None:
                    failures[category] = failures.get(category, 0) + 1
                else:
                    latencies.setdefault(category, []).append(ms)

    started = time.perf_counter()
    threads = [
        threading.Thread(target=worker, args=(k * len(items) // clients,)) for k in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    categories = dict.fromkeys([*latencies, *failures])
    per = {c: Stats.of(latencies.get(c, []), failures.get(c, 0)) for c in categories}
    everything = [ms for values in latencies.values() for ms in values]
    total = Stats.of(everything, sum(failures.values()))
    return per, total, (total.n / elapsed if elapsed else 0.0)
