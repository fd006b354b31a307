"""etl/sources/ygoprodeck/reader.py on small real fixtures, plus the full shared data."""

from __future__ import annotations

import copy
import gzip
import shutil
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from etl.records import NormalizedCard, QuarantineError, RawRecord
from etl.sources.ygoprodeck import prints as yp
from etl.sources.ygoprodeck.reader import source
from models.sku import CONDITIONS
from tests.unit.etl.sku_checks import assert_skus_round_trip

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ygoprodeck"


def _raw() -> dict[str, RawRecord]:
    return {r.external_id: r for u in source.discover([FIXTURES]) for r in source.read(u)}


def _card(passcode: int) -> NormalizedCard:
    return source.normalize(_raw()[str(passcode)])


def _prints(card: NormalizedCard) -> dict[str, object]:
    return {p.print_key: p for p in card.prints}


def test_source_attributes() -> None:
    assert (source.name, source.game) == ("ygoprodeck", "YUGIOH")


def test_discover_skips_the_set_list() -> None:
    units = source.discover([FIXTURES])
    assert [u.key for u in units] == ["data/cardsets/sample-a.json", "data/cardsets/sample-b.json"]
    assert all(len(u.content_hash) == 64 for u in units)
    (single,) = source.discover([FIXTURES / "data" / "cardsets" / "sample-b.json"])
    assert single.key == "sample-b.json"


def test_read_arrays_and_data_pages() -> None:
    raw = _raw()
    assert len(raw) == 18
    assert {r.source_file for r in raw.values()} == {
        "data/cardsets/sample-a.json",
        "data/cardsets/sample-b.json",
    }
    madoor = raw["85639257"]
    assert madoor.source == "ygoprodeck"
    assert madoor.payload["name"] == "Aqua Madoor"
    assert isinstance(madoor.payload["card_sets"][0]["set_price"], str)


def test_read_streams_gzip(tmp_path: Path) -> None:
    src = FIXTURES / "data" / "cardsets" / "sample-b.json"
    target = tmp_path / "sample-b.json.gz"
    with src.open("rb") as fin, gzip.open(target, "wb") as fout:
        shutil.copyfileobj(fin, fout)
    (unit,) = source.discover([tmp_path])
    assert unit.key == "sample-b.json.gz"
    plain = [r.payload for r in source.read(source.discover([src])[0])]
    assert [r.payload for r in source.read(unit)] == plain
    assert plain


def test_normal_monster_with_old_region_codes() -> None:
    card = _card(85639257)
    assert card.game == "YUGIOH"
    assert card.oracle_key == "ygoprodeck:7176"
    assert (card.name, card.normalized_name) == ("Aqua Madoor", "aqua madoor")
    assert (card.types, card.subtypes) == (["Monster"], ["Spellcaster", "Normal"])
    assert card.type_line == "Normal Monster — Spellcaster"  # the race, so t:spellcaster finds it
    assert (card.atk, card.def_, card.power, card.defense, card.level) == (
        1200,
        2000,
        1200,
        2000,
        4,
    )
    assert card.attributes == ["WATER"]
    assert card.game_data["archetype"] == "Madoor"
    assert card.rules_text.startswith("A wizard of the waters")
    prints = _prints(card)
    # LOB-027 (no region), LOB-E021 (old European) and LOB-EN027 are three English printings
    lob = {k: prints[k] for k in ("LOB-027|Rare", "LOB-E021|Rare", "LOB-EN027|Rare")}
    assert [(p.set.code, p.sku_number, p.language) for p in lob.values()] == [
        ("LOB", "NA027R", "EN"),
        ("LOB", "E021R", "EN"),
        ("LOB", "027R", "EN"),
    ]
    db1 = prints["DB1-EN109|Common"]
    assert (db1.collector_number, db1.rarity, db1.rarity_code) == ("DB1-EN109", "Common", "C")
    assert db1.set.name == "Dark Beginning 1"
    assert db1.finishes == ["UNLIMITED"]
    assert prints["LOB-EN027|Rare"].finishes == ["1ST", "UNLIMITED"]
    assert prints["LCYW-EN221|Secret Rare"].sku_number == "221SCR"
    assert db1.ygoprodeck_id == 85639257
    assert db1.images["large"].endswith("/85639257.jpg")
    assert db1.number_sort == 109
    assert db1.game_data["set_name"] == "Dark Beginning 1"


