"""Where the gold data lives: the shared real data read in place (`SIDEDECKED_SHARED_DATA`),
the exports the gold sets read, and the hand-written label files under bench/match/gold/."""

from __future__ import annotations

import csv
from pathlib import Path

from models.settings import get_settings

#: The hand-written labels (in a checkout of the repository).
GOLD_DIR = Path(__file__).resolve().parents[2] / "bench" / "match" / "gold"
#: Real Magic exports whose rows carry Scryfall or TCGplayer product ids (the labels).
MAGIC_EXPORTS = (
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
YUGIOH_DRAGONSHIELD = "dragonshield-ygo-MadisK2/all-folders.csv"
YUGIOH_COLLECTION = "ygo-collection-PepeFranco/collection.json"
EBAY_POKEMON = "ebay-pokemon-titles-usmanismail677/ebay_pokemon_cards.csv"


class GoldDataMissing(RuntimeError):
    """The shared data or the hand-written labels are not where they should be."""


def shared_data() -> Path:
    return get_settings().sidedecked_shared_data


def exports_dir() -> Path:
    return shared_data() / "seller-exports"


def check_available() -> None:
    """Raise `GoldDataMissing` naming what is missing."""
    if not GOLD_DIR.is_dir():
        raise GoldDataMissing(f"no hand-written labels at {GOLD_DIR} (run from a checkout)")
    if not exports_dir().is_dir():
        raise GoldDataMissing(f"no shared data at {shared_data()} (SIDEDECKED_SHARED_DATA)")


def label_file(name: str) -> list[dict[str, str]]:
    """A hand-written label file: `#` comment lines, then a CSV header and rows."""
    text = (GOLD_DIR / name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines))
