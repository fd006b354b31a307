"""Which SKU finishes a Pokémon print exists in.

The repository data carries no finish list, so this is a documented heuristic (rarity, era and
product; see docs/sources-mtg-pokemon.md). When an API card carries `tcgplayer.prices`, its
keys are the finishes TCGplayer sells, and they win over the heuristic.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from etl.records import SetRecord
from models.sku import FINISHES

#: TCGplayer price keys (pokemontcg.io `tcgplayer.prices`) -> SKU finishes.
TCGPLAYER_PRICE_FINISHES = {
    "normal": "NORMAL",
    "holofoil": "HOLO",
    "reverseHolofoil": "REVERSE_HOLO",
    "1stEditionHolofoil": "1ST_HOLO",
    "1stEditionNormal": "1ST",
    "unlimitedHolofoil": "UNLIMITED_HOLO",
    "1stEdition": "1ST",
    "unlimited": "UNLIMITED",
}

#: WotC sets printed in 1st Edition and Unlimited runs.
FIRST_EDITION_SETS = frozenset(
    {"base1", "base2", "base3", "base5", "gym1", "gym2", "neo1", "neo2", "neo3", "neo4"}
)
#: Legendary Collection (2002-05-24) introduced reverse holos; main sets have them since.
REVERSE_HOLO_FROM = date(2002, 5, 24)
#: From Scarlet & Violet on, the plain "Rare" rarity is printed holofoil.
RARE_IS_HOLO_FROM = date(2023, 3, 31)
#: From Diamond & Pearl on, black star promos are (mostly) holofoil.
PROMO_IS_HOLO_FROM = date(2007, 5, 1)
#: Special products without reverse holos (also every mcd*, tk*, pop* set and promo set).
NO_REVERSE_SETS = frozenset(
    {
        "si1",
        "bp",
        "ru1",
        "xy0",
        "dv1",
        "fut20",
        "det1",
        "cel25",
        "cel25c",
        "sma",
        "swsh45sv",
        "sve",
        "swsh9tg",
        "swsh10tg",
        "swsh11tg",
        "swsh12tg",
        "swsh12pt5gg",
    }
)
NO_REVERSE_PREFIXES = ("mcd", "tk", "pop")
#: Products whose every card is holofoil whatever its rarity says.
ALL_HOLO_SETS = frozenset({"cel25", "cel25c", "dv1"})
#: Rarities that exist as non-holo (Common/Uncommon/Rare) or holo cards with reverse holos.
REVERSE_RARITIES = frozenset({"Common", "Uncommon", "Rare", "Rare Holo"})
NON_HOLO_RARITIES = frozenset({"Common", "Uncommon", "Rare"})


def finishes_for(card: dict[str, Any], set_record: SetRecord) -> list[str]:
    from_prices = _from_tcgplayer_prices(card)
    if from_prices:
        return from_prices
    set_id = str(set_record.external_ids.get("pokemon_tcg") or set_record.code).lower()
    released = set_record.released_at or date.max
    rarity = card.get("rarity") if isinstance(card.get("rarity"), str) else None
    rarity = rarity.strip() or None if rarity else None
    number = str(card.get("number") or "")

    holo = _is_holo(rarity, set_id, released)
    if set_id in FIRST_EDITION_SETS:
        return ["1ST_HOLO", "UNLIMITED_HOLO"] if holo else ["NORMAL", "1ST"]
    found = ["HOLO" if holo else "NORMAL"]
    if _has_reverse(rarity, set_id, set_record, released, number):
        found.append("REVERSE_HOLO")
    return found


def _from_tcgplayer_prices(card: dict[str, Any]) -> list[str]:
    tcgplayer = card.get("tcgplayer")
    prices = tcgplayer.get("prices") if isinstance(tcgplayer, dict) else None
    if not isinstance(prices, dict):
        return []
    found = {TCGPLAYER_PRICE_FINISHES[k] for k in prices if k in TCGPLAYER_PRICE_FINISHES}
    return [f for f in FINISHES if f in found]


def _is_holo(rarity: str | None, set_id: str, released: date) -> bool:
    if set_id in ALL_HOLO_SETS:
        return True
    if rarity is None:
        return False
    if rarity == "Promo":
        return released >= PROMO_IS_HOLO_FROM
    if rarity == "Rare":
        return released >= RARE_IS_HOLO_FROM
    return rarity not in NON_HOLO_RARITIES


def _has_reverse(
    rarity: str | None, set_id: str, set_record: SetRecord, released: date, number: str
) -> bool:
    if released < REVERSE_HOLO_FROM or rarity not in REVERSE_RARITIES:
        return False
    if set_id in NO_REVERSE_SETS or set_id.startswith(NO_REVERSE_PREFIXES):
        return False
    if "promo" in set_record.name.lower():
        return False
    if not number.isdigit():  # subset cards: TG01, RC5, SV12, H3, ...
        return False
    total = set_record.printed_total
    return total is None or int(number) <= total  # secret rares have no reverse holo
