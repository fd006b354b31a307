"""The vocabulary tables: conditions per scale, printings, languages, grades, games."""

from __future__ import annotations

import pytest

from matching.parsing import spellings, vocab
from matching.parsing.tool_vocabularies import keyed_table
from models.sku import CONDITIONS, FINISHES, LANGUAGES, Grade
from models.text import spelling_key


@pytest.mark.parametrize(
    ("text", "scale", "expected"),
    [
        # US scale (TCGplayer, Moxfield, Deckbox, Archidekt, TopDecked)
        ("NM", "tcgplayer", "NM"),
        ("Near Mint", "tcgplayer", "NM"),
        ("M/NM", "tcgplayer", "NM"),
        ("Mint", "tcgplayer", "NM"),
        ("LP", "tcgplayer", "LP"),
        ("Lightly Played", "tcgplayer", "LP"),
        ("Light Played", "tcgplayer", "LP"),
        ("Good (Lightly Played)", "tcgplayer", "LP"),  # Moxfield, Deckbox
        ("slightly played", "tcgplayer", "LP"),  # TopDecked
        ("Excellent", "tcgplayer", "LP"),
        ("MP", "tcgplayer", "MP"),
        ("Moderately Played", "tcgplayer", "MP"),
        ("Played", "tcgplayer", "MP"),  # Moxfield's third grade (Archidekt re-exports it as MP)
        ("HP", "tcgplayer", "HP"),
        ("Heavily Played", "tcgplayer", "HP"),
        ("DMG", "tcgplayer", "DMG"),
        ("Damaged", "tcgplayer", "DMG"),
        ("D", "tcgplayer", "DMG"),  # Archidekt
        ("Poor", "tcgplayer", "DMG"),  # Deckbox
        # EU scale (Cardmarket, Dragon Shield, ManaBox): one step stricter below NM
        ("MT", "cardmarket", "NM"),
        ("NM", "cardmarket", "NM"),
        ("EX", "cardmarket", "LP"),
        ("GD", "cardmarket", "MP"),
        ("LP", "cardmarket", "MP"),
        ("PL", "cardmarket", "HP"),
        ("PO", "cardmarket", "DMG"),
        ("1", "cardmarket", "NM"),
        ("3", "cardmarket", "LP"),
        ("5", "cardmarket", "MP"),
        ("6", "cardmarket", "HP"),
        ("7", "cardmarket", "DMG"),
        ("NearMint", "cardmarket", "NM"),  # Dragon Shield
        ("Excellent", "cardmarket", "LP"),
        ("Good", "cardmarket", "MP"),
        ("LightPlayed", "cardmarket", "MP"),
        ("Played", "cardmarket", "HP"),
        ("near_mint", "cardmarket", "NM"),  # ManaBox
        ("light_played", "cardmarket", "MP"),
        ("excellent", "cardmarket", "LP"),
        ("poor", "cardmarket", "DMG"),
        # CollX (sports-card words)
        ("Mint", "collx", "NM"),
        ("Near Mint", "collx", "NM"),
        ("Excellent", "collx", "LP"),
        ("Very Good", "collx", "MP"),
        ("Fair", "collx", "HP"),
        ("Poor", "collx", "DMG"),
        # unknown / blank
        ("Klingon", "tcgplayer", None),
        ("", "tcgplayer", None),
        (None, "cardmarket", None),
    ],
)
def test_parse_condition(text, scale, expected):
    assert vocab.parse_condition(text, tool=scale) == expected


def test_every_condition_table_maps_into_sku_conditions():
    for scale, table in vocab.CONDITION_SCALES.items():
        assert set(table.values()) <= set(CONDITIONS), scale


def test_same_word_differs_between_us_and_eu_scales():
    assert vocab.parse_condition("Light Played", tool="tcgplayer") == "LP"
    assert vocab.parse_condition("Light Played", tool="cardmarket") == "MP"
    assert vocab.parse_condition("Played", tool="tcgplayer") == "MP"
    assert vocab.parse_condition("Played", tool="cardmarket") == "HP"


