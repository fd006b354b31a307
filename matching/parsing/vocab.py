"""Reading conditions, finishes, languages, games and grades as sellers and tools spell them
into the universal SKU vocabulary (`models.sku`). The spellings are data
(`matching.parsing.spellings`); docs/matching-input.md shows and justifies every table.

All lookups go through `models.text.spelling_key`, which drops case, accents, spaces and
punctuation, so `Near Mint`, `NearMint`, `near_mint` and `NEAR-MINT` are one key (`nearmint`).

Each tool and marketplace writes the components in its own words
(`matching.parsing.tool_vocabularies`); a reader looks a value up in its tool's table first,
then in the general tables.

Conditions depend on the grading *scale* of the tool, because the same word means different
wear on each side of the Atlantic:

* `tcgplayer` (US: TCGplayer, Moxfield, Deckbox, Archidekt, TopDecked, eBay titles):
  NM / LP / MP / HP / DMG, plus Mint and Moxfield's "Good (Lightly Played)";
* `cardmarket` (EU: Cardmarket, Dragon Shield, ManaBox): MT / NM / EX / GD / LP / PL / PO, which
  is stricter, so each grade below NM maps one step down (EX -> LP, GD -> MP, LP -> MP,
  PL -> HP, PO -> DMG);
* `collx` (sports-card words used by CollX): Mint, Near Mint, Excellent, Very Good, Good, Fair,
  Poor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matching.parsing.spellings import (
    CONDITION_CARDMARKET,
    CONDITION_COLLX,
    CONDITION_TCGPLAYER,
    EDITION_SPELLINGS,
    FINISH_DISPLAY,
    FINISH_SPELLINGS,
    FIRST,
    FOIL,
    GRADER_ALIASES,
    HOLO,
    LANGUAGE_SPELLINGS,
    LIMITED,
    OTHER_GRADERS,
    UNLIMITED,
)
from matching.parsing.tool_vocabularies import TOOL_VOCABULARIES, keyed_table
from models.games import GAME_LABELS, GAME_SPELLINGS
from models.sku import GRADING_COMPANIES, Grade
from models.text import spelling_key
from models.vocabulary import FINISH_CODES

# --------------------------------------------------------------------------- conditions

CONDITION_SCALES: dict[str, dict[str, str]] = {
    "tcgplayer": keyed_table(CONDITION_TCGPLAYER),
    "cardmarket": keyed_table(CONDITION_CARDMARKET),
    "collx": keyed_table(CONDITION_COLLX),
}
#: Documented source tables (before key normalisation), for docs and tests.
CONDITION_SOURCE_TABLES: dict[str, dict[str, str]] = {
    "tcgplayer": CONDITION_TCGPLAYER,
    "cardmarket": CONDITION_CARDMARKET,
    "collx": CONDITION_COLLX,
}


def parse_condition(text: str | None, *, tool: str = "tcgplayer") -> str | None:
    """A condition as `tool` writes it -> NM/LP/MP/HP/DMG, or None when unknown or blank: the
    tool's own words first (`TOOL_VOCABULARIES`), then the other spellings of its scale."""
    if not text:
        return None
    return _condition_lookup(tool, spelling_key(text))


def _condition_lookup(tool: str, key: str) -> str | None:
    vocabulary = TOOL_VOCABULARIES[tool]
    return vocabulary.condition_table.get(key) or CONDITION_SCALES[vocabulary.scale].get(key)


# --------------------------------------------------------------------------- finishes

FINISH_WORDS = keyed_table(FINISH_SPELLINGS)

EDITION_WORDS = keyed_table(EDITION_SPELLINGS)


def combine_finish(finish: str | None, edition: str | None) -> str | None:
    """Combine a surface finish with an edition into one SKU finish: 1ST + HOLO -> 1ST_HOLO,
    UNLIMITED + HOLO -> UNLIMITED_HOLO, 1ST + NORMAL -> 1ST, LIMITED -> LIMITED."""
    if edition is None:
        return finish
    if edition == LIMITED:
        return LIMITED
    if finish == HOLO:
        return f"{edition}_HOLO"
    return edition


