"""Vocabulary tables: how sellers and tools spell conditions, finishes, languages and grades,
mapped to the universal SKU vocabulary (`models.sku`). docs/matching-input.md shows and
justifies every table.

All lookups go through `vocab_key`, which drops case, accents, spaces and punctuation, so
`Near Mint`, `NearMint`, `near_mint` and `NEAR-MINT` are one key (`nearmint`).

Each tool and marketplace writes the components in its own words (`TOOL_VOCABULARIES`: ManaBox
`near_mint` and `zh_CN`, Dragon Shield `NearMint` and `Simplified Chinese`, Archidekt `KR`...);
a reader looks a value up in its tool's table first, then in the general tables below.

Conditions depend on the grading *scale* of the tool, because the same word means different
wear on each side of the Atlantic:

* `tcgplayer` (US: TCGplayer, Moxfield, Deckbox, Archidekt, TopDecked, eBay titles):
  NM / LP / MP / HP / DMG, plus Mint and Moxfield's "Good (Lightly Played)";
* `cardmarket` (EU: Cardmarket, Dragon Shield, ManaBox): MT / NM / EX / GD / LP / PL / PO, which
  is stricter, so each grade below NM maps one step down (EX -> LP, GD -> MP, LP -> MP,
  PL -> HP, PO -> DMG);
* `collx` (sports-card words used by CollX): Mint, Near Mint, Excellent, Very Good, Good, Fair,
  Poor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from unidecode import unidecode

from models.games import GAME_LABELS, GAME_SPELLINGS
from models.sku import GRADING_COMPANIES, Grade
from models.vocabulary import FINISH_CODES

NM, LP, MP, HP, DMG = "NM", "LP", "MP", "HP", "DMG"

_KEY_DROP = re.compile(r"[\W_]+", re.UNICODE)


def vocab_key(text: str) -> str:
    """Lookup key: case-folded letters and digits only, accents removed (`Near Mint` ->
    `nearmint`, `Español` -> `espanol`); non-Latin scripts are kept as they are (`日本語`)."""
    folded = _KEY_DROP.sub("", text.casefold())
    if folded.isascii():
        return folded
    latin = _KEY_DROP.sub("", unidecode(folded).casefold())
    # Keep scripts unidecode would turn into transliterated noise (日本語 -> "ribenyu").
    return latin if all(ord(ch) < 0x250 for ch in folded) else folded


def _table(entries: dict[str, str]) -> dict[str, str]:
    """Key a documented table by `vocab_key`; two spellings with one key must agree."""
    table: dict[str, str] = {}
    for spelling, value in entries.items():
        key = vocab_key(spelling)
        if table.get(key, value) != value:
            raise ValueError(f"vocabulary clash: {spelling!r} -> {value} but {key!r} is taken")
        table[key] = value
    return table


# --------------------------------------------------------------------------- conditions

#: Spellings that mean the same on every scale.
_CONDITION_COMMON = {
    "NM": NM, "Near Mint": NM, "NearMint": NM, "near_mint": NM, "Mint": NM, "M": NM,
    "MT": NM, "M/NM": NM, "NM/M": NM, "NM-M": NM, "NM-MT": NM, "NM+": NM, "Mint/Near Mint": NM,
    "Near Mint/Mint": NM, "Gem Mint": NM, "Pristine": NM, "Brand New": NM, "New": NM,
    "MP": MP, "Moderately Played": MP, "Moderate Played": MP,
    "HP": HP, "Heavily Played": HP, "Heavy Played": HP, "Heavily-Played": HP,
    "DMG": DMG, "Damaged": DMG, "D": DMG, "DM": DMG, "Poor": DMG, "PO": DMG, "PR": DMG,
}  # fmt: skip

#: US scale (TCGplayer and the US collection tools).
_CONDITION_TCGPLAYER = {
    **_CONDITION_COMMON,
    "LP": LP, "Lightly Played": LP, "Light Played": LP, "LightPlayed": LP, "light_played": LP,
    "Slightly Played": LP, "SP": LP, "Good (Lightly Played)": LP, "Good": LP,
    "Excellent": LP, "EX": LP, "EXC": LP,
    "Played": MP, "PL": MP, "VG": MP, "Very Good": MP,
}  # fmt: skip

#: EU scale (Cardmarket; Dragon Shield and ManaBox use the same seven grades). Cardmarket's
#: CSV export writes the grade as an integer 1-7 in this order.
_CONDITION_CARDMARKET = {
    **_CONDITION_COMMON,
    "1": NM, "2": NM,  # MT, NM
    "EX": LP, "Excellent": LP, "3": LP,
    "GD": MP, "Good": MP, "4": MP,
    "LP": MP, "Light Played": MP, "Lightly Played": MP, "LightPlayed": MP, "5": MP,
    "PL": HP, "Played": HP, "6": HP,
    "7": DMG,  # PO
}  # fmt: skip

#: Sports-card words (CollX): Excellent ~ LP, Very Good/Good ~ MP, Fair ~ HP, Poor ~ DMG.
_CONDITION_COLLX = {
    **_CONDITION_COMMON,
    "Excellent": LP, "EX": LP, "EX-MT": LP, "Excellent-Mint": LP,
    "Very Good": MP, "VG": MP, "VG-EX": MP, "Good": MP,
    "Fair": HP,
}  # fmt: skip

CONDITION_SCALES: dict[str, dict[str, str]] = {
    "tcgplayer": _table(_CONDITION_TCGPLAYER),
    "cardmarket": _table(_CONDITION_CARDMARKET),
    "collx": _table(_CONDITION_COLLX),
}
#: Documented source tables (before key normalisation), for docs and tests.
CONDITION_SOURCE_TABLES: dict[str, dict[str, str]] = {
    "tcgplayer": _CONDITION_TCGPLAYER,
    "cardmarket": _CONDITION_CARDMARKET,
    "collx": _CONDITION_COLLX,
}


def parse_condition(text: str | None, *, tool: str = "tcgplayer") -> str | None:
    """A condition as `tool` writes it -> NM/LP/MP/HP/DMG, or None when unknown or blank: the
    tool's own words first (`TOOL_VOCABULARIES`), then the other spellings of its scale."""
    if not text:
        return None
    return _condition_lookup(tool, vocab_key(text))


