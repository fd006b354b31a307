"""Engine-neutral relevance: how free text is matched and scored, as data both engines compile.

A `Text` query is split on whitespace into words; every word must match, either as a code
(set code or alias, collector number, `199/165`, `OP01-001`, ...) or as name words, each name
word by the best of: exact term > prefix > fuzzy (edit distance by length). Every clause has a
constant score (the tiers below), so both engines rank identically: the sum over words of the
best tier, plus bonuses when the whole text is a card's full name (exactly, or but for typos
within the typo budget) or the start of one, times the gentle popularity boost
log2(2 + rank_boost) of the document.

Suggestions (autocomplete) match the same way over the names index (one entry per card name and
game), the last word as a typo-tolerant prefix, and rank by `SUGGEST_TIERS`, then popularity.

Other leaves score 0 (filters: Term, Range, ColorSet) or `FIELD_MATCH` (FieldMatch, Phrase).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from indexer.analysis import fuzziness, name_fuzziness, query_words
from models.text import name_key, words

#: The whole text is a card's full name, or a face's (after folding case, accents and
#: punctuation). Far above anything words score (at most 3 a word, x1.2 for popularity), so
#: whole-name queries never lose to longer names containing them.
EXACT_NAME = 1000.0
#: The whole text is a card's full name but for typos within its budget
#: (`analysis.name_fuzziness`): earned once per edit level it is within (1 edit: twice), so
#: the exact name > 1 edit > 2 edits > any name that only contains the words.
NAME_TYPO = 250.0
NAME_STARTS_WITH = 0.5
TERM = 3.0
CODE = 3.0
PREFIX = 2.0
FUZZY = 1.0
FIELD_MATCH = 1.0
#: Suggestions look at names only and need at least this many characters.
SUGGEST_MIN_CHARS = 2
SUGGEST_MAX = 20
#: The shortest last word a suggestion takes as a whole word (shorter: a word being typed).
WHOLE_WORD_MIN = 3
#: The longest text whose typo-tolerant name start is looked for (the names index's
#: `keys.prefix` edge n-grams reach a little further).
KEY_PREFIX_MAX = 40
#: Edits a name start may differ by (one: two over every name start cost OpenSearch several ms
#: a suggestion on the whole catalog).
STARTS_TYPOS = 1

#: How loosely a name token may match: a whole word; or also the start of one; or also a word
#: (for the last word of a suggestion: the start of one) within the token's edit distance.
Looseness = Literal["word", "prefix", "typo"]


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
    #: Edits the whole text may differ from a full name by and still count as that name.
    name_fuzziness: int = 0

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
    return TextPlan(
        folded=name_key(text),
        words=tuple(plans),
        codes=codes and not suggest,
        name_fuzziness=name_fuzziness(text),
    )


# conditions on a whole name, scored by both engines -------------------------------------------
@dataclass(frozen=True, slots=True)
class KeyEquals:
    """A name key of the card (its name's or a face's, `analysis.name_key`) is `key`."""

    key: str


@dataclass(frozen=True, slots=True)
class KeyStarts:
    """A name key of the card starts with `prefix`."""

    prefix: str


@dataclass(frozen=True, slots=True)
class KeyWithin:
    """A name key of the card is within `edits` edits of `key` (transpositions count 1)."""

    key: str
    edits: int


@dataclass(frozen=True, slots=True)
class KeyStartsWithin:
    """A name key of the card starts with a text within `edits` edits of `prefix`."""

    prefix: str
    edits: int


@dataclass(frozen=True, slots=True)
class WordsMatch:
    """Every name token of the text matches a name word at most this loosely."""

    loosest: Looseness


NameCondition = KeyEquals | KeyStarts | KeyWithin | KeyStartsWithin | WordsMatch


def name_bonuses(plan: TextPlan) -> list[tuple[float, NameCondition]]:
    """What a `Text` adds to a card's word scores: the exact whole name, the name but for typos
    (once per edit level within the budget), a name starting with the text."""
    return [
        (EXACT_NAME, KeyEquals(plan.folded)),
        *((NAME_TYPO, KeyWithin(plan.folded, n)) for n in range(1, plan.name_fuzziness + 1)),
        (NAME_STARTS_WITH, KeyStarts(plan.folded)),
    ]


def suggest_tiers(plan: TextPlan) -> list[tuple[float, NameCondition]]:
    """Suggestion tiers, best first, as (score, condition). Every suggestion matches the text
    (`plan_text(..., suggest=True)`, typos allowed) and scores its best tier (0 for none):
    a name (or a face's) equal to the text; starting with the text's words, the last one whole;
    having every typed word as a whole word; starting with the text; having words that start
    with every typed word; equal to the text but for typos within the budget; starting with the
    text but for a typo. Popularity, then the name, order the names of one tier
    (`names.sort_key`). The last word counts as whole only from `WHOLE_WORD_MIN` characters
    (`li` is the start of a word being typed, not `Hu-Li`)."""
    last = plan.words[-1].name_tokens[-1].term if plan.words[-1].name_tokens else ""
    whole_word: list[NameCondition] = (
        [KeyStarts(plan.folded + " "), WordsMatch("word")] if len(last) >= WHOLE_WORD_MIN else []
    )
    tiers: list[NameCondition] = [
        KeyEquals(plan.folded),
        *whole_word,
        KeyStarts(plan.folded),
        WordsMatch("prefix"),
    ]
    if plan.name_fuzziness:
        tiers.append(KeyWithin(plan.folded, plan.name_fuzziness))
        if len(plan.folded) <= KEY_PREFIX_MAX:
            tiers.append(KeyStartsWithin(plan.folded, STARTS_TYPOS))
    return [(float(len(tiers) - n), condition) for n, condition in enumerate(tiers)]
