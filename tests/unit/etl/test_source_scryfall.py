"""etl/sources/scryfall/reader.py on small real fixtures, plus the full shared data."""

from __future__ import annotations

import contextlib
import copy
import gzip
import inspect
import json
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from etl.records import NormalizedCard, QuarantineError, RawRecord
from etl.sources.scryfall.normalize import LANGUAGE_MAP, parse_type_line
from etl.sources.scryfall.reader import source
from models.sku import LANGUAGES
from tests.unit.etl.sku_checks import assert_skus_round_trip

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "scryfall"


def _records(name: str) -> list[RawRecord]:
    (unit,) = source.discover([FIXTURES / name])
    return list(source.read(unit))


def _by_id(name: str) -> dict[str, RawRecord]:
    return {r.external_id: r for r in _records(name)}


def _card(name: str, scryfall_id: str) -> NormalizedCard:
    return source.normalize(_by_id(name)[scryfall_id])


def test_source_attributes() -> None:
    assert source.name == "scryfall"
    assert source.game == "MTG"
    assert list(source.sets([FIXTURES])) == []


def test_discover_is_sorted_and_hashes_files() -> None:
    units = source.discover([FIXTURES])
    assert [u.key for u in units] == [
        "cards_2019-10.jsonl.gz",
        "default-cards.json",
        "scooze_test_cards.jsonl",
        "search-page.json",
    ]
    assert all(len(u.content_hash) == 64 for u in units)
    assert source.discover([FIXTURES / "search-page.json"])[0].key == "search-page.json"


def test_read_streams_gzipped_json_lines() -> None:
    (unit,) = source.discover([FIXTURES / "cards_2019-10.jsonl.gz"])
    stream = source.read(unit)
    assert inspect.isgenerator(stream)
    first = next(stream)
    assert first.source == "scryfall"
    assert first.source_file == "cards_2019-10.jsonl.gz"
    assert first.external_id == first.payload["id"]
    assert 1 + sum(1 for _ in stream) == 20
    # the payload is the upstream object untouched (including the snapshot's own `myId`)
    with gzip.open(unit.path, "rt", encoding="utf-8") as handle:
        assert first.payload == json.loads(handle.readline())


def test_read_bulk_array_search_page_and_one_line_page(tmp_path: Path) -> None:
    bulk = _records("default-cards.json")
    assert len(bulk) == 7
    page = _records("search-page.json")
    assert [r.payload["name"] for r in page] == ["Mox Pearl", "Mox Sapphire", "Mox Jet", "Mox Ruby"]
    # the same page on one line, and a gzipped bulk array
    one_line = tmp_path / "page.json"
    one_line.write_text(json.dumps(json.loads((FIXTURES / "search-page.json").read_text())))
    assert [r.external_id for r in source.read(source.discover([one_line])[0])] == [
        r.external_id for r in page
    ]
    gz = tmp_path / "default-cards.json.gz"
    gz.write_bytes(gzip.compress((FIXTURES / "default-cards.json").read_bytes()))
    assert [r.payload for r in source.read(source.discover([gz])[0])] == [r.payload for r in bulk]
    # floats stay floats (ijson use_float), so the payload is plain JSON
    assert bulk[0].payload["cmc"] == 6.0 and isinstance(bulk[0].payload["cmc"], float)


def test_normalize_single_faced_modern_card() -> None:
    card = _card("default-cards.json", "4d5edf4f-5695-42fc-9e57-c4faef60fbc3")
    assert card.game == "MTG"
    assert card.oracle_key == "fffaa634-42a0-4038-b027-24f28754fec7"
    assert card.name == "Firesong and Sunspeaker"
    assert card.normalized_name == "firesong and sunspeaker"
    assert card.face_names == []
    assert card.type_line == "Legendary Creature — Minotaur Cleric"
    assert (card.supertypes, card.types, card.subtypes) == (
        ["Legendary"],
        ["Creature"],
        ["Minotaur", "Cleric"],
    )
    assert card.mana_cost == "{4}{R}{W}"
    assert card.mana_value == Decimal("6.0")
    assert card.colors == ["R", "W"]
    assert (card.power_text, card.toughness_text, card.power, card.defense) == ("4", "6", 4, 6)
    (p,) = card.prints
    assert p.print_key == p.scryfall_id == "4d5edf4f-5695-42fc-9e57-c4faef60fbc3"
    assert (p.set.code, p.set.name, p.set.set_type) == ("2X2", "Double Masters 2022", "masters")
    assert (p.collector_number, p.sku_number, p.language) == ("215", "215", "EN")
    assert p.finishes == ["NORMAL", "FOIL"]
    assert (p.rarity, p.rarity_code, p.tcgplayer_id) == ("rare", "R", 276869)
    assert p.game_data["prices"]["usd"] is not None
    assert p.images["normal"].startswith("https://cards.scryfall.io/normal/")


