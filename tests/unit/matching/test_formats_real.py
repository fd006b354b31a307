"""Every export reader against the REAL files in ../shared/data/seller-exports.

For each file: the detected format is right, every data record of the file comes out as one
row (counted independently with the csv/json modules), and a few rows are spot-checked.
Skipped with a reason where the shared data is absent (the `shared_data` fixture).
"""

from __future__ import annotations

import collections
import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from matching.formats import read_inventory
from matching.formats.decoding import detect_encoding, sep_line_delimiter, sniff_delimiter

pytestmark = pytest.mark.shared_data

SELLER = "seller-exports"
HELPER = f"{SELLER}/mtgcsvhelper"

# (file under shared data, detected format, data rows: the MANIFEST counts)
FILES = [
    (f"{SELLER}/dragonshield-biestervictor/all-folders.csv", "dragonshield", 29926),
    (f"{SELLER}/moxfield-SaintGabriel602/Collection102125.csv", "moxfield", 12784),
    (f"{SELLER}/collx-940smiley/download_RecoveredTreasures-2025-05-14-071313.csv", "collx", 12277),
    (f"{SELLER}/dragonshield-acquadrod/all-folders.csv", "dragonshield", 3977),
    (f"{SELLER}/dragonshield-ygo-MadisK2/all-folders.csv", "dragonshield", 1615),
    (f"{SELLER}/ygo-collection-PepeFranco/collection.json", "ygo_collection", 2704),
    (f"{SELLER}/ebay-pokemon-titles-usmanismail677/ebay_pokemon_cards.csv", "titles", 60),
    (f"{HELPER}/Collection/moxfield-haves.csv", "moxfield", 7385),
    (f"{HELPER}/Collection/mtggoldfish-from-mtgarena.csv", "mtggoldfish", 6160),
    (f"{HELPER}/Collection/manabox-collection.csv", "manabox", 3743),
    (f"{HELPER}/Collection/topdecked-collection.csv", "topdecked", 3169),
    (f"{HELPER}/Collection/dragonshield-collection.csv", "dragonshield", 2453),
    (f"{HELPER}/Collection/tcgplayer-collection-old.csv", "tcgplayer", 1973),
    (f"{HELPER}/Collection/tcgplayer-collection.csv", "tcgplayer", 1010),
    (f"{HELPER}/Collection/mtggoldfish-collection.csv", "mtggoldfish", 535),
    (f"{HELPER}/Collection/moxfield_pauper_cube.csv", "moxfield", 445),
    (f"{HELPER}/Collection/dragonshield-sample-official.csv", "dragonshield", 32),
    (f"{HELPER}/Collection/mtgo-collection.csv", "mtgo", 7),
    (f"{HELPER}/Tests/archidekt-real-export.csv", "archidekt", 43),
    (f"{HELPER}/Tests/cardmarket-real-export.csv", "cardmarket", 40),
    (f"{HELPER}/Tests/deckbox-real-export.csv", "deckbox", 41),
    (f"{HELPER}/Tests/dragonshield-real-export.csv", "dragonshield", 42),
    (f"{HELPER}/Tests/dragonshield-tokens-real-export.csv", "dragonshield", 4),
    (f"{HELPER}/Tests/manabox-real-export.csv", "manabox", 42),
    (f"{HELPER}/Tests/moxfield-real-export.csv", "moxfield", 43),
    (f"{HELPER}/Tests/mtggoldfish-real-export.csv", "mtggoldfish", 29),
    (f"{HELPER}/Tests/tcgplayer-real-export.csv", "tcgplayer", 43),
    (f"{HELPER}/Tests/topdecked-real-export.csv", "topdecked", 43),
    (f"{HELPER}/Tests/moxfield-blank-and-delimiter-rows.csv", "moxfield", 3),
    (f"{HELPER}/Tests/moxfield-wrong-format-headers.csv", "dragonshield", 2),
    (f"{HELPER}/Reference/archidekt.csv", "archidekt", 29),
    (f"{HELPER}/Reference/cardkingdom.csv", "cardkingdom", 29),
    (f"{HELPER}/Reference/deckbox.csv", "deckbox", 29),
    (f"{HELPER}/Reference/manabox.csv", "manabox", 29),
    (f"{HELPER}/Reference/mtgo.csv", "mtgo", 29),
    (f"{HELPER}/Reference/tcgplayer.csv", "tcgplayer", 29),
    (f"{HELPER}/Reference/topdecked.csv", "topdecked", 29),
]


