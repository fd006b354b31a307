"""The shared vocabulary of a catalog SKU's components, declared once: languages (SKU code,
display name, the words shoppers type for it), conditions and finishes. Games are declared in
`models.games` and rarities in `models.rarity`; the SKU format (`models.sku`), the query
language, the indexer and matching derive their code lists from these tables. Sellers' tools
keep their own spellings as data (`matching/parsing/spellings.py`, `matching/parsing/tool_vocabularies.py`), mapped onto these codes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Language:
    code: str  # the SKU's `{LANG}` component
    name: str  # display name, in sentences a seller or shopper reads
    #: Words shoppers type for it besides the code (looked up by `models.text.squash`).
    spellings: tuple[str, ...] = ()


LANGUAGES: tuple[Language, ...] = (
    Language("EN", "English", ("english", "eng")),
    Language("JP", "Japanese", ("ja", "japanese", "jpn")),
    Language("DE", "German", ("german", "deutsch", "ger", "deu")),
    Language("FR", "French", ("french", "francais", "fra", "fre")),
    Language("IT", "Italian", ("italian", "ita")),
    Language("ES", "Spanish", ("sp", "spanish", "spa", "espanol")),
    Language("PT", "Portuguese", ("portuguese", "por", "pt-BR", "brazilian")),
    Language("KO", "Korean", ("kr", "korean", "kor")),
    Language("RU", "Russian", ("russian", "rus")),
    Language("ZHS", "Simplified Chinese", ("chs", "cs", "zh-Hans", "zh-CN", "simplified chinese")),
    Language(
        "ZHT", "Traditional Chinese", ("cht", "ct", "zh-Hant", "zh-TW", "traditional chinese")
    ),
    Language("ZH", "Chinese"),
    Language("HE", "Hebrew", ("hebrew",)),
    Language("LA", "Latin", ("latin",)),
    Language("GRC", "Ancient Greek", ("ancient greek",)),
    Language("AR", "Arabic", ("arabic",)),
    Language("SA", "Sanskrit", ("sanskrit",)),
    Language("PH", "Phyrexian", ("phyrexian", "px")),
    Language("NL", "Dutch", ("dutch", "nederlands")),
    Language("PL", "Polish", ("polish",)),
    Language("TH", "Thai", ("thai",)),
    Language("ID", "Indonesian", ("indonesian",)),
)
LANGUAGE_CODES: tuple[str, ...] = tuple(language.code for language in LANGUAGES)
#: SKU language code -> display name.
LANGUAGE_DISPLAY: dict[str, str] = {language.code: language.name for language in LANGUAGES}
#: Words that name every Chinese code at once (the generic `ZH` and both scripts).
CHINESE_WORDS = ("zh", "chinese")


@dataclass(frozen=True, slots=True)
class Condition:
    code: str  # the SKU's `{CONDITION}` component, best first
    name: str


CONDITIONS: tuple[Condition, ...] = (
    Condition("NM", "Near Mint"),
    Condition("LP", "Lightly Played"),
    Condition("MP", "Moderately Played"),
    Condition("HP", "Heavily Played"),
    Condition("DMG", "Damaged"),
)
CONDITION_CODES: tuple[str, ...] = tuple(condition.code for condition in CONDITIONS)


@dataclass(frozen=True, slots=True)
class Finish:
    code: str  # the SKU's `{FINISH}` component
    name: str
    foil: bool  # a foil/holo treatment (the `foil` flag of search documents)


FINISHES: tuple[Finish, ...] = (
    Finish("NORMAL", "Normal", foil=False),
    Finish("FOIL", "Foil", foil=True),
    Finish("ETCHED", "Etched", foil=True),
    Finish("GLOSSY", "Glossy", foil=False),
    Finish("HOLO", "Holo", foil=True),
    Finish("REVERSE_HOLO", "Reverse Holo", foil=True),
    Finish("1ST", "1st Edition", foil=False),
    Finish("1ST_HOLO", "1st Edition Holo", foil=True),
    Finish("UNLIMITED", "Unlimited", foil=False),
    Finish("UNLIMITED_HOLO", "Unlimited Holo", foil=True),
    Finish("LIMITED", "Limited", foil=False),
)
FINISH_CODES: tuple[str, ...] = tuple(finish.code for finish in FINISHES)
FOIL_FINISHES: frozenset[str] = frozenset(finish.code for finish in FINISHES if finish.foil)
