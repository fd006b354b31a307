"""Rarities, declared once: each rarity's canonical value, display labels, rank and the way each
game's upstream spells it. Everything else is derived from `RARITIES`:

* the canonical value (`common`, `super_rare`, `secret_rare`, ...) is shared by every game where
  it means the same rarity; search documents carry it (`rarity_canonical`), the rarity facet
  counts it, and `rarity=` / `r:` take it back (with any game's spelling or alias);
* the rank puts every game on one tier scale, so that `r>=rare` means the same tier everywhere
  (query language) and search documents carry the same `rarity_rank` (indexer);
* the labels: a neutral one (several games or none chosen) and a game's own where it differs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from models.games import GAME_CODES
from models.text import name_key


def slug(value: str) -> str:
    """A rarity's value-shaped form: `Collector's Rare` -> `collectors_rare` (idempotent)."""
    return name_key(value).replace(" ", "_")


RARITY_TIERS = {1: "common", 2: "uncommon", 3: "rare", 4: "special", 5: "mythic", 6: "bonus"}


@dataclass(frozen=True, slots=True)
class Rarity:
    """One rarity. `rank`: 1 common · 2 uncommon · 3 rare · 4 special/holo/super ·
    5 mythic/ultra · 6 bonus/secret; None: no rank (promos), never matches a comparison."""

    value: str  # canonical facet value
    label: str  # neutral display label
    rank: int | None
    #: Game -> the upstream spellings of this rarity (what prints store in `rarity`).
    spellings: dict[str, tuple[str, ...]]
    #: Game -> its own display label, where it differs from `label`.
    labels: dict[str, str] = field(default_factory=dict)


def _shared(
    value: str, label: str, rank: int | None, labels: dict[str, str] | None = None, **spelled: str
) -> Rarity:
    """A rarity several games share (or one game spells several ways: `A|B`)."""
    spellings = {game: tuple(text.split("|")) for game, text in spelled.items()}
    return Rarity(value, label, rank, spellings, labels or {})


def _own(game: str, rank: int, *spellings: str) -> list[Rarity]:
    """Rarities of one game only: value = the spelling's slug, label = the spelling."""
    return [Rarity(slug(s), s, rank, {game: (s,)}) for s in spellings]


RARITIES: tuple[Rarity, ...] = (
    # shared across games, or spelled several ways by one game
    _shared(
        "common",
        "Common",
        1,
        {"OPTCG": "C"},
        MTG="common",
        POKEMON="Common",
        YUGIOH="Common",
        OPTCG="C",
    ),
    _shared(
        "uncommon", "Uncommon", 2, {"OPTCG": "UC"}, MTG="uncommon", POKEMON="Uncommon", OPTCG="UC"
    ),
    _shared(
        "rare", "Rare", 3, {"OPTCG": "R"}, MTG="rare", POKEMON="Rare", YUGIOH="Rare", OPTCG="R"
    ),
    _shared("super_rare", "Super Rare", 4, {"OPTCG": "SR"}, YUGIOH="Super Rare", OPTCG="SR"),
    _shared("ultra_rare", "Ultra Rare", 5, POKEMON="Ultra Rare|Rare Ultra", YUGIOH="Ultra Rare"),
    _shared(
        "secret_rare",
        "Secret Rare",
        6,
        {"POKEMON": "Rare Secret", "OPTCG": "SEC"},
        POKEMON="Rare Secret",
        YUGIOH="Secret Rare",
        OPTCG="SEC",
    ),
    _shared("promo", "Promo", None, {"OPTCG": "P"}, POKEMON="Promo", OPTCG="P"),
    # Magic (Scryfall spells them in lower case)
    _shared("special", "Special", 4, MTG="special"),
    _shared("mythic", "Mythic Rare", 5, MTG="mythic"),
    _shared("bonus", "Bonus", 6, MTG="bonus"),
    # Pokémon
    _shared("shiny_rare", "Shiny Rare", 5, POKEMON="Shiny Rare|Rare Shiny"),
    _shared("mega_attack_rare", "Mega Attack Rare", 5, POKEMON="MEGA_ATTACK_RARE"),
    *_own(
        "POKEMON",
        4,
        "Rare Holo",
        "Double Rare",
        "Rare Holo EX",
        "Rare Holo GX",
        "Rare Holo V",
        "Rare Holo VMAX",
        "Rare Holo VSTAR",
        "Rare Holo LV.X",
        "Rare BREAK",
        "Rare Prime",
        "Rare Prism Star",
        "Rare Holo Star",
        "Rare ACE",
        "ACE SPEC Rare",
        "Radiant Rare",
        "Amazing Rare",
        "LEGEND",
        "Classic Collection",
        "Black White Rare",
    ),
    *_own(
        "POKEMON",
        5,
        "Illustration Rare",
        "Trainer Gallery Rare Holo",
        "Rare Shining",
        "Rare Shiny GX",
    ),
    *_own(
        "POKEMON",
        6,
        "Rare Rainbow",
        "Special Illustration Rare",
        "Hyper Rare",
        "Shiny Ultra Rare",
        "Mega Hyper Rare",
    ),
    # Yu-Gi-Oh!
    _shared("starfoil_rare", "Starfoil Rare", 4, YUGIOH="Starfoil Rare|Starfoil"),
    *_own("YUGIOH", 1, "Short Print", "Super Short Print"),
    *_own(
        "YUGIOH",
        4,
        "Shatterfoil Rare",
        "Mosaic Rare",
        "Normal Parallel Rare",
        "Duel Terminal Normal Parallel Rare",
        "Duel Terminal Rare Parallel Rare",
        "Duel Terminal Normal Rare Parallel Rare",
    ),
    *_own(
        "YUGIOH",
        5,
        "Ultra Rare (Pharaoh's Rare)",
        "Gold Rare",
        "Premium Gold Rare",
        "Platinum Rare",
        "Ultra Parallel Rare",
        "Super Parallel Rare",
        "Duel Terminal Ultra Parallel Rare",
        "Duel Terminal Super Parallel Rare",
    ),
    *_own(
        "YUGIOH",
        6,
        "Ultimate Rare",
        "Ghost Rare",
        "Ghost/Gold Rare",
        "Starlight Rare",
        "Collector's Rare",
        "Quarter Century Secret Rare",
        "Platinum Secret Rare",
        "Prismatic Secret Rare",
        "Gold Secret Rare",
        "Extra Secret Rare",
        "Ultra Secret Rare",
    ),
    # One Piece (its card list shows the codes)
    _shared("leader", "Leader", 4, {"OPTCG": "L"}, OPTCG="L"),
    _shared("special_card", "SP Card", 5, {"OPTCG": "SP CARD"}, OPTCG="SP CARD"),
    _shared("treasure_rare", "Treasure Rare", 6, {"OPTCG": "TR"}, OPTCG="TR"),
)

RARITY_GAMES = GAME_CODES
#: Canonical value -> its rarity.
RARITY_BY_VALUE: dict[str, Rarity] = {r.value: r for r in RARITIES}
assert len(RARITY_BY_VALUE) == len(RARITIES), "two rarities share a canonical value"
assert all(r.value == slug(r.value) for r in RARITIES), "canonical values are slugs"
#: Per game: upstream spelling -> rank (derived from RARITIES).
RARITY_RANKS: dict[str, dict[str, int | None]] = {
    game: {s: r.rank for r in RARITIES for s in r.spellings.get(game, ())} for game in RARITY_GAMES
}
#: Per game: folded upstream spelling -> its rarity.
_BY_SPELLING: dict[str, dict[str, Rarity]] = {
    game: {name_key(s): r for r in RARITIES for s in r.spellings.get(game, ())}
    for game in RARITY_GAMES
}
assert all(len(_BY_SPELLING[g]) == len(RARITY_RANKS[g]) for g in RARITY_GAMES), (
    "a game spells two rarities alike"
)

#: Per game: what users type (folded) -> upstream spellings (each spelling matches itself).
RARITY_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "MTG": {
        "c": ("common",),
        "u": ("uncommon",),
        "r": ("rare",),
        "s": ("special",),
        "m": ("mythic",),
        "mythic rare": ("mythic",),
        "b": ("bonus",),
    },
    "POKEMON": {
        "c": ("Common",),
        "u": ("Uncommon",),
        "uc": ("Uncommon",),
        "r": ("Rare",),
        "holo": ("Rare Holo",),
        "rh": ("Rare Holo",),
        "holo rare": ("Rare Holo",),
        "double": ("Double Rare",),
        "rr": ("Double Rare",),
        "ultra": ("Ultra Rare", "Rare Ultra"),
        "ur": ("Ultra Rare", "Rare Ultra"),
        "ultra rare": ("Ultra Rare", "Rare Ultra"),
        "illustration": ("Illustration Rare",),
        "ir": ("Illustration Rare",),
        "special illustration": ("Special Illustration Rare",),
        "sir": ("Special Illustration Rare",),
        "secret": ("Rare Secret",),
        "secret rare": ("Rare Secret",),
        "rainbow": ("Rare Rainbow",),
        "hyper": ("Hyper Rare",),
        "hr": ("Hyper Rare",),
        "shiny": ("Shiny Rare", "Rare Shiny"),
        "shiny rare": ("Shiny Rare", "Rare Shiny"),
        "sur": ("Shiny Ultra Rare",),
        "ace spec": ("ACE SPEC Rare",),
        "acespec": ("ACE SPEC Rare",),
        "radiant": ("Radiant Rare",),
        "amazing": ("Amazing Rare",),
        "trainer gallery": ("Trainer Gallery Rare Holo",),
        "tg": ("Trainer Gallery Rare Holo",),
        "mega attack": ("MEGA_ATTACK_RARE",),
        "mega hyper": ("Mega Hyper Rare",),
        "promo": ("Promo",),
        "p": ("Promo",),
    },
    "YUGIOH": {
        "c": ("Common",),
        "sp": ("Short Print",),
        "ssp": ("Super Short Print",),
        "r": ("Rare",),
        "sr": ("Super Rare",),
        "super": ("Super Rare",),
        "ur": ("Ultra Rare",),
        "ultra": ("Ultra Rare",),
        "scr": ("Secret Rare",),
        "secret": ("Secret Rare",),
        "utr": ("Ultimate Rare",),
        "ultimate": ("Ultimate Rare",),
        "gr": ("Ghost Rare",),
        "ghost": ("Ghost Rare",),
        "gur": ("Gold Rare",),
        "gold": ("Gold Rare",),
        "pg": ("Premium Gold Rare",),
        "pgr": ("Premium Gold Rare",),
        "str": ("Starlight Rare",),
        "starlight": ("Starlight Rare",),
        "cr": ("Collector's Rare",),
        "collectors": ("Collector's Rare",),
        "qcsr": ("Quarter Century Secret Rare",),
        "qcscr": ("Quarter Century Secret Rare",),
        "quarter century": ("Quarter Century Secret Rare",),
        "ps": ("Platinum Secret Rare",),
        "pscr": ("Prismatic Secret Rare",),
        "pir": ("Platinum Rare",),
        "platinum": ("Platinum Rare",),
        "sfr": ("Starfoil Rare",),
        "starfoil": ("Starfoil Rare",),
        "shr": ("Shatterfoil Rare",),
        "msr": ("Mosaic Rare",),
        "npr": ("Normal Parallel Rare",),
        "upr": ("Ultra Parallel Rare",),
        "gscr": ("Gold Secret Rare",),
        "ggr": ("Ghost/Gold Rare",),
    },
    "OPTCG": {
        "common": ("C",),
        "u": ("UC",),
        "uncommon": ("UC",),
        "rare": ("R",),
        "super rare": ("SR",),
        "super": ("SR",),
        "leader": ("L",),
        "sp": ("SP CARD",),
        "special": ("SP CARD",),
        "secret": ("SEC",),
        "secret rare": ("SEC",),
        "treasure": ("TR",),
        "treasure rare": ("TR",),
        "promo": ("P",),
    },
}


def _rarity_lookup_table() -> dict[str, dict[str, tuple[str, ...]]]:
    """Per game: folded text -> upstream spellings. Spellings first, then the game's aliases,
    then every rarity's canonical value and labels (so `super_rare` and `Super Rare` work too)."""
    table: dict[str, dict[str, tuple[str, ...]]] = {}
    for game, ranks in RARITY_RANKS.items():
        entries: dict[str, tuple[str, ...]] = {
            name_key(spelling): (spelling,) for spelling in ranks
        }
        for alias, alias_spellings in RARITY_ALIASES[game].items():
            assert all(s in ranks for s in alias_spellings), (game, alias)
            entries.setdefault(name_key(alias), alias_spellings)
        for rarity in RARITIES:
            rarity_spellings = rarity.spellings.get(game)
            if rarity_spellings:
                for name in (rarity.value, rarity.label, rarity.labels.get(game, "")):
                    if name:
                        entries.setdefault(name_key(name), rarity_spellings)
        table[game] = entries
    return table


_RARITY_LOOKUP = _rarity_lookup_table()


def resolve_rarity(game: str, value: str) -> tuple[str, ...]:
    """Upstream spellings of `game` that `value` (as typed: a spelling, an alias, a canonical
    value or a label) names; () if none."""
    return _RARITY_LOOKUP[game].get(name_key(value), ())


def _rarity_of(game: str, text: str) -> Rarity | None:
    spellings = resolve_rarity(game, text) if game in _RARITY_LOOKUP else ()
    return _BY_SPELLING[game][name_key(spellings[0])] if spellings else None


@lru_cache(maxsize=4096)
def canonical_rarity(game: str, rarity: str | None) -> str | None:
    """The canonical value of a print's rarity (`("OPTCG", "SR")` -> `super_rare`); a spelling
    `RARITIES` does not declare stands for itself, as its slug."""
    if not rarity or not rarity.strip():
        return None
    found = _rarity_of(game, rarity)
    return found.value if found else slug(rarity)


def rarity_values(value: str, game: str | None = None) -> tuple[str, ...]:
    """Canonical values a `rarity=` value names: a canonical value, any game's spelling, alias or
    label (only `game`'s when one is chosen); a value nothing declares stands for its slug."""
    games = (game,) if game in _RARITY_LOOKUP else RARITY_GAMES
    found = {
        _BY_SPELLING[g][name_key(s)].value: None for g in games for s in resolve_rarity(g, value)
    }
    return tuple(found) or (slug(value),)


def rarity_label(value: str, game: str | None = None) -> str:
    """Display label of a canonical value: `game`'s own when one game is chosen, else neutral."""
    rarity = RARITY_BY_VALUE.get(value)
    if rarity is None:
        return value.replace("_", " ").title()
    return rarity.labels.get(game or "", rarity.label)


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
    found = _rarity_of(game, rarity)
    if found:
        return found.rank
    folded = name_key(rarity)
    for pattern, rank in _RANK_HEURISTICS:
        if pattern.search(folded):
            return rank
    return None