def independent_count(path: Path) -> int:
    """Data records of the file, counted without our reader: JSON list items, or CSV
    records after the header (an Excel `sep=` line skipped, blank lines not counted)."""
    data = path.read_bytes()
    text = data.decode(detect_encoding(io.BytesIO(data)))
    if path.suffix == ".json":
        return len(json.loads(text))
    lines = text.splitlines(keepends=True)
    delimiter = sep_line_delimiter(lines[0].lstrip("\ufeff"))
    if delimiter:
        lines = lines[1:]
    records = [r for r in csv.reader(lines, delimiter=delimiter or sniff_delimiter(lines[0])) if r]
    return len(records) - 1


def read(shared_data: Path, relative: str):
    inventory = read_inventory(shared_data / relative)
    return inventory, list(inventory)


def by_line(rows, line: int):
    return next(r for r in rows if r.line_number == line)


@pytest.mark.parametrize(
    ("relative", "fmt", "count"), FILES, ids=[f[0].split("/")[-1] for f in FILES]
)
def test_detects_format_and_keeps_every_row(shared_data, relative, fmt, count):
    path = shared_data / relative
    inventory, rows = read(shared_data, relative)
    assert inventory.detected_format == fmt
    assert len(rows) == count == independent_count(path)
    assert [r.line_number for r in rows] == sorted({r.line_number for r in rows})
    for row in rows:
        assert row.listing is not None
        assert row.error is not None or row.listing.quantity >= 0


def test_dragonshield_2026_header_with_sep_line(shared_data):
    inventory, rows = read(shared_data, f"{SELLER}/dragonshield-biestervictor/all-folders.csv")
    assert inventory.delimiter == ","
    first = rows[0]
    assert first.line_number == 3  # after `"sep=,"` and the header
    listing = first.listing
    assert (listing.game, listing.name, listing.set_code, listing.number) == (
        "MTG",
        "Herald's Horn",
        "FIC",
        "228",
    )
    assert (listing.condition, listing.finish, listing.language) == ("NM", "FOIL", "EN")
    assert listing.price == Decimal("1.99")
    assert rows[1].listing.language == "DE"
    assert all(r.ok and r.listing.game == "MTG" for r in rows)
    languages = collections.Counter(r.listing.language for r in rows)
    assert languages == {"EN": 29211, "DE": 715}
    surge = [r for r in rows if "surge foil" in r.listing.variant_tags]
    assert len(surge) == 27 and all(r.listing.finish == "FOIL" for r in surge)


def test_dragonshield_old_header(shared_data):
    _, rows = read(shared_data, f"{SELLER}/dragonshield-acquadrod/all-folders.csv")
    listing = rows[0].listing
    assert (listing.name, listing.set_code, listing.set_name, listing.number) == (
        "Aegis Turtle",
        "JMP",
        "Jumpstart",
        "138",
    )
    assert (listing.condition, listing.finish, listing.language) == ("NM", "NORMAL", "EN")
    conditions = collections.Counter(r.listing.condition for r in rows)
    assert conditions == {"NM": 3977}  # NearMint and Mint
    assert collections.Counter(r.listing.language for r in rows)["IT"] == 2486


def test_dragonshield_yugioh(shared_data):
    _, rows = read(shared_data, f"{SELLER}/dragonshield-ygo-MadisK2/all-folders.csv")
    assert all(r.ok and r.listing.game == "YUGIOH" for r in rows)
    listing = rows[0].listing
    assert (listing.name, listing.set_code, listing.number, listing.rarity) == (
        "Ages of Stars and Frost",
        "PHNI",
        "PHNI-EN059",
        "C",
    )
    assert (listing.finish, listing.is_first_edition, listing.quantity) == ("1ST", True, 9)
    finishes = collections.Counter(r.listing.finish for r in rows)
    assert finishes == {"1ST": 1102, "UNLIMITED": 348, None: 151, "LIMITED": 14}
    conditions = collections.Counter(r.listing.condition for r in rows)
    assert conditions["HP"] == 2 and conditions["DMG"] == 1  # Played, Poor on the EU scale


