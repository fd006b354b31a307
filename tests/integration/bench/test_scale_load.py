"""The 10x generator's output loads through the normal ETL path into PostgreSQL: one print per
language, the SKUs (print x condition x finish) that follow, nothing quarantined."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from bench.scale.generate import generate, load_inputs
from etl.pipeline import load
from models import migrate
from models.db import make_engine
from tests.unit.bench.scale_data import make_shared_data

pytestmark = [pytest.mark.integration]


def test_generated_languages_load_as_prints_with_their_skus(
    tmp_path: Path, empty_database_url: str
) -> None:
    data = make_shared_data(tmp_path / "data")
    out = tmp_path / "out"
    generate(data, out)
    migrate.upgrade(url=empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        for source, paths in load_inputs(out, data).items():
            result = load(source, paths, engine=engine)
            assert result.ok, result.error
            assert result.counts.quarantined == 0, source
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT g.code, count(DISTINCT p.id), count(DISTINCT p.language),"
                    " count(DISTINCT p.card_id), count(s.id)"
                    " FROM prints p JOIN games g ON g.id = p.game_id"
                    " LEFT JOIN catalog_skus s ON s.print_id = p.id GROUP BY g.code"
                )
            ).all()
            by_game = {
                code: (prints, langs, cards, skus) for code, prints, langs, cards, skus in rows
            }
            names = dict(
                conn.execute(
                    sa.text(
                        "SELECT p.language, p.printed_name FROM prints p"
                        " JOIN cards c ON c.id = p.card_id WHERE c.name = 'Charizard'"
                    )
                ).all()
            )
    finally:
        engine.dispose()
    # Magic: Bolt in English, its real Spanish print and 9 generated languages (normal only);
    # Delver in 11 languages (normal and foil); the digital print has no SKU
    assert by_game["MTG"] == (11 + 11 + 1, 11, 2, 11 * 5 + 11 * 2 * 5)
    # Pokémon: two cards in 15 languages; Base is a 1st Edition set, so each print has two
    # finishes (1st Edition and Unlimited)
    prints, languages, cards, skus = by_game["POKEMON"]
    assert (prints, languages, cards) == (30, 15, 2)
    assert skus == 2 * 15 * 2 * 5
    assert names["EN"] is None and names["JP"] == "Charizard [ja]"
    # Yu-Gi-Oh!: 3 English printings + 15 regional twins, 1st Edition and Unlimited each
    assert by_game["YUGIOH"] == (18, 8, 1, 18 * 2 * 5)
