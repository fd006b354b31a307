"""Engine-neutral relevance: how free text is matched and scored, as data both engines compile.

A `Text` query is split on whitespace into words; every word must match, either as a code
(set code or alias, collector number, `199/165`, `OP01-001`, ...) or as name words, each name
word by the best of: exact term > prefix > fuzzy (edit distance by length). Every clause has a
constant score (the tiers below), so both engines rank identically: the sum over words of the
best tier, plus bonuses when the whole text is a card's full name or the start of one, times
the gentle popularity boost log2(2 + rank_boost) of the document.

Other leaves score 0 (filters: Term, Range, ColorSet) or `FIELD_MATCH` (FieldMatch, Phrase).
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.analysis import fuzziness, name_key, query_words, words

EXACT_NAME = 10.0
NAME_STARTS_WITH = 0.5
TERM = 3.0
CODE = 3.0
PREFIX = 2.0
FUZZY = 1.0
FIELD_MATCH = 1.0
#: Suggestions look at names only and need at least this many characters.
SUGGEST_MIN_CHARS = 2
SUGGEST_MAX = 20


@dataclass(frozen=True, slots=True)
class NameToken:
    term: str
    fuzziness: int
    #: Also match words that start like the term, within `fuzziness` edits (the last word of
    #: a suggestion, which the user is still typing).
    fuzzy_prefix: bool = False


@dataclass(frozen=True, slots=True)
class WordPlan:
    """One whitespace word: matches as a whole code, or as all of its name tokens."""

    code: str
    name_tokens: tuple[NameToken, ...]


@dataclass(frozen=True, slots=True)
class TextPlan:
    folded: str  # the whole text as a name key (analysis.name_key): compared with `names_exact`
    words: tuple[WordPlan, ...]
    codes: bool  # False for suggestions (names only)

    @property
    def is_empty(self) -> bool:
        return not self.words


def plan_text(text: str, *, codes: bool = True, suggest: bool = False) -> TextPlan:
    """The matching plan of free text; `suggest` plans names only, the last word as a
    typo-tolerant prefix."""
    words_ = query_words(text)
    plans = []
    for n, word in enumerate(words_):
        last = suggest and n == len(words_) - 1
        tokens = [NameToken(t, fuzziness(t)) for t in words(word)]
        if last and tokens:
            tokens[-1] = NameToken(tokens[-1].term, tokens[-1].fuzziness, fuzzy_prefix=True)
        plans.append(WordPlan(code=word, name_tokens=tuple(tokens)))
    return TextPlan(folded=name_key(text), words=tuple(plans), codes=codes and not suggest)