def test_moxfield(shared_data):
    _, rows = read(shared_data, f"{SELLER}/moxfield-SaintGabriel602/Collection102125.csv")
    listing = rows[0].listing
    assert (listing.game, listing.name, listing.set_code, listing.number) == (
        "MTG",
        "A Killer Among Us",
        "mkm",
        "167",
    )
    assert (listing.condition, listing.finish, listing.language) == ("NM", "NORMAL", "EN")
    finishes = collections.Counter(r.listing.finish for r in rows)
    assert finishes == {"NORMAL": 10325, "FOIL": 2413, "ETCHED": 46}
    assert collections.Counter(r.listing.language for r in rows)["JP"] == 40


def test_moxfield_edge_case_files(shared_data):
    _, rows = read(shared_data, f"{HELPER}/Tests/moxfield-count-rejected.csv")
    assert [r.error for r in rows] == [
        "negative quantity '-3'",
        None,
        "invalid quantity 'abc'",
        None,
    ]
    assert "quantity is 0" in rows[1].listing.warnings
    _, rows = read(shared_data, f"{HELPER}/Tests/moxfield-language-rejected.csv")
    assert (
        rows[0].listing.language is None
        and "unknown language 'Klingon'" in rows[0].listing.warnings
    )
    assert rows[1].listing.language == "EN"
    _, rows = read(shared_data, f"{HELPER}/Tests/moxfield-foil-rejected.csv")
    assert [r.listing.finish for r in rows] == ["FOIL", "FOIL", None]
    _, rows = read(shared_data, f"{HELPER}/Tests/moxfield-blank-and-delimiter-rows.csv")
    assert [(r.line_number, r.error) for r in rows] == [(2, None), (4, "empty row"), (5, None)]


def test_moxfield_conditions(shared_data):
    _, rows = read(shared_data, f"{HELPER}/Tests/moxfield-conditions-real-export.csv")
    assert [r.listing.condition for r in rows] == ["NM", "NM", "LP", "HP", "MP", "DMG"]


def test_collx_mixed_sports_and_tcg(shared_data):
    relative = f"{SELLER}/collx-940smiley/download_RecoveredTreasures-2025-05-14-071313.csv"
    _, rows = read(shared_data, relative)
    games = collections.Counter(r.listing.game for r in rows if r.ok)
    # The MANIFEST estimates ~1,500 MTG and ~470 Pokémon rows by exact set names alone.
    assert 1500 <= games["MTG"] <= 1700
    assert 470 <= games["POKEMON"] <= 850
    assert 60 <= games["YUGIOH"] <= 90
    assert None not in games
    rejected = [r for r in rows if not r.ok]
    not_tcg = [r for r in rejected if r.error.startswith("not a TCG card")]
    unnamed = [r for r in rejected if r.error.startswith("no card name")]
    assert len(not_tcg) + len(unnamed) == len(rejected)
    assert len(unnamed) == 76  # rows with nothing but a collx_id
    assert all(r.listing.name for r in not_tcg)  # kept, with what could be read
    first = rows[0]
    assert first.error == "not a TCG card: sports card (team 'Kansas City Chiefs')"
    rattata = next(r.listing for r in rows if r.raw["collx_id"] == "514921808")
    assert (rattata.game, rattata.name, rattata.number, rattata.printed_total) == (
        "POKEMON",
        "Rattata",
        "061",
        "102",
    )
    hermit = next(r.listing for r in rows if r.raw["collx_id"] == "554545962")
    assert (hermit.game, hermit.set_name, hermit.number, hermit.rarity) == (
        "MTG",
        "Dark Ascension",
        "94",
        "Common",
    )
    tin = next(r.listing for r in rows if r.raw["set"] == "2022 Tin of the Pharaoh's Gods")
    assert tin.game == "YUGIOH" and tin.set_code == "MP22"


def test_ygo_collection_json(shared_data):
    _, rows = read(shared_data, f"{SELLER}/ygo-collection-PepeFranco/collection.json")
    assert all(r.ok and r.listing.game == "YUGIOH" for r in rows)
    listing = rows[0].listing
    assert (listing.name, listing.number, listing.set_code, listing.set_name) == (
        "Ash Blossom & Joyous Spring",
        "DUDE-EN003",
        "DUDE",
        "Duel Devastator",
    )
    assert (listing.finish, listing.language, listing.ygoprodeck_id) == ("1ST", "EN", 14558128)
    assert listing.price == Decimal("31.5")
    multi = [r for r in rows if "\n" in (r.raw["Rarity"] or "")]
    assert len(multi) == 18 and all("\n" not in r.listing.rarity for r in multi)
    assert collections.Counter(r.listing.finish for r in rows)["LIMITED"] == 5