def test_normalize_finishes_digital_etched_and_plst_number() -> None:
    recs = _by_id("default-cards.json")
    by_key = {
        (p.set.code, p.collector_number): p
        for r in recs.values()
        for p in source.normalize(r).prints
    }
    assert by_key[("MUL", "104")].finishes == ["ETCHED"]
    assert by_key[("PZ2", "68076")].finishes == []  # digital: no SKUs
    assert by_key[("PZ2", "68076")].is_digital
    assert by_key[("PLST", "PLC-30")].sku_number == "PLC.30"
    assert by_key[("PHOU", "144s")].sku_number == "144S"
    assert by_key[("PHOU", "144s")].is_promo


def test_normalize_modal_dfc_takes_first_face() -> None:
    card = _card("default-cards.json", "22a6a5f1-1405-4efb-af3e-e1f58d664e99")
    assert card.name == "Toralf, God of Fury // Toralf's Hammer"
    assert card.face_names == ["Toralf, God of Fury", "Toralf's Hammer"]
    assert card.mana_cost == "{2}{R}{R}"
    assert card.types == ["Creature", "Artifact"]
    assert card.subtypes == ["God", "Equipment"]
    assert (card.power, card.defense) == (5, 4)
    assert card.rules_text and "\n//\n" in card.rules_text
    assert [f["name"] for f in card.game_data["card_faces"]] == card.face_names
    assert card.prints[0].images["small"].startswith("https://")


def test_normalize_old_snapshot_booleans_and_languages() -> None:
    recs = _by_id("cards_2019-10.jsonl.gz")
    heaven = source.normalize(recs["fe1a4032-efbb-4f72-9181-994b2b35f598"])
    assert heaven.name == "Heaven // Earth"
    assert heaven.face_names == ["Heaven", "Earth"]
    assert heaven.mana_cost == "{X}{G} // {X}{R}{R}"
    assert heaven.types == ["Instant", "Sorcery"]
    assert heaven.prints[0].finishes == ["NORMAL", "FOIL"]  # foil + nonfoil booleans

    serra = source.normalize(recs["ed2e3b59-ddbe-4e82-ad67-dd21302a31cb"]).prints[0]
    assert (serra.language, serra.sku_number, serra.finishes) == ("JP", "33C", ["FOIL"])
    phyrexian = source.normalize(recs["f7a4a5cd-96f6-40ce-a7ab-5e1d0e3b4379"]).prints[0]
    assert phyrexian.language == "PH"  # Scryfall's old `px`
    jaya = source.normalize(recs["7ef3d575-0009-4bd5-a0c4-49dc26a6bdb1"]).prints[0]
    assert (jaya.collector_number, jaya.sku_number) == ("a1 2007", "A1~20~2007")
    star = source.normalize(recs["ac2c51de-2ec9-4a38-a117-75e90abf0feb"]).prints[0]
    assert star.sku_number == "5~2605~"
    digital = source.normalize(recs["771341f5-11b2-4edc-aa41-088e852c058e"]).prints[0]
    assert digital.finishes == [] and digital.is_digital
    girl = source.normalize(recs["90f17b85-a866-48e8-aae0-55330109550e"])
    assert girl.mana_value == Decimal("0.5")
    bolas = source.normalize(recs["7b215968-93a6-4278-ac61-4e3e8c3c3943"])
    assert bolas.mana_cost == "{1}{U}{B}{R}"  # only on the faces
    assert bolas.colors == ["B", "R", "U"]
    assert bolas.types == ["Creature", "Planeswalker"]
    assert bolas.prints[0].images["normal"].endswith("218a.jpg?1542329383")
    lord = source.normalize(recs["fbf60d69-fc68-4b23-a9e8-9d310c00a865"])
    assert (lord.power_text, lord.power) == ("*", None)


