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

from matching.parsing import vocab
from matching.parsing.listing import (
    KIND_CHOICE,
    KIND_SINGLE,
    ParsedListing,
)
from matching.parsing.title_handlers import (
    add_number,
)
from matching.parsing.title_rules import (
    RULES,
)
from matching.parsing.title_state import (
    SEP,
    TitleState,
)
from matching.parsing.title_words import (
    EDGE_WORDS,
    FILLER_ALONE,
    NAME_SUFFIXES,
    POKEMON_NAME_SUFFIX,
    TRAILING_WORDS,
)
from models.sku import GAMES

_MAX_TITLE = 500  # longer input is cut (titles are at most 80 characters on eBay)

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
    return word + SEP + (m.group("next") or "")


def _prepare(title: str) -> str:
    text = unicodedata.normalize("NFC", title[:_MAX_TITLE])
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in "★☆":
            out.append(ch)
        elif category in ("So", "Sk", "Cs", "Co", "Cn", "Cc", "Cf", "Zl", "Zp") or ch == SEP:
            out.append(SEP if category != "Cf" else "")
        elif ch in "–—":
            out.append("-")
        else:
            out.append(ch)
    return "".join(out)


def _apply_rules(state: TitleState) -> None:
    for rule in RULES:
        pos = 0
        while True:
            match = rule.pattern.search(state.work, pos)
            if match is None:
                break
            if match.end() == match.start():  # never loop on an empty match
                pos = match.end() + 1
                continue
            if SEP in match.group(0) or not rule.handler(state, match):
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


def _split_chunks(state: TitleState) -> list[str]:
    text = _SEPARATORS.sub(lambda m: SEP * len(m.group(0)), state.work)
    text = _COLON.sub(_on_colon, text)
    chunks = [_strip_chunk(c) for c in text.split(SEP)]
    return [c for c in chunks if c]


def _only_filler(text: str) -> bool:
    """True for chunks made only of card-kind suffixes and filler ("EX/GX/V", "Rare EX V")."""
    filler = EDGE_WORDS | TRAILING_WORDS | FILLER_ALONE
    return all(
        w.upper() in NAME_SUFFIXES or w.lower() in filler for w in re.split(r"[\s/]+", text) if w
    )


def _pick_name(state: TitleState, chunks: list[str], all_caps: bool) -> None:
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
                add_number(state, chunk)
        elif any(ch.isalpha() for ch in chunk) and not _only_filler(chunk):
            state.set_names.append(chunk)
    if name_index is None:
        return
    words = chunks[name_index].split()
    # Trailing set-code-like tokens ("Lightning Bolt M11", "Charizard ex OBF") are set codes.
    while len(words) > 1 and not all_caps:
        last = words[-1]
        if (
            _SET_CODE_TOKEN.match(last)
            and last not in NAME_SUFFIXES
            and not last.isdigit()
            and any(ch.isalpha() for ch in last)
            and last.upper() == last
        ):
            state.set_codes.append(last)
            words.pop()
            continue
        break
    # Two numbers last: the set name ends in one ("Nettle Sentinel Masters 25 182").
    if (
        len(words) > 2
        and all(_BARE_NUMBER.fullmatch(w) for w in words[-2:])
        and not _YEAR.match(words[-1])
        and not state.numbers
        and single
    ):
        add_number(state, words.pop())
    # A bare number inside the name ends it: "Sol Ring 233 C19 Commander".
    for i in range(1, len(words) - 1):
        token = words[i]
        if _BARE_NUMBER.fullmatch(token) and not _YEAR.match(token):
            if not state.numbers and single:
                add_number(state, token)
                state.set_names.append(" ".join(words[i + 1 :]))
                words = words[:i]
            break
    # A bare number at either end of the name is the collector number ("Sol Ring 233").
    for index in (-1, 0):
        if len(words) > 1 and _BARE_NUMBER.fullmatch(words[index]):
            token = words[index]
            if not _YEAR.match(token) and not state.numbers and single:
                add_number(state, token)
                words.pop(index)
    name = _strip_chunk(" ".join(words))
    if _only_filler(name):
        name = ""  # "VMAX GX EX VSTAR OR V" is a list of card kinds, not a name
    listing.name = name or None
    if name and POKEMON_NAME_SUFFIX.search(name):
        state.weak_games.append("POKEMON")


def _resolve_game(state: TitleState) -> str | None:
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


def _finish_for_game(state: TitleState, game: str | None) -> None:
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
    state = TitleState(_prepare(title), listing, game_hint)
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