def test_ebay_titles(shared_data):
    _, rows = read(
        shared_data, f"{SELLER}/ebay-pokemon-titles-usmanismail677/ebay_pokemon_cards.csv"
    )
    assert all(r.ok and r.listing.game == "POKEMON" for r in rows)
    articuno = by_line(rows, 6).listing
    assert (articuno.name, articuno.number, articuno.price, articuno.currency) == (
        "Articuno",
        "102",
        Decimal("8.97"),
        "USD",
    )
    assert articuno.extra_ids["url"].startswith("https://www.ebay.com/itm/")
    ranged = by_line(rows, 9).listing
    assert ranged.price == Decimal("1.49") and any("range" in w for w in ranged.warnings)


def test_tcgplayer_app_exports(shared_data):
    _, rows = read(shared_data, f"{HELPER}/Collection/tcgplayer-collection.csv")
    listing = rows[0].listing
    assert (listing.name, listing.set_code, listing.number, listing.finish) == (
        "Abuelo's Awakening",
        "LCI",
        "1",
        "NORMAL",
    )
    assert (listing.tcgplayer_id, listing.tcgplayer_sku_id, listing.game) == (
        526193,
        7543277,
        "MTG",
    )
    _, rows = read(shared_data, f"{HELPER}/Collection/tcgplayer-collection-old.csv")
    matron = by_line(rows, 3).listing
    assert (matron.name, matron.number, matron.variant_tags) == (
        "Abbey Matron",
        "2b",
        ["version 2"],
    )
    assert all(r.listing.game == "MTG" for r in rows)  # The List "C16-177" is not Yu-Gi-Oh!


def test_tcgplayer_real_export_conditions(shared_data):
    _, rows = read(shared_data, f"{HELPER}/Tests/tcgplayer-real-export.csv")
    bolts = [r.listing for r in rows if r.listing.name == "Lightning Bolt"]
    assert [b.condition for b in bolts[:5]] == ["NM", "NM", "LP", "MP", "HP"]
    assert bolts[1].finish == "FOIL"
    assert {b.language for b in bolts} >= {"EN", "ES", "FR", "DE", "IT", "PT", "JP", "KO", "RU"}


def test_manabox(shared_data):
    _, rows = read(shared_data, f"{HELPER}/Tests/manabox-real-export.csv")
    first = rows[0].listing
    assert (first.name, first.set_code, first.number, first.finish) == (
        "Aragorn, the Uniter",
        "LTR",
        "741z",
        "FOIL",
    )
    assert first.scryfall_id == "9d481911-48a9-4cd7-a3b4-14c058dcac19"
    assert (first.price, first.currency, first.extra_ids["manabox_id"]) == (
        Decimal("4599.99"),
        "USD",
        "89216",
    )
    languages = {r.listing.language for r in rows}
    assert languages == {"EN", "JP", "ES", "FR", "DE", "IT", "PT", "KO", "RU", "ZHS", "ZHT"}
    assert by_line(rows, 20).listing.condition == "LP"  # "excellent", EU scale
    assert {r.listing.finish for r in rows} == {"NORMAL", "FOIL", "ETCHED"}


def test_cardmarket(shared_data):
    inventory, rows = read(shared_data, f"{HELPER}/Tests/cardmarket-real-export.csv")
    assert inventory.delimiter == ";"
    first = rows[0].listing
    assert (first.cardmarket_id, first.finish, first.language, first.condition) == (
        743311,
        "FOIL",
        "EN",
        "NM",
    )
    second = rows[1].listing
    assert (second.price, second.currency, second.finish) == (Decimal("12.00"), "EUR", "NORMAL")
    bolts = [r.listing for r in rows if r.listing.cardmarket_id == 241866]
    assert {b.language for b in bolts} == {
        "EN",
        "FR",
        "DE",
        "ES",
        "IT",
        "ZHS",
        "JP",
        "PT",
        "RU",
        "KO",
        "ZHT",
    }
    assert {b.condition for b in bolts} == {"NM", "MP", "HP", "DMG"}
    assert all(r.ok for r in rows)