def _condition_lookup(tool: str, key: str) -> str | None:
    vocabulary = TOOL_VOCABULARIES[tool]
    return vocabulary.condition_table.get(key) or CONDITION_SCALES[vocabulary.scale].get(key)


# --------------------------------------------------------------------------- finishes

NORMAL, FOIL, ETCHED, GLOSSY = "NORMAL", "FOIL", "ETCHED", "GLOSSY"
HOLO, REVERSE_HOLO = "HOLO", "REVERSE_HOLO"
FIRST, UNLIMITED, LIMITED = "1ST", "UNLIMITED", "LIMITED"

#: Finish words (the surface treatment), without edition.
_FINISH_WORDS = {
    "Normal": NORMAL, "Non-Foil": NORMAL, "Nonfoil": NORMAL, "Non Foil": NORMAL,
    "Regular": NORMAL, "Non-Holo": NORMAL, "Non Holo": NORMAL, "Nonholo": NORMAL,
    "Foil": FOIL, "Premium": FOIL,
    "Etched": ETCHED, "Foil Etched": ETCHED, "Etched Foil": ETCHED, "foil_etched": ETCHED,
    "Glossy": GLOSSY,
    "Holo": HOLO, "Holofoil": HOLO, "Holographic": HOLO, "Holo Foil": HOLO,
    "Reverse Holo": REVERSE_HOLO, "Reverse Holofoil": REVERSE_HOLO, "Reverse Foil": REVERSE_HOLO,
    "Rev Holo": REVERSE_HOLO, "Reverse": REVERSE_HOLO, "RH": REVERSE_HOLO,
}  # fmt: skip
FINISH_WORDS = _table(_FINISH_WORDS)

