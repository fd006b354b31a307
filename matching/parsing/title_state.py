"""The title parser's working state and rule type: `TitleState` (the working text, consumed
parts blanked with `SEP`, and the evidence read so far) and `Rule` (a pattern of the title
grammar plus its handler), with the helpers that build rule patterns."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from matching.parsing.listing import (
    KIND_CHOICE,
    KIND_LOT,
    KIND_SEALED,
    KIND_SINGLE,
    ParsedListing,
)

SEP = "\x00"  # what consumed text and separator punctuation are replaced with
_KIND_PRIORITY = {KIND_SINGLE: 0, KIND_LOT: 1, KIND_SEALED: 2, KIND_CHOICE: 3}


@dataclass
class TitleState:
    """The title being parsed: the working text (consumed parts blanked) and the evidence."""

    work: str
    listing: ParsedListing
    game_hint: str | None
    explicit_games: list[str] = field(default_factory=list)  # "Pokemon", "MTG" words
    strong_games: list[str] = field(default_factory=list)  # LOB-EN001, OP01-001
    weak_games: list[str] = field(default_factory=list)  # 199/165, sv9a, SAR
    finishes: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    editions: list[str] = field(default_factory=list)
    numbers: list[tuple[str, str | None]] = field(default_factory=list)
    number_end: int | None = None  # where the first collector number read by a rule ends
    set_codes: list[str] = field(default_factory=list)
    set_names: list[str] = field(default_factory=list)

    def consume(self, match: re.Match[str], group: int | str = 0) -> None:
        start, end = match.span(group)
        self.work = self.work[:start] + SEP * (end - start) + self.work[end:]

    def set_kind(self, kind: str) -> None:
        if _KIND_PRIORITY[kind] > _KIND_PRIORITY[self.listing.kind]:
            self.listing.kind = kind


Handler = Callable[[TitleState, re.Match[str]], bool]


@dataclass(frozen=True)
class Rule:
    """One pattern of the title grammar. The handler records the match on the state and
    returns False to leave the text unconsumed (e.g. `HP` after a number is hit points)."""

    name: str
    pattern: re.Pattern[str]
    handler: Handler


def phrase_alternation(options: Iterable[str]) -> str:
    """Alternation of phrases, longest first, spaces matching any run of spaces/hyphens."""
    ordered = sorted(options, key=len, reverse=True)
    return "|".join(re.escape(o).replace(r"\ ", r"[\s-]+") for o in ordered)


_I = re.IGNORECASE


def rx(pattern: str, flags: int = _I) -> re.Pattern[str]:
    return re.compile(pattern, flags)
