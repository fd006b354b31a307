"""The bench catalog copied from PostgreSQL into a SQLite file, for the lookups on SQLite.

    .venv/bin/python -m bench.search.sqlite_copy [--database-url URL] [--sqlite PATH]

Migrates a new SQLite file to the revision of the PostgreSQL catalog and copies, in foreign-key
order, every table both databases have but the ETL's own (bronze records, jobs, checkpoints,
outbox), streaming rows in batches. The copy is built as `<file>.part` and renamed when complete.
Nothing is copied when the file was copied from the same database, is at its revision and holds
as many rows of each catalog table.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import sqlalchemy as sa

from bench.catalog import DEFAULT_URL
from models.db import make_engine
from models.migrate import current, upgrade
from models.settings import REPO_ROOT

DEFAULT_PATH = REPO_ROOT / "var" / "bench-search" / "catalog.db"
#: The ETL's own tables (and Alembic's, which the migration fills).
SKIPPED = frozenset(
    "alembic_version bronze_records etl_jobs etl_checkpoints etl_quarantine etl_pending_rows"
    " index_outbox".split()
)
#: Compared to decide whether an existing copy is complete.
CHECKED = ("card_sets", "cards", "prints", "catalog_skus")
BATCH = 5000


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in CHECKED
            }
    finally:
        engine.dispose()


def _source_file(path: Path) -> Path:
    return path.with_name(path.name + ".source")


def _source(pg_url: str) -> str:
    return sa.engine.make_url(pg_url).render_as_string(hide_password=True)


def _is_current(pg_url: str, path: Path, revision: str | None) -> bool:
    source = _source_file(path)
    if not path.exists() or not source.exists() or source.read_text() != _source(pg_url):
        return False
    url = sqlite_url(path)
    return current(url=url) == revision and _counts(url) == _counts(pg_url)


def _copy_table(src: sa.Engine, source: sa.Table, out: sa.Connection, target: sa.Table) -> int:
    columns = [c.name for c in target.columns if c.name in source.columns]
    query = sa.select(*(source.c[name] for name in columns))
    copied = 0
    with src.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(query)
        for rows in result.partitions(BATCH):
            out.execute(target.insert(), [dict(zip(columns, row, strict=True)) for row in rows])
            copied += len(rows)
    return copied


def copy_catalog(pg_url: str = DEFAULT_URL, path: Path = DEFAULT_PATH) -> str:
    """A SQLite copy of the catalog at `pg_url` in `path` (made when missing or stale); its URL."""
    revision = current(url=pg_url)
    if _is_current(pg_url, path, revision):
        return sqlite_url(path)
    started = time.perf_counter()
    part = path.with_name(path.name + ".part")
    for leftover in (part, Path(f"{part}-wal"), Path(f"{part}-shm")):
        leftover.unlink(missing_ok=True)
    upgrade(url=sqlite_url(part), revision=revision or "head")
    src, dst = make_engine(pg_url), make_engine(sqlite_url(part))
    try:
        source, target = sa.MetaData(), sa.MetaData()
        source.reflect(src)
        target.reflect(dst)
        tables = [
            t for t in target.sorted_tables if t.name not in SKIPPED and t.name in source.tables
        ]
        with dst.begin() as out:
            for table in reversed(tables):  # rows the migrations seed (games) come from the copy
                out.execute(table.delete())
            for table in tables:
                rows = _copy_table(src, source.tables[table.name], out, table)
                print(f"  sqlite copy: {table.name} {rows:,} rows", flush=True)
    finally:
        src.dispose()
        dst.dispose()
    for stale in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    part.replace(path)
    _source_file(path).write_text(_source(pg_url))
    print(f"  sqlite copy: {path} in {time.perf_counter() - started:.0f} s", flush=True)
    return sqlite_url(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--sqlite", type=Path, default=DEFAULT_PATH)
    args = parser.parse_args()
    print(copy_catalog(args.database_url, args.sqlite))


if __name__ == "__main__":
    main()