#: Edition words (Yu-Gi-Oh! and vintage Pokémon).
_EDITION_WORDS = {
    "1st Edition": FIRST, "1st Ed": FIRST, "1st Ed.": FIRST, "First Edition": FIRST,
    "1st": FIRST, "1 Ed": FIRST, "First Ed": FIRST,
    "Unlimited": UNLIMITED, "Unlimited Edition": UNLIMITED, "Unl": UNLIMITED,
    "Limited": LIMITED, "Limited Edition": LIMITED,
}  # fmt: skip
EDITION_WORDS = _table(_EDITION_WORDS)


def combine_finish(finish: str | None, edition: str | None) -> str | None:
    """Combine a surface finish with an edition into one SKU finish: 1ST + HOLO -> 1ST_HOLO,
    UNLIMITED + HOLO -> UNLIMITED_HOLO, 1ST + NORMAL -> 1ST, LIMITED -> LIMITED."""
    if edition is None:
        return finish
    if edition == LIMITED:
        return LIMITED
    if finish == HOLO:
        return f"{edition}_HOLO"
    return edition


@dataclass(frozen=True, slots=True)
class Printing:
    """A printing string read into a SKU finish, the edition, and the original detail."""

    finish: str | None
    first_edition: bool | None = None
    detail: str | None = None  # e.g. "Surge Foil": a named foil treatment kept as a variant tag


_EDITION_PREFIX = sorted(_EDITION_WORDS, key=len, reverse=True)


_EDITION_OF_FINISH = {
    FIRST: True,
    f"{FIRST}_HOLO": True,
    UNLIMITED: False,
    f"{UNLIMITED}_HOLO": False,
    LIMITED: False,
}


def parse_printing(text: str | None, *, tool: str | None = None) -> Printing | None:
    """Read a printing/finish column: `Foil`, `nonfoil`, `Reverse Holofoil`, `1st Edition`,
    `1st Edition Holofoil`, `Unlimited`, `Surge Foil` (-> FOIL, detail kept); the `tool`'s own
    words first. Returns None when the text is blank or unknown."""
    if text is None or not text.strip():
        return None
    key = vocab_key(text)
    if tool is not None and (finish := TOOL_VOCABULARIES[tool].finish_table.get(key)):
        return Printing(finish, _EDITION_OF_FINISH.get(finish))
    if key in FINISH_WORDS:
        return Printing(FINISH_WORDS[key])
    if key in EDITION_WORDS:
        edition = EDITION_WORDS[key]
        return Printing(combine_finish(None, edition), edition == FIRST)
    # Edition followed by a finish: "1st Edition Holofoil", "Unlimited Holofoil".
    for word in _EDITION_PREFIX:
        wkey = vocab_key(word)
        if key.startswith(wkey) and key[len(wkey) :] in FINISH_WORDS:
            edition = EDITION_WORDS[wkey]
            finish = FINISH_WORDS[key[len(wkey) :]]
            return Printing(combine_finish(finish, edition), edition == FIRST)
    # Named foil treatments (Dragon Shield: "Surge Foil", "Double Rainbow Foil", ...).
    if key.endswith("foil") and "holo" not in key and "reverse" not in key:
        return Printing(FOIL, detail=" ".join(text.split()))
    return None


_TRUE = {"1", "true", "yes", "y", "x", "foil"}
_FALSE = {"", "0", "false", "no", "n"}


def parse_flag(text: str | None) -> bool | None:
    """A boolean column (`1`, `true`, `Yes`, `foil` / blank, `0`, `false`, `No`)."""
    if text is None:
        return None
    key = vocab_key(text)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return None


# --------------------------------------------------------------------------- languages

