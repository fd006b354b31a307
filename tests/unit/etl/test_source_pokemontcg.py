"""etl/sources/pokemontcg/reader.py on small real fixtures, plus the full shared data."""

from __future__ import annotations

import contextlib
import copy
import gzip
import inspect
import shutil
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from etl.records import NormalizedCard, QuarantineError, RawRecord
from etl.sources.pokemontcg.reader import source
from tests.unit.etl.sku_checks import assert_skus_round_trip

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pokemontcg"


def _records(*parts: str) -> dict[str, RawRecord]:
    (unit,) = source.discover([FIXTURES.joinpath(*parts)])
    return {r.external_id: r for r in source.read(unit)}


def _card(set_id: str, card_id: str) -> NormalizedCard:
    return source.normalize(_records("cards", "en", f"{set_id}.json")[card_id])


def test_source_attributes() -> None:
    assert (source.name, source.game) == ("pokemontcg", "POKEMON")


def test_discover_skips_set_lists() -> None:
    keys = [u.key for u in source.discover([FIXTURES])]
    assert keys == [
        "api-page.json",
        "cards/en/base1.json",
        "cards/en/bw7.json",
        "cards/en/cel25c.json",
        "cards/en/sv3pt5.json",
        "cards/en/swsh9tg.json",
        "cards/en/zsv10pt5.json",
    ]


def test_sets_from_sets_file() -> None:
    sets = {s.code: s for s in source.sets([FIXTURES])}
    assert set(sets) == {"BASE1", "BW7", "CEL25C", "SV3PT5", "SWSH9TG", "ZSV10PT5"}
    mew = sets["SV3PT5"]
    assert (mew.game, mew.name, mew.series) == ("POKEMON", "151", "Scarlet & Violet")
    assert mew.released_at == date(2023, 9, 22)
    assert (mew.printed_total, mew.card_count) == (165, 207)
    assert mew.aliases == ["MEW"]
    assert mew.external_ids == {"pokemon_tcg": "sv3pt5", "ptcgo": "MEW"}
    assert mew.images["logo"] == "https://images.pokemontcg.io/sv3pt5/logo.png"
    # the sets file is also found from a card file or the cards folder
    assert len(list(source.sets([FIXTURES / "cards" / "en" / "base1.json"]))) == 6
    assert len(list(source.sets([FIXTURES / "cards"]))) == 6


def test_read_puts_the_file_set_in_context() -> None:
    recs = _records("cards", "en", "sv3pt5.json")
    raw = recs["sv3pt5-1"]
    assert "set" not in raw.payload
    assert raw.context["set"]["id"] == "sv3pt5"
    assert raw.context["set"]["ptcgoCode"] == "MEW"
    assert raw.source_file == "sv3pt5.json"


def test_read_streams_a_gzipped_file(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "sets", tmp_path / "sets")
    target = tmp_path / "cards" / "en" / "sv3pt5.json.gz"
    target.parent.mkdir(parents=True)
    target.write_bytes(gzip.compress((FIXTURES / "cards" / "en" / "sv3pt5.json").read_bytes()))
    (unit,) = source.discover([tmp_path / "cards"])
    assert unit.key == "en/sv3pt5.json.gz"
    stream = source.read(unit)
    assert inspect.isgenerator(stream)
    records = list(stream)
    assert len(records) == 9
    assert records[0].context["set"]["name"] == "151"
    assert source.normalize(records[0]).prints[0].set.code == "SV3PT5"


