"""Recursive-descent parser: tokens -> a syntax tree that still holds the raw keyword terms.

Grammar (lowest precedence first)::

    query   := or_expr EOF                       (no tokens at all -> MatchAll)
    or_expr := and_expr ( OR and_expr )*
    and_expr:= unary ( [AND] unary )*           (juxtaposition is AND)
    unary   := NOT* primary                      (`-` binds tightest)
    primary := '(' or_expr ')' | WORD | PHRASE | EXACT | KEYWORD

Parentheses nest at most `MAX_DEPTH` deep; the recursion is therefore bounded and a deeper
query is a QuerySyntaxError, never a RecursionError. Runs of `-` are folded iteratively.
`interpreter.py` turns this tree into the engine-neutral `indexer.query` tree.
"""

from __future__ import annotations

from dataclasses import dataclass

from search_api.query.errors import QuerySyntaxError
from search_api.query.keywords import MAX_DEPTH
from search_api.query.lexer import Kind, Token


@dataclass(frozen=True, slots=True)
class Leaf:
    token: Token


@dataclass(frozen=True, slots=True)
class Negation:
    child: Syntax
    pos: int


@dataclass(frozen=True, slots=True)
class Conjunction:
    children: tuple[Syntax, ...]


@dataclass(frozen=True, slots=True)
class Disjunction:
    children: tuple[Syntax, ...]


@dataclass(frozen=True, slots=True)
class Group:
    """A parenthesised expression (kept so that words on either side never merge across it)."""

    child: Syntax
    pos: int


Syntax = Leaf | Negation | Conjunction | Disjunction | Group

_TERM_START = frozenset({Kind.WORD, Kind.PHRASE, Kind.EXACT, Kind.KEYWORD, Kind.LPAREN, Kind.NOT})


class _Parser:
    def __init__(self, tokens: list[Token], length: int) -> None:
        self.tokens = tokens
        self.i = 0
        self.length = length

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> Syntax:
        tree = self.or_expr(0, None)
        extra = self.peek()
        if extra is not None:  # only a `)` can stop or_expr early
            raise QuerySyntaxError("unbalanced ')': there is no '(' to close", extra.pos)
        return tree

    def or_expr(self, depth: int, group: Token | None) -> Syntax:
        children = [self.and_expr(depth, group, None)]
        while (token := self.peek()) is not None and token.kind is Kind.OR:
            self.take()
            children.append(self.and_expr(depth, group, token))
        return children[0] if len(children) == 1 else Disjunction(tuple(children))

    def and_expr(self, depth: int, group: Token | None, after_or: Token | None) -> Syntax:
        items: list[Syntax] = []
        while True:
            token = self.peek()
            if token is None or token.kind in (Kind.RPAREN, Kind.OR):
                break
            if token.kind is Kind.AND:
                self.take()
                nxt = self.peek()
                if not items or nxt is None or nxt.kind not in _TERM_START:
                    raise QuerySyntaxError("'AND' needs a term on each side", token.pos)
                continue
            items.append(self.unary(depth))
        if not items:
            token = self.peek()
            if after_or is not None:
                raise QuerySyntaxError("'OR' needs a term after it", after_or.pos)
            if token is not None and token.kind is Kind.OR:
                raise QuerySyntaxError("'OR' needs a term before it", token.pos)
            if token is not None and token.kind is Kind.RPAREN and group is None:
                raise QuerySyntaxError("unbalanced ')': there is no '(' to close", token.pos)
            # Unreachable: empty groups are caught in primary(), an empty query never parses.
            raise QuerySyntaxError("expected a term", token.pos if token else self.length)
        return items[0] if len(items) == 1 else Conjunction(tuple(items))

    def unary(self, depth: int) -> Syntax:
        negations: list[Token] = []
        while (token := self.peek()) is not None and token.kind is Kind.NOT:
            negations.append(self.take())
        token = self.peek()
        if negations and (token is None or token.kind not in _TERM_START):
            raise QuerySyntaxError("'-' needs a term right after it", negations[-1].pos)
        node = self.primary(depth)
        if len(negations) % 2:
            node = Negation(node, negations[0].pos)
        return node

    def primary(self, depth: int) -> Syntax:
        token = self.take()
        if token.kind is not Kind.LPAREN:
            return Leaf(token)
        if depth + 1 > MAX_DEPTH:
            raise QuerySyntaxError(
                f"parentheses are nested too deeply (at most {MAX_DEPTH} levels)", token.pos
            )
        nxt = self.peek()
        if nxt is not None and nxt.kind is Kind.RPAREN:
            raise QuerySyntaxError("empty parentheses: '()' needs a term inside", token.pos)
        if nxt is None:
            raise QuerySyntaxError("unclosed '(': add the closing ')'", token.pos)
        inner = self.or_expr(depth + 1, token)
        close = self.peek()
        if close is None or close.kind is not Kind.RPAREN:
            raise QuerySyntaxError("unclosed '(': add the closing ')'", token.pos)
        self.take()
        return Group(inner, token.pos)


def parse_tokens(tokens: list[Token], length: int) -> Syntax | None:
    """The syntax tree of `tokens` (None when there are none); `length` is the query's."""
    if not tokens:
        return None
    return _Parser(tokens, length).parse()