_LANGUAGE_NAMES = {
    # English
    "EN": "EN", "ENG": "EN", "English": "EN", "en-US": "EN", "Inglés": "EN", "Englisch": "EN",
    "Anglais": "EN", "Inglese": "EN",
    # Japanese (Archidekt and Pokémon sellers write JP, ISO is JA)
    "JP": "JP", "JA": "JP", "JPN": "JP", "JAP": "JP", "Japanese": "JP", "Japan": "JP",
    "Japonais": "JP", "Japanisch": "JP", "Giapponese": "JP", "Japonés": "JP", "日本語": "JP",
    # German
    "DE": "DE", "GER": "DE", "DEU": "DE", "German": "DE", "Deutsch": "DE", "Allemand": "DE",
    "Tedesco": "DE", "Alemán": "DE",
    # French
    "FR": "FR", "FRA": "FR", "FRE": "FR", "French": "FR", "Français": "FR", "Französisch": "FR",
    "Francese": "FR", "Francés": "FR",
    # Italian
    "IT": "IT", "ITA": "IT", "Italian": "IT", "Italiano": "IT", "Italienisch": "IT",
    "Italien": "IT",
    # Spanish
    "ES": "ES", "SP": "ES", "SPA": "ES", "Spanish": "ES", "Español": "ES", "Castellano": "ES",
    "Spanisch": "ES", "Espagnol": "ES", "Spagnolo": "ES",
    # Portuguese
    "PT": "PT", "POR": "PT", "pt-BR": "PT", "Portuguese": "PT", "Português": "PT",
    "Brazilian Portuguese": "PT", "Portuguese (Brazil)": "PT", "Portugiesisch": "PT",
    # Korean (Archidekt writes KR)
    "KO": "KO", "KR": "KO", "KOR": "KO", "Korean": "KO", "한국어": "KO", "Koreanisch": "KO",
    # Russian
    "RU": "RU", "RUS": "RU", "Russian": "RU", "Русский": "RU", "Russisch": "RU",
    # Chinese. Moxfield, Deckbox and TCGplayer write plain "Chinese" for Simplified (their
    # "Traditional Chinese" is the other one); Archidekt writes CS / CT; ManaBox zh_CN / zh_TW.
    "ZHS": "ZHS", "zh_CN": "ZHS", "zh-Hans": "ZHS", "CS": "ZHS", "CHS": "ZHS", "SC": "ZHS",
    "CN": "ZHS", "CHN": "ZHS", "Chinese": "ZHS", "Simplified Chinese": "ZHS",
    "Chinese Simplified": "ZHS", "Chinese (Simplified)": "ZHS", "简体中文": "ZHS",
    "ZHT": "ZHT", "zh_TW": "ZHT", "zh-Hant": "ZHT", "CT": "ZHT", "CHT": "ZHT", "TC": "ZHT",
    "Traditional Chinese": "ZHT", "Chinese Traditional": "ZHT", "Chinese (Traditional)": "ZHT",
    "繁體中文": "ZHT", "ZH": "ZH", "中文": "ZH",
    # Rarer Magic / Pokémon languages
    "HE": "HE", "Hebrew": "HE", "LA": "LA", "Latin": "LA", "GRC": "GRC", "Ancient Greek": "GRC",
    "AR": "AR", "Arabic": "AR", "SA": "SA", "Sanskrit": "SA", "PH": "PH", "Phyrexian": "PH",
    "NL": "NL", "Dutch": "NL", "Nederlands": "NL", "PL": "PL", "Polish": "PL", "Polski": "PL",
    "TH": "TH", "Thai": "TH", "ID": "ID", "Indonesian": "ID", "Indonesia": "ID",
    "Bahasa Indonesia": "ID",
}  # fmt: skip
LANGUAGE_NAMES = _table(_LANGUAGE_NAMES)

