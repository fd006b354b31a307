"""The query language's keyword table and value vocabularies, as data.

Everything a keyword means lives here: which aliases name it, which index field it targets,
which operators it takes, and the value tables (games, languages, colours, rarities and their
ranks, `is:` values). `docs/query-language.md` documents these tables; `terms.py` applies them.

`rarity_rank(game, rarity)` is shared with the indexer: it must compute each document's
`rarity_rank` with the same table the parser uses to turn `r>=rare` into a number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from models.sku import FINISHES, LANGUAGES

MAX_QUERY_LENGTH = 1000
#: Deepest parenthesis nesting accepted (deeper -> QuerySyntaxError, never a RecursionError).
MAX_DEPTH = 32

GAMES = ("MTG", "POKEMON", "YUGIOH", "OPTCG")
GAME_LABELS = {"MTG": "Magic", "POKEMON": "Pokémon", "YUGIOH": "Yu-Gi-Oh!", "OPTCG": "One Piece"}


def fold(value: str) -> str:
    """Lower-case, accent-blind, with every run of non-alphanumerics turned into one space."""
    decomposed = unicodedata.normalize("NFKD", value)
    ascii_ish = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(
        re.sub(r"[\W_]+", " ", ascii_ish.lower().replace("'", "").replace("\u2019", "")).split()
    )


def squash(value: str) -> str:
    """`fold` without any spaces: `Yu-Gi-Oh!` -> `yugioh`, `zh-Hans` -> `zhhans`."""
    return fold(value).replace(" ", "")


# --------------------------------------------------------------------------------------------
# Games
# --------------------------------------------------------------------------------------------

#: `game:` values (squashed) -> game code.
GAME_ALIASES: dict[str, str] = {
    "mtg": "MTG", "magic": "MTG", "magicthegathering": "MTG",
    "pokemon": "POKEMON", "pkmn": "POKEMON", "ptcg": "POKEMON", "pokemontcg": "POKEMON",
    "pkm": "POKEMON",
    "yugioh": "YUGIOH", "ygo": "YUGIOH", "yugiohtcg": "YUGIOH",
    "onepiece": "OPTCG", "op": "OPTCG", "optcg": "OPTCG", "opcg": "OPTCG",
    "onepiececardgame": "OPTCG",
}  # fmt: skip


def resolve_game(value: str) -> str | None:
    return GAME_ALIASES.get(squash(value))


# --------------------------------------------------------------------------------------------
# Languages (SKU language codes, models.sku.LANGUAGES)
# --------------------------------------------------------------------------------------------

_LANGUAGE_WORDS: dict[str, tuple[str, ...]] = {
    "EN": ("english", "eng"),
    "JP": ("ja", "japanese", "jpn"),
    "DE": ("german", "deutsch", "ger", "deu"),
    "FR": ("french", "francais", "fra", "fre"),
    "IT": ("italian", "ita"),
    "ES": ("sp", "spanish", "spa", "espanol"),
    "PT": ("portuguese", "por", "ptbr", "brazilian"),
    "KO": ("kr", "korean", "kor"),
    "RU": ("russian", "rus"),
    "ZHS": ("chs", "cs", "zhhans", "zhcn", "simplifiedchinese"),
    "ZHT": ("cht", "ct", "zhhant", "zhtw", "traditionalchinese"),
    "HE": ("hebrew",),
    "LA": ("latin",),
    "GRC": ("ancientgreek",),
    "AR": ("arabic",),
    "SA": ("sanskrit",),
    "PH": ("phyrexian", "px"),
    "NL": ("dutch", "nederlands"),
    "PL": ("polish",),
    "TH": ("thai",),
    "ID": ("indonesian",),
}

#: `lang:` values (squashed) -> SKU language codes (several for `chinese`).
LANGUAGE_ALIASES: dict[str, tuple[str, ...]] = {code.lower(): (code,) for code in LANGUAGES}
for _code, _words in _LANGUAGE_WORDS.items():
    for _word in _words:
        LANGUAGE_ALIASES[_word] = (_code,)
LANGUAGE_ALIASES["zh"] = ("ZH", "ZHS", "ZHT")
LANGUAGE_ALIASES["chinese"] = ("ZH", "ZHS", "ZHT")
assert {c for codes in LANGUAGE_ALIASES.values() for c in codes} <= set(LANGUAGES)


def resolve_language(value: str) -> tuple[str, ...] | None:
    return LANGUAGE_ALIASES.get(squash(value))


# --------------------------------------------------------------------------------------------
# Colours
# --------------------------------------------------------------------------------------------

MTG_COLORS = "WUBRG"

#: MTG colour words (squashed) -> colour letters. `colorless` and `multicolor` are handled apart.
MTG_COLOR_NAMES: dict[str, str] = {
    "white": "W", "blue": "U", "black": "B", "red": "R", "green": "G",
    # guilds
    "azorius": "WU", "dimir": "UB", "rakdos": "BR", "gruul": "RG", "selesnya": "GW",
    "orzhov": "WB", "izzet": "UR", "golgari": "BG", "boros": "RW", "simic": "GU",
    # shards and wedges
    "bant": "GWU", "esper": "WUB", "grixis": "UBR", "jund": "BRG", "naya": "RGW",
    "abzan": "WBG", "jeskai": "URW", "sultai": "BGU", "mardu": "RWB", "temur": "GUR",
    # four colours (Scryfall's names, then the Nephilim)
    "chaos": "UBRG", "aggression": "BRGW", "altruism": "RGWU", "growth": "GWUB",
    "artifice": "WUBR", "glinteye": "UBRG", "dunebrood": "BRGW", "inktreader": "RGWU",
    "witchmaw": "GWUB", "yoretiller": "WUBR",
    # five
    "rainbow": "WUBRG", "fivecolor": "WUBRG", "fivecolour": "WUBRG", "domain": "WUBRG",
}  # fmt: skip
COLORLESS_WORDS = frozenset({"c", "colorless", "colourless"})
MULTICOLOR_WORDS = frozenset(
    {"m", "multi", "multicolor", "multicolour", "multicolored", "multicoloured", "gold"}
)

#: One Piece colours: the values of the `colors` field of OPTCG documents.
OPTCG_COLORS: dict[str, str] = {
    "red": "Red", "green": "Green", "blue": "Blue", "purple": "Purple", "black": "Black",
    "yellow": "Yellow",
}  # fmt: skip

#: Pokémon energy types (and common synonyms): the values of `energy_types`.
POKEMON_TYPES: dict[str, str] = {
    "grass": "Grass", "fire": "Fire", "water": "Water", "lightning": "Lightning",
    "electric": "Lightning", "psychic": "Psychic", "fighting": "Fighting",
    "darkness": "Darkness", "dark": "Darkness", "metal": "Metal", "steel": "Metal",
    "fairy": "Fairy", "dragon": "Dragon", "colorless": "Colorless", "colourless": "Colorless",
    "normal": "Colorless",
}  # fmt: skip

#: `attr:` values: Yu-Gi-Oh! attributes and One Piece attributes (the `attribute` field).
ATTRIBUTES: dict[str, str] = {
    "dark": "DARK", "light": "LIGHT", "earth": "EARTH", "water": "WATER", "fire": "FIRE",
    "wind": "WIND", "divine": "DIVINE",
    "slash": "SLASH", "strike": "STRIKE", "special": "SPECIAL", "wisdom": "WISDOM",
    "ranged": "RANGED",
}  # fmt: skip


# --------------------------------------------------------------------------------------------
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


# --------------------------------------------------------------------------------------------
# is: / not: and available:
# --------------------------------------------------------------------------------------------

#: `is:` values (squashed) -> (field, value) terms, OR-ed when several.
IS_VALUES: dict[str, tuple[tuple[str, str], ...]] = {
    "foil": (("finishes", "FOIL"),),
    "nonfoil": (("finishes", "NORMAL"),),
    "normal": (("finishes", "NORMAL"),),
    "etched": (("finishes", "ETCHED"),),
    "glossy": (("finishes", "GLOSSY"),),
    "holo": (("finishes", "HOLO"), ("finishes", "1ST_HOLO"), ("finishes", "UNLIMITED_HOLO")),
    "reverse": (("finishes", "REVERSE_HOLO"),),
    "reverseholo": (("finishes", "REVERSE_HOLO"),),
    "1st": (("finishes", "1ST"), ("finishes", "1ST_HOLO")),
    "first": (("finishes", "1ST"), ("finishes", "1ST_HOLO")),
    "1stedition": (("finishes", "1ST"), ("finishes", "1ST_HOLO")),
    "firstedition": (("finishes", "1ST"), ("finishes", "1ST_HOLO")),
    "unlimited": (("finishes", "UNLIMITED"), ("finishes", "UNLIMITED_HOLO")),
    "limited": (("finishes", "LIMITED"),),
    "promo": (("flags", "promo"),),
    "digital": (("flags", "digital"),),
}
assert {v for terms in IS_VALUES.values() for f, v in terms if f == "finishes"} <= set(FINISHES)

#: Sales channels: the values of the `available` keyword list (shops, private sellers).
AVAILABLE_CHANNELS = ("b2c", "c2c")
#: `available:` values (squashed) -> "true" (any channel), "false" (none) or one channel.
AVAILABLE_VALUES: dict[str, str] = {
    "true": "true", "yes": "true", "y": "true", "1": "true",
    "false": "false", "no": "false", "n": "false", "0": "false",
    "b2c": "b2c", "c2c": "c2c",
}  # fmt: skip


# --------------------------------------------------------------------------------------------
# The keyword table
# --------------------------------------------------------------------------------------------

Kind = Literal[
    "text", "set", "number", "rarity", "language", "game", "color", "identity", "energy",
    "attribute", "numeric", "price", "is", "not", "available",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Keyword:
    name: str
    aliases: tuple[str, ...]
    kind: Kind
    #: The index field (for `numeric`, `text`, ...); None where the kind decides.
    field: str | None = None
    #: Game-specific fields overriding `field` when the query's game is known.
    game_fields: tuple[tuple[str, str], ...] = ()

    def field_for(self, game: str | None) -> str | None:
        return dict(self.game_fields).get(game or "", self.field)


KEYWORD_SPECS: tuple[Keyword, ...] = (
    Keyword("name", ("name",), "text", "name"),
    Keyword("type", ("t", "type"), "text", "type_line"),
    Keyword("oracle", ("o", "oracle", "text"), "text", "rules_text"),
    Keyword("artist", ("a", "artist"), "text", "artist"),
    Keyword("set", ("s", "set", "e", "edition"), "set", "set_code"),
    Keyword("number", ("cn", "number"), "number", "collector_number"),
    Keyword("rarity", ("r", "rarity"), "rarity", "rarity"),
    Keyword("lang", ("lang", "language"), "language", "language"),
    Keyword("game", ("game",), "game", "game"),
    Keyword("color", ("c", "color", "colour", "colors", "colours"), "color", "colors"),
    Keyword("identity", ("id", "identity", "ci"), "identity", "color_identity"),
    Keyword("energy", ("energy",), "energy", "energy_types"),
    Keyword("attribute", ("attr", "attribute"), "attribute", "attribute"),
    Keyword("mv", ("mv", "cmc", "manavalue"), "numeric", "mana_value"),
    Keyword("power", ("pow", "power"), "numeric", "power"),
    Keyword("toughness", ("tou", "toughness"), "numeric", "defense"),
    Keyword("loyalty", ("loy", "loyalty"), "numeric", "loyalty"),
    Keyword("hp", ("hp",), "numeric", "hp"),
    Keyword("retreat", ("retreat",), "numeric", "retreat_cost"),
    Keyword("atk", ("atk",), "numeric", "atk"),
    Keyword("def", ("def",), "numeric", "def", game_fields=(("MTG", "defense"),)),
    Keyword("level", ("level", "lv", "lvl"), "numeric", "level"),
    Keyword("rank", ("rank",), "numeric", "rank"),
    Keyword("link", ("link",), "numeric", "link_rating"),
    Keyword("cost", ("cost",), "numeric", "cost"),
    Keyword("counter", ("counter",), "numeric", "counter"),
    Keyword("life", ("life",), "numeric", "life"),
    Keyword("price", ("price", "usd", "eur"), "price", "price_min"),
    Keyword("is", ("is",), "is"),
    Keyword("not", ("not",), "not"),
    Keyword("available", ("available", "avail"), "available", "available"),
)

#: Every alias (lower-case) -> its keyword.
KEYWORDS: dict[str, Keyword] = {alias: kw for kw in KEYWORD_SPECS for alias in kw.aliases}
assert len(KEYWORDS) == sum(len(kw.aliases) for kw in KEYWORD_SPECS), "duplicate alias"
