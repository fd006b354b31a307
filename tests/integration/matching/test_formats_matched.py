"""Every export format in ../shared/data/seller-exports is read AND matched: one result per
record, against the real catalog subset."""

from __future__ import annotations

import collections

import pytest

from matching.decisions import default_thresholds
from matching.formats import read_inventory

pytestmark = [pytest.mark.integration, pytest.mark.shared_data]

#: (export, format it is detected as, whether some rows must auto-match the subset catalog)
EXPORTS = [
    ("mtgcsvhelper/Collection/tcgplayer-collection-old.csv", "tcgplayer", True),
    ("mtgcsvhelper/Tests/tcgplayer-real-export.csv", "tcgplayer", False),
    ("mtgcsvhelper/Collection/manabox-collection.csv", "manabox", True),
    ("mtgcsvhelper/Tests/manabox-real-export.csv", "manabox", False),
    ("moxfield-SaintGabriel602/Collection102125.csv", "moxfield", True),
    ("mtgcsvhelper/Tests/moxfield-real-export.csv", "moxfield", False),
    ("dragonshield-biestervictor/all-folders.csv", "dragonshield", True),
    ("dragonshield-acquadrod/all-folders.csv", "dragonshield", True),
    ("dragonshield-ygo-MadisK2/all-folders.csv", "dragonshield", True),
    ("mtgcsvhelper/Tests/deckbox-real-export.csv", "deckbox", True),
    ("mtgcsvhelper/Tests/archidekt-real-export.csv", "archidekt", True),
    ("mtgcsvhelper/Tests/cardmarket-real-export.csv", "cardmarket", False),
    ("mtgcsvhelper/Collection/topdecked-collection.csv", "topdecked", True),
    ("mtgcsvhelper/Tests/topdecked-real-export.csv", "topdecked", False),
    ("mtgcsvhelper/Collection/mtggoldfish-collection.csv", "mtggoldfish", False),
    ("mtgcsvhelper/Tests/mtggoldfish-real-export.csv", "mtggoldfish", False),
    ("mtgcsvhelper/Collection/mtgo-collection.csv", "mtgo", True),
    ("collx-940smiley/download_RecoveredTreasures-2025-05-14-071313.csv", "collx", True),
    ("ygo-collection-PepeFranco/collection.json", "ygo_collection", False),
    ("ebay-pokemon-titles-usmanismail677/ebay_pokemon_cards.csv", "titles", False),
]


@pytest.mark.parametrize(
    ("export", "expected_format", "some_auto"), EXPORTS, ids=[e[0].split("/")[-1] for e in EXPORTS]
)
def test_export_is_read_and_matched(matcher, shared_data, export, expected_format, some_auto):
    inventory = read_inventory(shared_data / "seller-exports" / export)
    assert inventory.detected_format == expected_format
    thresholds = default_thresholds()
    counts: collections.Counter[str] = collections.Counter()
    rows = 0
    for row in inventory:
        rows += 1
        result = matcher.match(row.listing, thresholds=thresholds, error=row.error)
        counts[result.decision] += 1
        assert result.decision in ("auto", "review", "none", "error")
        if row.error:
            assert result.decision == "error" and result.reason == row.error
        elif result.decision in ("auto", "review"):
            assert result.best is not None and result.best.sku.startswith(result.best.game)
            assert 0.0 <= result.best.confidence <= 1.0
        else:
            assert result.reason
    assert rows > 0 and sum(counts.values()) == rows  # one result per record
    if some_auto:
        assert counts["auto"] > 0, counts


def test_generic_mapping_on_a_real_export(matcher, shared_data) -> None:
    """A CSV no tool wrote: the Dragon Shield file read through a caller's column mapping."""
    path = shared_data / "seller-exports/dragonshield-acquadrod/all-folders.csv"
    mapping = {
        "name": "CardName",
        "set_code": "SetCode",
        "number": "CardNumber",
        "quantity": "Quantity",
        "language": "Language",
    }
    inventory = read_inventory(path, format="generic", mapping=mapping, game="MTG")
    assert inventory.detected_format == "generic"
    thresholds = default_thresholds()
    decisions = collections.Counter(
        matcher.match(r.listing, thresholds=thresholds, error=r.error).decision for r in inventory
    )
    assert sum(decisions.values()) == sum(1 for _ in read_inventory(path))
    assert decisions["auto"] > 0
