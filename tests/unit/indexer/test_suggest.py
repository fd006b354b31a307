from indexer import relevance as rel
from indexer.suggest import suggest_plan, suggestion


def test_nothing_is_suggested_under_two_letters_or_digits_or_without_a_limit():
    assert suggest_plan("l", 20) is None and suggest_plan(" p ", 20) is None
    assert suggest_plan("l'", 20) is None and suggest_plan("--", 20) is None
    assert suggest_plan("li", 0) is None
    plan = suggest_plan("Lightning bo", 20)
    assert plan is not None and not plan.codes and plan.folded == "lightning bo"
    assert plan.words[-1].name_tokens[-1].fuzzy_prefix  # the word being typed


def test_suggestion_tiers_best_first():
    tiers = rel.suggest_tiers(rel.plan_text("dark magican", suggest=True))
    assert [score for score, _ in tiers] == [7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0]
    assert [condition for _, condition in tiers] == [
        rel.KeyEquals("dark magican"),
        rel.KeyStarts("dark magican "),  # the typed words start the name, the last one whole
        rel.WordsMatch("word"),
        rel.KeyStarts("dark magican"),
        rel.WordsMatch("prefix"),
        rel.KeyWithin("dark magican", 2),  # the whole name but for typos
        rel.KeyStartsWithin("dark magican", 1),  # the start of the name but for a typo
    ]
    # two letters: no typos, and the word is still being typed (`li` is not a whole word)
    short = rel.suggest_tiers(rel.plan_text("li", suggest=True))
    assert [condition for _, condition in short] == [
        rel.KeyEquals("li"),
        rel.KeyStarts("li"),
        rel.WordsMatch("prefix"),
    ]
    assert [score for score, _ in short] == [3.0, 2.0, 1.0]
    long = rel.suggest_tiers(rel.plan_text("ab " * 20 + "cde", suggest=True))
    assert not any(isinstance(c, rel.KeyStartsWithin) for _, c in long)  # past the n-grams


def test_whole_name_bonuses():
    bonuses = rel.name_bonuses(rel.plan_text("Professor's Research"))
    assert bonuses == [
        (rel.EXACT_NAME, rel.KeyEquals("professors research")),
        (rel.NAME_TYPO, rel.KeyWithin("professors research", 1)),
        (rel.NAME_TYPO, rel.KeyWithin("professors research", 2)),
        (rel.NAME_STARTS_WITH, rel.KeyStarts("professors research")),
    ]
    # a whole name with typos stays above any longer name holding every word exactly, with
    # the popularity boost (x1.2), for names of up to dozens of words
    words = 30
    assert rel.NAME_TYPO + words * rel.FUZZY > 1.2 * (words * rel.TERM + rel.NAME_STARTS_WITH)
    assert 1.2 * (2 * rel.NAME_TYPO + words * rel.TERM) < rel.EXACT_NAME


def test_a_suggestion_is_the_entry_shown():
    entry = {"name": "Monkey.D.Luffy", "card_id": 7, "game": "OPTCG", "sort_key": "x"}
    assert (suggestion(entry).name, suggestion(entry).card_id) == ("Monkey.D.Luffy", 7)