def test_xyz_link_pendulum_spell_skill_token() -> None:
    castel = _card(82633039)
    assert (castel.rank, castel.level, castel.subtypes) == (
        4,
        None,
        ["Winged Beast", "Xyz", "Effect"],
    )
    hexstia = _card(1508649)
    assert (hexstia.link_rating, hexstia.level, hexstia.def_, hexstia.defense) == (
        2,
        None,
        None,
        None,
    )
    assert hexstia.atk == 1500
    assert hexstia.game_data["link_markers"] == ["Right", "Bottom"]
    aether = _card(28865322)
    assert aether.game_data["scale"] == 4
    assert "Pendulum" in aether.subtypes
    assert aether.game_data["pendulum_text"].startswith("Once per turn")
    book = _card(14087893)
    assert (book.types, book.subtypes, book.type_line) == (
        ["Spell"],
        ["Quick-Play"],
        "Quick-Play Spell",
    )
    assert book.atk is None and book.level is None
    trap = _card(70875955)
    assert trap.types == ["Trap"]
    skill = _card(300302021)
    assert skill.types == ["Skill"]
    assert skill.game_data["character"]
    token = _card(73915054)
    assert token.types == ["Token"]


def test_portuguese_region_and_rarity_codes() -> None:
    book = _prints(_card(14087893))
    pt = [p for p in book.values() if "-PT" in p.collector_number]
    assert pt and all(p.language == "PT" for p in pt)
    assert all(not p.sku_number.startswith("PT") for p in pt)
    hootcake = [p for p in _card(91350799).prints if p.rarity == "Quarter Century Secret Rare"]
    assert hootcake and all(p.rarity_code == "QCScR" for p in hootcake)
    assert all(p.sku_number.endswith("QCSCR") for p in hootcake)


def test_odd_set_codes() -> None:
    cylinder = _prints(_card(62279055))
    ioc = next(p for k, p in cylinder.items() if k.startswith("IOC-SE"))
    assert (ioc.set.code, ioc.language) == ("IOC", "EN")
    assert ioc.sku_number.startswith("NASE")  # no region: "SE2" is a number, not a region
    assert "LIMITED" in ioc.finishes
    tokens = [p for p in _card(44052075).prints if p.collector_number.endswith("ENTKN")]
    assert tokens and tokens[0].sku_number.startswith("TKN")
    unknown = next(p for p in _card(98585345).prints if "?" in p.collector_number)
    assert unknown.sku_number.startswith("0~3F~~3F~")
    # set codes without a number ("DB32") are kept aside, not turned into prints
    hole = _card(53129443)
    assert hole.game_data["invalid_set_codes"]
    assert all("-" in p.collector_number for p in hole.prints)


def test_duplicate_card_sets_entries_give_one_print() -> None:
    dark_fusion = _card(94820406)
    keys = [p.print_key for p in dark_fusion.prints]
    assert len(keys) == len(set(keys))
    assert "SGX3-ENA13|Common" in keys


def test_alternate_art_passcodes_share_the_card() -> None:
    a, b = _card(70095154), _card(70095155)
    assert a.oracle_key == b.oracle_key == "ygoprodeck:5898"
    assert a.name == b.name == "Cyber Dragon"
    shared = set(_prints(a)) & set(_prints(b))
    assert shared
    for key in shared:
        pa, pb = _prints(a)[key], _prints(b)[key]
        assert (pa.set.code, pa.sku_number, pa.language) == (
            pb.set.code,
            pb.sku_number,
            pb.language,
        )
    assert _prints(b)[next(iter(shared))].images["large"].endswith("/70095155.jpg")


def test_normalize_does_not_depend_on_card_sets_order() -> None:
    raw = _raw()["85639257"]
    shuffled = copy.deepcopy(raw.payload)
    shuffled["card_sets"].reverse()
    shuffled["card_images"].reverse()
    other = RawRecord("ygoprodeck", raw.external_id, shuffled)
    assert source.normalize(other) == source.normalize(raw)


