"""The words of listing titles: game words, set phrases, rarities, variants, conditions,
languages, noise and the filler around card names. A data table read by the title grammar
(matching/parsing/title_rules.py)."""

from __future__ import annotations

import re

# --------------------------------------------------------------------------- vocabulary

#: Words naming a game (optionally followed by "TCG", "card game", "cards"...).
_GAME_SUFFIX = r"(?:[\s-]+(?:trading[\s-]+card[\s-]+game|card[\s-]+game|tcg|ccg|ocg|cards?)){0,2}"
GAME_PATTERNS: tuple[tuple[str, str], ...] = (
    ("POKEMON", rf"\bpok[eé]mon{_GAME_SUFFIX}\b|\bptcg\b|\bpkmn\b"),
    ("MTG", r"\bmtg\s+magic\b|\bmagic\s+mtg\b|\bmtgo\b"),
    ("MTG", rf"\bmtg{_GAME_SUFFIX}\b|\bmagic\s*:?\s*the\s+gathering{_GAME_SUFFIX}\b"),
    ("MTG", r"^\W*magic\b|\bmagic[\s-]+(?:tcg|cards?)\b"),
    ("YUGIOH", rf"\byu[\s-]?gi[\s-]?oh\b!?{_GAME_SUFFIX}|\bygo\b|\bocg\b"),
    ("OPTCG", rf"\bone[\s-]?piece{_GAME_SUFFIX}\b|\bop[\s-]?tcg\b|\bopcg\b"),
)

#: Set names that contain a game word, read before the game words are consumed.
SET_PHRASES: tuple[tuple[str, str], ...] = (
    ("POKEMON", r"\b(?:pok[eé]mon|scarlet\s*(?:&|and)\s*violet|sv)[\s:-]*151\b"),
    ("POKEMON", r"\bpok[eé]mon\s+go\b"),
    ("MTG", r"\bmagic\s+(?:20[01]\d|origins)\b|\blimited\s+edition\s+(?:alpha|beta)\b"),
)

#: Rarity phrases (case-insensitive) -> implied finish. Pokémon, Yu-Gi-Oh!, One Piece, Magic.
RARITY_PHRASES: dict[str, str | None] = {
    "Quarter Century Secret Rare": None,
    "Platinum Secret Rare": None,
    "Prismatic Secret Rare": None,
    "Starlight Rare": None,
    "Ghost Rare": None,
    "Collector's Rare": None,
    "Ultimate Rare": None,
    "Secret Rare": None,
    "Ultra Rare": None,
    "Super Rare": None,
    "Gold Rare": None,
    "Hyper Rare": None,
    "Special Illustration Rare": None,
    "Illustration Rare": None,
    "Special Art Rare": None,
    "Art Rare": None,
    "Double Rare": None,
    "Triple Rare": None,
    "Shiny Ultra Rare": None,
    "Shiny Rare": None,
    "Radiant Rare": None,
    "Amazing Rare": None,
    "ACE SPEC": None,
    "Rare Holo": "HOLO",
    "Holo Rare": "HOLO",
    "Mythic Rare": None,
    "Short Print": None,
    "Uncommons": None,
    "Uncommon": None,
    "Commons": None,
    "Common": None,
    "Mythic": None,
}
#: Rarity abbreviations, matched upper-case only (Pokémon JP/EN, Yu-Gi-Oh!, One Piece).
RARITY_CODES = (
    "SAR",
    "SIR",
    "AR",
    "IR",
    "SR",
    "UR",
    "HR",
    "RR",
    "RRR",
    "CHR",
    "CSR",
    "TR",
    "SSR",
    "SEC",
    "ScR",
    "QCSR",
    "QCScR",
    "UtR",
    "PScR",
    "PlScR",
    "UPR",
    "ACE",
)
#: Rarity codes that are also letters or words of other things (Pokémon's `Garchomp C`, a
#: lone `L`, Yu-Gi-Oh!'s `R - Righteous Justice`): read only after the collector number, in a
#: title of the game that prints them (its hint, its words or a number only it prints).
GAME_RARITY_CODES = {
    "OPTCG": ("SP CARD", "SP Card", "UC", "C", "R", "L", "P"),
    "YUGIOH": ("StR", "CR", "GR", "SP", "C", "R"),
}
#: Pokémon-only rarity words (evidence for the game).
POKEMON_RARITIES = {"sar", "sir", "ar", "ir", "chr", "csr", "rr", "rrr", "hr", "tr", "ssr"}
POKEMON_RARITIES |= {"illustrationrare", "specialillustrationrare", "artrare", "specialartrare"}
POKEMON_RARITIES |= {"doublerare", "hyperrare", "radiantrare", "amazingrare", "acespec"}

#: Variant words kept as tags (they narrow the printing but are not part of the name).
VARIANT_PHRASES = (
    "alt art",
    "alternate art",
    "alternative art",
    "full art",
    "borderless",
    "showcase",
    "extended art",
    "retro frame",
    "parallel art",
    "promo",
    "prerelease",
    "stamped",
    "shadowless",
    "serialized",
    "oversized",
    "misprint",
    "gold star",
    "special art",
    "art variant",
)
#: Variant words that also begin card names ("Parallel Lives", "Error Card", "Staff of
#: Zegon"): tags only when no capitalised name word follows.
AMBIGUOUS_VARIANTS = ("parallel", "manga", "staff", "textured", "jumbo", "error")
#: Variant words that say the card is not a genuine single.
SUSPECT_VARIANTS = ("proxy", "custom", "orica", "replica", "fan art", "fake")

