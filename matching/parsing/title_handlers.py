"""Handlers of the title grammar: each records what its rule matched on the `TitleState` and
returns False to leave the text unconsumed (e.g. `HP` after a number is hit points)."""

from __future__ import annotations

import re

from matching.parsing import spellings, vocab
from matching.parsing.listing import KIND_LOT
from matching.parsing.title_state import (
    Handler,
    TitleState,
)
from matching.parsing.title_words import (
    GAME_PATTERNS,
    GAME_RARITY_CODES,
    NAME_SUFFIXES,
    POKEMON_RARITIES,
    RARITY_PHRASES,
)
from models.text import spelling_key

# --------------------------------------------------------------------------- handlers


def add_number(
    state: TitleState, number: str, total: str | None = None, *, match: re.Match[str] | None = None
) -> None:
    state.numbers.append((number, total))
    if match is not None:
        end = match.end()
        state.number_end = end if state.number_end is None else min(state.number_end, end)


def on_comparison(state: TitleState, m: re.Match[str]) -> bool:
    state.listing.note(f"ignored grade comparison {m.group(0).strip(' ()')!r}")
    return True


def on_grade(state: TitleState, m: re.Match[str]) -> bool:
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


def on_set_phrase(game: str) -> Handler:
    def handler(state: TitleState, m: re.Match[str]) -> bool:
        state.set_names.append(" ".join(m.group(0).split()))
        state.weak_games.append(game)
        return True

    return handler


def on_number_range(state: TitleState, m: re.Match[str]) -> bool:
    state.listing.note(f"number range {m.group(0).strip()!r}")
    state.set_kind(KIND_LOT)
    return True


def on_optcg(state: TitleState, m: re.Match[str]) -> bool:
    code = m.group(0).upper()
    add_number(state, code, match=m)
    state.set_codes.append(code.rsplit("-", 1)[0])
    state.strong_games.append("OPTCG")
    return True


def on_yugioh(state: TitleState, m: re.Match[str]) -> bool:
    prefix, region = m.group("prefix").upper(), (m.group("region") or "").upper()
    if not any(ch.isalpha() for ch in prefix):
        return False
    code = m.group(0).upper()
    add_number(state, code, match=m)
    if m.group("variant"):  # Dragon Shield's BLC1-EN013S, RA02-EN001alt: not the regular print
        state.listing.note(f"variant number {m.group(0)!r}")
    state.set_codes.append(prefix)
    if region:
        state.languages.append(spellings.YUGIOH_REGIONS[region])
        state.strong_games.append("YUGIOH")
    else:
        state.weak_games.append("YUGIOH")
    return True


def on_fraction(state: TitleState, m: re.Match[str]) -> bool:
    add_number(state, m.group("number"), m.group("total"), match=m)
    state.weak_games.append("POKEMON")
    return True


def on_promo(state: TitleState, m: re.Match[str]) -> bool:
    add_number(state, m.group(0).upper().replace(" ", "").replace("-", ""), match=m)
    state.weak_games.append("POKEMON")
    return True


def on_marked_number(state: TitleState, m: re.Match[str]) -> bool:
    starred = m.groupdict().get("starred")
    add_number(state, starred or m.group("number"), match=m)
    return True


def on_pokemon_set_code(state: TitleState, m: re.Match[str]) -> bool:
    state.set_codes.append(m.group(0))
    state.weak_games.append("POKEMON")
    return True


def on_quantity(state: TitleState, m: re.Match[str]) -> bool:
    count = int(m.group("count"))
    if count <= 0:
        return False
    state.listing.quantity = max(state.listing.quantity, count) if count > 1 else 1
    return True


def on_lot_count(state: TitleState, m: re.Match[str]) -> bool:
    count = int(m.group("count"))
    if count < 2:
        return False
    for game, pattern in GAME_PATTERNS:  # "100x Pokemon Cards" names the game too
        if re.search(pattern, m.group(0), re.IGNORECASE):
            state.explicit_games.append(game)
    state.listing.quantity = max(state.listing.quantity, count)
    state.set_kind(KIND_LOT)
    return True


def on_playset(state: TitleState, m: re.Match[str]) -> bool:
    state.listing.quantity = max(state.listing.quantity, 4)
    return True


def on_kind(kind: str) -> Handler:
    def handler(state: TitleState, m: re.Match[str]) -> bool:
        state.set_kind(kind)
        return True

    return handler


