"""The real seller exports the matching benchmark and the decision table read (../shared/data;
the gold evaluation's own lists are in matching/gold/sets.py)."""

from __future__ import annotations

from pathlib import Path

from matching.gold.data import exports_dir

#: Every real export, one per tool at least (decision distribution, benchmark).
ALL = (
    "dragonshield-biestervictor/all-folders.csv",
    "moxfield-SaintGabriel602/Collection102125.csv",
    "collx-940smiley/download_RecoveredTreasures-2025-05-14-071313.csv",
    "dragonshield-acquadrod/all-folders.csv",
    "dragonshield-ygo-MadisK2/all-folders.csv",
    "ygo-collection-PepeFranco/collection.json",
    "ebay-pokemon-titles-usmanismail677/ebay_pokemon_cards.csv",
    "mtgcsvhelper/Collection/moxfield-haves.csv",
    "mtgcsvhelper/Collection/mtggoldfish-from-mtgarena.csv",
    "mtgcsvhelper/Collection/manabox-collection.csv",
    "mtgcsvhelper/Collection/topdecked-collection.csv",
    "mtgcsvhelper/Collection/dragonshield-collection.csv",
    "mtgcsvhelper/Collection/tcgplayer-collection-old.csv",
    "mtgcsvhelper/Collection/tcgplayer-collection.csv",
    "mtgcsvhelper/Collection/mtggoldfish-collection.csv",
    "mtgcsvhelper/Collection/moxfield_pauper_cube.csv",
    "mtgcsvhelper/Collection/mtgo-collection.csv",
    "mtgcsvhelper/Tests/archidekt-real-export.csv",
    "mtgcsvhelper/Tests/cardmarket-real-export.csv",
    "mtgcsvhelper/Tests/deckbox-real-export.csv",
)


def paths(names: tuple[str, ...]) -> list[Path]:
    base = exports_dir()
    return [base / name for name in names]
