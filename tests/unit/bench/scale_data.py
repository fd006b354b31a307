"""A tiny shared-data tree in the upstream formats, for the 10x generator's tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

BOLT = {
    "object": "card",
    "id": "11111111-1111-4111-8111-111111111111",
    "oracle_id": "aaaaaaaa-1111-4111-8111-111111111111",
    "name": "Lightning Bolt",
    "lang": "en",
    "set": "lea",
    "set_name": "Limited Edition Alpha",
    "collector_number": "161",
    "rarity": "common",
    "type_line": "Instant",
    "oracle_text": "Lightning Bolt deals 3 damage to any target.",
    "mana_cost": "{R}",
    "cmc": 1.0,
    "colors": ["R"],
    "nonfoil": True,
    "foil": False,
    "released_at": "1993-08-05",
    "tcgplayer_id": 1234,
    "prices": {"usd": "400.00"},
}
#: A Spanish print of the same card the shared data already holds: no `es` is generated for it.
BOLT_ES = {
    **BOLT,
    "id": "22222222-2222-4222-8222-222222222222",
    "lang": "es",
    "printed_name": "Rayo",
    "tcgplayer_id": None,
}
DELVER = {
    "object": "card",
    "id": "33333333-3333-4333-8333-333333333333",
    "oracle_id": "bbbbbbbb-3333-4333-8333-333333333333",
    "name": "Delver of Secrets // Insectile Aberration",
    "lang": "en",
    "set": "isd",
    "set_name": "Innistrad",
    "collector_number": "51",
    "rarity": "common",
    "layout": "transform",
    "nonfoil": True,
    "foil": True,
    "card_faces": [
        {"name": "Delver of Secrets", "type_line": "Creature — Human Wizard", "mana_cost": "{U}"},
        {"name": "Insectile Aberration", "type_line": "Creature — Human Insect"},
    ],
}
DIGITAL = {
    **BOLT,
    "id": "44444444-4444-4444-8444-444444444444",
    "set": "pz1",
    "collector_number": "7",
    "digital": True,
}

POKEMON_SETS = [
    {
        "id": "base1",
        "name": "Base",
        "series": "Base",
        "printedTotal": 102,
        "total": 102,
        "ptcgoCode": "BS",
        "releaseDate": "1999/01/09",
    }
]
POKEMON_CARDS = [
    {
        "id": "base1-4",
        "name": "Charizard",
        "supertype": "Pokémon",
        "subtypes": ["Stage 2"],
        "hp": "120",
        "types": ["Fire"],
        "number": "4",
        "rarity": "Rare Holo",
        "attacks": [{"name": "Fire Spin", "cost": ["Fire"], "damage": "100", "text": ""}],
    },
    {
        "id": "base1-91",
        "name": "Bill",
        "supertype": "Trainer",
        "number": "91",
        "rarity": "Common",
    },
]

YGO_SETS = [
    {"set_name": "Legend of Blue Eyes White Dragon", "set_code": "LOB", "num_of_cards": 126},
    {"set_name": "Starter Deck: Yugi", "set_code": "SDY", "num_of_cards": 50},
]
YGO_CARD = {
    "id": 89631139,
    "name": "Blue-Eyes White Dragon",
    "type": "Normal Monster",
    "frameType": "normal",
    "desc": "This legendary dragon is a powerful engine of destruction.",
    "atk": 3000,
    "def": 2500,
    "level": 8,
    "race": "Dragon",
    "attribute": "LIGHT",
    "ygoprodeck_url": "https://ygoprodeck.com/card/blue-eyes-white-dragon-7485",
    "card_sets": [
        {
            "set_name": "Legend of Blue Eyes White Dragon",
            "set_code": "LOB-EN001",
            "set_rarity": "Ultra Rare",
            "set_rarity_code": "(UR)",
            "set_price": "100",
        },
        {
            "set_name": "Legend of Blue Eyes White Dragon",
            "set_code": "LOB-E001",
            "set_rarity": "Ultra Rare",
            "set_rarity_code": "(UR)",
            "set_price": "90",
        },
        {
            "set_name": "Starter Deck: Yugi",
            "set_code": "SDY-001",
            "set_rarity": "Common",
            "set_rarity_code": "(C)",
            "set_price": "5",
        },
    ],
}


def write_json(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8")


def make_shared_data(root: Path) -> Path:
    """`root` laid out as ../shared/data (the folders bench.catalog.INPUTS names)."""
    snapshot = root / "scryfall-2019-snapshot" / "cards.jsonl"
    snapshot.parent.mkdir(parents=True)
    snapshot.write_text(
        "".join(json.dumps(c) + "\n" for c in (BOLT, BOLT_ES, DELVER, DIGITAL)), encoding="utf-8"
    )
    # a fixture file repeating a snapshot print: generated once
    write_json(root / "scryfall-fixtures" / "repeat.json", [BOLT])
    write_json(root / "pokemon-tcg-data" / "sets" / "en.json", POKEMON_SETS)
    write_json(root / "pokemon-tcg-data" / "cards" / "en" / "base1.json", POKEMON_CARDS)
    write_json(root / "ygoprodeck-cardsets" / "data" / "cardsets.json", YGO_SETS)
    # an alternate artwork: another passcode of the same card with the same printings
    alternate = {**YGO_CARD, "id": 89631140}
    for name in ("legend of blue eyes white dragon", "starter deck yugi"):
        path = root / "ygoprodeck-cardsets" / "data" / "cardsets" / f"{name}.json"
        write_json(path, [YGO_CARD, alternate])
    return root