@pytest.mark.parametrize(
    ("text", "condition", "finish", "first", "language"),
    [
        ("Near Mint", "NM", None, None, None),
        ("Near Mint Foil", "NM", "FOIL", None, None),
        ("Lightly Played Foil", "LP", "FOIL", None, None),
        ("Near Mint 1st Edition", "NM", "1ST", True, None),
        ("Near Mint Holofoil", "NM", "HOLO", None, None),
        ("Near Mint Reverse Holofoil", "NM", "REVERSE_HOLO", None, None),
        ("Heavily Played 1st Edition Holofoil", "HP", "1ST_HOLO", True, None),
        ("Damaged Unlimited Holofoil", "DMG", "UNLIMITED_HOLO", False, None),
        ("Moderately Played Unlimited", "MP", "UNLIMITED", False, None),
        ("Near Mint Foil - Japanese", "NM", "FOIL", None, "JP"),
        ("Lightly Played - German", "LP", None, None, "DE"),
    ],
)
def test_parse_condition_text_splits_tcgplayer_sku_conditions(
    text, condition, finish, first, language
):
    reading = vocab.parse_condition_text(text)
    assert (reading.condition, reading.finish, reading.first_edition, reading.language) == (
        condition,
        finish,
        first,
        language,
    )
    assert reading.detail is None


def test_parse_condition_text_keeps_unknown_rest():
    reading = vocab.parse_condition_text("Near Mint Sparkly")
    assert reading.condition == "NM"
    assert reading.detail == "Sparkly"
    assert vocab.parse_condition_text("Whatever").condition is None


@pytest.mark.parametrize(
    ("text", "finish", "first", "detail"),
    [
        ("Normal", "NORMAL", None, None),
        ("nonfoil", "NORMAL", None, None),
        ("regular", "NORMAL", None, None),
        ("Non-Holo", "NORMAL", None, None),
        ("Foil", "FOIL", None, None),
        ("foil", "FOIL", None, None),
        ("etched", "ETCHED", None, None),
        ("foil_etched", "ETCHED", None, None),
        ("Glossy", "GLOSSY", None, None),
        ("Holo", "HOLO", None, None),
        ("Holofoil", "HOLO", None, None),
        ("Reverse Holofoil", "REVERSE_HOLO", None, None),
        ("Reverse Holo", "REVERSE_HOLO", None, None),
        ("1st Edition", "1ST", True, None),
        ("1st Ed", "1ST", True, None),
        ("1st Edition Holofoil", "1ST_HOLO", True, None),
        ("Unlimited", "UNLIMITED", False, None),
        ("Unlimited Holofoil", "UNLIMITED_HOLO", False, None),
        ("Limited", "LIMITED", False, None),
        ("Surge Foil", "FOIL", None, "Surge Foil"),  # Dragon Shield named foils
        ("Double Rainbow Foil", "FOIL", None, "Double Rainbow Foil"),
        ("Step and Compleat Foil", "FOIL", None, "Step and Compleat Foil"),
    ],
)
def test_parse_printing(text, finish, first, detail):
    printing = vocab.parse_printing(text)
    assert printing == vocab.Printing(finish, first, detail)
    assert printing.finish in FINISHES


