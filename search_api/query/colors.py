"""The colour keywords: `c:` / `color:` (MTG letters and names, One Piece colours, Pokémon
energy types, counts such as `c:m` or `c=2`), `id:` (MTG colour identity) and `energy:`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from indexer.query import ColorSet, Comparison, Node, Range, Term
from models.text import squash
from search_api.query.keywords import (
    COLORLESS_WORDS,
    MTG_COLOR_NAMES,
    MULTICOLOR_WORDS,
    OPTCG_COLORS,
    POKEMON_TYPES,
    Keyword,
)
from search_api.query.lexer import Token
from search_api.query.nodes import NUMBER_RE, conjoin, disjoin, negate, shorten

if TYPE_CHECKING:
    from search_api.query.interpreter import Interpreter

_COLOR_SPLIT_RE = re.compile(r"[/,+&\s]+")
_COLORLESS = "colorless"
_MULTICOLOR = "multicolor"


def _mtg_colors(value: str) -> frozenset[str] | str | None:
    """Letters of an MTG colour value, or `_COLORLESS` / `_MULTICOLOR`, or None if invalid."""
    letters: set[str] = set()
    markers: set[str] = set()
    pieces = [piece for piece in _COLOR_SPLIT_RE.split(value) if piece]
    if not pieces:
        return None
    for piece in pieces:
        word = squash(piece)
        if not word:
            return None
        if word in COLORLESS_WORDS:
            markers.add(_COLORLESS)
        elif word in MULTICOLOR_WORDS:
            markers.add(_MULTICOLOR)
        elif word in MTG_COLOR_NAMES:
            letters.update(MTG_COLOR_NAMES[word])
        elif set(word) <= set("wubrg"):
            letters.update(word.upper())
        else:
            return None
    if markers:
        return markers.pop() if len(markers) == 1 and not letters else None
    return frozenset(letters)


def named_values(value: str, names: dict[str, str]) -> frozenset[str] | None:
    """The values named in `value` (`red/green`, `slash,strike`); None if one is unknown."""
    found: set[str] = set()
    pieces = [piece for piece in _COLOR_SPLIT_RE.split(value) if piece]
    if not pieces:
        return None
    for piece in pieces:
        name = names.get(squash(piece))
        if name is None:
            return None
        found.add(name)
    return frozenset(found)


def _count_field(field: str) -> str:
    return f"{field}_count"  # colors_count, color_identity_count


def _color_count(it: Interpreter, token: Token, field: str) -> Node | None:
    """`c:m` / `c=2`: a comparison on the number of colours."""
    count_field = _count_field(field)
    value = token.value.strip()
    if NUMBER_RE.fullmatch(value):
        return Range(count_field, it.comparison(token), it.number(token))
    if token.op in (":", "=", ">="):
        return Range(count_field, ">=", 2.0)
    if token.op == "!=":
        return Range(count_field, "<", 2.0)
    it.warn(f"'{token.key}{token.op}{value}' means nothing; ignored")
    return None


def _mtg_color_node(it: Interpreter, token: Token, field: str, colon: Comparison) -> Node | None:
    parsed = _mtg_colors(token.value)
    if parsed is None:
        return None
    if parsed == _MULTICOLOR:
        return _color_count(it, token, field)
    if parsed == _COLORLESS:
        op: Comparison = "=" if token.op == ":" else it.comparison(token)
        return ColorSet(field, op, frozenset())
    assert isinstance(parsed, frozenset)
    op = colon if token.op == ":" else it.comparison(token)
    return ColorSet(field, op, parsed)


def _set_terms(
    field: str, op: Comparison, chosen: frozenset[str], universe: Iterable[str]
) -> Node | None:
    """Set comparison on a multi-valued keyword field with a finite vocabulary, using Terms."""
    has_all = conjoin(Term(field, v) for v in sorted(chosen))
    others = [v for v in dict.fromkeys(universe) if v not in chosen]
    any_other = disjoin(Term(field, v) for v in others)
    no_other = negate(any_other) if any_other is not None else None
    exact = conjoin((has_all, no_other))
    assert has_all is not None and exact is not None
    if op == ">=":
        return has_all
    if op == "=":
        return exact
    if op == "!=":
        return negate(exact)
    if op == ">":
        return conjoin((has_all, any_other)) if any_other is not None else None
    if op == "<=":
        return no_other
    # "<": no other value and not all of the chosen ones
    return conjoin((no_other, negate(has_all)))


def _named_color_node(
    it: Interpreter, token: Token, field: str, names: dict[str, str]
) -> Node | None:
    chosen = named_values(token.value, names)
    if chosen is None:
        return None
    op: Comparison = ">=" if token.op == ":" else it.comparison(token)
    node = _set_terms(field, op, chosen, names.values())
    if node is None:
        it.warn(f"'{shorten(token.text)}' can match no card; ignored")
    return node


def color(it: Interpreter, spec: Keyword, token: Token) -> Node | None:
    value = token.value.strip()
    if NUMBER_RE.fullmatch(value):
        return _color_count(it, token, "colors")
    if it.game == "YUGIOH":
        it.warn(f"'{token.key}:' does not apply to Yu-Gi-Oh! cards (try attr:); ignored")
        return None
    if it.game == "OPTCG":
        if squash(value) in MULTICOLOR_WORDS:
            return _color_count(it, token, "colors")
        attempts = [lambda: _named_color_node(it, token, "colors", OPTCG_COLORS)]
    elif it.game == "POKEMON":
        attempts = [lambda: _named_color_node(it, token, "energy_types", POKEMON_TYPES)]
    else:
        attempts = [
            lambda: _mtg_color_node(it, token, "colors", ">="),
            lambda: _named_color_node(it, token, "colors", OPTCG_COLORS),
            lambda: _named_color_node(it, token, "energy_types", POKEMON_TYPES),
        ]
    return _first(it, token, attempts, "colour")


def identity(it: Interpreter, spec: Keyword, token: Token) -> Node | None:
    if NUMBER_RE.fullmatch(token.value.strip()):
        return _color_count(it, token, "color_identity")
    attempts = [lambda: _mtg_color_node(it, token, "color_identity", "<=")]
    return _first(it, token, attempts, "colour identity")


def energy(it: Interpreter, spec: Keyword, token: Token) -> Node | None:
    attempts = [lambda: _named_color_node(it, token, "energy_types", POKEMON_TYPES)]
    return _first(it, token, attempts, "energy type")


def _first(
    it: Interpreter, token: Token, attempts: list[Callable[[], Node | None]], what: str
) -> Node | None:
    warnings = len(it.warnings)
    for attempt in attempts:
        node = attempt()
        if node is not None or len(it.warnings) > warnings:
            return node
    it.warn(f"unknown {what} '{shorten(token.value)}' ignored")
    return None
