"""Rarity tiers: one rank scale for every game, so that `r>=rare` means the same tier
everywhere (query language) and search documents carry the same `rarity_rank` (indexer)."""

from __future__ import annotations

import re
import unicodedata


def fold(value: str) -> str:
    """Lower-case, accent-blind, with every run of non-alphanumerics turned into one space."""
    decomposed = unicodedata.normalize("NFKD", value)
    ascii_ish = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(
        re.sub(r"[\W_]+", " ", ascii_ish.lower().replace("'", "").replace("\u2019", "")).split()
    )


# Rarities: one rank scale for every game so that `r>=rare` means the same tier everywhere.
#   1 common · 2 uncommon · 3 rare · 4 special/holo/super · 5 mythic/ultra · 6 bonus/secret
# `None`: the rarity has no rank (promos) and never matches a rarity comparison.
# --------------------------------------------------------------------------------------------

RARITY_TIERS = {1: "common", 2: "uncommon", 3: "rare", 4: "special", 5: "mythic", 6: "bonus"}

#: Per game: canonical rarity value (as the upstream spells it) -> rank.
RARITY_RANKS: dict[str, dict[str, int | None]] = {
    "MTG": {"common": 1, "uncommon": 2, "rare": 3, "special": 4, "mythic": 5, "bonus": 6},
    "POKEMON": {
        "Common": 1, "Uncommon": 2, "Rare": 3,
        "Rare Holo": 4, "Double Rare": 4, "Rare Holo EX": 4, "Rare Holo GX": 4,
        "Rare Holo V": 4, "Rare Holo VMAX": 4, "Rare Holo VSTAR": 4, "Rare Holo LV.X": 4,
        "Rare BREAK": 4, "Rare Prime": 4, "Rare Prism Star": 4, "Rare Holo Star": 4,
        "Rare ACE": 4, "ACE SPEC Rare": 4, "Radiant Rare": 4, "Amazing Rare": 4, "LEGEND": 4,
        "Classic Collection": 4, "Black White Rare": 4,
        "Rare Ultra": 5, "Ultra Rare": 5, "Illustration Rare": 5, "Trainer Gallery Rare Holo": 5,
        "Rare Shiny": 5, "Shiny Rare": 5, "Rare Shining": 5, "Rare Shiny GX": 5,
        "MEGA_ATTACK_RARE": 5,
        "Rare Secret": 6, "Rare Rainbow": 6, "Special Illustration Rare": 6, "Hyper Rare": 6,
        "Shiny Ultra Rare": 6, "Mega Hyper Rare": 6,
        "Promo": None,
    },
    "YUGIOH": {
        "Common": 1, "Short Print": 1, "Super Short Print": 1,
        "Rare": 3,
        "Super Rare": 4, "Starfoil Rare": 4, "Shatterfoil Rare": 4, "Mosaic Rare": 4,
        "Normal Parallel Rare": 4, "Duel Terminal Normal Parallel Rare": 4,
        "Duel Terminal Rare Parallel Rare": 4,
        "Ultra Rare": 5, "Ultra Rare (Pharaoh's Rare)": 5, "Gold Rare": 5,
        "Premium Gold Rare": 5, "Platinum Rare": 5, "Ultra Parallel Rare": 5,
        "Super Parallel Rare": 5, "Duel Terminal Ultra Parallel Rare": 5,
        "Duel Terminal Super Parallel Rare": 5,
        "Secret Rare": 6, "Ultimate Rare": 6, "Ghost Rare": 6, "Ghost/Gold Rare": 6,
        "Starlight Rare": 6, "Collector's Rare": 6, "Quarter Century Secret Rare": 6,
        "Platinum Secret Rare": 6, "Prismatic Secret Rare": 6, "Gold Secret Rare": 6,
        "Extra Secret Rare": 6, "Ultra Secret Rare": 6,
    },
    "OPTCG": {
        "C": 1, "UC": 2, "R": 3, "SR": 4, "L": 4, "SP CARD": 5, "SEC": 6, "TR": 6, "P": None,
    },
}  # fmt: skip

