"""The keyword handlers, one per keyword kind (`Keyword.kind`): a `key:value` token -> a node
of the query tree, or None plus a warning when the value means nothing. Colours are in
`search_api.query.colors`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from indexer.query import And, FieldMatch, Node, Phrase, Range, Term
from models.games import GAME_LABELS, resolve_game
from models.rarity import RARITY_RANKS, canonical_rarity, resolve_rarity
from models.text import squash
from search_api.query.colors import color, energy, identity, named_values
from search_api.query.keywords import (
    ATTRIBUTES,
    AVAILABLE_CHANNELS,
    AVAILABLE_VALUES,
    IS_VALUES,
    Keyword,
    resolve_language,
)
from search_api.query.lexer import Token
from search_api.query.nodes import EQUALITY_OPS, conjoin, disjoin, negate, shorten

if TYPE_CHECKING:
    from search_api.query.interpreter import Interpreter


def _text(it: Interpreter, spec: Keyword, token: Token) -> Node | None:
    it.equality_only(token)
    field = spec.field or "name"
    value = token.value.strip()
    node: Node = Phrase(value, field) if token.quoted else FieldMatch(field, value)
    return it.equality(token, node)


def _set(it: Interpreter, spec: Keyword, token: Token) -> Node | None:
    it.equality_only(token)
    return it.equality(token, Term("set_code", token.value.strip().upper()))


def _collector_number(it: Interpreter, spec: Keyword, token: Token) -> Node | None:
    if token.op in EQUALITY_OPS:
        return it.equality(token, Term("collector_number", token.value.strip()))
    return Range("number_sort", it.comparison(token), it.number(token))


def _rarity(it: Interpreter, spec: Keyword, token: Token) -> Node | None:
    found: list[tuple[str, str]] = []  # (game, upstream spelling)
    for game in it.games():
        found.extend((game, spelling) for spelling in resolve_rarity(game, token.value))
    if not found:
        where = f" for {GAME_LABELS[it.game]}" if it.game else ""
        it.warn(f"unknown rarity '{shorten(token.value)}'{where} ignored")
        return None
    if token.op in EQUALITY_OPS:
        # one canonical value per rarity, whichever game's spelling named it
        values = dict.fromkeys(canonical_rarity(game, spelling) for game, spelling in found)
        return it.equality(token, disjoin(Term("rarity", v) for v in values if v))
    op = it.comparison(token)
    ranks: dict[int, list[str]] = {}
    for game, spelling in found:
        rank = RARITY_RANKS[game][spelling]
        if rank is not None and game not in ranks.setdefault(rank, []):
            ranks[rank].append(game)
    if not ranks:
        it.warn(f"rarity '{shorten(token.value)}' has no rank to compare with; ignored")
        return None
    if len(ranks) == 1:
        return Range("rarity_rank", op, float(next(iter(ranks))))
    # The word names different tiers in different games: compare each game with its own.
    return disjoin(
        And((_game_term(games), Range("rarity_rank", op, float(rank))))
        for rank, games in sorted(ranks.items())
    )


def _game_term(games: list[str]) -> Node:
    return disjoin(Term("game", g) for g in games)  # type: ignore[return-value]


def _language(it: Interpreter, spec: Keyword, token: Token) -> Node | None:
    it.equality_only(token)
    codes = resolve_language(token.value)
    if codes is None:
        it.warn(f"unknown language '{shorten(token.value)}' ignored")
        return None
    return it.equality(token, disjoin(Term("language", code) for code in codes))


def _game(it: Interpreter, spec: Keyword, token: Token) -> Node | None:
    it.equality_only(token)
    game = resolve_game(token.value)
    if game is None:
        it.warn(
            f"unknown game '{shorten(token.value)}' ignored (games: mtg, pokemon, yugioh, onepiece)"
        )
        return None
    return it.equality(token, Term("game", game))


def _attribute(it: Interpreter, spec: Keyword, token: Token) -> Node | None:
    """`attr:slash`; `attr:"slash/strike"` (or `slash,strike`): a card with every one named."""
    it.equality_only(token)
    chosen = named_values(token.value, ATTRIBUTES)
    if chosen is None:
        it.warn(f"unknown attribute '{shorten(token.value)}' ignored")
        return None
    return it.equality(token, conjoin(Term("attribute", a) for a in sorted(chosen)))


def _numeric(it: Interpreter, spec: Keyword, token: Token) -> Node | None:
    field = spec.field_for(it.game)
    assert field is not None
    return Range(field, it.comparison(token), it.number(token))


def _price(it: Interpreter, spec: Keyword, token: Token) -> Node | None:
    value = token.value.strip().lstrip("$€£")
    return Range("price_min", it.comparison(token), it.number(token, value))


def _is(it: Interpreter, spec: Keyword, token: Token) -> Node | None:
    it.equality_only(token)
    terms = IS_VALUES.get(squash(token.value))
    if terms is None:
        it.warn(f"unknown value '{token.key}:{shorten(token.value)}' ignored")
        return None
    node = disjoin(Term(field, value) for field, value in terms)
    if spec.kind == "not":
        assert node is not None
        node = negate(node)
    return it.equality(token, node)


def _available(it: Interpreter, spec: Keyword, token: Token) -> Node | None:
    it.equality_only(token)
    value = AVAILABLE_VALUES.get(squash(token.value))
    if value is None:
        it.warn(f"unknown value 'available:{shorten(token.value)}' ignored (true, false, b2c, c2c)")
        return None
    # `available` lists the channels a print is available from; true = any channel.
    channels = disjoin(Term("available", channel) for channel in AVAILABLE_CHANNELS)
    assert channels is not None
    node = {"true": channels, "false": negate(channels)}.get(value, Term("available", value))
    return it.equality(token, node)


HANDLERS: dict[str, Callable[[Interpreter, Keyword, Token], Node | None]] = {
    "text": _text,
    "set": _set,
    "number": _collector_number,
    "rarity": _rarity,
    "language": _language,
    "game": _game,
    "color": color,
    "identity": identity,
    "energy": energy,
    "attribute": _attribute,
    "numeric": _numeric,
    "price": _price,
    "is": _is,
    "not": _is,
    "available": _available,
}