def test_normalize_pokemon() -> None:
    card = _card("sv3pt5", "sv3pt5-6")
    assert card.game == "POKEMON"
    assert card.name == "Charizard ex"
    assert card.type_line == "Pokémon — Stage 2 ex"
    assert (card.supertypes, card.subtypes) == (["Pokémon"], ["Stage 2", "ex"])
    assert (card.hp, card.retreat_cost, card.energy_types) == (330, 2, ["Fire"])
    assert card.evolves_from == "Charmeleon"
    assert card.rules_text == (
        "Pokémon ex rule: When your Pokémon ex is Knocked Out, your opponent takes 2 Prize cards.\n"
        "[Fire] Brave Wing 60+ — If this Pokémon has any damage counters on it, this attack "
        "does 100 more damage.\n"
        "[Fire Fire Fire Fire] Explosive Vortex 330 — Discard 3 Energy from this Pokémon."
    )
    assert card.game_data["national_pokedex_numbers"] == [6]
    (p,) = card.prints
    assert (p.print_key, p.pokemon_tcg_id) == ("sv3pt5-6", "sv3pt5-6")
    assert (p.collector_number, p.sku_number, p.language) == ("6", "6", "EN")
    assert (p.rarity, p.finishes) == ("Double Rare", ["HOLO"])
    assert p.set.code == "SV3PT5" and p.set.aliases == ["MEW"]
    assert p.released_at == date(2023, 9, 22)
    assert p.game_data["regulation_mark"] == "G"
    assert p.legalities["standard"] == "Legal"
    assert p.images["large"] == "https://images.pokemontcg.io/sv3pt5/6_hires.png"


def test_reprints_with_identical_text_share_the_oracle_key() -> None:
    recs = _records("cards", "en", "sv3pt5.json")
    keys = {i: source.normalize(r).oracle_key for i, r in recs.items()}
    assert keys["sv3pt5-1"] == keys["sv3pt5-166"]  # Bulbasaur and its illustration rare
    assert keys["sv3pt5-6"] == keys["sv3pt5-199"]  # Charizard ex and its SIR
    assert keys["sv3pt5-151"] == keys["sv3pt5-205"]
    assert len(set(keys.values())) == 6
    # same name, different card: base-set Charizard is not Charizard ex; Computer Search
    # the plain Trainer differs from the ACE SPEC Item
    assert _card("base1", "base1-4").oracle_key != keys["sv3pt5-6"]
    assert _card("base1", "base1-71").oracle_key != _card("bw7", "bw7-137").oracle_key


def test_trainer_and_energy() -> None:
    fossil = _card("sv3pt5", "sv3pt5-152")
    assert fossil.name == "Antique Dome Fossil"
    assert (fossil.supertypes, fossil.subtypes) == (["Trainer"], ["Item"])
    assert fossil.prints[0].finishes == ["NORMAL", "REVERSE_HOLO"]
    energy = _card("base1", "base1-96")
    assert energy.name == "Double Colorless Energy"
    assert energy.prints[0].finishes == ["NORMAL", "1ST"]


def test_finish_heuristic() -> None:
    assert _card("base1", "base1-4").prints[0].finishes == ["1ST_HOLO", "UNLIMITED_HOLO"]
    assert _card("base1", "base1-58").prints[0].finishes == ["NORMAL", "1ST"]
    assert _card("sv3pt5", "sv3pt5-1").prints[0].finishes == ["NORMAL", "REVERSE_HOLO"]
    assert _card("sv3pt5", "sv3pt5-205").prints[0].finishes == ["HOLO"]
    assert _card("swsh9tg", "swsh9tg-TG01").prints[0].finishes == ["HOLO"]
    assert _card("cel25c", "cel25c-15_A1").prints[0].finishes == ["HOLO"]


def test_tcgplayer_price_keys_win() -> None:
    raw = _records("api-page.json")["base1-58"]
    payload = copy.deepcopy(raw.payload)
    payload["tcgplayer"] = {"prices": {"1stEditionNormal": {}, "normal": {}, "foo": {}}}
    card = source.normalize(RawRecord("pokemontcg", "base1-58", payload))
    assert card.prints[0].finishes == ["NORMAL", "1ST"]
    assert card.prints[0].game_data["tcgplayer"] == payload["tcgplayer"]
    payload["tcgplayer"] = {"prices": {"holofoil": {}, "reverseHolofoil": {}}}
    card = source.normalize(RawRecord("pokemontcg", "base1-58", payload))
    assert card.prints[0].finishes == ["HOLO", "REVERSE_HOLO"]