@pytest.mark.parametrize("text", ["", "  ", None, "bogus", "shiny"])
def test_parse_printing_unknown(text):
    assert vocab.parse_printing(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("EN", "EN"),
        ("English", "EN"),
        ("en", "EN"),
        ("JP", "JP"),
        ("JA", "JP"),
        ("ja", "JP"),
        ("Japanese", "JP"),
        ("日本語", "JP"),
        ("DE", "DE"),
        ("German", "DE"),
        ("Deutsch", "DE"),
        ("FR", "FR"),
        ("French", "FR"),
        ("Français", "FR"),
        ("IT", "IT"),
        ("Italian", "IT"),
        ("Italiano", "IT"),
        ("ES", "ES"),
        ("Spanish", "ES"),
        ("Español", "ES"),
        ("SP", "ES"),
        ("PT", "PT"),
        ("Portuguese", "PT"),
        ("pt-BR", "PT"),
        ("KO", "KO"),
        ("KR", "KO"),
        ("Korean", "KO"),
        ("RU", "RU"),
        ("Russian", "RU"),
        ("ZHS", "ZHS"),
        ("zh_CN", "ZHS"),
        ("CS", "ZHS"),
        ("Simplified Chinese", "ZHS"),
        ("Chinese", "ZHS"),  # Moxfield/Deckbox/TCGplayer "Chinese" is Simplified
        ("ZHT", "ZHT"),
        ("zh_TW", "ZHT"),
        ("CT", "ZHT"),
        ("Traditional Chinese", "ZHT"),
        ("Phyrexian", "PH"),
        ("Hebrew", "HE"),
        ("Latin", "LA"),
        ("Ancient Greek", "GRC"),
        ("Arabic", "AR"),
        ("Sanskrit", "SA"),
        ("Indonesian", "ID"),
        ("Thai", "TH"),
        ("Klingon", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_language(text, expected):
    assert vocab.parse_language(text) == expected


def test_language_tables_map_into_sku_languages():
    assert set(vocab.LANGUAGE_NAMES.values()) <= set(LANGUAGES)
    assert set(spellings.CARDMARKET_LANGUAGES.values()) <= set(LANGUAGES)
    assert set(spellings.YUGIOH_REGIONS.values()) <= set(LANGUAGES)


def test_cardmarket_language_ids():
    mkm_order = "EN FR DE ES IT ZHS JP PT RU KO ZHT".split()  # MKM API 2.0 idLanguage 1-11
    by_id = {str(language_id): code for language_id, code in enumerate(mkm_order, start=1)}
    assert by_id == spellings.CARDMARKET_LANGUAGES


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("PSA 10", Grade("PSA", "10")),
        ("PSA10", Grade("PSA", "10")),
        ("psa 9", Grade("PSA", "9")),
        ("PSA 9.0", Grade("PSA", "9")),
        ("BGS 9.5", Grade("BGS", "9.5")),
        ("Beckett 9.5", Grade("BGS", "9.5")),
        ("CGC 9", Grade("CGC", "9")),
        ("CGC 8.5", Grade("CGC", "8.5")),
        ("PSA Gem Mint 10", Grade("PSA", "10")),
        ("BGS Pristine 10", Grade("BGS", "10")),
        ("Gem Mint 10 PSA", Grade("PSA", "10")),
        ("Charizard PSA 8 Base Set", Grade("PSA", "8")),
    ],
)
def test_parse_grade(text, grade):
    reading = vocab.parse_grade(text)
    assert reading is not None
    assert reading.grade == grade


def test_parse_grade_without_company_or_unsupported_company():
    assert vocab.parse_grade("Gem Mint 10") is None
    assert vocab.parse_grade("PSA") is None
    reading = vocab.parse_grade("RPA 10")
    assert reading is not None and reading.grade is None and reading.company == "RPA"
    assert vocab.parse_grade("SGC 9.5").grade is None


@pytest.mark.parametrize(
    ("text", "game"),
    [
        ("Magic", "MTG"),
        ("Magic: The Gathering", "MTG"),
        ("MTG", "MTG"),
        ("Pokemon", "POKEMON"),
        ("Pokémon", "POKEMON"),
        ("Pokemon Japan", "POKEMON"),
        ("YuGiOh", "YUGIOH"),
        ("Yu-Gi-Oh!", "YUGIOH"),
        ("One Piece Card Game", "OPTCG"),
        ("Flesh & Blood TCG", None),
        ("", None),
    ],
)
def test_parse_game(text, game):
    assert vocab.parse_game(text) == game


def test_combine_finish():
    assert vocab.combine_finish("HOLO", "1ST") == "1ST_HOLO"
    assert vocab.combine_finish("HOLO", "UNLIMITED") == "UNLIMITED_HOLO"
    assert vocab.combine_finish(None, "1ST") == "1ST"
    assert vocab.combine_finish("NORMAL", "1ST") == "1ST"
    assert vocab.combine_finish("FOIL", None) == "FOIL"
    assert vocab.combine_finish("HOLO", "LIMITED") == "LIMITED"


def test_spelling_key_is_the_lookup_key():
    assert spelling_key("Near Mint") == spelling_key("near_mint") == "nearmint"
    assert spelling_key("Good (Lightly Played)") == "goodlightlyplayed"
    assert spelling_key("Español") == "espanol"
    assert spelling_key("日本語") == "日本語"


def test_tables_refuse_clashing_spellings():
    with pytest.raises(ValueError, match="clash"):
        keyed_table({"Near Mint": "NM", "near-mint": "LP"})
