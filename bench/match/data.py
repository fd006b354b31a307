"""The real seller exports the matching evaluation and benchmark read (../shared/data)."""

from __future__ import annotations

from pathlib import Path

from models.settings import get_settings


def exports_dir() -> Path:
    return get_settings().sidedecked_shared_data / "seller-exports"


#: Exports whose rows carry a Scryfall id or a TCGplayer product id (gold labels), MTG.
LABELLED = (
    "mtgcsvhelper/Collection/manabox-collection.csv",
    "mtgcsvhelper/Collection/topdecked-collection.csv",
    "mtgcsvhelper/Collection/tcgplayer-collection-old.csv",
    "mtgcsvhelper/Collection/tcgplayer-collection.csv",
    "mtgcsvhelper/Collection/mtggoldfish-collection.csv",
    "mtgcsvhelper/Tests/archidekt-real-export.csv",
    "mtgcsvhelper/Tests/deckbox-real-export.csv",
    "mtgcsvhelper/Tests/manabox-real-export.csv",
    "mtgcsvhelper/Tests/topdecked-real-export.csv",
)
#: Yu-Gi-Oh! rows labelled by passcode + set number (any rarity of that number is right).
LABELLED_YUGIOH = ("ygo-collection-PepeFranco/collection.json",)
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