def test_sku_number_from_id_when_number_is_not_unique() -> None:
    a1 = _card("cel25c", "cel25c-15_A1").prints[0]
    a2 = _card("cel25c", "cel25c-15_A2").prints[0]
    assert (a1.collector_number, a1.sku_number) == ("15", "15A1")
    assert (a2.collector_number, a2.sku_number) == ("15", "15A2")
    # upstream typo: zsv10pt5-80 says number "60"
    typo = _card("zsv10pt5", "zsv10pt5-80").prints[0]
    assert (typo.collector_number, typo.sku_number) == ("60", "80")
    assert _card("zsv10pt5", "zsv10pt5-60").prints[0].sku_number == "60"
    assert _card("swsh9tg", "swsh9tg-TG01").prints[0].sku_number == "TG01"


def test_api_page_uses_the_cards_own_set() -> None:
    recs = _records("api-page.json")
    assert list(recs) == ["sv3pt5-1", "sv3pt5-6", "sv3pt5-151", "base1-1", "base1-4", "base1-58"]
    raw = recs["base1-1"]
    assert raw.context == {}
    assert raw.payload["set"]["id"] == "base1"
    card = source.normalize(raw)
    assert card.name == "Alakazam"
    assert card.prints[0].set.code == "BASE1"
    assert card.prints[0].set.aliases == ["BS"]
    assert card.prints[0].finishes == ["1ST_HOLO", "UNLIMITED_HOLO"]
    # the API form and the repository form of a card normalise alike
    from_file = _card("base1", "base1-1")
    assert card.oracle_key == from_file.oracle_key
    assert card.prints[0].sku_number == from_file.prints[0].sku_number


@pytest.mark.parametrize(
    ("mutation", "context", "reason"),
    [
        ({"id": None}, True, "missing id"),
        ({"name": " "}, True, "missing name"),
        ({"number": None}, True, "missing number"),
        ({}, False, "missing set"),
    ],
)
def test_quarantine_malformed(mutation: dict, context: bool, reason: str) -> None:
    raw = _records("cards", "en", "sv3pt5.json")["sv3pt5-1"]
    payload = {**copy.deepcopy(raw.payload), **mutation}
    bad = RawRecord("pokemontcg", "x", payload, context=raw.context if context else {})
    with pytest.raises(QuarantineError, match=reason):
        source.normalize(bad)


def test_garbage_values_only_quarantine() -> None:
    for raw in _records("api-page.json").values():
        for key in raw.payload:
            for junk in (None, 7, "x", [], {}, [{"a": 1}], 1.5, [[1]]):
                payload = {**copy.deepcopy(raw.payload), key: junk}
                with contextlib.suppress(QuarantineError):
                    source.normalize(RawRecord("pokemontcg", "x", payload))
                try:  # junk in the set block
                    junk_set = {**raw.payload["set"], "releaseDate": junk, "total": junk}
                    source.normalize(RawRecord("pokemontcg", "x", {**raw.payload, "set": junk_set}))
                except QuarantineError:
                    pass


@pytest.mark.shared_data
def test_full_shared_data(shared_data: Path) -> None:
    root = shared_data / "pokemon-tcg-data"
    started = time.monotonic()
    sets = {s.code: s for s in source.sets([root])}
    assert len(sets) == 172
    read = 0
    quarantined: Counter[str] = Counter()
    owners: dict[tuple[str, str, str], str] = {}
    oracle_keys: set[str] = set()
    print_keys: set[str] = set()
    skus = 0
    for unit in source.discover([root]):
        for raw in source.read(unit):
            read += 1
            try:
                card = source.normalize(raw)
            except QuarantineError as exc:
                quarantined[str(exc)] += 1
                continue
            oracle_keys.add(card.oracle_key)
            for p in card.prints:
                assert p.print_key not in print_keys
                print_keys.add(p.print_key)
                assert p.set.code in sets
                key = (p.set.code, p.sku_number, p.language)
                assert owners.setdefault(key, p.print_key) == p.print_key, key
                assert p.finishes
                assert_skus_round_trip("POKEMON", p, ("NM", "DMG"))
                skus += 5 * len(p.finishes)
    assert read == 20_202
    assert sum(quarantined.values()) == 0, quarantined.most_common(5)
    assert len(print_keys) == 20_202
    assert len(oracle_keys) == 14_736
    assert skus == 169_555
    assert time.monotonic() - started < 60
