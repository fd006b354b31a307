"""A small real catalog for the matching tests, cut from ../shared/data into a temp folder.

* Scryfall: every printing (2019 snapshot) of the cards named in the first rows of the real
  MTG exports, plus a few well-known cards;
* pokemontcg.io: the whole Base Set (base1) and 151 (sv3pt5) files, with sets/en.json;
* YGOPRODeck: Legend of Blue Eyes White Dragon and Phantom Nightmare, with cardsets.json;
* One Piece: the project's own fixture (tests/fixtures/optcg).
"""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from matching.formats import read_inventory
from matching.formats.reader import InventoryRow

REPO = Path(__file__).resolve().parents[3]
#: Exports whose first rows name the MTG cards of the subset.
NAME_SOURCES = (
    "mtgcsvhelper/Tests/manabox-real-export.csv",
    "mtgcsvhelper/Tests/deckbox-real-export.csv",
    "mtgcsvhelper/Tests/archidekt-real-export.csv",
    "mtgcsvhelper/Tests/topdecked-real-export.csv",
    "mtgcsvhelper/Tests/moxfield-real-export.csv",
    "mtgcsvhelper/Tests/mtggoldfish-real-export.csv",
    "mtgcsvhelper/Tests/tcgplayer-real-export.csv",
    "mtgcsvhelper/Tests/dragonshield-real-export.csv",
    "mtgcsvhelper/Collection/tcgplayer-collection-old.csv",
    "mtgcsvhelper/Collection/manabox-collection.csv",
    "mtgcsvhelper/Collection/mtgo-collection.csv",
    "mtgcsvhelper/Collection/dragonshield-collection.csv",
    "dragonshield-biestervictor/all-folders.csv",
    "dragonshield-acquadrod/all-folders.csv",
    "moxfield-SaintGabriel602/Collection102125.csv",
    "collx-940smiley/download_RecoveredTreasures-2025-05-14-071313.csv",
)
#: Exports whose first non-English rows name cards too (the whole-SKU rule's job tests).
NON_ENGLISH_SOURCES = (
    "dragonshield-acquadrod/all-folders.csv",
    "mtgcsvhelper/Collection/moxfield-haves.csv",
)
EXTRA_NAMES = {"Lightning Bolt", "Sol Ring", "Counterspell", "Llanowar Elves", "Fire // Ice"}
ROWS_PER_EXPORT = 60


def non_english_rows(inventory: Iterable[InventoryRow]) -> Iterator[InventoryRow]:
    """The first `ROWS_PER_EXPORT` rows of an export in a language other than English."""
    rows = (r for r in inventory if r.listing.language not in (None, "EN"))
    return islice(rows, ROWS_PER_EXPORT)


def mtg_names(shared: Path) -> set[str]:
    names = set(EXTRA_NAMES)
    for name in NAME_SOURCES + NON_ENGLISH_SOURCES:
        inventory = read_inventory(shared / "seller-exports" / name)
        rows = list(islice(inventory, ROWS_PER_EXPORT))
        if name in NON_ENGLISH_SOURCES:
            rows += non_english_rows(inventory)
        for row in rows:
            if row.listing.name and row.listing.game in (None, "MTG"):
                names.add(row.listing.name)
    return names


def build(shared: Path, dest: Path) -> dict[str, list[Path]]:
    """Write the subset under `dest`; returns source -> paths for `etl.pipeline.load`."""
    names = mtg_names(shared)
    scryfall = dest / "scryfall"
    scryfall.mkdir(parents=True)
    snapshot = shared / "scryfall-2019-snapshot" / "scryfall_cards_2019-10.jsonl.gz"
    with (
        gzip.open(snapshot, "rt", encoding="utf-8") as src,
        gzip.open(scryfall / "cards.jsonl.gz", "wt", encoding="utf-8") as out,
    ):
        for line in src:
            if '"name"' not in line:
                continue
            card = json.loads(line)
            if card.get("name") in names or any(
                face.get("name") in names for face in card.get("card_faces") or ()
            ):
                out.write(json.dumps(card) + "\n")
    pokemon = dest / "pokemontcg"
    (pokemon / "cards" / "en").mkdir(parents=True)
    (pokemon / "sets").mkdir()
    for set_id in ("base1", "sv3pt5"):
        shutil.copy(
            shared / "pokemon-tcg-data" / "cards" / "en" / f"{set_id}.json",
            pokemon / "cards" / "en" / f"{set_id}.json",
        )
    shutil.copy(shared / "pokemon-tcg-data" / "sets" / "en.json", pokemon / "sets" / "en.json")
    ygo = dest / "ygoprodeck" / "data"
    (ygo / "cardsets").mkdir(parents=True)
    for set_file in ("legend of blue eyes white dragon.json", "phantom nightmare.json"):
        shutil.copy(
            shared / "ygoprodeck-cardsets" / "data" / "cardsets" / set_file,
            ygo / "cardsets" / set_file,
        )
    shutil.copy(shared / "ygoprodeck-cardsets" / "data" / "cardsets.json", ygo / "cardsets.json")
    optcg = dest / "optcg"
    shutil.copytree(REPO / "tests" / "fixtures" / "optcg", optcg)
    return {
        "scryfall": [scryfall],
        "pokemontcg": [pokemon],
        "ygoprodeck": [dest / "ygoprodeck"],
        "optcg": [optcg],
    }
