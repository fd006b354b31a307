"""`sidedecked match evaluate` on the real catalog subset (Pokémon Base Set and 151, Legend of
Blue Eyes and Phantom Nightmare, the One Piece fixture, a few hundred Magic cards): the gold
rows of the sets the subset has are accepted as the seller's whole SKU, and the rows of every
set it lacks are not accepted."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from search_api.cli import app

pytestmark = [pytest.mark.integration, pytest.mark.shared_data]

runner = CliRunner()


def _evaluate(*args: str) -> dict:
    result = runner.invoke(app, ["match", "evaluate", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("shape", ["with number", "without number"])
def test_pokemon_tcgplayer_rows_with_and_without_numbers(matching_db, shape) -> None:
    cell = _evaluate("--game", "POKEMON", "--shape", shape)["POKEMON"][shape]
    kinds = cell["rows_by_kind"]
    # 151 is in the subset (TCGplayer's "SV: Scarlet & Violet 151": an alias); the other twelve
    # SV sets and the sealed products are not
    assert kinds["sku"] > 250 and kinds["absent"] > 3000
    assert cell["accepted_right_rate"] >= 0.995
    assert cell["in_catalog_accepted_rate"] >= 0.90
    assert cell["not_in_catalog_accepted_rate"] < 0.005


def test_yugioh_rows_without_numbers(matching_db) -> None:
    report = _evaluate("--game", "YUGIOH", "--shape", "without number")
    cell = report["YUGIOH"]["without number"]
    # the Phantom Nightmare and Legend of Blue Eyes rows of the two real files, named by set
    # name + rarity + edition only
    assert cell["rows_by_kind"]["sku"] > 50
    assert cell["accepted_right_rate"] >= 0.995
    assert cell["in_catalog_accepted_rate"] >= 0.90
    assert cell["not_in_catalog_accepted_rate"] < 0.005


def test_markdown_table_and_errors(matching_db, shared_data) -> None:
    result = runner.invoke(app, ["match", "evaluate", "--game", "OPTCG", "--shape", "title"])
    assert result.exit_code == 0, result.output
    assert "| game | shape | rows | in catalog | not in catalog |" in result.output
    assert "| OPTCG | title |" in result.output and "targets" in result.output
    bad_game = runner.invoke(app, ["match", "evaluate", "--game", "CHESS"])
    assert bad_game.exit_code == 2 and "unknown game CHESS" in bad_game.output
    bad_shape = runner.invoke(app, ["match", "evaluate", "--shape", "sideways"])
    assert bad_shape.exit_code == 2 and "sideways" in bad_shape.output
    unlabelled = shared_data / "seller-exports/dragonshield-acquadrod/all-folders.csv"
    assert runner.invoke(app, ["match", "evaluate", str(unlabelled)]).exit_code == 1