@dataclass(frozen=True, slots=True)
class Printing:
    """A printing string read into a SKU finish, the edition, and the original detail."""

    finish: str | None
    first_edition: bool | None = None
    detail: str | None = None  # e.g. "Surge Foil": a named foil treatment kept as a variant tag


_EDITION_PREFIX = sorted(EDITION_SPELLINGS, key=len, reverse=True)


_EDITION_OF_FINISH = {
    FIRST: True,
    f"{FIRST}_HOLO": True,
    UNLIMITED: False,
    f"{UNLIMITED}_HOLO": False,
    LIMITED: False,
}


def parse_printing(text: str | None, *, tool: str | None = None) -> Printing | None:
    """Read a printing/finish column: `Foil`, `nonfoil`, `Reverse Holofoil`, `1st Edition`,
    `1st Edition Holofoil`, `Unlimited`, `Surge Foil` (-> FOIL, detail kept); the `tool`'s own
    words first. Returns None when the text is blank or unknown."""
    if text is None or not text.strip():
        return None
    key = spelling_key(text)
    if tool is not None and (finish := TOOL_VOCABULARIES[tool].finish_table.get(key)):
        return Printing(finish, _EDITION_OF_FINISH.get(finish))
    if key in FINISH_WORDS:
        return Printing(FINISH_WORDS[key])
    if key in EDITION_WORDS:
        edition = EDITION_WORDS[key]
        return Printing(combine_finish(None, edition), edition == FIRST)
    # Edition followed by a finish: "1st Edition Holofoil", "Unlimited Holofoil".
    for word in _EDITION_PREFIX:
        wkey = spelling_key(word)
        if key.startswith(wkey) and key[len(wkey) :] in FINISH_WORDS:
            edition = EDITION_WORDS[wkey]
            finish = FINISH_WORDS[key[len(wkey) :]]
            return Printing(combine_finish(finish, edition), edition == FIRST)
    # Named foil treatments (Dragon Shield: "Surge Foil", "Double Rainbow Foil", ...).
    if key.endswith("foil") and "holo" not in key and "reverse" not in key:
        return Printing(FOIL, detail=" ".join(text.split()))
    return None


_TRUE = {"1", "true", "yes", "y", "x", "foil"}
_FALSE = {"", "0", "false", "no", "n"}


def parse_flag(text: str | None) -> bool | None:
    """A boolean column (`1`, `true`, `Yes`, `foil` / blank, `0`, `false`, `No`)."""
    if text is None:
        return None
    key = spelling_key(text)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return None


# --------------------------------------------------------------------------- languages

LANGUAGE_NAMES = keyed_table(LANGUAGE_SPELLINGS)


def parse_language(text: str | None, *, tool: str | None = None) -> str | None:
    """A language code or name -> SKU language code, or None: the `tool`'s own spellings
    first (`TOOL_VOCABULARIES`), then every spelling of the tables above."""
    if not text or not text.strip():
        return None
    key = spelling_key(text)
    if tool is not None and (language := TOOL_VOCABULARIES[tool].language_table.get(key)):
        return language
    return LANGUAGE_NAMES.get(key)


assert set(FINISH_DISPLAY) == set(FINISH_CODES)


# --------------------------------------------------------------------------- each tool's words


# --------------------------------------------------------------------------- games

#: Game names as tools and sellers write them (TCGplayer "Product Line", titles): the kernel's
#: spellings of each game (`models.games.GAME_SPELLINGS`).
GAME_NAMES = keyed_table(
    {
        spelling: code
        for code, spellings in GAME_SPELLINGS.items()
        for spelling in (code, GAME_LABELS[code], *spellings)
    }
)


def parse_game(text: str | None) -> str | None:
    if not text or not text.strip():
        return None
    return GAME_NAMES.get(spelling_key(text))


# --------------------------------------------------------------------------- grades


