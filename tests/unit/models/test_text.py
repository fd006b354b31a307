"""The one text fold (models/text.py) and the keys derived from it: what each one treats as the
same text, and where they deliberately differ (apostrophes joining or splitting, `★` and `&`
read as words, non-Latin scripts kept by `spelling_key`)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.text import fold, join_apostrophes, listing_key, name_key, spelling_key, squash, words


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Lim-Dûl's  Vault", "lim-dul's vault"),
        ("Pokégear 3.0", "pokegear 3.0"),
        ("Æther Vial", "aether vial"),
        ("Jötun Grunt", "jotun grunt"),
        ("ポケモン", "pokemon"),
        ("Борис", "boris"),
        ("BLUE-EYES", "blue-eyes"),
        ("", ""),
    ],
)
def test_fold_is_accent_and_case_blind_ascii(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_collapses_whitespace_runs_and_trims() -> None:
    assert fold("  Æther\tVial\n\n of  the  Void ") == "aether vial of the void"


def test_fold_keeps_punctuation_and_reads_typographic_apostrophes_as_ascii() -> None:
    assert fold("Professor’s Research!") == "professor's research!"
    assert fold("Fire & Ice") == "fire & ice"


def test_words_are_letters_and_digits_of_the_folded_text() -> None:
    assert words("Lim-Dûl's Vault") == ["lim", "dul", "s", "vault"]
    assert words("Pokégear 3.0") == ["pokegear", "3", "0"]
    assert words("under_score") == ["under", "score"]
    assert words("★ & !") == []


def test_join_apostrophes_drops_only_apostrophes() -> None:
    assert join_apostrophes("Professor’s Research") == "professors research"
    assert join_apostrophes("O`Brien's Blue-Eyes") == "obriens blue-eyes"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Blue-Eyes White Dragon", "blue eyes  white dragon"),
        ("Collector's Rare", "collectors rare"),
        ("Professor’s Research", "Professors Research"),
        ("Jötun Grunt", "JOTUN GRUNT"),
        ("Fire & Ice", "fire ice"),
    ],
)
def test_name_key_ignores_punctuation_case_and_accents(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_name_key_joins_apostrophes_and_keeps_word_boundaries() -> None:
    assert name_key("Lim-Dûl's Vault") == "lim duls vault"
    assert name_key("Blue-Eyes White Dragon") == "blue eyes white dragon"
    assert name_key("Blue Eyes") != name_key("Blueeyes")


@pytest.mark.parametrize(
    ("text", "squashed"),
    [
        ("Yu-Gi-Oh!", "yugioh"),
        ("zh-Hans", "zhhans"),
        ("Pokémon TCG", "pokemontcg"),
        ("Magic: The Gathering", "magicthegathering"),
        ("Collector's Rare", "collectorsrare"),
        ("   ", ""),
    ],
)
def test_squash_is_name_key_without_spaces(text: str, squashed: str) -> None:
    assert squash(text) == squashed
    assert squash(text) == name_key(text).replace(" ", "")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Near Mint", "nearmint"),
        ("Español", "espanol"),
        ("Français", "francais"),
        ("zh-Hans", "zhhans"),
    ],
)
def test_spelling_key_squashes_latin_scripts(text: str, key: str) -> None:
    assert spelling_key(text) == key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("日本語", "日本語"),
        ("ポケモン", "ポケモン"),
        ("Борис", "борис"),
        ("한국어 판", "한국어판"),
    ],
)
def test_spelling_key_keeps_non_latin_scripts_as_written(text: str, key: str) -> None:
    """`fold` transliterates (`日本語` -> `ri ben yu`), which would make unrelated spellings
    collide; `spelling_key` keeps them, case-folded and without punctuation or spaces."""
    assert spelling_key(text) == key
    assert squash(text) != key


def test_spelling_key_of_mixed_text_keeps_the_non_latin_part() -> None:
    assert spelling_key("Pikachu δ") == "pikachuδ"
    assert squash("Pikachu δ") == "pikachud"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Lim-Dûl's Vault", "lim dul s vault"),
        ("Ethan's Typhlosion", "ethan s typhlosion"),
        ("Umbreon ★", "umbreon star"),
        ("Umbreon☆", "umbreon star"),
        ("Fire & Ice", "fire and ice"),
        ("Fire&Ice", "fire and ice"),
        ("  Æther   Vial ", "aether vial"),
    ],
)
def test_listing_key_splits_apostrophes_and_reads_star_and_ampersand(name: str, key: str) -> None:
    assert listing_key(name) == key


def test_listing_key_and_name_key_differ_only_where_their_rules_do() -> None:
    """The star is a word to matching (a `★` print is another card) but noise to names."""
    assert name_key("Umbreon ★") == name_key("Umbreon") == "umbreon"
    assert listing_key("Umbreon ★") != listing_key("Umbreon")
    assert name_key("Ethan's") == "ethans"
    assert listing_key("Ethan's") == "ethan s"


_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)


@given(_TEXT)
def test_fold_is_idempotent_ascii_with_single_spaces(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert folded.isascii()
    assert folded == folded.strip()
    assert "  " not in folded
    assert folded == folded.lower()


@given(_TEXT)
def test_keys_are_stable_under_their_own_fold(text: str) -> None:
    assert name_key(name_key(text)) == name_key(text)
    assert squash(squash(text)) == squash(text)
    assert " " not in squash(text)
    assert listing_key(listing_key(text)) == listing_key(text)


@given(st.text(alphabet=st.sampled_from("abcXYZ019 -'!.,"), max_size=30))
def test_keys_of_plain_ascii_ignore_case(text: str) -> None:
    for key in (name_key, squash, spelling_key, listing_key):
        assert key(text.upper()) == key(text.lower())
