"""Syntax tree -> engine-neutral query tree (`indexer.query`), applying the keyword table.

A term that is ignored (unknown keyword, value a known keyword cannot interpret) becomes None
plus a warning and is dropped from its AND/OR; a negated ignored term is ignored too. Adjacent
bare words of one AND merge into a single `Text`. Nested ANDs and ORs are flattened, a one-child
AND/OR is its child and `--x` is `x`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable

from indexer.query import (
    And,
    ColorSet,
    Comparison,
    ExactName,
    FieldMatch,
    Node,
    Not,
    Or,
    Phrase,
    Range,
    Term,
    Text,
)
from search_api.query.errors import QuerySyntaxError
from search_api.query.keywords import (
    ATTRIBUTES,
    AVAILABLE_CHANNELS,
    AVAILABLE_VALUES,
    COLORLESS_WORDS,
    GAME_LABELS,
    GAMES,
    IS_VALUES,
    KEYWORDS,
    MTG_COLOR_NAMES,
    MULTICOLOR_WORDS,
    OPTCG_COLORS,
    POKEMON_TYPES,
    RARITY_RANKS,
    Keyword,
    canonical_rarity,
    resolve_game,
    resolve_language,
    resolve_rarity,
    squash,
)
from search_api.query.lexer import Kind, Token
from search_api.query.parser import Conjunction, Disjunction, Group, Leaf, Negation, Syntax

_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_EQUALITY_OPS = frozenset({":", "=", "!="})
_COLOR_SPLIT_RE = re.compile(r"[/,+&\s]+")


# --------------------------------------------------------------------------------------------
# Tree helpers
# --------------------------------------------------------------------------------------------


def shorten(value: str, limit: int = 30) -> str:
    """`value` for a message: at most `limit` characters."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def negate(node: Node) -> Node:
    return node.child if isinstance(node, Not) else Not(node)


def conjoin(nodes: Iterable[Node | None]) -> Node | None:
    flat: list[Node] = []
    for node in nodes:
        if isinstance(node, And):
            flat.extend(node.children)
        elif node is not None:
            flat.append(node)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def disjoin(nodes: Iterable[Node | None]) -> Node | None:
    flat: list[Node] = []
    for node in nodes:
        if isinstance(node, Or):
            flat.extend(node.children)
        elif node is not None:
            flat.append(node)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


# --------------------------------------------------------------------------------------------
# The interpreter
# --------------------------------------------------------------------------------------------


class Interpreter:
    def __init__(self, query: str, game: str | None, warnings: list[str]) -> None:
        self.query = query
        self.game = game
        self.warnings = warnings

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    # -- structure ---------------------------------------------------------------------------

    def node(self, syntax: Syntax) -> Node | None:
        if isinstance(syntax, Leaf):
            return self.leaf(syntax.token)
        if isinstance(syntax, Group):
            return self.node(syntax.child)
        if isinstance(syntax, Negation):
            child = self.node(syntax.child)
            return None if child is None else negate(child)
        if isinstance(syntax, Disjunction):
            return disjoin(self.node(child) for child in syntax.children)
        return conjoin(self.conjunction(syntax.children))

    def conjunction(self, children: tuple[Syntax, ...]) -> Iterable[Node | None]:
        words: list[str] = []
        for child in children:
            word = self.bare_word(child)
            if word is not None:
                words.append(word)
                continue
            if words:
                yield Text(" ".join(words))
                words = []
            yield self.node(child)
        if words:
            yield Text(" ".join(words))

    def bare_word(self, syntax: Syntax) -> str | None:
        """The word if `syntax` is free text that may merge with its neighbours."""
        if not isinstance(syntax, Leaf):
            return None
        token = syntax.token
        if token.kind is Kind.WORD:
            return token.text
        if token.kind is Kind.KEYWORD and token.key not in KEYWORDS and not token.value:
            # `Circle of Protection: Red`: an unknown "keyword" without a value is a word.
            return token.text
        return None

    def leaf(self, token: Token) -> Node | None:
        if token.kind is Kind.WORD:
            return Text(token.text)
        if token.kind is Kind.PHRASE:
            if not token.text.strip():
                self.warn(f"ignored the empty quotes at position {token.pos}")
                return None
            return Phrase(token.text)
        if token.kind is Kind.EXACT:
            return ExactName(token.text)
        return self.keyword(token)

    # -- keywords ----------------------------------------------------------------------------

    def keyword(self, token: Token) -> Node | None:
        spec = KEYWORDS.get(token.key)
        if spec is None:
            if not token.value:
                return Text(token.text)
            self.warn(f"unknown keyword '{shorten(token.key)}' ignored")
            return None
        if not token.value.strip():
            message = f"'{token.key}' needs a value right after '{token.op}'"
            if not token.quoted and token.value_pos < len(self.query):
                message += " (no space); to search for the text itself, put it in quotes"
            raise QuerySyntaxError(message, token.value_pos)
        handler = _HANDLERS[spec.kind]
        return handler(self, spec, token)

    def equality_only(self, token: Token) -> None:
        if token.op not in _EQUALITY_OPS:
            raise QuerySyntaxError(
                f"'{token.key}' can't be compared with '{token.op}': use ':' (or '!=')",
                token.op_pos,
            )

    def equality(self, token: Token, node: Node | None) -> Node | None:
        """Apply `:`, `=` or `!=` to a node meaning 'the value matches'."""
        if node is None:
            return None
        return negate(node) if token.op == "!=" else node

    def number(self, token: Token, text: str | None = None) -> float:
        value = token.value.strip() if text is None else text
        if _NUMBER_RE.fullmatch(value):
            number = float(value)
            if math.isfinite(number):
                return number
        raise QuerySyntaxError(
            f"'{token.key}' needs a number, not '{shorten(token.value)}'", token.value_pos
        )

    @staticmethod
    def comparison(token: Token) -> Comparison:
        return "=" if token.op == ":" else token.op  # type: ignore[return-value]

    def games(self) -> tuple[str, ...]:
        return (self.game,) if self.game else GAMES