#: Cardmarket `idLanguage` (MKM API 2.0 "Stock"; see SITE_BEHAVIOR.md of MtgCsvHelper).
CARDMARKET_LANGUAGES = {
    "1": "EN", "2": "FR", "3": "DE", "4": "ES", "5": "IT", "6": "ZHS", "7": "JP", "8": "PT",
    "9": "RU", "10": "KO", "11": "ZHT",
}  # fmt: skip

#: Yu-Gi-Oh! set-code region letters (`LOB-EN001`, `SDY-E001`, `LOB-G001`).
YUGIOH_REGIONS = {
    "EN": "EN", "E": "EN", "AE": "EN", "DE": "DE", "G": "DE", "FR": "FR", "F": "FR",
    "IT": "IT", "I": "IT", "SP": "ES", "S": "ES", "PT": "PT", "P": "PT", "JP": "JP", "J": "JP",
    "JA": "JP", "KR": "KO", "K": "KO", "TC": "ZHT", "SC": "ZHS",
}  # fmt: skip


def parse_language(text: str | None, *, tool: str | None = None) -> str | None:
    """A language code or name -> SKU language code, or None: the `tool`'s own spellings
    first (`TOOL_VOCABULARIES`), then every spelling of the tables above."""
    if not text or not text.strip():
        return None
    key = vocab_key(text)
    if tool is not None and (language := TOOL_VOCABULARIES[tool].language_table.get(key)):
        return language
    return LANGUAGE_NAMES.get(key)


#: Finish names for sentences a seller reads.
FINISH_DISPLAY = {
    NORMAL: "non-foil",
    FOIL: "foil",
    ETCHED: "etched foil",
    GLOSSY: "glossy",
    HOLO: "holo",
    REVERSE_HOLO: "reverse holo",
    FIRST: "1st Edition",
    f"{FIRST}_HOLO": "1st Edition holo",
    UNLIMITED: "Unlimited",
    f"{UNLIMITED}_HOLO": "Unlimited holo",
    LIMITED: "Limited Edition",
}
assert set(FINISH_DISPLAY) == set(FINISH_CODES)


# --------------------------------------------------------------------------- each tool's words


@dataclass
class ToolVocabulary:
    """How one tool or marketplace writes the SKU components: its own condition, language and
    finish words (as its exports and forms write them; docs/matching-input.md shows each), and
    the condition `scale` they are on, which also reads spellings the tool does not write
    itself (a seller typing `NM` into a Dragon Shield file). Each table maps a SKU value to
    the tool's words."""

    name: str
    scale: str
    conditions: dict[str, tuple[str, ...]]
    languages: dict[str, tuple[str, ...]] = field(default_factory=dict)
    finishes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source: str = ""
    condition_table: dict[str, str] = field(init=False)
    language_table: dict[str, str] = field(init=False)
    finish_table: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.condition_table = _grouped(self.conditions)
        self.language_table = _grouped(self.languages)
        self.finish_table = _grouped(self.finishes)


