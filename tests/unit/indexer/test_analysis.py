from indexer.analysis import (
    code_tokens,
    fuzziness,
    name_fuzziness,
    query_words,
    set_code_synonyms,
)
from models.text import fold, name_key, words


def test_fold_is_accent_and_case_blind():
    assert fold("Pokégear 3.0") == "pokegear 3.0"
    assert fold("Lim-Dûl's  Vault") == "lim-dul's vault"
    assert fold("Æther Vial") == "aether vial"


def test_words_split_on_everything_but_letters_and_digits():
    assert words("Lim-Dûl's Vault") == ["lim", "dul", "s", "vault"]
    assert words("Pokémon Catcher") == ["pokemon", "catcher"]
    assert words("—") == []


def test_fuzziness_grows_with_length():
    assert [fuzziness(t) for t in ("ab", "abc", "abcde", "abcdef")] == [0, 1, 1, 2]


def test_name_keys_ignore_case_accents_and_punctuation_and_apostrophes_join():
    assert name_key("Professor’s Research") == name_key("professors research")
    assert name_key("Lim-Dûl's Vault") == "lim duls vault"
    assert name_key("Monkey.D.Luffy") == "monkey d luffy" == name_key("monkey d luffy")
    assert name_key("Fire // Ice") == "fire ice"


def test_a_whole_name_may_have_as_many_typos_as_its_words_at_most_two():
    typed = ("n", "bolt", "tarmogoyf", "fire ice", "ab cd")
    assert [name_fuzziness(t) for t in typed] == [0, 1, 2, 2, 0]


def test_code_tokens_keep_the_whole_and_split_the_parts():
    assert code_tokens("OP01-001") == ["op01-001", "op01", "001"]
    assert code_tokens("199/165") == ["199/165", "199", "165"]
    assert code_tokens("LOB-EN001") == ["lob-en001", "lob", "en001"]
    assert code_tokens("sv3pt5") == ["sv3pt5"]
    assert code_tokens("") == []


def test_query_words_keep_code_punctuation():
    assert query_words("Charizard 199/165 -") == ["charizard", "199/165"]


def test_set_code_synonyms_are_directional_and_skip_unsafe_codes():
    rules = set_code_synonyms([("SV2", ["PAL"]), ("SV3PT5", ["MEW", "sv3pt5"]), ("P R", ["X"])])
    assert rules == ["sv2 => sv2, pal", "sv3pt5 => sv3pt5, mew"]
    assert set_code_synonyms([("NEO", [])]) == []
