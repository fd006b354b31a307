"""The 10x catalog generator on a tiny shared-data tree: what it writes reads back through the
ETL's own sources as prints in the other languages, marked as generated."""

from __future__ import annotations

import json
from pathlib import Path

from bench.scale.generate import LANGUAGES, Options, generate, load_inputs, read_manifest
from etl.registry import get_source
from tests.unit.bench.scale_data import BOLT, DELVER, YGO_CARD, make_shared_data


def normalized(source_name: str, paths: list[Path]) -> list:
    source = get_source(source_name)
    return [source.normalize(raw) for unit in source.discover(paths) for raw in source.read(unit)]


def data_files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "MANIFEST.json"
    }


def test_every_language_of_each_game_is_generated_once(tmp_path: Path) -> None:
    data = make_shared_data(tmp_path / "data")
    summary = generate(data, tmp_path / "out")
    # Magic: 10 languages besides English for Bolt (its es exists) and Delver; digital: none;
    # the fixture repeating Bolt adds nothing
    assert summary.prints["scryfall"] == 9 + 10
    assert summary.by_language["scryfall"]["es"] == 1
    # Pokémon: every card in 14 more languages
    assert summary.prints["pokemontcg"] == 2 * (len(LANGUAGES["pokemontcg"]) - 1)
    # Yu-Gi-Oh!: LOB-EN001 gets 8 regional twins, LOB-E001 7 (AE has no one-letter code),
    # SDY-001 (no region) none; counted once though the card is in two set files, with an
    # alternate-artwork passcode
    assert summary.prints["ygoprodeck"] == 8 + 7
    manifest = read_manifest(tmp_path / "out")
    assert manifest["generated_prints"] == dict(summary.prints)


def test_magic_prints_read_back_in_their_language_with_a_marked_name(tmp_path: Path) -> None:
    data = make_shared_data(tmp_path / "data")
    out = tmp_path / "out"
    generate(data, out)
    cards = normalized("scryfall", [out / "scryfall"])
    bolts = [c for c in cards if c.name == "Lightning Bolt"]
    languages = sorted(c.prints[0].language for c in bolts)
    assert languages == sorted(["JP", "DE", "FR", "IT", "PT", "KO", "RU", "ZHS", "ZHT"])
    german = next(c for c in bolts if c.prints[0].language == "DE")
    assert german.oracle_key == BOLT["oracle_id"]  # the same card as the English print
    assert german.prints[0].printed_name == "Lightning Bolt [de]"
    assert german.prints[0].print_key != BOLT["id"]
    assert german.prints[0].tcgplayer_id is None  # English-only marketplace ids are dropped
    assert (german.prints[0].set.code, german.prints[0].sku_number) == ("LEA", "161")
    delver = next(c for c in cards if c.name == DELVER["name"] and c.prints[0].language == "JP")
    assert delver.prints[0].printed_name == "Delver of Secrets [ja] // Insectile Aberration [ja]"
    assert delver.prints[0].finishes == ["NORMAL", "FOIL"]
    raw = json.loads((out / "scryfall" / "generated-ko.jsonl").read_text().splitlines()[0])
    assert raw["generated"] is True and raw["generated_from"] in (BOLT["id"], DELVER["id"])


def test_pokemon_prints_read_back_from_language_folders(tmp_path: Path) -> None:
    data = make_shared_data(tmp_path / "data")
    out = tmp_path / "out"
    generate(data, out)
    english = {
        c.prints[0].print_key: c for c in normalized("pokemontcg", [data / "pokemon-tcg-data"])
    }
    assert {p.prints[0].language for p in english.values()} == {"EN"}
    generated = normalized("pokemontcg", [out / "pokemon-tcg-data"])
    assert len(generated) == 2 * 14
    japanese = next(c for c in generated if c.prints[0].print_key == "JP:base1-4")
    assert japanese.prints[0].language == "JP"
    assert japanese.prints[0].printed_name == "Charizard [ja]"
    assert japanese.name == "Charizard"
    assert japanese.oracle_key == english["base1-4"].oracle_key
    assert japanese.prints[0].sku_number == english["base1-4"].prints[0].sku_number
    assert japanese.prints[0].set.code == "BASE1"
    languages = {c.prints[0].language for c in generated}
    assert languages == set("JP DE FR IT ES PT KO ZHT ZHS ID TH NL PL RU".split())


def test_yugioh_regional_prints_read_back_with_their_languages(tmp_path: Path) -> None:
    data = make_shared_data(tmp_path / "data")
    out = tmp_path / "out"
    generate(data, out)
    cards = normalized("ygoprodeck", [out / "ygoprodeck-cardsets"])
    assert len(cards) == 4  # the card's two passcodes in each of its two set files
    prints = {p.collector_number: p for p in cards[0].prints}
    assert len(prints) == 3 + 15
    assert prints["LOB-DE001"].language == "DE" and prints["LOB-SP001"].language == "ES"
    assert prints["LOB-G001"].language == "DE" and prints["LOB-G001"].sku_number == "G001UR"
    assert prints["LOB-AE001"].language == "EN" and prints["LOB-AE001"].sku_number == "AE001UR"
    assert prints["LOB-KR001"].language == "KO" and "LOB-A001" not in prints
    keys = {(p.set.code, p.sku_number, p.language) for p in cards[0].prints}
    assert len(keys) == len(cards[0].prints)  # no two prints share a SKU
    raw = json.loads(next((out / "ygoprodeck-cardsets/data/cardsets").glob("*.json")).read_text())
    entries = raw[0]["card_sets"]
    assert entries[: len(YGO_CARD["card_sets"])] == YGO_CARD["card_sets"]
    assert all(e["generated"] is True for e in entries[len(YGO_CARD["card_sets"]) :])


def test_the_same_seed_writes_the_same_bytes_and_coverage_keeps_a_stable_subset(
    tmp_path: Path,
) -> None:
    data = make_shared_data(tmp_path / "data")
    generate(data, tmp_path / "a", Options(coverage=0.5, seed=3))
    generate(data, tmp_path / "b", Options(coverage=0.5, seed=3))
    assert data_files(tmp_path / "a") == data_files(tmp_path / "b")
    half = read_manifest(tmp_path / "a")["generated_prints"]
    full = generate(data, tmp_path / "c").prints
    assert all(0 < half[k] < full[k] for k in full)
    other = generate(data, tmp_path / "d", Options(coverage=0.5, seed=4))
    assert data_files(tmp_path / "d") != data_files(tmp_path / "a")
    assert other.prints.keys() == full.keys()


def test_max_languages_keeps_the_first_languages_and_the_inputs_name_what_to_load(
    tmp_path: Path,
) -> None:
    data = make_shared_data(tmp_path / "data")
    out = tmp_path / "out"
    summary = generate(data, out, Options(max_languages=3))
    assert set(summary.by_language["scryfall"]) == {"ja", "de"}
    assert set(summary.by_language["pokemontcg"]) == {"ja", "de"}
    assert set(summary.by_language["ygoprodeck"]) == {"DE", "FR"}
    inputs = load_inputs(out, data)
    assert inputs["scryfall"] == [
        data / "scryfall-2019-snapshot",
        data / "scryfall-fixtures",
        out / "scryfall",
    ]
    assert inputs["pokemontcg"] == [data / "pokemon-tcg-data", out / "pokemon-tcg-data"]
    assert inputs["ygoprodeck"] == [out / "ygoprodeck-cardsets"]  # replaces the shared files
    assert "optcg" not in inputs  # no One Piece data in the tiny tree
    assert generate(data, tmp_path / "one", Options(max_languages=1)).prints == {}