def _grouped(groups: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return _table({word: value for value, words in groups.items() for word in words})


#: Scryfall's language codes, as ManaBox-like tools write them (lower case).
_SCRYFALL_LANGUAGES = {
    "EN": ("en",),
    "ES": ("es",),
    "FR": ("fr",),
    "DE": ("de",),
    "IT": ("it",),
    "PT": ("pt",),
    "JP": ("ja",),
    "KO": ("ko",),
    "RU": ("ru",),
}
#: Language names as Moxfield, Deckbox, TCGplayer and Dragon Shield write them.
_LANGUAGE_WORDS = {
    "EN": ("English",),
    "DE": ("German",),
    "FR": ("French",),
    "IT": ("Italian",),
    "ES": ("Spanish",),
    "PT": ("Portuguese",),
    "JP": ("Japanese",),
    "KO": ("Korean",),
    "RU": ("Russian",),
    "ZHT": ("Traditional Chinese",),
}
_MTG_FINISHES = {NORMAL: ("normal",), FOIL: ("foil",), ETCHED: ("etched",)}
_EDITIONS = {FIRST: ("1st Edition",), UNLIMITED: ("Unlimited",), LIMITED: ("Limited",)}

TOOL_VOCABULARIES: dict[str, ToolVocabulary] = {
    v.name: v
    for v in (
        ToolVocabulary(
            "tcgplayer",
            "tcgplayer",
            {
                NM: ("Near Mint", "NM", "Mint"),
                LP: ("Lightly Played", "LP"),
                MP: ("Moderately Played", "MP"),
                HP: ("Heavily Played", "HP"),
                DMG: ("Damaged", "DMG"),
            },
            {**_LANGUAGE_WORDS, "ZHS": ("Chinese",)},
            {
                NORMAL: ("Normal",),
                FOIL: ("Foil",),
                HOLO: ("Holofoil",),
                REVERSE_HOLO: ("Reverse Holofoil",),
                f"{FIRST}_HOLO": ("1st Edition Holofoil",),
                f"{UNLIMITED}_HOLO": ("Unlimited Holofoil",),
                **_EDITIONS,
            },
            "TCGplayer app export, seller Pricing export (its SKU conditions)",
        ),
        ToolVocabulary(
            "cardmarket",
            "cardmarket",
            {
                NM: ("MT", "Mint", "NM", "Near Mint", "1", "2"),
                LP: ("EX", "Excellent", "3"),
                MP: ("GD", "Good", "LP", "Light Played", "4", "5"),
                HP: ("PL", "Played", "6"),
                DMG: ("PO", "Poor", "7"),
            },
            source="Cardmarket grades MT NM EX GD LP PL PO; its stock CSV writes them as 1-7",
        ),
        ToolVocabulary(
            "manabox",
            "cardmarket",
            {
                NM: ("mint", "near_mint"),
                LP: ("excellent",),
                MP: ("good", "light_played"),
                HP: ("played",),
                DMG: ("poor",),
            },
            {**_SCRYFALL_LANGUAGES, "ZHS": ("zh_CN",), "ZHT": ("zh_TW",)},
            _MTG_FINISHES,
            "ManaBox CSV export (Condition, Language, Foil columns)",
        ),
        ToolVocabulary(
            "dragonshield",
            "cardmarket",
            {
                NM: ("Mint", "NearMint"),
                LP: ("Excellent",),
                MP: ("Good", "LightPlayed"),
                HP: ("Played",),
                DMG: ("Poor",),
            },
            {**_LANGUAGE_WORDS, "ZHS": ("Simplified Chinese",)},
            {NORMAL: ("Normal",), FOIL: ("Foil",), **_EDITIONS},
            "Dragon Shield Card Manager export (MTG and Yu-Gi-Oh!)",
        ),
        ToolVocabulary(
            "moxfield",
            "tcgplayer",
            {
                NM: ("Mint", "Near Mint"),
                LP: ("Good (Lightly Played)",),
                MP: ("Played",),
                HP: ("Heavily Played",),
                DMG: ("Damaged",),
            },
            {**_LANGUAGE_WORDS, "ZHS": ("Chinese",)},
            {FOIL: ("foil",), ETCHED: ("etched",)},
            "Moxfield collection and binder export (blank Foil = non-foil)",
        ),
        ToolVocabulary(
            "deckbox",
            "tcgplayer",
            {
                NM: ("Mint", "Near Mint"),
                LP: ("Good (Lightly Played)",),
                MP: ("Played",),
                HP: ("Heavily Played",),
                DMG: ("Poor",),
            },
            {**_LANGUAGE_WORDS, "ZHS": ("Chinese",)},
            {FOIL: ("foil",), ETCHED: ("etched",)},
            "Deckbox inventory export (blank Foil = non-foil)",
        ),
        ToolVocabulary(
            "archidekt",
            "tcgplayer",
            {NM: ("NM",), LP: ("LP",), MP: ("MP",), HP: ("HP",), DMG: ("D",)},
            {
                "EN": ("EN",),
                "DE": ("DE",),
                "FR": ("FR",),
                "IT": ("IT",),
                "ES": ("ES",),
                "PT": ("PT",),
                "RU": ("RU",),
                "JP": ("JP",),
                "KO": ("KR",),
                "ZHS": ("CS",),
                "ZHT": ("CT",),
            },
            {NORMAL: ("Normal",), FOIL: ("Foil",), ETCHED: ("Etched",)},
            "Archidekt collection export",
        ),
        ToolVocabulary(
            "topdecked",
            "tcgplayer",
            {
                NM: ("mint", "near mint"),
                LP: ("slightly played",),
                MP: ("moderately played",),
                HP: ("heavily played",),
                DMG: ("damaged",),
            },
            {**_SCRYFALL_LANGUAGES, "ZHS": ("zhs",), "ZHT": ("zht",)},
            {NORMAL: ("nonfoil",), FOIL: ("foil",), ETCHED: ("etched",)},
            "TopDecked collection export (CONDITION, LANG, FINISH columns)",
        ),
        ToolVocabulary(
            "mtggoldfish",
            "tcgplayer",
            {},
            finishes={NORMAL: ("regular",), FOIL: ("foil",), ETCHED: ("foil_etched",)},
            source="MTGGoldfish collection export (no condition or language columns)",
        ),
        ToolVocabulary(
            "ebay",
            "tcgplayer",
            {
                NM: ("Near Mint or Better", "Near Mint"),
                LP: ("Lightly Played (Excellent)", "Excellent"),
                MP: ("Moderately Played (Very Good)", "Very Good"),
                HP: ("Heavily Played (Poor)",),
            },
            source="eBay's ungraded Card Condition values (a bare 'Poor' reads as DMG)",
        ),
        ToolVocabulary(
            "collx",
            "collx",
            {
                NM: ("Mint", "Near Mint"),
                LP: ("Excellent",),
                MP: ("Very Good", "Good"),
                HP: ("Fair",),
                DMG: ("Poor",),
            },
            source="CollX export (sports-card condition words)",
        ),
    )
}


# --------------------------------------------------------------------------- games

#: Game names as tools and sellers write them (TCGplayer "Product Line", titles): the kernel's
#: spellings of each game (`models.games.GAME_SPELLINGS`).
GAME_NAMES = _table(
    {
        spelling: code
        for code, spellings in GAME_SPELLINGS.items()
        for spelling in (code, GAME_LABELS[code], *spellings)
    }
)


def parse_game(text: str | None) -> str | None:
    if not text or not text.strip():
        return None
    return GAME_NAMES.get(vocab_key(text))


# --------------------------------------------------------------------------- grades

#: Graders whose grade is part of the SKU, and the aliases sellers use for them.
GRADER_ALIASES = {"PSA": "PSA", "BGS": "BGS", "BECKETT": "BGS", "CGC": "CGC"}
#: What a grade column holds for a raw card (vocab keys): nothing to read.
UNGRADED_WORDS = frozenset({"ungraded", "raw", "none", "no", "na", "0"})
#: Graders seen in listings whose grade the SKU cannot carry (listing is kept, grade dropped).
OTHER_GRADERS = ("SGC", "TAG", "ACE", "AGS", "RPA", "AP", "MNT", "HGA", "GMA", "PCA", "ARS")

_GRADE_WORDS = r"(?:gem[\s-]*mint|gem[\s-]*mt|pristine|black\s*label|mint|nm[\s-]*mt|nm|ex[\s-]*mt)"
_GRADE_VALUE = r"(10(?:\.0)?|[1-9](?:\.5|\.0)?)"
_GRADERS = "|".join(list(GRADER_ALIASES) + list(OTHER_GRADERS))
#: "PSA 10", "PSA10", "BGS 9.5", "CGC 9", "PSA Gem Mint 10", "Beckett Pristine 10".
GRADE_RE = re.compile(
    rf"\b(?P<company>{_GRADERS})\s*[-:#]?\s*(?:{_GRADE_WORDS}\s*)?{_GRADE_VALUE}(?![\w.])",
    re.IGNORECASE,
)
#: "Gem Mint 10 PSA", "Pristine 10 (BGS)".
GRADE_AFTER_RE = re.compile(
    rf"\b{_GRADE_WORDS}\s*{_GRADE_VALUE}\s*\(?(?P<company>{_GRADERS})\b(?!\s*[-:#]?\s*\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class GradeReading:
    company: str  # as canonical as known (PSA, BGS, CGC, or the other grader's name)
    value: str  # "10", "9.5", "9"
    grade: Grade | None  # None when the company is not one the SKU supports


def _grade_value(raw: str) -> str:
    return raw[:-2] if raw.endswith(".0") else raw


def read_grade(company: str, value: str) -> GradeReading:
    company = company.upper()
    value = _grade_value(value)
    canonical = GRADER_ALIASES.get(company)
    if canonical in GRADING_COMPANIES:
        return GradeReading(canonical, value, Grade(canonical, value))
    return GradeReading(company, value, None)


def parse_grade(text: str | None) -> GradeReading | None:
    """Find a grade in text: `PSA 10`, `PSA10`, `BGS 9.5`, `CGC 9`, `PSA Gem Mint 10`,
    `Gem Mint 10 PSA`. A bare `Gem Mint 10` (no company) is not a grade."""
    if not text:
        return None
    match = GRADE_RE.search(text) or GRADE_AFTER_RE.search(text)
    if not match:
        return None
    value = next(g for g in match.groups() if g and g[0].isdigit())
    return read_grade(match.group("company"), value)


# --------------------------------------------------------------------------- combined strings


@dataclass(frozen=True, slots=True)
class ConditionReading:
    condition: str | None
    finish: str | None = None
    first_edition: bool | None = None
    language: str | None = None
    detail: str | None = None


_SEPARATORS = re.compile(r"\s*[-/|,]\s+|\s+[-/|,]\s*|\s+")


def parse_condition_text(text: str | None, *, tool: str = "tcgplayer") -> ConditionReading:
    """Read a condition column that may also carry finish, edition and language, as
    TCGplayer's SKU conditions do: `Near Mint`, `Lightly Played Foil`, `Near Mint 1st Edition`,
    `Near Mint Holofoil`, `Near Mint Reverse Holofoil`, `Damaged Unlimited Holofoil`,
    `Near Mint Foil - Japanese`. The longest leading condition wins; the rest is read as a
    printing and/or a language. Unknown parts give `detail` (the unread text)."""
    if not text or not text.strip():
        return ConditionReading(None)
    direct = _condition_lookup(tool, vocab_key(text))
    if direct:
        return ConditionReading(direct)
    words = [w for w in _SEPARATORS.split(text.strip()) if w]
    for cut in range(len(words), 0, -1):
        condition = _condition_lookup(tool, vocab_key(" ".join(words[:cut])))
        if condition is None:
            continue
        rest = words[cut:]
        language = None
        tail_language = parse_language(rest[-1], tool=tool) if rest else None
        if tail_language and not parse_printing(" ".join(rest), tool=tool):
            language = tail_language
            rest = rest[:-1]
        printing = parse_printing(" ".join(rest), tool=tool) if rest else None
        if rest and printing is None:
            return ConditionReading(condition, language=language, detail=" ".join(rest))
        return ConditionReading(
            condition,
            printing.finish if printing else None,
            printing.first_edition if printing else None,
            language,
            printing.detail if printing else None,
        )
    return ConditionReading(None, detail=text.strip())