def on_language(table: dict[str, str]) -> Handler:
    keyed = {spelling_key(k): v for k, v in table.items()}

    def handler(state: TitleState, m: re.Match[str]) -> bool:
        state.languages.append(keyed[spelling_key(m.group("lang"))])
        return True

    return handler


def on_edition(state: TitleState, m: re.Match[str]) -> bool:
    edition = vocab.EDITION_WORDS.get(spelling_key(m.group("edition")))
    if edition is None:
        return False
    state.editions.append(edition)
    state.listing.note(f"edition {m.group(0).strip()!r}")
    return True


def on_finish(state: TitleState, m: re.Match[str]) -> bool:
    word = m.group(0)
    key = spelling_key(word)
    if key.endswith("s") and key[:-1] in vocab.FINISH_WORDS:  # "Holos", "Reverse Holos"
        key = key[:-1]
    state.finishes.append(vocab.FINISH_WORDS[key])
    return True


def on_condition(table: dict[str, str]) -> Handler:
    keyed = {spelling_key(k): v for k, v in table.items()}

    def handler(state: TitleState, m: re.Match[str]) -> bool:
        state.conditions.append(keyed[spelling_key(m.group("cond"))])
        return True

    return handler


#: Pokémon hit points are multiples of 10 from 10 to 400 (`120 HP`).
_HIT_POINTS = range(10, 401, 10)
_MTG_WORDS = re.compile(r"\b(?:mtg|magic)\b", re.IGNORECASE)


def on_hit_points(state: TitleState, m: re.Match[str]) -> bool:
    """`120 HP` is hit points; `31 HP` (not a multiple of 10), or any `N HP` in a Magic title
    (`Jace, the Mind Sculptor Worldwake 31 HP`), is a collector number and Heavily Played."""
    magic = state.game_hint == "MTG" or _MTG_WORDS.search(state.work) is not None
    return int(m.group("value")) in _HIT_POINTS and not magic


def on_hp_condition(state: TitleState, m: re.Match[str]) -> bool:
    state.conditions.append("HP")
    return True


def on_ex_condition(state: TitleState, m: re.Match[str]) -> bool:
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


def on_rarity(state: TitleState, m: re.Match[str]) -> bool:
    text = " ".join(m.group("rarity").split())
    key = spelling_key(text)
    listing = state.listing
    if listing.rarity is None:
        listing.rarity = text
    elif spelling_key(listing.rarity) != key:
        listing.note(f"rarity {text!r}")
    phrase = next((p for p in RARITY_PHRASES if spelling_key(p) == key), None)
    if phrase and (implied := RARITY_PHRASES[phrase]):
        state.finishes.append(implied)  # "Holo Rare" is a holo
    if key in POKEMON_RARITIES:
        state.weak_games.append("POKEMON")
    return True


def _title_games(state: TitleState) -> set[str]:
    """The games the title is for so far: the hint, a number only one game prints, game words."""
    games = {state.game_hint, *state.strong_games}
    games.update(
        game for game, pattern in GAME_PATTERNS if re.search(pattern, state.work, re.IGNORECASE)
    )
    return {game for game in games if game}


def on_game_rarity_code(state: TitleState, m: re.Match[str]) -> bool:
    """A short code such as `C`, `L` or `SP CARD` is a rarity after the collector number in a
    title of a game that prints it (`Holly - OP05-110 - C - Damaged`), else text."""
    if state.number_end is None or m.start() < state.number_end:
        return False
    key = spelling_key(m.group("rarity"))
    games = _title_games(state)
    if not any(key in _GAME_RARITY_KEYS.get(game, ()) for game in games):
        return False
    return on_rarity(state, m)


def on_variant(state: TitleState, m: re.Match[str]) -> bool:
    state.listing.add_variant(m.group(0))
    return True


def on_suspect(state: TitleState, m: re.Match[str]) -> bool:
    state.listing.add_variant(m.group(0))
    state.listing.warn(f"title says {m.group(0).strip()!r}: possibly not an authentic card")
    return True


def on_bracket_code(state: TitleState, m: re.Match[str]) -> bool:
    code = m.group("code")
    if code.upper() in NAME_SUFFIXES or not any(ch.isalpha() for ch in code):
        return False
    state.set_codes.append(code)
    return True


def on_game(game: str) -> Handler:
    def handler(state: TitleState, m: re.Match[str]) -> bool:
        state.explicit_games.append(game)
        return True

    return handler


def on_noise(state: TitleState, m: re.Match[str]) -> bool:
    return True


_GAME_RARITY_KEYS = {
    game: frozenset(spelling_key(code) for code in codes)
    for game, codes in GAME_RARITY_CODES.items()
}