def test_normalize_reversible_card_uses_face_oracle_id() -> None:
    recs = {r.payload["name"]: r for r in _records("scooze_test_cards.jsonl")}
    raw = recs["Zndrsplt, Eye of Wisdom // Zndrsplt, Eye of Wisdom"]
    assert "oracle_id" not in raw.payload
    card = source.normalize(raw)
    assert card.oracle_key == raw.payload["card_faces"][0]["oracle_id"]
    assert card.type_line == "Legendary Creature — Homunculus // Legendary Creature — Homunculus"
    assert card.mana_value == Decimal("5")
    assert card.prints[0].finishes == ["FOIL"]
    python = source.normalize(recs["Python"]).prints[0]
    assert (python.language, python.printed_name) == ("ES", "Pitón")


def test_every_fixture_sku_round_trips_and_is_unique() -> None:
    seen: dict[tuple[str, str, str], str] = {}
    for unit in source.discover([FIXTURES]):
        for raw in source.read(unit):
            for p in source.normalize(raw).prints:
                key = (p.set.code, p.sku_number, p.language)
                assert seen.setdefault(key, p.print_key) == p.print_key
                assert_skus_round_trip("MTG", p)


def test_languages_are_sku_languages() -> None:
    assert set(LANGUAGE_MAP.values()) <= set(LANGUAGES)


def test_parse_type_line() -> None:
    assert parse_type_line("Legendary Snow Creature — Elf Druid") == (
        ["Legendary", "Snow"],
        ["Creature"],
        ["Elf", "Druid"],
    )
    assert parse_type_line("Plane — Bolas’s Meditation Realm")[2] == ["Bolas’s Meditation Realm"]


@pytest.mark.parametrize(
    ("mutation", "reason"),
    [
        ({"id": None}, "missing id"),
        ({"name": ""}, "missing name"),
        ({"oracle_id": None}, "missing oracle_id"),
        ({"set": None}, "missing set code"),
        ({"collector_number": ""}, "missing collector_number"),
        ({"lang": "qya"}, "unsupported language"),
    ],
)
def test_quarantine_malformed(mutation: dict, reason: str) -> None:
    raw = next(iter(_by_id("search-page.json").values()))
    payload = {**copy.deepcopy(raw.payload), **mutation}
    with pytest.raises(QuarantineError, match=reason):
        source.normalize(RawRecord("scryfall", "x", payload))


def test_garbage_values_only_quarantine() -> None:
    """Any top-level value replaced by junk gives a card or a QuarantineError, nothing else."""
    for base in [r.payload for r in _records("default-cards.json")]:
        faces = base.get("card_faces") or [{}]
        for key in [*base, *(f"face:{k}" for k in faces[0])]:
            for junk in (None, 7, "x", [], {}, [{"a": 1}], 1.5, [[1]]):
                payload = copy.deepcopy(base)
                if key.startswith("face:"):
                    payload["card_faces"][0][key[5:]] = junk
                else:
                    payload[key] = junk
                with contextlib.suppress(QuarantineError):
                    source.normalize(RawRecord("scryfall", "x", payload))


@pytest.mark.shared_data
def test_full_shared_data(shared_data: Path) -> None:
    paths = [shared_data / "scryfall-2019-snapshot", shared_data / "scryfall-fixtures"]
    started = time.monotonic()
    read = 0
    quarantined: Counter[str] = Counter()
    prints: dict[str, tuple[str, str, str]] = {}
    owners: dict[tuple[str, str, str], str] = {}
    oracle_keys: set[str] = set()
    skus = 0
    for unit in source.discover(paths):
        for raw in source.read(unit):
            read += 1
            try:
                card = source.normalize(raw)
            except QuarantineError as exc:
                quarantined[str(exc)] += 1
                continue
            oracle_keys.add(card.oracle_key)
            for p in card.prints:
                key = (p.set.code, p.sku_number, p.language)
                assert owners.setdefault(key, p.print_key) == p.print_key, key
                if p.print_key in prints:
                    continue  # the same Scryfall print in two files
                prints[p.print_key] = key
                assert p.set.code == p.set.code.upper()
                assert_skus_round_trip("MTG", p, ("NM", "DMG"))
                skus += 5 * len(p.finishes)
    assert read == 45_851 + 36 + 38 + 9 + 9 + 17
    assert sum(quarantined.values()) == 0, quarantined.most_common(5)
    assert len(prints) == 45_918
    assert len(oracle_keys) == 20_070
    assert skus == 319_080
    assert time.monotonic() - started < 60
