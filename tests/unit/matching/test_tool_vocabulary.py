"""Each tool's and marketplace's own vocabulary (`TOOL_VOCABULARIES`): the documented
tables (docs/matching-input.md) pinned word by word, their agreement with the condition scale
they sit on, the values the REAL exports write, and unreadable values kept as `unread`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from matching.formats import read_inventory
from matching.formats.table import FORMATS_BY_NAME
from matching.parsing import spellings, vocab
from matching.parsing.tool_vocabularies import TOOL_VOCABULARIES
from models.sku import CONDITIONS, FINISHES, LANGUAGES, Grade
from models.text import spelling_key

# -- the documented tables, word by word ---------------------------------------------------------


def _pairs(spec: str) -> dict[str, str]:
    """`"Near Mint: NM | Mint: NM"` -> {"Near Mint": "NM", "Mint": "NM"}."""
    pairs = (item.rsplit(":", 1) for item in spec.split("|") if item.strip())
    return {word.strip(): value.strip() for word, value in pairs}


CONDITION_TABLES: dict[str, dict[str, str]] = {
    "tcgplayer": _pairs(
        "Near Mint: NM | NM: NM | Mint: NM | Lightly Played: LP | LP: LP | Moderately Played: MP"
        " | MP: MP | Heavily Played: HP | HP: HP | Damaged: DMG | DMG: DMG"
    ),
    "cardmarket": _pairs(
        "MT: NM | Mint: NM | NM: NM | Near Mint: NM | 1: NM | 2: NM | EX: LP | Excellent: LP"
        " | 3: LP | GD: MP | Good: MP | LP: MP | Light Played: MP | 4: MP | 5: MP | PL: HP"
        " | Played: HP | 6: HP | PO: DMG | Poor: DMG | 7: DMG"
    ),
    "manabox": _pairs(
        "mint: NM | near_mint: NM | excellent: LP | good: MP | light_played: MP | played: HP"
        " | poor: DMG"
    ),
    "dragonshield": _pairs(
        "Mint: NM | NearMint: NM | Excellent: LP | Good: MP | LightPlayed: MP | Played: HP"
        " | Poor: DMG"
    ),
    "moxfield": _pairs(
        "Mint: NM | Near Mint: NM | Good (Lightly Played): LP | Played: MP"
        " | Heavily Played: HP | Damaged: DMG"
    ),
    "deckbox": _pairs(
        "Mint: NM | Near Mint: NM | Good (Lightly Played): LP | Played: MP"
        " | Heavily Played: HP | Poor: DMG"
    ),
    "archidekt": _pairs("NM: NM | LP: LP | MP: MP | HP: HP | D: DMG"),
    "topdecked": _pairs(
        "mint: NM | near mint: NM | slightly played: LP | moderately played: MP"
        " | heavily played: HP | damaged: DMG"
    ),
    "mtggoldfish": {},
    "ebay": _pairs(
        "Near Mint or Better: NM | Near Mint: NM | Lightly Played (Excellent): LP"
        " | Excellent: LP | Moderately Played (Very Good): MP | Very Good: MP"
        " | Heavily Played (Poor): HP"
    ),
    "collx": _pairs(
        "Mint: NM | Near Mint: NM | Excellent: LP | Very Good: MP | Good: MP | Fair: HP | Poor: DMG"
    ),
}

_NAMES = _pairs(
    "English: EN | German: DE | French: FR | Italian: IT | Spanish: ES | Portuguese: PT"
    " | Japanese: JP | Korean: KO | Russian: RU | Traditional Chinese: ZHT"
)
_SCRYFALL = _pairs("en: EN | es: ES | fr: FR | de: DE | it: IT | pt: PT | ja: JP | ko: KO | ru: RU")
LANGUAGE_TABLES: dict[str, dict[str, str]] = {
    "tcgplayer": {**_NAMES, "Chinese": "ZHS"},
    "manabox": {**_SCRYFALL, "zh_CN": "ZHS", "zh_TW": "ZHT"},
    "dragonshield": {**_NAMES, "Simplified Chinese": "ZHS"},
    "moxfield": {**_NAMES, "Chinese": "ZHS"},
    "deckbox": {**_NAMES, "Chinese": "ZHS"},
    "archidekt": _pairs(
        "EN: EN | DE: DE | FR: FR | IT: IT | ES: ES | PT: PT | RU: RU | JP: JP | KR: KO"
        " | CS: ZHS | CT: ZHT"
    ),
    "topdecked": {**_SCRYFALL, "zhs": "ZHS", "zht": "ZHT"},
}

FINISH_TABLES: dict[str, dict[str, str]] = {
    "tcgplayer": _pairs(
        "Normal: NORMAL | Foil: FOIL | Holofoil: HOLO | Reverse Holofoil: REVERSE_HOLO"
        " | 1st Edition: 1ST | 1st Edition Holofoil: 1ST_HOLO | Unlimited: UNLIMITED"
        " | Unlimited Holofoil: UNLIMITED_HOLO | Limited: LIMITED"
    ),
    "manabox": _pairs("normal: NORMAL | foil: FOIL | etched: ETCHED"),
    "dragonshield": _pairs(
        "Normal: NORMAL | Foil: FOIL | 1st Edition: 1ST | Unlimited: UNLIMITED | Limited: LIMITED"
    ),
    "moxfield": _pairs("foil: FOIL | etched: ETCHED"),
    "deckbox": _pairs("foil: FOIL | etched: ETCHED"),
    "archidekt": _pairs("Normal: NORMAL | Foil: FOIL | Etched: ETCHED"),
    "topdecked": _pairs("nonfoil: NORMAL | foil: FOIL | etched: ETCHED"),
    "mtggoldfish": _pairs("regular: NORMAL | foil: FOIL | foil_etched: ETCHED"),
}


def _keyed(table: dict[str, str]) -> dict[str, str]:
    return {spelling_key(word): value for word, value in table.items()}


def test_every_tool_has_a_pinned_condition_table() -> None:
    assert set(CONDITION_TABLES) == set(TOOL_VOCABULARIES)


@pytest.mark.parametrize("tool", sorted(CONDITION_TABLES))
def test_condition_table_of_each_tool(tool: str) -> None:
    vocabulary = TOOL_VOCABULARIES[tool]
    assert vocabulary.condition_table == _keyed(CONDITION_TABLES[tool])
    for word, condition in CONDITION_TABLES[tool].items():
        assert vocab.parse_condition(word, tool=tool) == condition, word
        assert vocab.parse_condition_text(word, tool=tool).condition == condition, word


@pytest.mark.parametrize("tool", sorted(LANGUAGE_TABLES))
def test_language_table_of_each_tool(tool: str) -> None:
    assert TOOL_VOCABULARIES[tool].language_table == _keyed(LANGUAGE_TABLES[tool])
    for word, language in LANGUAGE_TABLES[tool].items():
        assert vocab.parse_language(word, tool=tool) == language, word


def test_cardmarket_language_ids_are_its_language_table() -> None:
    assert TOOL_VOCABULARIES["cardmarket"].language_table == {}
    assert spellings.CARDMARKET_LANGUAGES["7"] == "JP"
    assert spellings.CARDMARKET_LANGUAGES["3"] == "DE"


@pytest.mark.parametrize("tool", sorted(FINISH_TABLES))
def test_finish_table_of_each_tool(tool: str) -> None:
    assert TOOL_VOCABULARIES[tool].finish_table == _keyed(FINISH_TABLES[tool])
    for word, finish in FINISH_TABLES[tool].items():
        printing = vocab.parse_printing(word, tool=tool)
        assert printing is not None and printing.finish == finish, word
        first = {"1ST": True, "1ST_HOLO": True, "UNLIMITED": False, "UNLIMITED_HOLO": False}
        assert printing.first_edition == first.get(finish, False if finish == "LIMITED" else None)


@pytest.mark.parametrize("tool", sorted(TOOL_VOCABULARIES))
def test_tool_words_are_sku_values_and_agree_with_their_scale(tool: str) -> None:
    vocabulary = TOOL_VOCABULARIES[tool]
    scale = vocab.CONDITION_SCALES[vocabulary.scale]
    assert set(vocabulary.condition_table.values()) <= set(CONDITIONS)
    assert set(vocabulary.language_table.values()) <= set(LANGUAGES)
    assert set(vocabulary.finish_table.values()) <= set(FINISHES)
    for key, condition in vocabulary.condition_table.items():
        assert scale.get(key, condition) == condition, (tool, key)
    for key, language in vocabulary.language_table.items():
        assert vocab.LANGUAGE_NAMES.get(key, language) == language, (tool, key)


def test_the_same_word_is_read_by_each_tools_scale() -> None:
    # "Played": Moxfield's third grade (MP); Cardmarket's, Dragon Shield's and ManaBox's
    # sixth of seven (HP). "Good": LP on Moxfield's label, MP on the EU scale.
    assert vocab.parse_condition("Played", tool="moxfield") == "MP"
    assert vocab.parse_condition("Played", tool="dragonshield") == "HP"
    assert vocab.parse_condition("played", tool="manabox") == "HP"
    assert vocab.parse_condition("Good (Lightly Played)", tool="moxfield") == "LP"
    assert vocab.parse_condition("good", tool="manabox") == "MP"
    # the scale reads spellings the tool does not write itself
    assert vocab.parse_condition("NM", tool="dragonshield") == "NM"
    assert vocab.parse_condition("Lightly Played", tool="moxfield") == "LP"
    # eBay's lowest grade is labelled "Heavily Played (Poor)"; a bare "Poor" stays DMG
    assert vocab.parse_condition("Heavily Played (Poor)", tool="ebay") == "HP"
    assert vocab.parse_condition("Poor", tool="ebay") == "DMG"


def test_unknown_words_are_unknown_for_every_tool() -> None:
    for tool in TOOL_VOCABULARIES:
        assert vocab.parse_condition("Sparkly", tool=tool) is None
        assert vocab.parse_language("Klingon", tool=tool) is None
        assert vocab.parse_printing("shiny", tool=tool) is None


# -- what the real exports write -----------------------------------------------------------------

SELLER = "seller-exports"
HELPER = f"{SELLER}/mtgcsvhelper"
_CLF = {"Condition": "condition", "Language": "language", "Foil": "finish"}
_CL = {"Condition": "condition", "Language": "language"}
#: file -> (tool, {column: kind}): every value the real file writes in those columns must be
#: one of the tool's own words (not a fallback of its scale).
REAL_FILES = {
    f"{HELPER}/Collection/manabox-collection.csv": ("manabox", _CLF),
    f"{HELPER}/Tests/manabox-real-export.csv": ("manabox", _CLF),
    f"{HELPER}/Reference/manabox.csv": ("manabox", _CLF),
    f"{SELLER}/dragonshield-biestervictor/all-folders.csv": ("dragonshield", _CL),
    f"{SELLER}/dragonshield-acquadrod/all-folders.csv": ("dragonshield", _CL),
    f"{SELLER}/dragonshield-ygo-MadisK2/all-folders.csv": (
        "dragonshield",
        {**_CL, "Printing": "finish"},
    ),
    f"{HELPER}/Collection/dragonshield-collection.csv": ("dragonshield", _CL),
    f"{HELPER}/Reference/dragonshield.csv": ("dragonshield", {**_CL, "Printing": "finish"}),
    f"{SELLER}/moxfield-SaintGabriel602/Collection102125.csv": ("moxfield", _CLF),
    f"{HELPER}/Collection/moxfield-haves.csv": ("moxfield", _CLF),
    f"{HELPER}/Tests/moxfield-real-export.csv": ("moxfield", _CLF),
    f"{HELPER}/Tests/deckbox-real-export.csv": ("deckbox", _CLF),
    f"{HELPER}/Reference/deckbox.csv": ("deckbox", _CLF),
    f"{HELPER}/Tests/archidekt-real-export.csv": ("archidekt", {**_CL, "Finish": "finish"}),
    f"{HELPER}/Tests/topdecked-real-export.csv": (
        "topdecked",
        {"CONDITION": "condition", "LANG": "language", "FINISH": "finish"},
    ),
    f"{HELPER}/Tests/tcgplayer-real-export.csv": ("tcgplayer", {**_CL, "Printing": "finish"}),
    f"{HELPER}/Collection/tcgplayer-collection-old.csv": (
        "tcgplayer",
        {**_CL, "Printing": "finish"},
    ),
    f"{HELPER}/Tests/mtggoldfish-real-export.csv": ("mtggoldfish", {"Foil": "finish"}),
}
REAL_COLUMNS = [
    (name, tool, column, kind)
    for name, (tool, columns) in REAL_FILES.items()
    for column, kind in columns.items()
]


def _column_values(path: Path, column: str) -> set[str]:
    text = path.read_text(encoding="utf-8-sig")
    if text.lstrip('"').startswith("sep="):
        text = text.split("\n", 1)[1]
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    rows = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    return {row[column].strip() for row in rows if row.get(column) and row[column].strip()}


@pytest.mark.shared_data
@pytest.mark.parametrize(("name", "tool", "column", "kind"), REAL_COLUMNS)
def test_real_export_values_are_the_tools_own_words(
    shared_data: Path, name: str, tool: str, column: str, kind: str
) -> None:
    values = _column_values(shared_data / name, column)
    assert values, f"{name} has no {column} values"
    table = getattr(TOOL_VOCABULARIES[tool], f"{kind}_table")
    unknown = {v for v in values if spelling_key(v) not in table}
    if kind == "finish":  # Dragon Shield's named foils are read as FOIL + a variant tag
        unknown = {v for v in unknown if not spelling_key(v).endswith("foil")}
    assert not unknown, f"{tool} writes {sorted(unknown)} in {column}, not in its table"


@pytest.mark.shared_data
def test_real_manabox_rows_read_their_language_condition_and_finish(shared_data: Path) -> None:
    rows = list(read_inventory(shared_data / HELPER / "Collection" / "manabox-collection.csv"))
    seen = {(r.raw["Language"], r.listing.language) for r in rows}
    assert seen == {("de", "DE"), ("en", "EN")}
    conditions = {(r.raw["Condition"], r.listing.condition) for r in rows}
    assert ("near_mint", "NM") in conditions and ("good", "MP") in conditions
    assert ("excellent", "LP") in conditions and ("played", "HP") in conditions
    assert all(not r.listing.unread for r in rows)


# -- unreadable values and grade columns ---------------------------------------------------------


def _one(text: str, **kwargs):
    rows = list(read_inventory(io.BytesIO(text.encode()), **kwargs))
    assert len(rows) == 1
    return rows[0].listing


def test_unreadable_condition_language_and_finish_are_kept_as_unread() -> None:
    listing = _one(
        "Count,Name,Edition,Condition,Language,Foil,Collector Number\n"
        "1,Lightning Bolt,m10,Sparkly,Klingon,shiny,146\n"
    )
    assert listing.condition is None and listing.language is None and listing.finish is None
    assert listing.unread == {"condition": "Sparkly", "language": "Klingon", "finish": "shiny"}


def test_dragonshield_rows_use_dragonshields_words() -> None:
    listing = _one(
        "Folder Name,Quantity,Trade Quantity,Card Name,Set Code,Set Name,Card Number,"
        "Condition,Printing,Language\n"
        "Binder,1,0,Lightning Bolt,M10,Magic 2010,146,LightPlayed,Foil,Simplified Chinese\n"
    )
    assert (listing.condition, listing.finish, listing.language) == ("MP", "FOIL", "ZHS")
    assert listing.unread == {}


@pytest.mark.parametrize(
    ("mapping", "row", "grade", "unread"),
    [
        ({"name": "Card", "grade": "Grade"}, "Charizard,PSA 10", Grade("PSA", "10"), {}),
        ({"name": "Card", "grade": "Grade"}, "Charizard,BGS 9.5", Grade("BGS", "9.5"), {}),
        (
            {"name": "Card", "grade": "Grade", "grader": "Grader"},
            "Charizard,9,CGC",
            Grade("CGC", "9"),
            {},
        ),
        ({"name": "Card", "grade": "Grade"}, "Charizard,Ungraded", None, {}),
        ({"name": "Card", "grade": "Grade"}, "Charizard,SGC 9", None, {"grade": "SGC 9"}),
        ({"name": "Card", "grade": "Grade"}, "Charizard,9", None, {"grade": "9"}),
    ],
)
def test_grade_columns(mapping, row, grade, unread) -> None:
    header = ",".join(mapping.values())
    listing = _one(f"{header}\n{row}\n", mapping=mapping, game="POKEMON")
    assert listing.grade == grade
    assert listing.unread == unread


def test_every_format_names_a_known_vocabulary() -> None:
    for spec in FORMATS_BY_NAME.values():
        assert spec.vocabulary in TOOL_VOCABULARIES, spec.name
