"""Each tool's and marketplace's own words for the SKU components (ManaBox `near_mint` and
`zh_CN`, Dragon Shield `NearMint` and `Simplified Chinese`, Archidekt `KR`...), and the
keying of a spelling table by `models.text.spelling_key` that every reader lookup uses.
docs/matching-input.md shows each tool's table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from matching.parsing.spellings import (
    DMG,
    ETCHED,
    FIRST,
    FOIL,
    HOLO,
    HP,
    LIMITED,
    LP,
    MP,
    NM,
    NORMAL,
    REVERSE_HOLO,
    UNLIMITED,
)
from models.text import spelling_key


def keyed_table(entries: dict[str, str]) -> dict[str, str]:
    """Key a documented table by `spelling_key`; two spellings with one key must agree."""
    table: dict[str, str] = {}
    for spelling, value in entries.items():
        key = spelling_key(spelling)
        if table.get(key, value) != value:
            raise ValueError(f"vocabulary clash: {spelling!r} -> {value} but {key!r} is taken")
        table[key] = value
    return table


@dataclass
class ToolVocabulary:
    """How one tool or marketplace writes the SKU components: its own condition, language and
    finish words (as its exports and forms write them; docs/matching-input.md shows each), and
    the condition `scale` they are on, which also reads spellings the tool does not write
    itself (a seller typing `NM` into a Dragon Shield file). Each table maps a SKU value to
    the tool's words."""

    name: str
    scale: str
    conditions: Mapping[str, tuple[str, ...]]
    languages: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    finishes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    source: str = ""
    condition_table: dict[str, str] = field(init=False)
    language_table: dict[str, str] = field(init=False)
    finish_table: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.condition_table = _grouped(self.conditions)
        self.language_table = _grouped(self.languages)
        self.finish_table = _grouped(self.finishes)


def _grouped(groups: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    return keyed_table({word: value for value, words in groups.items() for word in words})


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
