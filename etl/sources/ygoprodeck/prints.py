"""Yu-Gi-Oh! printings from YGOProDeck `card_sets[]` entries: set, language, SKU number, finishes.

A printing is one `(set_code, set_rarity)` pair, e.g. `("LOB-EN001", "Ultra Rare")`. The set
code `LOB-EN001` splits into the set prefix `LOB`, the region `EN` and the number `001`:

* the catalog set is the prefix (`LOB`), upper-cased;
* the language comes from the region (`EN`/`E`/`AE`/none -> EN, `DE`/`G` -> DE, ...);
* the SKU number is the number plus the rarity code (`001UR`); regions that are not the
  standard two-letter code of their language keep a marker in front of the number so that
  `LOB-001`, `LOB-E001` and `LOB-EN001` (all English) never share a SKU: `E` and the other
  one-letter regions keep their letter (`E001UR`), `AE` keeps `AE`, no region gets `NA`.

See docs/sources-ygo-optcg.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from models.sku import encode_token

GAME = "YUGIOH"

#: Standard two-letter regions: the language carries them, so the SKU number drops them.
_REGIONS_2 = {
    "EN": "EN",
    "DE": "DE",
    "FR": "FR",
    "IT": "IT",
    "SP": "ES",
    "PT": "PT",
    "JP": "JP",
    "KR": "KO",
}
#: Regions kept as a marker in the SKU number (they share a language with a standard region).
_REGIONS_MARKED = {"AE": "EN"}
#: Old one-letter regions (2002-2004), only before an all-digit number (`LOB-E001`).
_REGIONS_1 = {
    "E": "EN",
    "G": "DE",
    "F": "FR",
    "I": "IT",
    "S": "ES",
    "P": "PT",
    "J": "JP",
    "K": "KO",
}
_NO_REGION_MARKER = "NA"

_SUFFIX_2_RE = re.compile(r"^(EN|DE|FR|IT|SP|PT|JP|KR|AE)([A-Z0-9?]+)$")
_SUFFIX_1_RE = re.compile(r"^([EGFISPJK])([0-9]+)$")
_DIGITS_RE = re.compile(r"[0-9]+")

#: Rarity codes for rarity names YGOProDeck publishes without one (or inconsistently); the
#: code is derived from the NAME so one printing always gets the same SKU.
_RARITY_CODES = {
    "Common": "C",
    "Rare": "R",
    "Super Rare": "SR",
    "Ultra Rare": "UR",
    "Secret Rare": "ScR",
    "Ultimate Rare": "UtR",
    "Quarter Century Secret Rare": "QCScR",
    "Ultra Rare (Pharaoh's Rare)": "URPR",
    "Normal Parallel Rare": "NPR",
    "Starfoil": "SF",
    "Extra Secret Rare": "EScR",
    "Duel Terminal Normal Rare Parallel Rare": "DNRPR",
}

#: Set names whose cards exist only as Limited Edition (promos, collectible tins, special and
#: deluxe editions, collector boxes, participation/prize cards...).
_LIMITED_RE = re.compile(
    r"promo|collect\w* tins?\b|collector'?s? (box|edition)|special edition|deluxe edition|"
    r"advance edition|sneak peek|participation|subscription|shonen jump|championship|prize|"
    r"lost art|hobby league|duelist league|premiere|mattel|sample|launch event|"
    r"limited (edition|pack)|sweepstakes|collaboration|distribution card|advent calendar|duel disk|"
    r"gold series",
    re.IGNORECASE,
)
#: Set names whose cards exist only as Unlimited (arcade, tournament and reprint-only series).
_UNLIMITED_RE = re.compile(
    r"duel terminal|tournament pack|champion pack|turbo pack|astral pack|demo (deck|pack)|"
    r"dark beginning|dark revelation|dark legends",
    re.IGNORECASE,
)
_PROMO_RE = re.compile(
    r"promo|sneak peek|participation|subscription|shonen jump|championship|prize|lost art|"
    r"hobby league|duelist league|premiere|mattel|sample",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class SetCode:
    """A parsed print set code such as `LOB-EN001`."""

    raw: str  # "LOB-EN001"
    prefix: str  # "LOB" (upper-cased)
    region: str  # "EN", "E", "AE", "" ...
    number: str  # "001", "A13", "SE2", "0??"
    language: str  # SKU language

    @property
    def marker(self) -> str:
        if self.region in _REGIONS_2:
            return ""
        return self.region or _NO_REGION_MARKER


def parse_set_code(raw: str) -> SetCode | None:
    """Split a print set code; None when it has no `-` or no number (`DB32`)."""
    code = raw.strip().upper()
    prefix, dash, suffix = code.partition("-")
    if not dash or not prefix or not suffix:
        return None
    if m := _SUFFIX_2_RE.match(suffix):
        region, number = m.group(1), m.group(2)
        language = _REGIONS_2.get(region) or _REGIONS_MARKED[region]
    elif m := _SUFFIX_1_RE.match(suffix):
        region, number = m.group(1), m.group(2)
        language = _REGIONS_1[region]
    else:
        region, number, language = "", suffix, "EN"
    return SetCode(raw=code, prefix=prefix, region=region, number=number, language=language)


def rarity_code(rarity: str, upstream_code: str | None) -> str:
    """`Ultra Rare` -> `UR`; upstream `(UR)`-style codes for other names; else `X` + name."""
    if rarity in _RARITY_CODES:
        return _RARITY_CODES[rarity]
    code = (upstream_code or "").strip().strip("()").strip()
    if code:
        return code
    return "X" + re.sub(r"[^A-Za-z0-9]", "", rarity).upper()[:12]


def sku_number(parsed: SetCode, rar_code: str) -> str:
    """SKU number token: region marker + number + rarity code (`LOB-E021` Rare -> `E021R`)."""
    return encode_token(f"{parsed.marker}{parsed.number}{rar_code}")


def finishes_for(set_name: str) -> list[str]:
    """Editions a printing exists in, from its product name (see the docs for the rule)."""
    if _LIMITED_RE.search(set_name):
        return ["LIMITED"]
    if _UNLIMITED_RE.search(set_name):
        return ["UNLIMITED"]
    return ["1ST", "UNLIMITED"]


def is_promo(set_name: str) -> bool:
    return bool(_PROMO_RE.search(set_name))


def number_sort(number: str) -> int | None:
    m = _DIGITS_RE.search(number)
    return int(m.group(0)) if m else None


def print_key(entry: dict[str, Any]) -> str:
    return f"{str(entry.get('set_code') or '').strip().upper()}|{entry.get('set_rarity') or ''}"
