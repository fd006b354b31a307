"""Syntax errors: message and 0-based position of the problem; the length limit."""

from __future__ import annotations

import pytest

from search_api.query import MAX_QUERY_LENGTH, QuerySyntaxError, parse_query

ERRORS = [
    # (query, position, fragment of the message)
    ('"abc', 0, "unclosed quote"),
    ('t:elf "abc', 6, "unclosed quote"),
    ('o:"draw a card', 2, "unclosed quote"),
    ('!"Lightning', 1, "unclosed quote"),
    ('"abc\\"', 0, "unclosed quote"),  # the escaped quote does not close
    ("(t:a", 0, "unclosed '('"),
    ("t:a (t:b (t:c)", 4, "unclosed '('"),
    ("(t:a OR (t:b)", 0, "unclosed '('"),
    ("(", 0, "unclosed '('"),
    ("-(", 1, "unclosed '('"),
    ("t:a)", 3, "unbalanced ')'"),
    (")", 0, "unbalanced ')'"),
    ("(t:a)) t:b", 5, "unbalanced ')'"),
    ("()", 0, "empty parentheses"),
    ("t:a ( ) t:b", 4, "empty parentheses"),
    ("t:a OR", 4, "'OR' needs a term after it"),
    ("OR t:a", 0, "'OR' needs a term before it"),
    ("t:a OR OR t:b", 4, "'OR' needs a term after it"),
    ("(t:a OR) t:b", 5, "'OR' needs a term after it"),
    ("(OR t:a)", 1, "'OR' needs a term before it"),
    ("or", 0, "'OR' needs a term before it"),
    ("t:a AND", 4, "'AND'"),
    ("AND t:a", 0, "'AND'"),
    ("t:a AND OR t:b", 4, "'AND'"),
    ("-OR t:a", 0, "'-' needs a term"),
    ("t:a -AND t:b", 4, "'-' needs a term"),
    # keyword without value
    ("t:", 2, "'t' needs a value"),
    ("t: dragon", 2, "'t' needs a value"),
    ("type: Null", 5, "'type' needs a value"),
    ('o:""', 2, "'o' needs a value"),
    ("o:'  '", 2, "'o' needs a value"),
    ("c>=", 3, "'c' needs a value"),
    ("mv>= 3", 4, "'mv' needs a value"),
    ("(t:)", 3, "'t' needs a value"),
    ("s:", 2, "'s' needs a value"),
    ("game:", 5, "'game' needs a value"),
    # bad numbers -> position of the value
    ("mv>=abc", 4, "'mv' needs a number, not 'abc'"),
    ("t:elf pow>tou", 10, "'pow' needs a number, not 'tou'"),
    ("hp:lots", 3, "'hp' needs a number"),
    ("usd<five", 4, "'usd' needs a number"),
    ("usd<$", 4, "'usd' needs a number"),
    ("mv=1/2", 3, "'mv' needs a number"),
    ("mv=1e3", 3, "'mv' needs a number"),
    ("mv=nan", 3, "'mv' needs a number"),
    ("mv=inf", 3, "'mv' needs a number"),
    ("mv=" + "9" * 400, 3, "'mv' needs a number"),
    ("cn>=12a", 4, "'cn' needs a number"),
    ("atk>=?", 5, "'atk' needs a number"),
    # operators a keyword does not take -> position of the operator
    ("t>dragon", 1, "'t' can't be compared with '>'"),
    ("name<=bolt", 4, "'name' can't be compared with '<='"),
    ("s>neo", 1, "'s' can't be compared with '>'"),
    ("lang>=en", 4, "'lang' can't be compared"),
    ("game<mtg", 4, "'game' can't be compared"),
    ("is>foil", 2, "'is' can't be compared"),
    ("available>true", 9, "'available' can't be compared"),
    ("attr<dark", 4, "'attr' can't be compared"),
]


@pytest.mark.parametrize(("query", "position", "message"), ERRORS)
def test_syntax_errors(query: str, position: int, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse_query(query)
    assert info.value.position == position
    assert message in info.value.message
    assert str(info.value).endswith(f"(at position {position})")


def test_error_body_for_the_api() -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse_query("mv>=abc")
    assert info.value.as_details() == {
        "code": "bad_query",
        "details": "'mv' needs a number, not 'abc'",
        "position": 4,
    }


def test_error_is_a_value_error() -> None:
    assert issubclass(QuerySyntaxError, ValueError)


def test_long_values_are_shortened_in_messages() -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse_query("mv=" + "x" * 500)
    assert len(info.value.message) < 100


def test_nesting_limit() -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse_query("(" * 33 + "a" + ")" * 33)
    assert info.value.position == 32
    assert "nested too deeply" in info.value.message


def test_deep_nesting_never_recurses_out() -> None:
    for query in ["(" * 1000, "-(" * 500, "(a OR " * 166, "(" * 499 + ")" * 499]:
        with pytest.raises(QuerySyntaxError) as info:
            parse_query(query)
        assert "nested too deeply" in info.value.message


def test_long_negation_runs_are_fine() -> None:
    assert parse_query("-" * 999 + "a").node == parse_query("-a").node
    assert parse_query("-" * 998 + "a").node == parse_query("a").node


def test_length_limit() -> None:
    assert MAX_QUERY_LENGTH == 1000
    ok = "a" * 1000
    assert parse_query(ok).node is not None
    with pytest.raises(QuerySyntaxError) as info:
        parse_query("a" * 1001)
    assert info.value.position == 1000
    assert "longer than 1000 characters" in info.value.message


def test_length_counts_characters_not_bytes() -> None:
    parse_query("é" * 1000)  # 2,000 bytes of UTF-8, 1,000 characters


def test_positions_count_characters() -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse_query('pokégear "3.0')
    assert info.value.position == 9


def test_unknown_game_argument_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown game"):
        parse_query("x", game="chess")
