"""A small fixed corpus of real cards (as search documents) for the backend-contract suite."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from indexer.analysis import set_code_synonyms
from indexer.documents import SkuSummary, build_document
from models.games import GAME_IDS

SETS = {
    "LEA": {"code": "LEA", "name": "Limited Edition Alpha", "released_at": date(1993, 8, 5)},
    "M10": {"code": "M10", "name": "Magic 2010", "released_at": date(2009, 7, 17)},
    "2XM": {"code": "2XM", "name": "Double Masters", "released_at": date(2020, 8, 7)},
    "RAV": {"code": "RAV", "name": "Ravnica: City of Guilds", "released_at": date(2005, 10, 7)},
    "LEG": {"code": "LEG", "name": "Legends", "released_at": date(1994, 6, 1)},
    "DOM": {"code": "DOM", "name": "Dominaria", "released_at": date(2018, 4, 27)},
    "ALL": {"code": "ALL", "name": "Alliances", "released_at": date(1996, 6, 10)},
    "ISD": {"code": "ISD", "name": "Innistrad", "released_at": date(2011, 9, 30)},
    "EPO": {
        "code": "EPO",
        "name": "Emerging Powers",
        "released_at": date(2011, 8, 31),
        "printed_total": 98,
    },
    "HS": {
        "code": "HS",
        "name": "HeartGold & SoulSilver",
        "aliases": ["HGSS"],
        "released_at": date(2010, 2, 10),
        "printed_total": 123,
    },
    "SV3PT5": {
        "code": "SV3PT5",
        "name": "151",
        "aliases": ["MEW"],
        "released_at": date(2023, 9, 22),
        "printed_total": 165,
    },
    "SV2": {
        "code": "SV2",
        "name": "Paldea Evolved",
        "aliases": ["PAL"],
        "released_at": date(2023, 6, 9),
        "printed_total": 193,
    },
    "LOB": {
        "code": "LOB",
        "name": "Legend of Blue Eyes White Dragon",
        "released_at": date(2002, 3, 8),
    },
    "OP01": {"code": "OP01", "name": "Romance Dawn", "released_at": date(2022, 12, 2)},
}

CARDS = {
    1: (
        "MTG",
        {
            "name": "Lightning Bolt",
            "types": ["Instant"],
            "type_line": "Instant",
            "colors": ["R"],
            "color_identity": ["R"],
            "mana_value": 1,
            "rules_text": "Lightning Bolt deals 3 damage to any target.",
        },
    ),
    2: (
        "MTG",
        {
            "name": "Lightning Helix",
            "types": ["Instant"],
            "colors": ["R", "W"],
            "color_identity": ["R", "W"],
            "mana_value": 2,
            "rules_text": "Lightning Helix deals 3 damage to any target and you gain 3 life.",
        },
    ),
    3: (
        "MTG",
        {
            "name": "Chain Lightning",
            "types": ["Sorcery"],
            "colors": ["R"],
            "color_identity": ["R"],
            "mana_value": 1,
        },
    ),
    4: (
        "MTG",
        {
            "name": "Boltwing Marauder",
            "types": ["Creature"],
            "colors": ["B", "R"],
            "color_identity": ["B", "R"],
            "mana_value": 5,
            "power": 5,
            "defense": 4,
        },
    ),
    5: (
        "MTG",
        {
            "name": "Lim-Dûl's Vault",
            "types": ["Instant"],
            "colors": ["U", "B"],
            "color_identity": ["U", "B"],
            "mana_value": 2,
        },
    ),
    6: (
        "MTG",
        {
            "name": "Delver of Secrets // Insectile Aberration",
            "face_names": ["Delver of Secrets", "Insectile Aberration"],
            "types": ["Creature"],
            "colors": ["U"],
            "color_identity": ["U"],
            "mana_value": 1,
            "power": 1,
            "defense": 1,
        },
    ),
    7: ("POKEMON", {"name": "Pokémon Catcher", "supertypes": ["Trainer"]}),
    8: ("POKEMON", {"name": "Pokégear 3.0", "supertypes": ["Trainer"]}),
    9: (
        "POKEMON",
        {"name": "Charizard ex", "supertypes": ["Pokémon"], "hp": 330, "energy_types": ["Fire"]},
    ),
    10: (
        "POKEMON",
        {"name": "Pikachu", "supertypes": ["Pokémon"], "hp": 60, "energy_types": ["Lightning"]},
    ),
    11: (
        "YUGIOH",
        {
            "name": "Dark Magician",
            "types": ["Monster"],
            "attributes": ["DARK"],
            "level": 7,
            "atk": 2500,
            "def_": 2100,
        },
    ),
    12: (
        "OPTCG",
        {
            "name": "Monkey.D.Luffy",
            "types": ["Character"],
            "colors": ["Red"],
            "attributes": ["Strike"],
            "cost": 5,
            "power": 6000,
            "counter": 1000,
        },
    ),
}

# print id: (card id, set, number, rarity, language, finishes, sku summary kwargs)
PRINTS = {
    101: (
        1,
        "LEA",
        "161",
        "common",
        "EN",
        ["NORMAL"],
        {"min_price": "300", "is_available_b2c": True, "conditions": ["LP"], "popularity": 90000},
    ),
    102: (
        1,
        "M10",
        "146",
        "common",
        "EN",
        ["NORMAL", "FOIL"],
        {
            "min_price": "1.00",
            "is_available_c2c": True,
            "conditions": ["NM"],
            "finishes": ["FOIL"],
            "popularity": 5000,
        },
    ),
    103: (
        1,
        "2XM",
        "129",
        "uncommon",
        "EN",
        ["NORMAL", "FOIL"],
        {
            "min_price": "0.50",
            "is_available_b2c": True,
            "conditions": ["NM", "LP"],
            "finishes": ["NORMAL"],
            "popularity": 7000,
        },
    ),
    104: (
        2,
        "RAV",
        "213",
        "uncommon",
        "EN",
        ["NORMAL", "FOIL"],
        {"min_price": "0.50", "is_available_b2c": True, "conditions": ["NM"], "popularity": 800},
    ),
    105: (
        3,
        "LEG",
        "137",
        "common",
        "EN",
        ["NORMAL"],
        {"min_price": "20", "is_available_b2c": True},
    ),
    106: (4, "DOM", "192", "uncommon", "EN", ["NORMAL", "FOIL"], {}),
    107: (5, "ALL", "43", "common", "EN", ["NORMAL"], {"market_price": "2.00"}),
    108: (
        6,
        "ISD",
        "51",
        "common",
        "EN",
        ["NORMAL", "FOIL"],
        {"min_price": "0.25", "is_available_c2c": True, "popularity": 300},
    ),
    109: (7, "EPO", "95", "Uncommon", "EN", ["NORMAL", "REVERSE_HOLO"], {}),
    110: (8, "HS", "96", "Uncommon", "EN", ["NORMAL", "REVERSE_HOLO"], {}),
    111: (
        9,
        "SV3PT5",
        "199",
        "Special Illustration Rare",
        "EN",
        ["HOLO"],
        {"min_price": "110", "is_available_b2c": True, "popularity": 20000},
    ),
    112: (
        10,
        "SV2",
        "62",
        "Common",
        "EN",
        ["NORMAL", "REVERSE_HOLO"],
        {"min_price": "0.10", "is_available_b2c": True},
    ),
    113: (10, "SV2", "62", "Common", "JP", ["NORMAL"], {}),
    114: (
        11,
        "LOB",
        "LOB-EN005",
        "Ultra Rare",
        "EN",
        ["1ST", "UNLIMITED"],
        {"min_price": "25", "is_available_c2c": True},
    ),
    115: (
        12,
        "OP01",
        "OP01-024",
        "SR",
        "EN",
        ["FOIL"],
        {"min_price": "3.50", "is_available_b2c": True},
    ),
}

CARD_NAMES = {card_id: fields["name"] for card_id, (_, fields) in CARDS.items()}
SET_IDS = {code: n for n, code in enumerate(SETS, start=1)}


def _skus(spec: dict) -> SkuSummary | None:
    if not spec:
        return None
    spec = dict(spec)
    for key in ("min_price", "market_price"):
        if key in spec:
            spec[key] = Decimal(spec[key])
    if "min_price" in spec:
        spec.setdefault("max_price", spec["min_price"])
    return SkuSummary(sku_count=10, **spec)


def documents() -> list[dict]:
    docs = []
    heads = {}  # card id -> its lowest print id, as indexer.catalog.CARD_HEAD marks it
    for print_id, (card_id, *_) in PRINTS.items():
        heads[card_id] = min(print_id, heads.get(card_id, print_id))
    for print_id, (card_id, set_code, number, rarity, language, finishes, skus) in PRINTS.items():
        game, card = CARDS[card_id]
        print_ = {
            "id": print_id,
            "card_id": card_id,
            "set_id": SET_IDS[set_code],
            "game_id": GAME_IDS[game],
            "collector_number": number,
            "number_sort": int("".join(ch for ch in number.split("-")[-1] if ch.isdigit()) or 0),
            "sku_number": number,
            "language": language,
            "rarity": rarity,
            "finishes": finishes,
            "card_head": heads[card_id] == print_id,
        }
        card_set = {"aliases": [], **SETS[set_code]}
        docs.append(build_document(print_=print_, card=card, card_set=card_set, skus=_skus(skus)))
    return docs


def synonyms() -> list[str]:
    return set_code_synonyms((s["code"], s.get("aliases", [])) for s in SETS.values())


def names(result) -> list[str]:
    return [hit.document["name"] for hit in result.hits]


def print_ids(result) -> list[int]:
    return [hit.document["print_id"] for hit in result.hits]


def zoro_and_sanji() -> dict:
    """Roronoa Zoro & Sanji (ST12-001), a One Piece Leader with two attributes and colours, as
    a document of card 13 / print 116 (outside the corpus: tests add it to a fresh engine)."""
    return build_document(
        print_={
            "id": 116,
            "card_id": 13,
            "set_id": len(SETS) + 1,
            "game_id": GAME_IDS["OPTCG"],
            "collector_number": "ST12-001",
            "number_sort": 1,
            "sku_number": "001",
            "language": "EN",
            "rarity": "L",
            "finishes": ["FOIL"],
            "card_head": True,  # the card's only print
        },
        card={
            "name": "Roronoa Zoro & Sanji",
            "types": ["Leader"],
            "subtypes": ["Straw Hat Crew"],
            "colors": ["Green", "Blue"],
            "attributes": ["Slash", "Strike"],
            "power": 5000,
            "life": 4,
        },
        card_set={"code": "ST12", "name": "Zoro & Sanji", "aliases": []},
    )
