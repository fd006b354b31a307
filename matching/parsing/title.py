"""Free-text listing titles -> `ParsedListing`.

`parse_title("Charizard ex 199/165 Pokemon 151 NM Holo")` reads the collector number, set,
game, condition, finish, language, grade, edition, quantity and lot markers out of a seller's
title and keeps the remaining words as the card-name candidate. docs/matching-input.md
describes the grammar.

How it works: the title is scanned by an ordered list of *rules* (`RULES`). Each rule is a
regular expression plus a handler; every match is recorded on the listing and its text is
*consumed* (blanked with a separator), so later rules and the name never see it. What is left
is split into chunks at consumed text and separator punctuation (`|`, `!`, `:`, ` - `,
brackets, emoji); the first chunk with letters is the name, the others are set-name
candidates. Nothing here raises on any input (a hypothesis test checks it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from matching.parsing import vocab
from matching.parsing.listing import (
    KIND_CHOICE,
    KIND_LOT,
    KIND_SEALED,
    KIND_SINGLE,
    ParsedListing,
)
from models.sku import GAMES

_SEP = "\x00"  # what consumed text and separator punctuation are replaced with
_MAX_TITLE = 500  # longer input is cut (titles are at most 80 characters on eBay)
_KIND_PRIORITY = {KIND_SINGLE: 0, KIND_LOT: 1, KIND_SEALED: 2, KIND_CHOICE: 3}


@dataclass
class _State:
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
        self.work = self.work[:start] + _SEP * (end - start) + self.work[end:]

    def set_kind(self, kind: str) -> None:
        if _KIND_PRIORITY[kind] > _KIND_PRIORITY[self.listing.kind]:
            self.listing.kind = kind


Handler = Callable[[_State, re.Match[str]], bool]


@dataclass(frozen=True)
class Rule:
    """One pattern of the title grammar. The handler records the match on the state and
    returns False to leave the text unconsumed (e.g. `HP` after a number is hit points)."""

    name: str
    pattern: re.Pattern[str]
    handler: Handler


def _words(options: list[str] | tuple[str, ...] | dict[str, object]) -> str:
    """Alternation of phrases, longest first, spaces matching any run of spaces/hyphens."""
    ordered = sorted(options, key=len, reverse=True)
    return "|".join(re.escape(o).replace(r"\ ", r"[\s-]+") for o in ordered)


# --------------------------------------------------------------------------- vocabulary

#: Words naming a game (optionally followed by "TCG", "card game", "cards"...).
_GAME_SUFFIX = r"(?:[\s-]+(?:trading[\s-]+card[\s-]+game|card[\s-]+game|tcg|ccg|ocg|cards?)){0,2}"
GAME_PATTERNS: tuple[tuple[str, str], ...] = (
    ("POKEMON", rf"\bpok[eé]mon{_GAME_SUFFIX}\b|\bptcg\b|\bpkmn\b"),
    ("MTG", r"\bmtg\s+magic\b|\bmagic\s+mtg\b|\bmtgo\b"),
    ("MTG", rf"\bmtg{_GAME_SUFFIX}\b|\bmagic\s*:?\s*the\s+gathering{_GAME_SUFFIX}\b"),
    ("MTG", r"^\W*magic\b|\bmagic[\s-]+(?:tcg|cards?)\b"),
    ("YUGIOH", rf"\byu[\s-]?gi[\s-]?oh\b!?{_GAME_SUFFIX}|\bygo\b|\bocg\b"),
    ("OPTCG", rf"\bone[\s-]?piece{_GAME_SUFFIX}\b|\bop[\s-]?tcg\b|\bopcg\b"),
)

#: Set names that contain a game word, read before the game words are consumed.
SET_PHRASES: tuple[tuple[str, str], ...] = (
    ("POKEMON", r"\b(?:pok[eé]mon|scarlet\s*(?:&|and)\s*violet|sv)[\s:-]*151\b"),
    ("POKEMON", r"\bpok[eé]mon\s+go\b"),
    ("MTG", r"\bmagic\s+(?:20[01]\d|origins)\b|\blimited\s+edition\s+(?:alpha|beta)\b"),
)

#: Rarity phrases (case-insensitive) -> implied finish. Pokémon, Yu-Gi-Oh!, One Piece, Magic.
RARITY_PHRASES: dict[str, str | None] = {
    "Quarter Century Secret Rare": None, "Platinum Secret Rare": None,
    "Prismatic Secret Rare": None, "Starlight Rare": None, "Ghost Rare": None,
    "Collector's Rare": None, "Ultimate Rare": None, "Secret Rare": None, "Ultra Rare": None,
    "Super Rare": None, "Gold Rare": None, "Hyper Rare": None,
    "Special Illustration Rare": None, "Illustration Rare": None, "Special Art Rare": None,
    "Art Rare": None, "Double Rare": None, "Triple Rare": None, "Shiny Ultra Rare": None,
    "Shiny Rare": None, "Radiant Rare": None, "Amazing Rare": None, "ACE SPEC": None,
    "Rare Holo": "HOLO", "Holo Rare": "HOLO", "Mythic Rare": None, "Short Print": None,
    "Uncommons": None, "Uncommon": None, "Commons": None, "Common": None, "Mythic": None,
}  # fmt: skip
#: Rarity abbreviations, matched upper-case only (Pokémon JP/EN, Yu-Gi-Oh!, One Piece).
RARITY_CODES = (
    "SAR", "SIR", "AR", "IR", "SR", "UR", "HR", "RR", "RRR", "CHR", "CSR", "TR", "SSR",
    "SEC", "ScR", "QCSR", "QCScR", "UtR", "PScR", "PlScR", "UPR", "ACE",
)  # fmt: skip
#: Rarity codes that are also letters or words of other things (Pokémon's `Garchomp C`, a
#: lone `L`, Yu-Gi-Oh!'s `R - Righteous Justice`): read only after the collector number, in a
#: title of the game that prints them (its hint, its words or a number only it prints).
GAME_RARITY_CODES = {
    "OPTCG": ("SP CARD", "SP Card", "UC", "C", "R", "L", "P"),
    "YUGIOH": ("StR", "CR", "GR", "SP", "C", "R"),
}
#: Pokémon-only rarity words (evidence for the game).
POKEMON_RARITIES = {"sar", "sir", "ar", "ir", "chr", "csr", "rr", "rrr", "hr", "tr", "ssr"}
POKEMON_RARITIES |= {"illustrationrare", "specialillustrationrare", "artrare", "specialartrare"}
POKEMON_RARITIES |= {"doublerare", "hyperrare", "radiantrare", "amazingrare", "acespec"}

#: Variant words kept as tags (they narrow the printing but are not part of the name).
VARIANT_PHRASES = (
    "alt art", "alternate art", "alternative art", "full art", "borderless", "showcase",
    "extended art", "retro frame", "parallel art", "promo", "prerelease", "stamped",
    "shadowless", "serialized", "oversized", "misprint", "gold star", "special art",
    "art variant",
)  # fmt: skip
#: Variant words that also begin card names ("Parallel Lives", "Error Card", "Staff of
#: Zegon"): tags only when no capitalised name word follows.
AMBIGUOUS_VARIANTS = ("parallel", "manga", "staff", "textured", "jumbo", "error")
#: Variant words that say the card is not a genuine single.
SUSPECT_VARIANTS = ("proxy", "custom", "orica", "replica", "fan art", "fake")

#: Condition phrases in titles (US scale). `EX` (excellent, LP) and `HP` (heavily played) are
#: read by their own rules: they are also a Pokémon card suffix and hit points.
TITLE_CONDITIONS = {
    "Near Mint": "NM", "Mint Condition": "NM", "Mint": "NM", "Lightly Played": "LP",
    "Light Played": "LP", "Slightly Played": "LP", "Moderately Played": "MP",
    "Heavily Played": "HP", "Damaged": "DMG", "Excellent": "LP", "Played": "MP",
    "Poor": "DMG",
}  # fmt: skip
TITLE_CONDITION_CODES = {
    "NM": "NM", "M/NM": "NM", "NM/M": "NM", "NM-M": "NM", "NM-MT": "NM", "NM+": "NM",
    "LP": "LP", "MP": "MP", "DMG": "DMG",
}  # fmt: skip

#: Language words in titles (case-insensitive) and upper-case codes.
TITLE_LANGUAGES = {
    "English": "EN", "Japanese": "JP", "Japan": "JP", "German": "DE", "Deutsch": "DE",
    "French": "FR", "Français": "FR", "Francais": "FR", "Italian": "IT", "Italiano": "IT",
    "Spanish": "ES", "Español": "ES", "Espanol": "ES", "Portuguese": "PT", "Korean": "KO",
    "Simplified Chinese": "ZHS", "Traditional Chinese": "ZHT", "Chinese": "ZHS",
    "Russian": "RU", "Indonesian": "ID", "Indonesia": "ID", "Thai": "TH", "Dutch": "NL",
    "Polish": "PL",
}  # fmt: skip
TITLE_LANGUAGE_CODES = {
    "EN": "EN", "ENG": "EN", "JP": "JP", "JPN": "JP", "JAP": "JP", "KOR": "KO", "KR": "KO",
    "CN": "ZHS", "CHN": "ZHS", "GER": "DE", "FRA": "FR", "ITA": "IT", "SPA": "ES",
    "POR": "PT", "RUS": "RU", "ZHS": "ZHS", "ZHT": "ZHT",
}  # fmt: skip

#: Words that say nothing about the card; consumed wherever they stand.
NOISE_PHRASES = (
    r"free\s+ship(?:ping)?", r"fast\s+ship(?:ping)?", r"ships?\s+fast", r"ready\s+to\s+ship",
    r"same\s+day\s+ship(?:ping)?", r"\d+\s*%(?:\s+genuine)?", r"genuine", r"authentic",
    r"official", r"l@@k", r"great\s+gift", r"brand\s+new", r"min(?:imum)?\s+guarantee(?:d)?",
    r"guaranteed", r"included", r"instant\s+delivery", r"not\s+used", r"graded", r"slab(?:bed)?",
    r"psa", r"bgs", r"cgc", r"beckett", r"wotc", r"vintage", r"nintendo", r"konami",
    r"bandai", r"wizards(?:\s+of\s+the\s+coast)?", r"mint\s+condition", r"condition",
    r"amazing\s+deal", r"rare\s+find", r"must\s+see", r"tcg", r"ccg", r"ocg", r"trading\s+cards?",
    r"card\s+game", r"includ(?:ing|es|ed)", r"grading",
)  # fmt: skip
#: Words stripped from either end of a chunk (connectives left over by consumed words).
EDGE_WORDS = {
    "and", "or", "&", "+", "with", "w/", "w", "from", "in", "for", "of", "a", "new", "all",
    "cards",
}  # fmt: skip
#: Words stripped from the end of a chunk only ("Rare Candy" keeps its "Rare").
TRAILING_WORDS = {
    "card", "cards", "single", "singles", "rare", "rares", "lot", "game", "version", "ver",
    "bundle", "holos", "nm", "gift", "see", "pics", "photos",
}  # fmt: skip
#: Words that are no name or set alone but end set names ("Fifth Edition", "Revised
#: Edition", "Memorial Collection", "Legendary Collection").
FILLER_ALONE = {"edition", "collection"}
#: Upper-case name suffixes that are part of a card name, not a set code.
NAME_SUFFIXES = {
    "EX", "GX", "V", "VMAX", "VSTAR", "VUNION", "BREAK", "LV", "LV.X", "TAG", "TEAM", "LEGEND",
    "PRIME", "STAR", "HERO", "δ", "MAX", "G", "GL", "FB", "C", "E4", "SP",
}  # fmt: skip

_I = re.IGNORECASE

#: Appended to words that are also words of card names ("Pack Rat", "Parallel Lives",
#: "Mystery Key", "Staff of the Ages"): they count only when no capitalised name word (nor
#: "of"/"the"/"from") follows them, unless that word is itself listing vocabulary
#: ("Parallel Alt Art", "Booster Pack").
_NOT_BEFORE_NAME = (
    r"(?!\s+(?:of|the|from)\b)"
    r"(?!\s+(?!(?:alt|art|alternate|foil|rare|holo|promo|full|cards?|lot|bundle|booster|box"
    r"|packs?|slabs?|graded)\b)(?-i:[A-Z])[\w'])"
)

#: Name endings only Pokémon cards have ("Mewtwo GX", "Charizard ex", "Pikachu VMAX").
POKEMON_NAME_SUFFIX = re.compile(r"\s(?:GX|VMAX|VSTAR|V-?UNION|BREAK|LV\.X|ex|EX|V)$")


def _rx(pattern: str, flags: int = _I) -> re.Pattern[str]:
    return re.compile(pattern, flags)


# --------------------------------------------------------------------------- handlers


def _add_number(
    state: _State, number: str, total: str | None = None, *, match: re.Match[str] | None = None
) -> None:
    state.numbers.append((number, total))
    if match is not None:
        end = match.end()
        state.number_end = end if state.number_end is None else min(state.number_end, end)


def _on_comparison(state: _State, m: re.Match[str]) -> bool:
    state.listing.note(f"ignored grade comparison {m.group(0).strip(' ()')!r}")
    return True


def _on_grade(state: _State, m: re.Match[str]) -> bool:
    value = next(g for g in m.groups() if g and g[0].isdigit())
    reading = vocab.read_grade(m.group("company"), value)
    listing = state.listing
    if reading.grade is None:
        listing.warn(f"graded by {reading.company} {reading.value}: not a SKU grading company")
        listing.mark_unread("grade", f"{reading.company} {reading.value}")
    elif listing.grade is None:
        listing.grade = reading.grade
    elif listing.grade != reading.grade:
        listing.warn(f"several grades ({listing.grade}, {reading.grade}); the first is kept")
    return True


def _on_set_phrase(game: str) -> Handler:
    def handler(state: _State, m: re.Match[str]) -> bool:
        state.set_names.append(" ".join(m.group(0).split()))
        state.weak_games.append(game)
        return True

    return handler


def _on_number_range(state: _State, m: re.Match[str]) -> bool:
    state.listing.note(f"number range {m.group(0).strip()!r}")
    state.set_kind(KIND_LOT)
    return True


def _on_optcg(state: _State, m: re.Match[str]) -> bool:
    code = m.group(0).upper()
    _add_number(state, code, match=m)
    state.set_codes.append(code.rsplit("-", 1)[0])
    state.strong_games.append("OPTCG")
    return True


def _on_yugioh(state: _State, m: re.Match[str]) -> bool:
    prefix, region = m.group("prefix").upper(), (m.group("region") or "").upper()
    if not any(ch.isalpha() for ch in prefix):
        return False
    code = m.group(0).upper()
    _add_number(state, code, match=m)
    if m.group("variant"):  # Dragon Shield's BLC1-EN013S, RA02-EN001alt: not the regular print
        state.listing.note(f"variant number {m.group(0)!r}")
    state.set_codes.append(prefix)
    if region:
        state.languages.append(vocab.YUGIOH_REGIONS[region])
        state.strong_games.append("YUGIOH")
    else:
        state.weak_games.append("YUGIOH")
    return True


def _on_fraction(state: _State, m: re.Match[str]) -> bool:
    _add_number(state, m.group("number"), m.group("total"), match=m)
    state.weak_games.append("POKEMON")
    return True


def _on_promo(state: _State, m: re.Match[str]) -> bool:
    _add_number(state, m.group(0).upper().replace(" ", "").replace("-", ""), match=m)
    state.weak_games.append("POKEMON")
    return True


def _on_marked_number(state: _State, m: re.Match[str]) -> bool:
    starred = m.groupdict().get("starred")
    _add_number(state, starred or m.group("number"), match=m)
    return True


def _on_pokemon_set_code(state: _State, m: re.Match[str]) -> bool:
    state.set_codes.append(m.group(0))
    state.weak_games.append("POKEMON")
    return True


def _on_quantity(state: _State, m: re.Match[str]) -> bool:
    count = int(m.group("count"))
    if count <= 0:
        return False
    state.listing.quantity = max(state.listing.quantity, count) if count > 1 else 1
    return True


def _on_lot_count(state: _State, m: re.Match[str]) -> bool:
    count = int(m.group("count"))
    if count < 2:
        return False
    for game, pattern in GAME_PATTERNS:  # "100x Pokemon Cards" names the game too
        if re.search(pattern, m.group(0), _I):
            state.explicit_games.append(game)
    state.listing.quantity = max(state.listing.quantity, count)
    state.set_kind(KIND_LOT)
    return True


def _on_playset(state: _State, m: re.Match[str]) -> bool:
    state.listing.quantity = max(state.listing.quantity, 4)
    return True


def _on_kind(kind: str) -> Handler:
    def handler(state: _State, m: re.Match[str]) -> bool:
        state.set_kind(kind)
        return True

    return handler


def _on_language(table: dict[str, str]) -> Handler:
    keyed = {vocab.vocab_key(k): v for k, v in table.items()}

    def handler(state: _State, m: re.Match[str]) -> bool:
        state.languages.append(keyed[vocab.vocab_key(m.group("lang"))])
        return True

    return handler


def _on_edition(state: _State, m: re.Match[str]) -> bool:
    edition = vocab.EDITION_WORDS.get(vocab.vocab_key(m.group("edition")))
    if edition is None:
        return False
    state.editions.append(edition)
    state.listing.note(f"edition {m.group(0).strip()!r}")
    return True


def _on_finish(state: _State, m: re.Match[str]) -> bool:
    word = m.group(0)
    key = vocab.vocab_key(word)
    if key.endswith("s") and key[:-1] in vocab.FINISH_WORDS:  # "Holos", "Reverse Holos"
        key = key[:-1]
    state.finishes.append(vocab.FINISH_WORDS[key])
    return True


def _on_condition(table: dict[str, str]) -> Handler:
    keyed = {vocab.vocab_key(k): v for k, v in table.items()}

    def handler(state: _State, m: re.Match[str]) -> bool:
        state.conditions.append(keyed[vocab.vocab_key(m.group("cond"))])
        return True

    return handler


#: Pokémon hit points are multiples of 10 from 10 to 400 (`120 HP`).
_HIT_POINTS = range(10, 401, 10)
_MTG_WORDS = re.compile(r"\b(?:mtg|magic)\b", re.IGNORECASE)


def _on_hit_points(state: _State, m: re.Match[str]) -> bool:
    """`120 HP` is hit points; `31 HP` (not a multiple of 10), or any `N HP` in a Magic title
    (`Jace, the Mind Sculptor Worldwake 31 HP`), is a collector number and Heavily Played."""
    magic = state.game_hint == "MTG" or _MTG_WORDS.search(state.work) is not None
    return int(m.group("value")) in _HIT_POINTS and not magic


def _on_hp_condition(state: _State, m: re.Match[str]) -> bool:
    state.conditions.append("HP")
    return True


def _on_ex_condition(state: _State, m: re.Match[str]) -> bool:
    """`EX` is Excellent (LP) where it cannot be a Pokémon suffix: not right after a name word
    (`Mewtwo EX`) and not before a capitalised word (the `EX Dragon Frontiers` era sets),
    unless the title is for another game (`Thoughtseize Theros EX` with game MTG)."""
    before = state.work[: m.start()].rstrip()
    after_word = bool(before) and (before[-1].isalpha() or before[-1] in "'.-")
    before_name = re.match(r"\s+[A-Z][a-z]", state.work[m.end() :]) is not None
    other_game = (state.game_hint not in (None, "POKEMON")) or _MTG_WORDS.search(state.work)
    if (after_word or before_name) and not other_game:
        return False
    state.conditions.append("LP")
    return True


def _on_rarity(state: _State, m: re.Match[str]) -> bool:
    text = " ".join(m.group("rarity").split())
    key = vocab.vocab_key(text)
    listing = state.listing
    if listing.rarity is None:
        listing.rarity = text
    elif vocab.vocab_key(listing.rarity) != key:
        listing.note(f"rarity {text!r}")
    phrase = next((p for p in RARITY_PHRASES if vocab.vocab_key(p) == key), None)
    if phrase and (implied := RARITY_PHRASES[phrase]):
        state.finishes.append(implied)  # "Holo Rare" is a holo
    if key in POKEMON_RARITIES:
        state.weak_games.append("POKEMON")
    return True


def _title_games(state: _State) -> set[str]:
    """The games the title is for so far: the hint, a number only one game prints, game words."""
    games = {state.game_hint, *state.strong_games}
    games.update(game for game, pattern in GAME_PATTERNS if re.search(pattern, state.work, _I))
    return {game for game in games if game}


def _on_game_rarity_code(state: _State, m: re.Match[str]) -> bool:
    """A short code such as `C`, `L` or `SP CARD` is a rarity after the collector number in a
    title of a game that prints it (`Holly - OP05-110 - C - Damaged`), else text."""
    if state.number_end is None or m.start() < state.number_end:
        return False
    key = vocab.vocab_key(m.group("rarity"))
    games = _title_games(state)
    if not any(key in _GAME_RARITY_KEYS.get(game, ()) for game in games):
        return False
    return _on_rarity(state, m)


def _on_variant(state: _State, m: re.Match[str]) -> bool:
    state.listing.add_variant(m.group(0))
    return True


def _on_suspect(state: _State, m: re.Match[str]) -> bool:
    state.listing.add_variant(m.group(0))
    state.listing.warn(f"title says {m.group(0).strip()!r}: possibly not an authentic card")
    return True


def _on_bracket_code(state: _State, m: re.Match[str]) -> bool:
    code = m.group("code")
    if code.upper() in NAME_SUFFIXES or not any(ch.isalpha() for ch in code):
        return False
    state.set_codes.append(code)
    return True


def _on_game(game: str) -> Handler:
    def handler(state: _State, m: re.Match[str]) -> bool:
        state.explicit_games.append(game)
        return True

    return handler


def _on_noise(state: _State, m: re.Match[str]) -> bool:
    return True


# --------------------------------------------------------------------------- the grammar

_RARITY_PHRASE_RX = _words(RARITY_PHRASES)
_GAME_RARITY_KEYS = {
    game: frozenset(vocab.vocab_key(code) for code in codes)
    for game, codes in GAME_RARITY_CODES.items()
}
_CODE_BOUNDARY_L = r"(?<![\w/.-])"
_CODE_BOUNDARY_R = r"(?![\w/-])"

RULES: tuple[Rule, ...] = (
    # Grades, and "(same as PSA 10)" comparisons that are not grades.
    Rule(
        "grade comparison",
        _rx(
            r"\(?\b(?:same\s+as|like|equiv(?:alent)?(?:\s+to)?|compare[sd]?\s+to)\s+(?:an?\s+)?"
            r"(?:psa|bgs|cgc|beckett)\s*\d+(?:\.5)?\s*\)?"
        ),
        _on_comparison,
    ),
    Rule("grade", vocab.GRADE_RE, _on_grade),
    Rule("grade (words first)", vocab.GRADE_AFTER_RE, _on_grade),
    *(Rule("set phrase", _rx(p), _on_set_phrase(g)) for g, p in SET_PHRASES),
    # Collector numbers, most specific first.
    Rule("number range", _rx(r"\b\d{1,3}\s*-\s*\d{1,3}(?:\s*/\s*\d{1,3})?\b"), _on_number_range),
    Rule(
        "One Piece number",
        _rx(rf"{_CODE_BOUNDARY_L}(?:(?:OP|ST|EB|PRB)\d{{2}}|P)-\d{{3}}{_CODE_BOUNDARY_R}"),
        _on_optcg,
    ),
    Rule(
        "Yu-Gi-Oh! number",
        _rx(
            rf"{_CODE_BOUNDARY_L}(?P<prefix>[A-Z0-9]{{2,4}})-"
            rf"(?:(?P<region>{'|'.join(sorted(vocab.YUGIOH_REGIONS, key=len, reverse=True))})"
            rf"(?P<num>[A-Z]?\d{{2,3}})|(?P<plain>\d{{3}}))"
            rf"(?P<variant>[A-Z]{{1,4}})?{_CODE_BOUNDARY_R}"
        ),
        _on_yugioh,
    ),
    Rule(
        "number/total",
        _rx(
            r"(?<![\w/.])(?P<number>[A-Z]{0,4}\d{1,3}[a-z]?)\s?/\s?(?P<total>[A-Z]{0,4}\d{1,3})"
            r"(?![\w/])"
        ),
        _on_fraction,
    ),
    Rule("promo number", _rx(r"\b(?:SWSH|SM|XY|BW|DP|HGSS|SVP|SV)[\s-]?\d{3}\b"), _on_promo),
    Rule("gallery number", _rx(r"\b(?:TG|GG|RC)\d{2}\b"), _on_promo),
    Rule(
        "marked number",
        _rx(r"(?:#|\bN[or]\.\s?|\bNo\s)(?P<number>[A-Z]{0,4}\d{1,4}[a-z]?★?)(?![\w/])"),
        _on_marked_number,
    ),
    Rule(
        "star number",  # 222★ (Dragon Shield), *222 / ★222 (Scryfall's promo stars)
        _rx(
            r"\b(?P<number>\d{1,4}[a-z]?★)"
            r"|(?<![\w*★])(?P<starred>[*★]\d{1,4}[a-z]?)(?![\w*★/%.,])(?!\s*(?:x|cards?)\b)"
        ),
        _on_marked_number,
    ),
    Rule(
        "Pokémon set code",
        _rx(r"\b(?:SWSH|SV|SM|XY|BW|DP|HGSS|S)(?:\d{1,2}(?:pt5|\.5|[a-z]{1,2})?|-P)\b"),
        _on_pokemon_set_code,
    ),
    # Quantities and listing kinds.
    Rule("lot of N", _rx(r"\b(?:lot|set|bundle|pack)\s+of\s+(?P<count>\d{1,5})\b"), _on_lot_count),
    Rule("lot N", _rx(r"\blot\s+(?P<count>\d{1,5})\b"), _on_lot_count),
    Rule(
        "N cards",
        _rx(r"\b(?P<count>\d{1,5})\s*x?\s+(?:(?!cards?\b)[a-zé]+\s+){0,2}cards?\b"),
        _on_lot_count,
    ),
    Rule("Nx", _rx(r"(?<![\w.])(?P<count>\d{1,4})\s?[x×](?![\w])"), _on_quantity),
    Rule("xN", _rx(r"(?<![\w.])[x×]\s?(?P<count>\d{1,3})\b"), _on_quantity),
    Rule("playset", _rx(r"\bplay[\s-]?set\b"), _on_playset),
    Rule(
        "choice listing",
        _rx(
            r"\b(?:choose|pick|select)\s+(?:your|from|a|any)\b(?:\s+(?:own\s+)?(?:cards?|list))?"
            r"|\byou\s+(?:choose|pick)\b|\ball\s+cards\s+available\b|\bcomplete\s+your\s+set\b"
            r"|\bsingles?\s+cards?\b"
        ),
        _on_kind(KIND_CHOICE),
    ),
    Rule(
        "sealed product",
        _rx(
            r"\b(?:booster(?:\s+(?:packs?|box(?:es)?|bundles?))?|etb|elite\s+trainer\s+box"
            r"|sealed|blister|(?:online\s+)?code\s+cards?|online\s+codes?|tcg\s+live)\b"
            rf"|\b(?:packs?|box(?:es)?|tins?|codes?)\b{_NOT_BEFORE_NAME}"
        ),
        _on_kind(KIND_SEALED),
    ),
    Rule(
        "lot",
        _rx(
            r"\b(?:lots?|bundles?|bulk|job\s*lot|assortment|assorted|grab\s*bag"
            r"|complete\s+set|full\s+set|master\s+set)\b"
            rf"|\b(?:mystery|random|mixed)\b{_NOT_BEFORE_NAME}"
        ),
        _on_kind(KIND_LOT),
    ),
    # Language, edition, rarity, finish, condition, variants.
    Rule(
        "language",
        _rx(rf"\b(?P<lang>{_words(TITLE_LANGUAGES)})\b"),
        _on_language(TITLE_LANGUAGES),
    ),
    Rule(
        "language code",
        re.compile(rf"\b(?P<lang>{_words(TITLE_LANGUAGE_CODES)})\b\.?"),
        _on_language(TITLE_LANGUAGE_CODES),
    ),
    Rule(
        "edition",
        _rx(
            r"\b(?P<edition>(?:1st|first)\s*ed(?:ition)?\.?|1st|unlimited(?:\s+edition)?"
            r"|limited\s+edition)(?!\s+(?:alpha|beta))(?![\w])"
        ),
        _on_edition,
    ),
    Rule(
        "rarity",  # not the "Holo Rare" of "Reverse Holo Rare" or "Non-Holo Rare"
        _rx(rf"(?<!reverse )(?<!rev )(?<!non-)(?<!non )\b(?P<rarity>{_RARITY_PHRASE_RX})\b"),
        _on_rarity,
    ),
    Rule(
        "rarity code",
        re.compile(rf"(?<![\w'’-])\[?(?P<rarity>{_words(RARITY_CODES)})\]?(?![\w'’-])"),
        _on_rarity,
    ),
    Rule(
        "game rarity code",
        re.compile(
            rf"(?<![\w'’.-])(?P<rarity>{_words(sorted(set().union(*GAME_RARITY_CODES.values())))})"
            r"(?![\w'’.-])"
        ),
        _on_game_rarity_code,
    ),
    Rule(
        "finish",
        _rx(
            r"\b(?:reverse\s+holo(?:foil|s)?|rev\.?\s+holos?|reverse\s+foil|non[\s-]?holo"
            r"|non[\s-]?foil|holo(?:foil|graphic|s)?|foil[\s-]+etched|etched(?:\s+foil)?|foil"
            r"|glossy)\b"
        ),
        _on_finish,
    ),
    Rule(
        "condition",
        _rx(rf"\b(?P<cond>{_words(TITLE_CONDITIONS)})\b"),
        _on_condition(TITLE_CONDITIONS),
    ),
    Rule(
        "condition code",
        _rx(rf"(?<![\w/+-])(?P<cond>{_words(TITLE_CONDITION_CODES)})(?![\w/-])"),
        _on_condition(TITLE_CONDITION_CODES),
    ),
    Rule("hit points", re.compile(r"\b(?P<value>\d{2,3})\s?HP\b"), _on_hit_points),
    Rule("HP condition", re.compile(r"\bHP\b"), _on_hp_condition),
    Rule("EX condition", re.compile(r"(?<![\w/+-])EX(?![\w/+-])"), _on_ex_condition),
    Rule("variant", _rx(rf"\b(?:{_words(VARIANT_PHRASES)})\b"), _on_variant),
    Rule(
        "ambiguous variant",
        _rx(rf"\b(?:{_words(AMBIGUOUS_VARIANTS)})\b{_NOT_BEFORE_NAME}"),
        _on_variant,
    ),
    Rule("suspect", _rx(rf"\b(?:{_words(SUSPECT_VARIANTS)})\b"), _on_suspect),
    Rule("bracketed set code", re.compile(r"[\[(](?P<code>[A-Z0-9]{2,5})[\])]"), _on_bracket_code),
    # Game words, then noise.
    *(Rule("game", _rx(p), _on_game(g)) for g, p in GAME_PATTERNS),
    Rule("noise", _rx(rf"\b(?:{'|'.join(NOISE_PHRASES)})(?![\w])"), _on_noise),
)

_CHUNK_EDGE = " \t,.-'/\\*~#&+_"
# Separator punctuation (never part of a name): pipes, brackets, !, ?, ;, quotes (not one
# between letters: One Piece's `Eustass"Captain"Kid`), spaced dashes and slashes (not a split
# card's ` // `); colons see `_on_colon`.
_SEPARATORS = re.compile(
    r"[|!?\[\](){};“”]|(?<!\w)\"|\"(?!\w)|\s(?!//\s)[-–—/~*]+\s|^[-–—/~*]+\s|\s[-–—/~*]+$"
    r"|,\s*,"
)
_COLON = re.compile(r"(?P<word>[^\s\x00]*):(?P<next>\s+\w)?")
_CODE_WORD = re.compile(r"(?=[A-Z0-9]*[A-Z])[A-Z0-9]+")


def _on_colon(m: re.Match[str]) -> str:
    """A colon between words stays in its chunk: it is within a name or set name (`Circle of
    Protection: White`, `Ikoria: Lair of Behemoths`, `Number 39: Utopia`). After a code
    (`SV: Shrouded Fable`, `ME01:`), after consumed text or before no word it separates."""
    word = m.group("word")
    joins = word[-1:].isalnum() or word[-1:] in ("'", ".")
    if joins and m.group("next") and not _CODE_WORD.fullmatch(word):
        return m.group(0)
    return word + _SEP + (m.group("next") or "")


def _prepare(title: str) -> str:
    text = unicodedata.normalize("NFC", title[:_MAX_TITLE])
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in "★☆":
            out.append(ch)
        elif category in ("So", "Sk", "Cs", "Co", "Cn", "Cc", "Cf", "Zl", "Zp") or ch == _SEP:
            out.append(_SEP if category != "Cf" else "")
        elif ch in "–—":
            out.append("-")
        else:
            out.append(ch)
    return "".join(out)


def _apply_rules(state: _State) -> None:
    for rule in RULES:
        pos = 0
        while True:
            match = rule.pattern.search(state.work, pos)
            if match is None:
                break
            if match.end() == match.start():  # never loop on an empty match
                pos = match.end() + 1
                continue
            if _SEP in match.group(0) or not rule.handler(state, match):
                pos = match.start() + 1
                continue
            state.consume(match)
            pos = match.end()


def _strip_chunk(chunk: str) -> str:
    words = chunk.strip(_CHUNK_EDGE).split()
    while words and words[0].lower().strip(_CHUNK_EDGE) in EDGE_WORDS:
        words.pop(0)
    while words and (
        words[-1].lower().strip(_CHUNK_EDGE) in EDGE_WORDS | TRAILING_WORDS
        or not words[-1].strip(_CHUNK_EDGE)
    ):
        words.pop()
    if len(words) == 1 and words[0].lower().strip(_CHUNK_EDGE) in FILLER_ALONE:
        return ""
    return " ".join(words).strip(_CHUNK_EDGE)


_SET_CODE_TOKEN = re.compile(r"^[A-Z0-9]{2,5}$")
#: A collector number standing alone: `182`, and Magic's letter suffixes (`217p` promo, `19c`
#: art variant, `40s` prerelease stamp). Years are not numbers.
_BARE_NUMBER = re.compile(r"\d{1,4}[a-z]?")
_YEAR = re.compile(r"^(?:19[5-9]\d|20[0-4]\d)$")


def _split_chunks(state: _State) -> list[str]:
    text = _SEPARATORS.sub(lambda m: _SEP * len(m.group(0)), state.work)
    text = _COLON.sub(_on_colon, text)
    chunks = [_strip_chunk(c) for c in text.split(_SEP)]
    return [c for c in chunks if c]


def _only_filler(text: str) -> bool:
    """True for chunks made only of card-kind suffixes and filler ("EX/GX/V", "Rare EX V")."""
    filler = EDGE_WORDS | TRAILING_WORDS | FILLER_ALONE
    return all(
        w.upper() in NAME_SUFFIXES or w.lower() in filler for w in re.split(r"[\s/]+", text) if w
    )


def _pick_name(state: _State, chunks: list[str], all_caps: bool) -> None:
    listing = state.listing
    name_index = next(
        (i for i, c in enumerate(chunks) if any(ch.isalpha() for ch in c) and len(c) > 1), None
    )
    single = listing.kind == KIND_SINGLE
    if listing.kind == KIND_CHOICE:
        name_index = None  # "Crown Zenith: Choose Your Card!" names a set, not a card
    for i, chunk in enumerate(chunks):
        if i == name_index:
            continue
        if _BARE_NUMBER.fullmatch(chunk):
            if not _YEAR.match(chunk) and not state.numbers and single:
                _add_number(state, chunk)
        elif any(ch.isalpha() for ch in chunk) and not _only_filler(chunk):
            state.set_names.append(chunk)
    if name_index is None:
        return
    words = chunks[name_index].split()
    # Trailing set-code-like tokens ("Lightning Bolt M11", "Charizard ex OBF") are set codes.
    while len(words) > 1 and not all_caps:
        last = words[-1]
        if _SET_CODE_TOKEN.match(last) and last not in NAME_SUFFIXES and not last.isdigit():
            if any(ch.isalpha() for ch in last) and last.upper() == last:
                state.set_codes.append(last)
                words.pop()
                continue
        break
    # Two numbers last: the set name ends in one ("Nettle Sentinel Masters 25 182").
    if len(words) > 2 and all(_BARE_NUMBER.fullmatch(w) for w in words[-2:]):
        if not _YEAR.match(words[-1]) and not state.numbers and single:
            _add_number(state, words.pop())
    # A bare number inside the name ends it: "Sol Ring 233 C19 Commander".
    for i in range(1, len(words) - 1):
        token = words[i]
        if _BARE_NUMBER.fullmatch(token) and not _YEAR.match(token):
            if not state.numbers and single:
                _add_number(state, token)
                state.set_names.append(" ".join(words[i + 1 :]))
                words = words[:i]
            break
    # A bare number at either end of the name is the collector number ("Sol Ring 233").
    for index in (-1, 0):
        if len(words) > 1 and _BARE_NUMBER.fullmatch(words[index]):
            token = words[index]
            if not _YEAR.match(token) and not state.numbers and single:
                _add_number(state, token)
                words.pop(index)
    name = _strip_chunk(" ".join(words))
    if _only_filler(name):
        name = ""  # "VMAX GX EX VSTAR OR V" is a list of card kinds, not a name
    listing.name = name or None
    if name and POKEMON_NAME_SUFFIX.search(name):
        state.weak_games.append("POKEMON")


def _resolve_game(state: _State) -> str | None:
    listing = state.listing
    explicit = list(dict.fromkeys(state.explicit_games))
    strong = list(dict.fromkeys(state.strong_games))
    weak = list(dict.fromkeys(state.weak_games))
    hint = state.game_hint
    if len(explicit) == 1:
        if strong and strong[0] != explicit[0]:
            listing.warn(f"title names {explicit[0]} but its number looks like {strong[0]}")
        return explicit[0]
    if len(explicit) > 1:
        listing.warn(f"title names several games ({', '.join(explicit)})")
        return hint if hint in explicit else None
    if len(strong) == 1:
        if hint and hint != strong[0]:
            listing.warn(f"number looks like {strong[0]}, not the hinted {hint}")
        return strong[0]
    if hint:
        return hint
    if len(weak) >= 1:
        listing.game_is_guess = True
        return weak[0] if len(weak) == 1 else max(weak, key=state.weak_games.count)
    return None


def _single(values: list[str], what: str, listing: ParsedListing) -> str | None:
    """The one value the title gives for `what` (plural noun); None, with a warning, if the
    title gives several different ones ("Holo/Reverse Holo"): that component is unread."""
    distinct = list(dict.fromkeys(v for v in values if v))
    if len(distinct) == 1:
        return distinct[0]
    if len(distinct) > 1:
        listing.warn(f"several {what} in the title ({', '.join(distinct)}); none is kept")
        component = {"finishes": "finish", "editions": "finish"}.get(what, what.rstrip("s"))
        listing.mark_unread(component, ", ".join(distinct))
    return None


def _finish_for_game(state: _State, game: str | None) -> None:
    listing = state.listing
    finish = _single(state.finishes, "finishes", listing)
    edition = _single(state.editions, "editions", listing)
    if game == "MTG":
        if edition == "UNLIMITED":
            listing.add_set_candidate("Unlimited Edition")
        edition = None
    elif game == "OPTCG":
        edition = None
    elif game == "POKEMON" and finish == "FOIL" and not listing.game_is_guess:
        finish = "HOLO"
        listing.note("'foil' read as holo (Pokémon)")
    elif game == "YUGIOH" and finish in ("HOLO", "FOIL", "NORMAL"):
        finish = None  # Yu-Gi-Oh! rarity, not finish, says how a card shines
    if edition is not None:
        listing.is_first_edition = edition == "1ST"
    listing.finish = vocab.combine_finish(finish, edition)


def parse_title(title: str, *, game_hint: str | None = None) -> ParsedListing:
    """Parse a free-text listing title. `game_hint` (MTG/POKEMON/YUGIOH/OPTCG) is the game to
    assume when the title names none; a title that names one, or carries a number only one game
    prints (`LOB-EN001`, `OP01-001`), wins over the hint, with a warning."""
    listing = ParsedListing(raw=title)
    if not isinstance(title, str):
        listing.warn("title is not text")
        return listing
    if game_hint is not None and game_hint not in GAMES:
        raise ValueError(f"game_hint must be one of {', '.join(GAMES)}, got {game_hint!r}")
    state = _State(_prepare(title), listing, game_hint)
    letters = [ch for ch in state.work if ch.isalpha()]
    all_caps = bool(letters) and sum(ch.isupper() for ch in letters) > 0.8 * len(letters)

    _apply_rules(state)
    chunks = _split_chunks(state)
    _pick_name(state, chunks, all_caps)

    game = _resolve_game(state)
    listing.game = game
    if state.numbers:
        listing.number, listing.printed_total = state.numbers[0]
        for number, total in state.numbers[1:]:
            shown = f"{number}/{total}" if total else number
            listing.warn(f"several collector numbers; {shown!r} ignored")
    for code in state.set_codes:
        listing.add_set_candidate(code)
    for name in state.set_names:
        listing.add_set_candidate(name)
    listing.set_code = state.set_codes[0] if state.set_codes else None
    listing.set_name = state.set_names[0] if state.set_names else None
    listing.condition = _single(state.conditions, "conditions", listing)
    listing.language = _single(state.languages, "languages", listing)
    _finish_for_game(state, game)
    if listing.kind != KIND_SINGLE:
        listing.warn(f"{listing.kind} listing: not one identifiable card")
    if listing.name is None and listing.kind == KIND_SINGLE:
        listing.warn("no card name found")
    return listing