@pytest.mark.parametrize(
    ("mutation", "reason"),
    [
        (lambda p: p.pop("id"), "passcode"),
        (lambda p: p.update(id="abc"), "passcode"),
        (lambda p: p.update(name=""), "name"),
        (lambda p: p.pop("name"), "name"),
    ],
)
def test_quarantine_malformed(mutation, reason: str) -> None:
    payload = copy.deepcopy(_raw()["85639257"].payload)
    mutation(payload)
    with pytest.raises(QuarantineError, match=reason):
        source.normalize(RawRecord("ygoprodeck", "x", payload))


def test_quarantine_non_object() -> None:
    with pytest.raises(QuarantineError):
        source.normalize(RawRecord("ygoprodeck", "x", ["not", "an", "object"]))  # type: ignore[arg-type]


def test_sets_from_cardsets_json() -> None:
    sets = {s.code: s for s in source.sets([FIXTURES])}
    lob = sets["LOB"]
    assert (lob.game, lob.name, lob.card_count) == (
        "YUGIOH",
        "Legend of Blue Eyes White Dragon",
        355,
    )
    assert lob.released_at == date(2002, 3, 8)
    assert lob.images["image"].endswith("LOB.jpg")
    # one code, several products: the biggest product names the set, all are listed
    rate = sets["RATE"]
    assert rate.name == "Raging Tempest"
    assert len(rate.game_data["products"]) == 3
    # found from a card file or the cards folder too
    for path in (FIXTURES / "data" / "cardsets", FIXTURES / "data" / "cardsets" / "sample-a.json"):
        assert {s.code for s in source.sets([path])} == set(sets)


def test_set_code_parsing() -> None:
    assert yp.parse_set_code("LOB-EN001") == yp.SetCode("LOB-EN001", "LOB", "EN", "001", "EN")
    assert yp.parse_set_code("sdk-e001").marker == "E"
    assert yp.parse_set_code("DUNE-AE001").language == "EN"
    assert yp.parse_set_code("DUNE-AE001").marker == "AE"
    assert yp.parse_set_code("LOB-DE001").language == "DE"
    assert yp.parse_set_code("LOB-G001").language == "DE"
    assert yp.parse_set_code("LOB-SP001").language == "ES"
    assert yp.parse_set_code("LOB-KR001").language == "KO"
    assert yp.parse_set_code("JOTL-ENDE1").number == "DE1"
    assert yp.parse_set_code("DB32") is None


@pytest.mark.shared_data
def test_full_shared_data(shared_data: Path) -> None:
    root = shared_data / "ygoprodeck-cardsets" / "data"
    if not root.is_dir():
        pytest.skip(f"YGOProDeck data not found at {root}")
    started = time.monotonic()
    sets = {s.code: s for s in source.sets([root])}
    assert len(sets) == 625
    read = 0
    quarantined: Counter[str] = Counter()
    oracle_keys: set[str] = set()
    triples: dict[str, tuple[str, str, str]] = {}
    owners: dict[tuple[str, str, str], str] = {}
    print_cards: dict[str, set[str]] = {}
    finishes: dict[str, int] = {}
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
                key = (p.set.code, p.sku_number, p.language)
                assert p.set.code == p.set.code.upper()
                assert triples.setdefault(p.print_key, key) == key, p.print_key
                assert owners.setdefault(key, p.print_key) == p.print_key, key
                print_cards.setdefault(p.print_key, set()).add(card.oracle_key)
                finishes[p.print_key] = len(p.finishes)
                assert p.finishes
                assert_skus_round_trip("YUGIOH", p)
    elapsed = time.monotonic() - started
    conflicts = sorted(k for k, v in print_cards.items() if len(v) > 1)
    skus = sum(finishes.values()) * len(CONDITIONS)
    missing_sets = sorted({t[0] for t in triples.values()} - set(sets))
    print(
        f"\nYGOProDeck: {read} records, {len(oracle_keys)} cards, {len(triples)} prints, "
        f"{len(sets)} sets from cardsets.json (+{len(missing_sets)} only on prints: "
        f"{missing_sets}), {skus} SKUs, quarantined {sum(quarantined.values())} "
        f"{quarantined.most_common(5)}, printings claimed by 2 cards: {conflicts}, "
        f"{elapsed:.1f}s"
    )
    assert read == 25214
    assert not quarantined
    assert len(oracle_keys) == 10625
    assert len(triples) == 37006
    # upstream errors: a printing listed under two different cards (same SKU, one print)
    assert len(conflicts) <= 9
    assert len(missing_sets) <= 8
    assert elapsed < 60
