"""Per-field scores, finish choice, number keys and the model's features (pure functions)."""

from __future__ import annotations

from typing import Any

import pytest

from matching.index import catalog_number_key, name_block_keys
from matching.query import Query
from matching.scoring import (
    FEATURES,
    Scored,
    features,
    is_alternate_art,
    name_rank,
    name_similarity,
    pick_finish,
    rarity_key,
)


@pytest.mark.parametrize(
    ("wanted", "finishes", "expected"),
    [
        (None, ("NORMAL", "FOIL"), ("NORMAL", None)),
        (None, ("1ST", "UNLIMITED"), ("UNLIMITED", None)),  # not said 1st: not 1st
        (None, ("1ST_HOLO", "UNLIMITED_HOLO"), ("UNLIMITED_HOLO", None)),
        (None, ("1ST",), ("1ST", None)),
        ("FOIL", ("NORMAL", "FOIL"), ("FOIL", True)),
        ("FOIL", ("NORMAL",), ("NORMAL", False)),
        ("HOLO", ("1ST_HOLO", "UNLIMITED_HOLO"), ("UNLIMITED_HOLO", True)),
        ("UNLIMITED", ("NORMAL", "REVERSE_HOLO"), ("NORMAL", True)),  # WotC-era NORMAL
        ("NORMAL", ("1ST", "UNLIMITED"), ("UNLIMITED", True)),
        ("1ST", ("1ST_HOLO", "UNLIMITED_HOLO"), ("1ST_HOLO", True)),
        ("ETCHED", ("NORMAL", "FOIL"), ("NORMAL", False)),
        ("FOIL", (), ("FOIL", False)),
    ],
)
def test_pick_finish(wanted, finishes, expected) -> None:
    assert pick_finish(wanted, finishes) == expected


def test_name_similarity() -> None:
    assert name_similarity("lightning bolt", ("lightning bolt",), is_title=False) == 1.0
    assert name_similarity("fire", ("fire ice", "fire", "ice"), is_title=False) == 1.0
    typo = name_similarity("lightnin bolt", ("lightning bolt",), is_title=False)
    assert 0.9 < typo < 1.0
    assert name_similarity("bolt lightning", ("lightning bolt",), is_title=False) == 1.0
    other = name_similarity("lightning bolt", ("lightning dragon",), is_title=False)
    assert other < 0.8
    # titles: the card's name inside a longer name chunk
    run_in = name_similarity("charizard base set", ("charizard",), is_title=True)
    assert run_in == pytest.approx(0.9)
    assert name_similarity("charizard base set", ("charizard",), is_title=False) < 0.7


def test_name_rank_is_sharp() -> None:
    assert name_rank(1.0) == 1.0
    assert name_rank(0.5) == 0.0 and name_rank(0.2) == 0.0
    assert name_rank(0.73) < 0.25 < name_rank(0.95)


@pytest.mark.parametrize(
    ("game", "number", "key"),
    [
        ("MTG", "047", "47"),
        ("MTG", "249a", "249A"),
        ("MTG", "*222", "222★"),
        ("MTG", "222★", "222★"),
        ("POKEMON", "TG05", "TG05"),
        ("YUGIOH", "LOB-EN001", "LOB-1"),
        ("YUGIOH", "LOB-E001", "LOB-1"),
        ("YUGIOH", "LOB-001", "LOB-1"),
        ("YUGIOH", "SS01-ENA01", "SS01-A1"),
        ("YUGIOH", "L5DD-ENC14", "L5DD-C14"),
        ("OPTCG", "OP01-024", "OP01-024"),
        (None, "PHNI-EN059", "PHNI-59"),
    ],
)
def test_catalog_number_key(game, number, key) -> None:
    assert catalog_number_key(game, number) == key


def test_rarity_and_variation() -> None:
    assert rarity_key("UR") == rarity_key("Ultra Rare") == "ultrarare"
    assert rarity_key("ScR") == rarity_key("Secret Rare")
    assert rarity_key("PlScR") == rarity_key("Platinum Secret Rare")
    assert rarity_key(None) is None
    assert is_alternate_art("parallel 1") and is_alternate_art("Alt Art")
    assert not is_alternate_art("reprint 1") and not is_alternate_art(None)


def test_block_keys_skip_stop_words() -> None:
    assert name_block_keys("the lord of the rings") == {"lord", "rings", "ring*"}
    assert "2" in name_block_keys("elite 2 squad")


def _query(**kw: Any) -> Query:
    base: dict[str, Any] = {
        "game": "MTG",
        "name": "x",
        "name_key": "x",
        "is_title": False,
        "set_code": None,
        "set_texts": (),
        "number": None,
        "printed_total": None,
        "language": None,
        "finish": None,
        "rarity": None,
        "variant_tags": (),
    }
    return Query(**(base | kw))


def test_features_encode_field_states() -> None:
    best = Scored(1, 10.0, {"name": 1.0, "set": 1.0, "number": 0.0, "language": 0.5}, "NORMAL")
    x = features(best, _query(set_code="M10", number="1"), runner_up=7.0)
    assert set(x) == set(FEATURES)
    assert x["name_exact"] == 1 and x["set_match"] == 1 and x["number_miss"] == 1
    assert x["language_unavailable"] == 1 and x["set_missing"] == 0
    assert x["margin"] == pytest.approx(0.5)
    assert x["tie"] == 0
    tie = features(best, _query(), runner_up=10.0)
    assert tie["tie"] == 1 and tie["margin"] == 0
    alone = features(Scored(1, 3.0, {"name": 0.9}, None), _query(is_title=True), runner_up=None)
    assert alone["margin"] == 1 and alone["set_missing"] == 1 and alone["number_missing"] == 1
    assert alone["title"] == 1 and alone["name_exact"] == 0