# -- handlers, one per keyword kind -----------------------------------------------------------


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
    if token.op in _EQUALITY_OPS:
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
    if token.op in _EQUALITY_OPS:
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
    chosen = _named_values(token.value, ATTRIBUTES)
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


# -- colours ----------------------------------------------------------------------------------

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


def _named_values(value: str, names: dict[str, str]) -> frozenset[str] | None:
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
    if _NUMBER_RE.fullmatch(value):
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
    chosen = _named_values(token.value, names)
    if chosen is None:
        return None
    op: Comparison = ">=" if token.op == ":" else it.comparison(token)
    node = _set_terms(field, op, chosen, names.values())
    if node is None:
        it.warn(f"'{shorten(token.text)}' can match no card; ignored")
    return node


def _color(it: Interpreter, spec: Keyword, token: Token) -> Node | None:
    value = token.value.strip()
    if _NUMBER_RE.fullmatch(value):
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


def _identity(it: Interpreter, spec: Keyword, token: Token) -> Node | None:
    if _NUMBER_RE.fullmatch(token.value.strip()):
        return _color_count(it, token, "color_identity")
    attempts = [lambda: _mtg_color_node(it, token, "color_identity", "<=")]
    return _first(it, token, attempts, "colour identity")


def _energy(it: Interpreter, spec: Keyword, token: Token) -> Node | None:
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


_HANDLERS: dict[str, Callable[[Interpreter, Keyword, Token], Node | None]] = {
    "text": _text,
    "set": _set,
    "number": _collector_number,
    "rarity": _rarity,
    "language": _language,
    "game": _game,
    "color": _color,
    "identity": _identity,
    "energy": _energy,
    "attribute": _attribute,
    "numeric": _numeric,
    "price": _price,
    "is": _is,
    "not": _is,
    "available": _available,
}


# --------------------------------------------------------------------------------------------
# The query's own game
# --------------------------------------------------------------------------------------------


def implied_game(tree: Syntax) -> str | None:
    """The game a query names with top-level, positive `game:` terms, if exactly one."""
    children: tuple[Syntax, ...]
    if isinstance(tree, Conjunction):
        children = tree.children
    else:
        children = (tree,)
    found: set[str] = set()
    for child in children:
        if not isinstance(child, Leaf) or child.token.kind is not Kind.KEYWORD:
            continue
        token = child.token
        spec = KEYWORDS.get(token.key)
        if spec is not None and spec.kind == "game" and token.op in (":", "="):
            game = resolve_game(token.value)
            if game is not None:
                found.add(game)
    return found.pop() if len(found) == 1 else None
