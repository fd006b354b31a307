"""Syntax tree -> engine-neutral query tree (`indexer.query`), applying the keyword table.

A term that is ignored (unknown keyword, value a known keyword cannot interpret) becomes None
plus a warning and is dropped from its AND/OR; a negated ignored term is ignored too. Adjacent
bare words of one AND merge into a single `Text`. Nested ANDs and ORs are flattened, a one-child
AND/OR is its child and `--x` is `x`. The keyword handlers are in `search_api.query.handlers`
(and `search_api.query.colors` for colours).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from indexer.query import Comparison, ExactName, Node, Phrase, Text
from models.games import GAME_CODES, resolve_game
from search_api.query.errors import QuerySyntaxError
from search_api.query.handlers import HANDLERS
from search_api.query.keywords import KEYWORDS
from search_api.query.lexer import Kind, Token
from search_api.query.nodes import (
    EQUALITY_OPS,
    NUMBER_RE,
    conjoin,
    disjoin,
    negate,
    shorten,
)
from search_api.query.parser import Conjunction, Disjunction, Group, Leaf, Negation, Syntax


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
        handler = HANDLERS[spec.kind]
        return handler(self, spec, token)

    def equality_only(self, token: Token) -> None:
        if token.op not in EQUALITY_OPS:
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
        if NUMBER_RE.fullmatch(value):
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
        return (self.game,) if self.game else GAME_CODES


def implied_game(tree: Syntax) -> str | None:
    """The game a query names with top-level, positive `game:` terms, if exactly one."""
    children: tuple[Syntax, ...]
    children = tree.children if isinstance(tree, Conjunction) else (tree,)
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
