"""The query language's keyword table and value vocabularies, as data.

Everything a keyword means lives here: which aliases name it, which index field it targets,
which operators it takes, and the value tables (games, languages, colours, rarities and their
ranks, `is:` values). `docs/query-language.md` documents these tables; `interpreter.py` and its
handlers apply them.

`rarity_rank(game, rarity)` is shared with the indexer: it must compute each document's
`rarity_rank` with the same table the parser uses to turn `r>=rare` into a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from models.card_fields import DOCUMENT_FIELDS
from models.rarity import (  # noqa: F401  (re-exported for the parser)
    RARITY_ALIASES,
    RARITY_RANKS,
    RARITY_TIERS,
    canonical_rarity,
    rarity_rank,
    resolve_rarity,
)
from models.sku import FINISHES
from models.text import squash
from models.vocabulary import CHINESE_WORDS, LANGUAGES

MAX_QUERY_LENGTH = 1000
#: Deepest parenthesis nesting accepted (deeper -> QuerySyntaxError, never a RecursionError).
MAX_DEPTH = 32

# --------------------------------------------------------------------------------------------
# Languages (SKU language codes and their spellings: models.vocabulary.LANGUAGES)
# --------------------------------------------------------------------------------------------

#: `lang:` values (squashed) -> SKU language codes (several for `chinese`).
LANGUAGE_ALIASES: dict[str, tuple[str, ...]] = {
    squash(spelling): (language.code,)
    for language in LANGUAGES
    for spelling in (language.code, *language.spellings)
}
LANGUAGE_ALIASES.update(dict.fromkeys(CHINESE_WORDS, ("ZH", "ZHS", "ZHT")))


def resolve_language(value: str) -> tuple[str, ...] | None:
    return LANGUAGE_ALIASES.get(squash(value))


# --------------------------------------------------------------------------------------------
# Colours
# --------------------------------------------------------------------------------------------

MTG_COLORS = "WUBRG"

#: MTG colour words (squashed) -> colour letters. `colorless` and `multicolor` are handled apart.
MTG_COLOR_NAMES: dict[str, str] = {
    "white": "W",
    "blue": "U",
    "black": "B",
    "red": "R",
    "green": "G",
    # guilds
    "azorius": "WU",
    "dimir": "UB",
    "rakdos": "BR",
    "gruul": "RG",
    "selesnya": "GW",
    "orzhov": "WB",
    "izzet": "UR",
    "golgari": "BG",
    "boros": "RW",
    "simic": "GU",
    # shards and wedges
    "bant": "GWU",
    "esper": "WUB",
    "grixis": "UBR",
    "jund": "BRG",
    "naya": "RGW",
    "abzan": "WBG",
    "jeskai": "URW",
    "sultai": "BGU",
    "mardu": "RWB",
    "temur": "GUR",
    # four colours (Scryfall's names, then the Nephilim)
    "chaos": "UBRG",
    "aggression": "BRGW",
    "altruism": "RGWU",
    "growth": "GWUB",
    "artifice": "WUBR",
    "glinteye": "UBRG",
    "dunebrood": "BRGW",
    "inktreader": "RGWU",
    "witchmaw": "GWUB",
    "yoretiller": "WUBR",
    # five
    "rainbow": "WUBRG",
    "fivecolor": "WUBRG",
    "fivecolour": "WUBRG",
    "domain": "WUBRG",
}
COLORLESS_WORDS = frozenset({"c", "colorless", "colourless"})
MULTICOLOR_WORDS = frozenset(
    {"m", "multi", "multicolor", "multicolour", "multicolored", "multicoloured", "gold"}
)

#: One Piece colours: the values of the `colors` field of OPTCG documents.
OPTCG_COLORS: dict[str, str] = {
    "red": "Red",
    "green": "Green",
    "blue": "Blue",
    "purple": "Purple",
    "black": "Black",
    "yellow": "Yellow",
}

#: Pokémon energy types (and common synonyms): the values of `energy_types`.
POKEMON_TYPES: dict[str, str] = {
    "grass": "Grass",
    "fire": "Fire",
    "water": "Water",
    "lightning": "Lightning",
    "electric": "Lightning",
    "psychic": "Psychic",
    "fighting": "Fighting",
    "darkness": "Darkness",
    "dark": "Darkness",
    "metal": "Metal",
    "steel": "Metal",
    "fairy": "Fairy",
    "dragon": "Dragon",
    "colorless": "Colorless",
    "colourless": "Colorless",
    "normal": "Colorless",
}

#: `attr:` values: Yu-Gi-Oh! attributes and One Piece attributes (the `attributes` field, one or
#: two per card).
ATTRIBUTES: dict[str, str] = {
    "dark": "DARK",
    "light": "LIGHT",
    "earth": "EARTH",
    "water": "WATER",
    "fire": "FIRE",
    "wind": "WIND",
    "divine": "DIVINE",
    "slash": "SLASH",
    "strike": "STRIKE",
    "special": "SPECIAL",
    "wisdom": "WISDOM",
    "ranged": "RANGED",
}


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
    "true": "true",
    "yes": "true",
    "y": "true",
    "1": "true",
    "false": "false",
    "no": "false",
    "n": "false",
    "0": "false",
    "b2c": "b2c",
    "c2c": "c2c",
}


# --------------------------------------------------------------------------------------------
# The keyword table
# --------------------------------------------------------------------------------------------

Kind = Literal[
    "text",
    "set",
    "number",
    "rarity",
    "language",
    "game",
    "color",
    "identity",
    "energy",
    "attribute",
    "numeric",
    "price",
    "is",
    "not",
    "available",
]


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


#: Keywords of text and numeric fields, declared with their field (`models.card_fields`): each
#: reads its field through the field's first logical name.
FIELD_KEYWORDS: tuple[Keyword, ...] = tuple(
    Keyword(
        f.keyword.name,
        f.keyword.aliases,
        "text" if f.index == "text" else "numeric",
        f.query[0],
        game_fields=f.keyword.game_fields,
    )
    for f in DOCUMENT_FIELDS
    if f.keyword is not None
)

KEYWORD_SPECS: tuple[Keyword, ...] = (
    *FIELD_KEYWORDS,
    Keyword("set", ("s", "set", "e", "edition"), "set", "set_code"),
    Keyword("number", ("cn", "number"), "number", "collector_number"),
    Keyword("rarity", ("r", "rarity"), "rarity", "rarity"),
    Keyword("lang", ("lang", "language"), "language", "language"),
    Keyword("game", ("game",), "game", "game"),
    Keyword("color", ("c", "color", "colour", "colors", "colours"), "color", "colors"),
    Keyword("identity", ("id", "identity", "ci"), "identity", "color_identity"),
    Keyword("energy", ("energy",), "energy", "energy_types"),
    Keyword("attribute", ("attr", "attribute"), "attribute", "attribute"),
    Keyword("price", ("price", "usd", "eur"), "price", "price_min"),
    Keyword("is", ("is",), "is"),
    Keyword("not", ("not",), "not"),
    Keyword("available", ("available", "avail"), "available", "available"),
)

#: Every alias (lower-case) -> its keyword.
KEYWORDS: dict[str, Keyword] = {alias: kw for kw in KEYWORD_SPECS for alias in kw.aliases}
assert len(KEYWORDS) == sum(len(kw.aliases) for kw in KEYWORD_SPECS), "duplicate alias"