#: Condition phrases in titles (US scale). `EX` (excellent, LP) and `HP` (heavily played) are
#: read by their own rules: they are also a Pokémon card suffix and hit points.
TITLE_CONDITIONS = {
    "Near Mint": "NM",
    "Mint Condition": "NM",
    "Mint": "NM",
    "Lightly Played": "LP",
    "Light Played": "LP",
    "Slightly Played": "LP",
    "Moderately Played": "MP",
    "Heavily Played": "HP",
    "Damaged": "DMG",
    "Excellent": "LP",
    "Played": "MP",
    "Poor": "DMG",
}
TITLE_CONDITION_CODES = {
    "NM": "NM",
    "M/NM": "NM",
    "NM/M": "NM",
    "NM-M": "NM",
    "NM-MT": "NM",
    "NM+": "NM",
    "LP": "LP",
    "MP": "MP",
    "DMG": "DMG",
}

#: Language words in titles (case-insensitive) and upper-case codes.
TITLE_LANGUAGES = {
    "English": "EN",
    "Japanese": "JP",
    "Japan": "JP",
    "German": "DE",
    "Deutsch": "DE",
    "French": "FR",
    "Français": "FR",
    "Francais": "FR",
    "Italian": "IT",
    "Italiano": "IT",
    "Spanish": "ES",
    "Español": "ES",
    "Espanol": "ES",
    "Portuguese": "PT",
    "Korean": "KO",
    "Simplified Chinese": "ZHS",
    "Traditional Chinese": "ZHT",
    "Chinese": "ZHS",
    "Russian": "RU",
    "Indonesian": "ID",
    "Indonesia": "ID",
    "Thai": "TH",
    "Dutch": "NL",
    "Polish": "PL",
}
TITLE_LANGUAGE_CODES = {
    "EN": "EN",
    "ENG": "EN",
    "JP": "JP",
    "JPN": "JP",
    "JAP": "JP",
    "KOR": "KO",
    "KR": "KO",
    "CN": "ZHS",
    "CHN": "ZHS",
    "GER": "DE",
    "FRA": "FR",
    "ITA": "IT",
    "SPA": "ES",
    "POR": "PT",
    "RUS": "RU",
    "ZHS": "ZHS",
    "ZHT": "ZHT",
}

#: Words that say nothing about the card; consumed wherever they stand.
NOISE_PHRASES = (
    r"free\s+ship(?:ping)?",
    r"fast\s+ship(?:ping)?",
    r"ships?\s+fast",
    r"ready\s+to\s+ship",
    r"same\s+day\s+ship(?:ping)?",
    r"\d+\s*%(?:\s+genuine)?",
    r"genuine",
    r"authentic",
    r"official",
    r"l@@k",
    r"great\s+gift",
    r"brand\s+new",
    r"min(?:imum)?\s+guarantee(?:d)?",
    r"guaranteed",
    r"included",
    r"instant\s+delivery",
    r"not\s+used",
    r"graded",
    r"slab(?:bed)?",
    r"psa",
    r"bgs",
    r"cgc",
    r"beckett",
    r"wotc",
    r"vintage",
    r"nintendo",
    r"konami",
    r"bandai",
    r"wizards(?:\s+of\s+the\s+coast)?",
    r"mint\s+condition",
    r"condition",
    r"amazing\s+deal",
    r"rare\s+find",
    r"must\s+see",
    r"tcg",
    r"ccg",
    r"ocg",
    r"trading\s+cards?",
    r"card\s+game",
    r"includ(?:ing|es|ed)",
    r"grading",
)
#: Words stripped from either end of a chunk (connectives left over by consumed words).
EDGE_WORDS = {
    "and",
    "or",
    "&",
    "+",
    "with",
    "w/",
    "w",
    "from",
    "in",
    "for",
    "of",
    "a",
    "new",
    "all",
    "cards",
}
#: Words stripped from the end of a chunk only ("Rare Candy" keeps its "Rare").
TRAILING_WORDS = {
    "card",
    "cards",
    "single",
    "singles",
    "rare",
    "rares",
    "lot",
    "game",
    "version",
    "ver",
    "bundle",
    "holos",
    "nm",
    "gift",
    "see",
    "pics",
    "photos",
}
#: Words that are no name or set alone but end set names ("Fifth Edition", "Revised
#: Edition", "Memorial Collection", "Legendary Collection").
FILLER_ALONE = {"edition", "collection"}
#: Upper-case name suffixes that are part of a card name, not a set code.
NAME_SUFFIXES = {
    "EX",
    "GX",
    "V",
    "VMAX",
    "VSTAR",
    "VUNION",
    "BREAK",
    "LV",
    "LV.X",
    "TAG",
    "TEAM",
    "LEGEND",
    "PRIME",
    "STAR",
    "HERO",
    "δ",
    "MAX",
    "G",
    "GL",
    "FB",
    "C",
    "E4",
    "SP",
}


#: Appended to words that are also words of card names ("Pack Rat", "Parallel Lives",
#: "Mystery Key", "Staff of the Ages"): they count only when no capitalised name word (nor
#: "of"/"the"/"from") follows them, unless that word is itself listing vocabulary
#: ("Parallel Alt Art", "Booster Pack").
NOT_BEFORE_NAME = (
    r"(?!\s+(?:of|the|from)\b)"
    r"(?!\s+(?!(?:alt|art|alternate|foil|rare|holo|promo|full|cards?|lot|bundle|booster|box"
    r"|packs?|slabs?|graded)\b)(?-i:[A-Z])[\w'])"
)

#: Name endings only Pokémon cards have ("Mewtwo GX", "Charizard ex", "Pikachu VMAX").
POKEMON_NAME_SUFFIX = re.compile(r"\s(?:GX|VMAX|VSTAR|V-?UNION|BREAK|LV\.X|ex|EX|V)$")
