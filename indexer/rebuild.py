"""Full rebuild: stream the catalog into a new index and swap the alias atomically.

Under the writer lease (so no drain runs meanwhile): note the outbox rows committed so far,
generate the set-code synonyms, create the new index, stream every print's document into it in
one query, fill the names index beside it (`indexer.names`), check the count, restore settings,
swap both, delete the old indices. Any failure deletes
the new index and leaves the alias alone. After the swap the noted rows are deleted (the
snapshot, taken after them, holds their changes) and the outbox is drained into the new index,
replaying every change committed while the rebuild ran.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Connection, Engine

from indexer import outbox
from indexer.catalog import count_prints, stream_documents, synonyms_from_catalog
from indexer.engine import RebuildTarget, SearchEngine
from indexer.names import load_names
from indexer.parallel import load_partitioned
from models.locks import Lease

log = logging.getLogger(__name__)
#: Seconds a rebuild waits for a running drain to finish before giving up.
LEASE_WAIT_S = 60.0
_EXTEND_EVERY = 5000

Progress = Callable[[int, int], None]  # (documents done, documents expected)


def default_workers(engine: SearchEngine) -> int:
    """Loading processes for a rebuild: one per two cores where the engine allows several (the
    engine needs cores too; on two cores one process overlaps best, see docs/benchmarks.md)."""
    return max(1, (os.cpu_count() or 1) // 2) if engine.spec() is not None else 1


class RebuildLockedError(RuntimeError):
    """Another rebuild or drain holds the writer lease."""


def rebuild_purpose(engine: SearchEngine) -> str:
    """What a rebuild's lease holder says it is doing (`Lease.describe`)."""
    return f"rebuild {getattr(engine, 'alias', engine.kind)}"


def locked_error(lease: Lease) -> RebuildLockedError:
    """The error naming who holds the writer lease and until when."""
    holder = lease.describe()
    who = holder.sentence() if holder is not None else "another writer (it has just let go)"
    return RebuildLockedError(f"the index writer lease is held by {who}")


@dataclass(slots=True)
class RebuildReport:
    engine: str
    index: str
    documents: int
    took_s: float
    outbox_high_water: int
    #: Outbox rows committed before the snapshot, hence in the new index, deleted after the swap.
    outbox_covered: int = 0
    removed: list[str] = field(default_factory=list)
    drained: outbox.DrainReport | None = None


def _counted(
    docs: Iterable[dict[str, Any]],
    *,
    total: int,
    progress: Progress | None,
    tick: Callable[[], Any],
) -> Iterator[dict[str, Any]]:
    done = 0
    for doc in docs:
        yield doc
        done += 1
        if done % _EXTEND_EVERY == 0:
            tick()
            if progress is not None:
                progress(done, total)
    if progress is not None:
        progress(done, total)


def load_catalog(
    conn: Connection,
    engine: SearchEngine,
    target: RebuildTarget,
    *,
    id_range: tuple[int, int] | None = None,
    progress: Progress | None = None,
    tick: Callable[[], Any] = lambda: None,
) -> int:
    """Stream the catalog (or one print-id range of it) into `target`; returns the count."""
    total = count_prints(conn, id_range=id_range)
    docs = stream_documents(conn, id_range=id_range)
    return engine.load(target, _counted(docs, total=total, progress=progress, tick=tick))


def rebuild(
    *,
    engine: SearchEngine,
    db: Engine,
    lease: Lease,
    progress: Progress | None = None,
    drain: bool = True,
    workers: int = 1,
) -> RebuildReport:
    """Rebuild the whole index from the catalog (see module docstring). With `workers` > 1
    and an engine that allows it (OpenSearch), processes load print-id ranges in parallel."""
    token = lease.acquire(wait=LEASE_WAIT_S, what=rebuild_purpose(engine))
    if token is None:
        raise locked_error(lease)
    started = time.perf_counter()
    try:
        with db.connect() as conn:
            high_water = outbox.high_water(conn)
            covered = outbox.visible_ids(conn)  # committed before the snapshot below
            target = engine.begin_rebuild(synonyms=synonyms_from_catalog(conn))
            log.info("rebuild: loading %s", target.name)
            try:
                tick = lambda: lease.extend(token)  # noqa: E731
                if workers > 1 and engine.spec() is not None:
                    loaded = load_partitioned(
                        engine=engine,
                        db=db,
                        target=target,
                        workers=workers,
                        progress=progress,
                        tick=tick,
                    )
                else:
                    loaded = load_catalog(conn, engine, target, progress=progress, tick=tick)
                named = load_names(conn, engine, target)
                meta = {
                    "built_at": datetime.now(UTC).isoformat(),
                    "outbox_high_water": high_water,
                    "names": named,
                    "took_s": round(time.perf_counter() - started, 2),
                }
                removed = engine.commit_rebuild(target, expected=loaded, meta=meta)
            except BaseException:
                log.exception(
                    "rebuild of %s failed; deleting it, the alias is unchanged", target.name
                )
                engine.abort_rebuild(target)
                raise
        outbox.delete_rows(db, covered)  # their changes are in the new index already
    finally:
        lease.release(token)
    report = RebuildReport(
        engine=engine.kind,
        index=target.name,
        documents=loaded,
        took_s=round(time.perf_counter() - started, 2),
        outbox_high_water=high_water,
        outbox_covered=len(covered),
        removed=removed,
    )
    if drain:
        report.drained = outbox.drain_outbox(engine=engine, db=db, lease=lease)
    return report