_GRADE_WORDS = r"(?:gem[\s-]*mint|gem[\s-]*mt|pristine|black\s*label|mint|nm[\s-]*mt|nm|ex[\s-]*mt)"
_GRADE_VALUE = r"(10(?:\.0)?|[1-9](?:\.5|\.0)?)"
_GRADERS = "|".join(list(GRADER_ALIASES) + list(OTHER_GRADERS))
#: "PSA 10", "PSA10", "BGS 9.5", "CGC 9", "PSA Gem Mint 10", "Beckett Pristine 10".
GRADE_RE = re.compile(
    rf"\b(?P<company>{_GRADERS})\s*[-:#]?\s*(?:{_GRADE_WORDS}\s*)?{_GRADE_VALUE}(?![\w.])",
    re.IGNORECASE,
)
#: "Gem Mint 10 PSA", "Pristine 10 (BGS)".
GRADE_AFTER_RE = re.compile(
    rf"\b{_GRADE_WORDS}\s*{_GRADE_VALUE}\s*\(?(?P<company>{_GRADERS})\b(?!\s*[-:#]?\s*\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class GradeReading:
    company: str  # as canonical as known (PSA, BGS, CGC, or the other grader's name)
    value: str  # "10", "9.5", "9"
    grade: Grade | None  # None when the company is not one the SKU supports


def _grade_value(raw: str) -> str:
    return raw[:-2] if raw.endswith(".0") else raw


def read_grade(company: str, value: str) -> GradeReading:
    company = company.upper()
    value = _grade_value(value)
    canonical = GRADER_ALIASES.get(company)
    if canonical in GRADING_COMPANIES:
        return GradeReading(canonical, value, Grade(canonical, value))
    return GradeReading(company, value, None)


def parse_grade(text: str | None) -> GradeReading | None:
    """Find a grade in text: `PSA 10`, `PSA10`, `BGS 9.5`, `CGC 9`, `PSA Gem Mint 10`,
    `Gem Mint 10 PSA`. A bare `Gem Mint 10` (no company) is not a grade."""
    if not text:
        return None
    match = GRADE_RE.search(text) or GRADE_AFTER_RE.search(text)
    if not match:
        return None
    value = next(g for g in match.groups() if g and g[0].isdigit())
    return read_grade(match.group("company"), value)


# --------------------------------------------------------------------------- combined strings


@dataclass(frozen=True, slots=True)
class ConditionReading:
    condition: str | None
    finish: str | None = None
    first_edition: bool | None = None
    language: str | None = None
    detail: str | None = None


_SEPARATORS = re.compile(r"\s*[-/|,]\s+|\s+[-/|,]\s*|\s+")


def parse_condition_text(text: str | None, *, tool: str = "tcgplayer") -> ConditionReading:
    """Read a condition column that may also carry finish, edition and language, as
    TCGplayer's SKU conditions do: `Near Mint`, `Lightly Played Foil`, `Near Mint 1st Edition`,
    `Near Mint Holofoil`, `Near Mint Reverse Holofoil`, `Damaged Unlimited Holofoil`,
    `Near Mint Foil - Japanese`. The longest leading condition wins; the rest is read as a
    printing and/or a language. Unknown parts give `detail` (the unread text)."""
    if not text or not text.strip():
        return ConditionReading(None)
    direct = _condition_lookup(tool, spelling_key(text))
    if direct:
        return ConditionReading(direct)
    words = [w for w in _SEPARATORS.split(text.strip()) if w]
    for cut in range(len(words), 0, -1):
        condition = _condition_lookup(tool, spelling_key(" ".join(words[:cut])))
        if condition is None:
            continue
        rest = words[cut:]
        language = None
        tail_language = parse_language(rest[-1], tool=tool) if rest else None
        if tail_language and not parse_printing(" ".join(rest), tool=tool):
            language = tail_language
            rest = rest[:-1]
        printing = parse_printing(" ".join(rest), tool=tool) if rest else None
        if rest and printing is None:
            return ConditionReading(condition, language=language, detail=" ".join(rest))
        return ConditionReading(
            condition,
            printing.finish if printing else None,
            printing.first_edition if printing else None,
            language,
            printing.detail if printing else None,
        )
    return ConditionReading(None, detail=text.strip())
