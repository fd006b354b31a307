"""The shared vocabulary is declared once (models/games.py, models/vocabulary.py) and every
table derived from it covers every declared game, language, condition and finish; the
spellings shoppers and sellers type resolve to their codes, and no spelling names two."""

from __future__ import annotations

import itertools

import pytest

from models import sku
from models.games import (
    FLAG_COLUMNS,
    GAME_BY_SPELLING,
    GAME_CODE_BY_ID,
    GAME_CODES,
    GAME_IDS,
    GAME_LABELS,
    GAME_SPELLINGS,
    GAMES,
    game_rows,
    resolve_game,
)
from models.text import squash
from models.vocabulary import (
    CHINESE_WORDS,
    CONDITION_CODES,
    CONDITIONS,
    FINISH_CODES,
    FINISHES,
    FOIL_FINISHES,
    LANGUAGE_CODES,
    LANGUAGE_DISPLAY,
    LANGUAGES,
    Language,
)
from search_api.query.keywords import resolve_language


def test_game_tables_cover_every_game_in_catalog_order() -> None:
    assert GAME_CODES == ("MTG", "POKEMON", "YUGIOH", "OPTCG")
    assert set(GAME_LABELS) == set(GAME_SPELLINGS) == set(GAME_CODES)
    assert [game["code"] for game in GAMES] == list(GAME_CODES)
    assert {game["code"]: game["id"] for game in GAMES} == GAME_IDS
    assert {code: GAME_IDS[code] for code in GAME_CODE_BY_ID.values()} == GAME_IDS
    assert all(GAME_CODE_BY_ID[GAME_IDS[code]] == code for code in GAME_CODES)


def test_game_seed_rows_carry_every_flag() -> None:
    rows = game_rows()
    assert [row["code"] for row in rows] == list(GAME_CODES)
    for row in rows:
        assert set(FLAG_COLUMNS) <= set(row)
        assert all(isinstance(row[flag], bool) for flag in FLAG_COLUMNS)
    assert {flag for game in GAMES for flag in game if flag.startswith("uses_")} <= set(
        FLAG_COLUMNS
    )


@pytest.mark.parametrize("code", GAME_CODES)
def test_every_game_spelling_code_and_label_resolves(code: str) -> None:
    for spelling in (code, code.lower(), GAME_LABELS[code], *GAME_SPELLINGS[code]):
        assert resolve_game(spelling) == code, spelling
        assert resolve_game(f"  {spelling.upper()} ") == code, spelling


def test_no_spelling_names_two_games() -> None:
    spellings = [
        (squash(spelling), code)
        for code in GAME_CODES
        for spelling in {squash(s) for s in (code, GAME_LABELS[code], *GAME_SPELLINGS[code])}
    ]
    assert len(GAME_BY_SPELLING) == len(spellings)
    assert resolve_game("Pokemon") == resolve_game("pokémon") == "POKEMON"
    assert resolve_game("yu gi oh") == "YUGIOH"
    assert resolve_game("Digimon") is None


def test_codes_are_unique_and_derived_in_declaration_order() -> None:
    assert tuple(language.code for language in LANGUAGES) == LANGUAGE_CODES
    assert tuple(condition.code for condition in CONDITIONS) == CONDITION_CODES
    assert tuple(finish.code for finish in FINISHES) == FINISH_CODES
    for codes in (LANGUAGE_CODES, CONDITION_CODES, FINISH_CODES):
        assert len(set(codes)) == len(codes)
    assert CONDITION_CODES[0] == "NM"  # best first: the ETL's first SKU of each print
    assert {language.code: language.name for language in LANGUAGES} == LANGUAGE_DISPLAY


def test_foil_finishes_are_the_declared_foil_ones() -> None:
    assert {finish.code for finish in FINISHES if finish.foil} == FOIL_FINISHES
    assert {"FOIL", "ETCHED", "HOLO", "REVERSE_HOLO", "1ST_HOLO"} <= FOIL_FINISHES
    assert not {"NORMAL", "1ST", "UNLIMITED"} & FOIL_FINISHES


_ALL_CHINESE = {squash(word) for word in CHINESE_WORDS}


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.code)
def test_every_language_code_and_spelling_resolves_to_it(language: Language) -> None:
    """Except the words that name every Chinese at once (`zh`, `chinese`)."""
    for spelling in (language.code, *language.spellings):
        wanted = ("ZH", "ZHS", "ZHT") if squash(spelling) in _ALL_CHINESE else (language.code,)
        assert resolve_language(spelling) == wanted, spelling
        assert resolve_language(spelling.upper()) == wanted, spelling


def test_no_spelling_names_two_languages() -> None:
    keys = [
        squash(spelling)
        for language in LANGUAGES
        for spelling in {squash(s) for s in (language.code, *language.spellings)}
    ]
    assert len(keys) == len(set(keys))
    assert resolve_language("Simplified Chinese") == ("ZHS",)
    assert resolve_language("Klingon") is None


def test_the_sku_format_takes_its_code_tuples_from_the_vocabulary() -> None:
    assert sku.GAMES == GAME_CODES
    assert sku.LANGUAGES == LANGUAGE_CODES
    assert sku.CONDITIONS == CONDITION_CODES
    assert sku.FINISHES == FINISH_CODES


def test_every_declared_component_makes_a_sku_that_round_trips() -> None:
    for game, language, condition, finish in itertools.product(
        GAME_CODES, LANGUAGE_CODES, CONDITION_CODES, FINISH_CODES
    ):
        parts = sku.SkuParts(game, "SET1", "001", language, condition, finish)
        code = sku.format_sku(parts)
        assert code == f"{game}-SET1-001-{language}-{condition}-{finish}"
        assert sku.parse_sku(code) == parts


@pytest.mark.parametrize(
    ("component", "code"),
    [
        ("game", "DIGIMON-SET1-001-EN-NM-NORMAL"),
        ("language", "MTG-SET1-001-XX-NM-NORMAL"),
        ("condition", "MTG-SET1-001-EN-MINT-NORMAL"),
        ("finish", "MTG-SET1-001-EN-NM-SHINY"),
    ],
)
def test_an_undeclared_component_is_not_a_sku(component: str, code: str) -> None:
    with pytest.raises(sku.SkuError) as raised:
        sku.parse_sku(code)
    assert raised.value.component == component