def test_deckbox(shared_data):
    _, rows = read(shared_data, f"{HELPER}/Tests/deckbox-real-export.csv")
    aragorn = rows[0].listing
    assert (aragorn.name, aragorn.set_code, aragorn.tcgplayer_id, aragorn.rarity) == (
        "Aragorn, the Uniter",
        "ltr",
        498298,
        "MythicRare",
    )
    assert aragorn.scryfall_id == "e98d5321-ec09-456c-a9ea-c8ca2cfc6205"
    assert aragorn.price is None  # "$0.00" means no price set
    tutor = by_line(rows, 7).listing
    assert (tutor.set_name, tutor.set_code, tutor.number, tutor.finish) == (
        "Ultimate Masters: Box Toppers",
        "puma",
        "8",
        "FOIL",
    )


def test_archidekt(shared_data):
    _, rows = read(shared_data, f"{HELPER}/Tests/archidekt-real-export.csv")
    languages = {r.listing.language for r in rows}
    assert languages == {"EN", "JP", "ZHT", "ZHS", "RU", "KO", "PT", "IT", "DE", "FR"}
    assert {r.listing.condition for r in rows} == {"NM", "DMG", "HP", "MP"}
    assert {r.listing.finish for r in rows} == {"NORMAL", "FOIL", "ETCHED"}
    assert rows[0].listing.extra_ids["multiverse_id"] == "617022"


def test_topdecked(shared_data):
    _, rows = read(shared_data, f"{HELPER}/Tests/topdecked-real-export.csv")
    assert {r.listing.condition for r in rows} == {"NM", "LP", "MP", "HP", "DMG"}
    assert rows[0].listing.scryfall_id == "9d481911-48a9-4cd7-a3b4-14c058dcac19"
    _, rows = read(shared_data, f"{HELPER}/Collection/topdecked-collection.csv")
    first = rows[0]  # the collection rows stop after ACQUIRED DATE: missing fields are None
    assert first.ok and first.raw["CONDITION"] is None
    assert (first.listing.name, first.listing.finish) == ("Conscripted Infantry", "NORMAL")


def test_mtggoldfish_both_variants(shared_data):
    _, rows = read(shared_data, f"{HELPER}/Collection/mtggoldfish-collection.csv")
    first = rows[0].listing
    assert (first.name, first.set_code, first.number, first.finish, first.quantity) == (
        "Abnormal Endurance",
        "M19",
        "85",
        "FOIL",
        3,
    )
    _, rows = read(shared_data, f"{HELPER}/Collection/mtggoldfish-from-mtgarena.csv")
    first = rows[0].listing
    assert (first.name, first.set_code, first.number, first.finish) == (
        "Forest",
        "DOM",
        None,
        "NORMAL",
    )
    _, rows = read(shared_data, f"{HELPER}/Tests/mtggoldfish-real-export.csv")
    assert collections.Counter(r.listing.finish for r in rows)["ETCHED"] == 2


def test_mtgo(shared_data):
    _, rows = read(shared_data, f"{HELPER}/Collection/mtgo-collection.csv")
    first = rows[0].listing
    assert (first.name, first.set_code, first.number, first.printed_total) == (
        "Dark Ritual",
        "MI",
        "116",
        "350",
    )
    assert (first.finish, first.extra_ids["mtgo_id"]) == ("NORMAL", "6893")
    _, rows = read(shared_data, f"{HELPER}/Reference/mtgo.csv")
    assert collections.Counter(r.listing.finish for r in rows) == {"NORMAL": 25, "FOIL": 4}


def test_reference_renderings_agree(shared_data):
    """The author-built Reference files render the same 29 rows in every format: the readers
    must agree on name (front face), collector number, finish class and quantity."""
    fronts = {}
    for name in ("archidekt", "deckbox", "manabox", "moxfield", "tcgplayer", "topdecked"):
        _, rows = read(shared_data, f"{HELPER}/Reference/{name}.csv")
        fronts[name] = [
            (
                r.listing.name.split(" // ")[0],
                r.listing.number,
                r.listing.finish in ("FOIL", "ETCHED"),
                r.listing.quantity,
            )
            for r in rows
        ]
    first = fronts.pop("archidekt")
    for name, values in fronts.items():
        assert values == first, name