#: Per game: what users type (folded) -> canonical values. Canonical values match themselves.
RARITY_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "MTG": {
        "c": ("common",), "u": ("uncommon",), "r": ("rare",), "s": ("special",),
        "m": ("mythic",), "mythic rare": ("mythic",), "b": ("bonus",),
    },
    "POKEMON": {
        "c": ("Common",), "u": ("Uncommon",), "uc": ("Uncommon",), "r": ("Rare",),
        "holo": ("Rare Holo",), "rh": ("Rare Holo",), "holo rare": ("Rare Holo",),
        "double": ("Double Rare",), "rr": ("Double Rare",),
        "ultra": ("Ultra Rare", "Rare Ultra"), "ur": ("Ultra Rare", "Rare Ultra"),
        "ultra rare": ("Ultra Rare", "Rare Ultra"),
        "illustration": ("Illustration Rare",), "ir": ("Illustration Rare",),
        "special illustration": ("Special Illustration Rare",),
        "sir": ("Special Illustration Rare",),
        "secret": ("Rare Secret",), "secret rare": ("Rare Secret",),
        "rainbow": ("Rare Rainbow",), "hyper": ("Hyper Rare",), "hr": ("Hyper Rare",),
        "shiny": ("Shiny Rare", "Rare Shiny"), "shiny rare": ("Shiny Rare", "Rare Shiny"),
        "sur": ("Shiny Ultra Rare",), "ace spec": ("ACE SPEC Rare",), "acespec": ("ACE SPEC Rare",),
        "radiant": ("Radiant Rare",), "amazing": ("Amazing Rare",),
        "trainer gallery": ("Trainer Gallery Rare Holo",), "tg": ("Trainer Gallery Rare Holo",),
        "mega attack": ("MEGA_ATTACK_RARE",), "mega hyper": ("Mega Hyper Rare",),
        "promo": ("Promo",), "p": ("Promo",),
    },
    "YUGIOH": {
        "c": ("Common",), "sp": ("Short Print",), "ssp": ("Super Short Print",),
        "r": ("Rare",),
        "sr": ("Super Rare",), "super": ("Super Rare",),
        "ur": ("Ultra Rare",), "ultra": ("Ultra Rare",),
        "scr": ("Secret Rare",), "secret": ("Secret Rare",),
        "utr": ("Ultimate Rare",), "ultimate": ("Ultimate Rare",),
        "gr": ("Ghost Rare",), "ghost": ("Ghost Rare",),
        "gur": ("Gold Rare",), "gold": ("Gold Rare",), "pg": ("Premium Gold Rare",),
        "pgr": ("Premium Gold Rare",), "str": ("Starlight Rare",), "starlight": ("Starlight Rare",),
        "cr": ("Collector's Rare",), "collectors": ("Collector's Rare",),
        "qcsr": ("Quarter Century Secret Rare",), "qcscr": ("Quarter Century Secret Rare",),
        "quarter century": ("Quarter Century Secret Rare",),
        "ps": ("Platinum Secret Rare",), "pscr": ("Prismatic Secret Rare",),
        "pir": ("Platinum Rare",), "platinum": ("Platinum Rare",),
        "sfr": ("Starfoil Rare",), "starfoil": ("Starfoil Rare",),
        "shr": ("Shatterfoil Rare",), "msr": ("Mosaic Rare",),
        "npr": ("Normal Parallel Rare",), "upr": ("Ultra Parallel Rare",),
        "gscr": ("Gold Secret Rare",), "ggr": ("Ghost/Gold Rare",),
    },
    "OPTCG": {
        "common": ("C",), "u": ("UC",), "uncommon": ("UC",), "rare": ("R",),
        "super rare": ("SR",), "super": ("SR",), "leader": ("L",),
        "sp": ("SP CARD",), "special": ("SP CARD",), "secret": ("SEC",),
        "secret rare": ("SEC",), "treasure": ("TR",), "treasure rare": ("TR",),
        "promo": ("P",),
    },
}  # fmt: skip


def _rarity_lookup_table() -> dict[str, dict[str, tuple[str, ...]]]:
    table: dict[str, dict[str, tuple[str, ...]]] = {}
    for game, ranks in RARITY_RANKS.items():
        entries = {fold(canonical): (canonical,) for canonical in ranks}
        for alias, canonicals in RARITY_ALIASES[game].items():
            assert all(c in ranks for c in canonicals), (game, alias)
            entries.setdefault(fold(alias), canonicals)
        table[game] = entries
    return table


_RARITY_LOOKUP = _rarity_lookup_table()


def resolve_rarity(game: str, value: str) -> tuple[str, ...]:
    """Canonical rarity values of `game` that `value` (as typed) names; () if none."""
    return _RARITY_LOOKUP[game].get(fold(value), ())


_RANK_HEURISTICS = (
    (re.compile(r"secret|ultimate|ghost|starlight|collector|hyper|rainbow|bonus"), 6),
    (re.compile(r"ultra|gold|platinum|mythic|illustration|shiny|shining"), 5),
    (re.compile(r"super|parallel|holo|foil|special|double|mosaic"), 4),
    (re.compile(r"uncommon"), 2),
    (re.compile(r"rare"), 3),
    (re.compile(r"common|short print"), 1),
)


def rarity_rank(game: str, rarity: str | None) -> int | None:
    """Rank (1-6) of a document's rarity, for the indexer's `rarity_rank` field.

    Known values use `RARITY_RANKS`; an upstream value the table lacks gets a rank from its
    words (`secret` -> 6, `ultra` -> 5, `super`/`holo` -> 4, `rare` -> 3, ...), else None.
    """
    if not rarity or game not in _RARITY_LOOKUP:
        return None
    canonicals = resolve_rarity(game, rarity)
    if canonicals:
        return RARITY_RANKS[game][canonicals[0]]
    folded = fold(rarity)
    for pattern, rank in _RANK_HEURISTICS:
        if pattern.search(folded):
            return rank
    return None
