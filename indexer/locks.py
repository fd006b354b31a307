"""The index writer lease: at most one writer (a rebuild or an outbox drain) per index.

A rebuild holds the lease from before it snapshots the catalog until after the alias swap, so
no drain runs meanwhile: changes committed during a rebuild wait in the outbox and are drained
into the new index after the swap (see docs/indexer.md, "Rebuilds and incremental updates").
Drains hold it per run, which also keeps two drainers from applying one print out of order.

With `REDIS_URL` the lease is a Redis key with a TTL, passed by token between the chunked
rebuild tasks; without it, an exclusive `flock` on a file beside the embedded index (both from
`models.locks`).
"""

from __future__ import annotations

from pathlib import Path

from models.locks import FileLease, Lease, RedisLease
from models.settings import Settings, get_settings


def lease_for(settings: Settings | None = None) -> Lease:
    """The writer lease of the configured engine and index."""
    settings = settings or get_settings()
    if settings.opensearch_url:
        name = f"opensearch-{settings.sidedecked_index_prefix}"
    else:
        name = f"tantivy-{Path(settings.sidedecked_index_dir).resolve()}"
    if settings.redis_url:
        return RedisLease(f"sidedecked:indexer:lease:{name}", url=settings.redis_url)
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)[-120:]
    return FileLease(Path(settings.sidedecked_index_dir) / "locks" / f"{safe}.lock")
