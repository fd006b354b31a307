"""Benchmark: full rebuild of the whole shared catalog on both engines, against the raw ceiling.

    .venv/bin/python -m bench.catalog      # once: the shared catalog into sidedecked_bench_catalog
    .venv/bin/python -m bench.index.run [--engines opensearch,tantivy] [--repeat 1]

In one run, for OpenSearch:

* **raw ceiling**: the same documents, built beforehand and held in memory (frozen out of the
  garbage collector's sight), sent with opensearch-py's bulk helper (`helpers.bulk`, 1,000 per
  request) into a new index made from the same definition with the same load settings
  (replicas 0, refresh off, async translog), then refreshed;
* **rebuild**: `indexer.rebuild.rebuild` end to end (stream the catalog in one query, build the
  documents, `parallel_bulk`, count check, settings, alias swap, delete old), no drain;

and the ratio rebuild/raw, after an untimed warm-up load of 20,000 documents (a freshly started
node indexes its first documents slowly while the JVM compiles). For tantivy: the same rebuild
into a temporary folder. Prints a Markdown table (docs/benchmarks.md, "Indexer (bench/index)").
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import tempfile
import time
import uuid
from pathlib import Path

from opensearchpy import OpenSearch, helpers

from bench.catalog import DEFAULT_URL
from indexer.catalog import (
    count_prints,
    fewer_gc_passes,
    print_id_bounds,
    stream_documents,
    synonyms_from_catalog,
)
from indexer.definitions import load_definition
from indexer.documents import compact
from indexer.engines.opensearch import BULK_CHUNK, LOAD_SETTINGS, OpenSearchEngine
from indexer.engines.opensearch_client import opensearch_client
from indexer.engines.tantivy_engine import TantivyEngine
from indexer.rebuild import default_workers, rebuild
from models.db import make_engine
from models.locks import FileLease

RAW = "OpenSearch raw ceiling: pre-built documents, helpers.bulk"
BUILD = "stream + build the documents only (into a list)"
#: Pause before each measurement, so the node has finished deleting the previous index.
SETTLE_S = 3
#: Print ids loaded once, untimed, before measuring.
WARM_UP = 20_000


def raw_ceiling(client: OpenSearch, docs: list[dict], synonyms: list[str], prefix: str) -> float:
    """Seconds to bulk the pre-built documents into a fresh index and refresh it."""
    name = f"{prefix}-raw-{uuid.uuid4().hex[:6]}"
    body = load_definition(synonyms=synonyms)
    body["settings"]["index"].update(LOAD_SETTINGS["index"])
    client.indices.create(index=name, body=body)
    try:
        actions = ({"_index": name, "_id": str(d["print_id"]), "_source": d} for d in docs)
        # (`docs` are what the engine sends: `indexer.documents.compact` of each document)
        gc.collect()
        gc.freeze()  # the documents held in memory are not rescanned by the collector
        started = time.perf_counter()
        with fewer_gc_passes():
            ok, errors = helpers.bulk(client, actions, chunk_size=BULK_CHUNK, raise_on_error=False)
        client.indices.refresh(index=name)
        took = time.perf_counter() - started
        gc.unfreeze()
        assert ok == len(docs) and not errors, errors[:2]
        return took
    finally:
        client.indices.delete(index=name)


def timed_rebuild(engine, db, workers: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as folder:
        lease = FileLease(Path(folder) / "lease")
        report = rebuild(engine=engine, db=db, lease=lease, drain=False, workers=workers)
    return report.took_s, report.documents


def main() -> None:
    parser = argparse.ArgumentParser(description="index rebuild benchmark")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--opensearch-url", default="http://127.0.0.1:9200")
    parser.add_argument("--engines", default="opensearch,tantivy")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--workers", type=int, default=0, help="0: the CLI's default")
    args = parser.parse_args()
    db = make_engine(args.database_url)
    with db.connect() as conn:
        total = count_prints(conn)
        synonyms = synonyms_from_catalog(conn)
    rows = []
    if "opensearch" in args.engines:
        prefix = f"bench-{uuid.uuid4().hex[:6]}"
        client = opensearch_client(args.opensearch_url, timeout=120)
        engine = OpenSearchEngine(url=args.opensearch_url, prefix=prefix, client=client)
        workers = args.workers or default_workers(engine)
        try:
            with db.connect() as conn:  # warm-up (JIT of a freshly started node), not reported
                low, _ = print_id_bounds(conn)
                warm = [compact(d) for d in stream_documents(conn, id_range=(low, low + WARM_UP))]
            raw_ceiling(client, warm, synonyms, prefix)
            del warm
            for _ in range(args.repeat):
                # the rebuild first, while this process holds no documents; then the ceiling
                time.sleep(SETTLE_S)
                took, n = timed_rebuild(engine, db, workers)
                started = time.perf_counter()
                with db.connect() as conn:
                    docs = [compact(doc) for doc in stream_documents(conn)]
                build_s = time.perf_counter() - started
                time.sleep(SETTLE_S)
                raw = raw_ceiling(client, docs, synonyms, prefix)
                rows.append((RAW, len(docs), raw, None))
                rows.append((f"OpenSearch rebuild, {workers} process(es)", n, took, raw / took))
                rows.append((BUILD, len(docs), build_s, None))
                del docs
        finally:
            client.indices.delete(index=f"{prefix}-*", ignore_unavailable=True)
    if "tantivy" in args.engines:
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as folder:
                took, n = timed_rebuild(TantivyEngine(directory=Path(folder)), db, 1)
            rows.append(("tantivy rebuild", n, took, None))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\n{total:,} prints; {platform.machine()}, {os.cpu_count()} cores, "
        f"load average at the end {load}\n"
    )
    print("| what | documents | seconds | docs/s | vs raw ceiling |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, n, seconds, ratio in rows:
        share = f"{ratio:.0%}" if ratio is not None else ""
        print(f"| {label} | {n:,} | {seconds:.1f} | {n / seconds:,.0f} | {share} |")


if __name__ == "__main__":
    main()
