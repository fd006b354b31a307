"""Fuzzing: any text gives a ParsedQuery or a QuerySyntaxError, never anything else."""

from __future__ import annotations

import contextlib
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.query import (
    And,
    ColorSet,
    ExactName,
    FieldMatch,
    MatchAll,
    Not,
    Or,
    Phrase,
    Range,
    Term,
    Text,
)
from search_api.query import MAX_QUERY_LENGTH, ParsedQuery, QuerySyntaxError, parse_query

_LEAVES = (MatchAll, Text, Phrase, ExactName, FieldMatch, Term, Range, ColorSet)

#: Single characters and fragments rich in the language's syntax.
_SYNTAX = st.sampled_from(
    list("()\"'!-:<>=/ \\\t,.$")
    + list("abcgmorstuwRG0159éß★")
    + [
        "OR",
        "or",
        "AND",
        "t:",
        "c>=",
        "c:",
        "id<=",
        "mv<",
        "r>=",
        "r:",
        "s:",
        "game:",
        "lang:",
        "is:",
        "not:",
        "usd<",
        "-(",
        '!"',
        '" ',
        " OR ",
        "((",
        "))",
        "foo:",
        "op01-001",
        "199/165",
        "rg",
        "red",
        "mythic",
        "1.5",
        "\u3000",
        "\x00",
        "\ud7ff",
        "'s ",
    ]
)
_SYNTAX_TEXT = st.lists(_SYNTAX, max_size=60).map("".join)
_ANY_TEXT = st.text(max_size=200)
_QUERY = st.one_of(_SYNTAX_TEXT, _ANY_TEXT)


def _check_tree(node: object, depth: int = 0) -> None:
    assert depth < 200
    if isinstance(node, (And, Or)):
        assert len(node.children) >= 2
        for child in node.children:
            assert not isinstance(child, MatchAll)
            _check_tree(child, depth + 1)
    elif isinstance(node, Not):
        assert not isinstance(node.child, (Not, MatchAll))
        _check_tree(node.child, depth + 1)
    else:
        assert isinstance(node, _LEAVES), node
    if isinstance(node, Range):
        assert node.value == node.value  # not NaN
        assert abs(node.value) != float("inf")


def _check(text: str) -> None:
    try:
        parsed = parse_query(text)
    except QuerySyntaxError as exc:
        assert isinstance(exc.position, int)
        assert 0 <= exc.position <= max(len(text), MAX_QUERY_LENGTH)
        assert exc.message
        return
    assert isinstance(parsed, ParsedQuery)
    assert all(isinstance(w, str) for w in parsed.warnings)
    _check_tree(parsed.node)


@settings(
    max_examples=10_000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(_QUERY)
def test_fuzz_only_parsed_query_or_syntax_error(text: str) -> None:
    _check(text)


@settings(
    max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.lists(_SYNTAX, min_size=200, max_size=400).map("".join))
def test_fuzz_long_queries(text: str) -> None:
    _check(text)


@settings(max_examples=2_000, deadline=None, database=None)
@given(_SYNTAX_TEXT, st.sampled_from(["MTG", "POKEMON", "YUGIOH", "OPTCG"]))
def test_fuzz_with_a_game(text: str, game: str) -> None:
    with contextlib.suppress(QuerySyntaxError):
        parse_query(text, game=game)


def test_worst_case_inputs_are_fast() -> None:
    worst = [
        "'" * 1000,
        "' " * 500,
        "'a " * 333,
        "-" * 1000,
        "a " * 500,
        "(a " * 333,
        "(" * 1000,
        ")" * 1000,
        "a OR " * 200,
        "-(" * 32 + "a" + ")" * 32,
        "c:wubrg " * 125,
        "r>=sp " * 166,
        '"' * 1000,
        "!" * 1000,
        "\\" * 1000,
        "x:'" * 333,
        "c=red/green/blue/ " * 55,
        "game:op c<red/blue " * 50,
    ]
    for text in worst:
        text = text[:MAX_QUERY_LENGTH]
        start = time.perf_counter()
        _check(text)
        assert time.perf_counter() - start < 0.5, text[:20]
