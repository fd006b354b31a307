"""The query language: exact trees for free text, structure, exact names and phrases."""

from __future__ import annotations

import pytest

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
from search_api.query import ParsedQuery, parse_query


def tree(query: str, **kwargs: str) -> object:
    parsed = parse_query(query, **kwargs)
    assert isinstance(parsed, ParsedQuery)
    return parsed.node


def t(value: str) -> FieldMatch:
    return FieldMatch("type_line", value)


# --------------------------------------------------------------------------------------------
# The spec's own example and empty queries
# --------------------------------------------------------------------------------------------


def test_spec_example() -> None:
    assert tree("t:dragon c>=rg mv<=3 -is:foil") == And(
        (
            FieldMatch("type_line", "dragon"),
            ColorSet("colors", ">=", frozenset("RG")),
            Range("mana_value", "<=", 3.0),
            Not(Term("finishes", "FOIL")),
        )
    )


@pytest.mark.parametrize("query", ["", " ", "\t\n ", "\u3000"])
def test_empty_query_matches_all(query: str) -> None:
    parsed = parse_query(query)
    assert parsed.node == MatchAll()
    assert parsed.warnings == []


# --------------------------------------------------------------------------------------------
# Free text: adjacent bare words merge; codes and numbers stay whole
# --------------------------------------------------------------------------------------------

FREE_TEXT = [
    ("bolt", Text("bolt")),
    ("lightning bolt", Text("lightning bolt")),
    ("  lightning \t  bolt  ", Text("lightning bolt")),
    ("charizard 199/165", Text("charizard 199/165")),
    ("OP01-001", Text("OP01-001")),
    ("LOB-EN001", Text("LOB-EN001")),
    ("sv151", Text("sv151")),
    ("pikachu sv151 25", Text("pikachu sv151 25")),
    ("Urza's Saga", Text("Urza's Saga")),
    ("Lim-Dûl's Vault", Text("Lim-Dûl's Vault")),
    ("Will-o'-the-Wisp", Text("Will-o'-the-Wisp")),
    ("'Twas", Text("'Twas")),
    ("Farfetch'd", Text("Farfetch'd")),
    ("Ach! Hans, Run!", Text("Ach! Hans, Run!")),
    ("Fire // Ice", Text("Fire // Ice")),
    ("+2 Mace", Text("+2 Mace")),
    ("Nidoran♀", Text("Nidoran♀")),
    ("Pokégear 3.0", Text("Pokégear 3.0")),
    ("10:30 12:00", Text("10:30 12:00")),
    # An unknown "keyword" with no value is a word: card names with a colon still work.
    ("Circle of Protection: Red", Text("Circle of Protection: Red")),
    # `-` negates only at the start of a term.
    ("a-b", Text("a-b")),
    ("x- y", Text("x- y")),
    # Words do not merge across other terms.
    ("lightning t:instant bolt", And((Text("lightning"), t("instant"), Text("bolt")))),
    ("goblin -king lord", And((Text("goblin"), Not(Text("king")), Text("lord")))),
    ('a "b c" d', And((Text("a"), Phrase("b c"), Text("d")))),
    ("a (b c) d", And((Text("a"), Text("b c"), Text("d")))),
    ("dragon t:creature", And((Text("dragon"), t("creature")))),
]


@pytest.mark.parametrize(("query", "expected"), FREE_TEXT)
def test_free_text(query: str, expected: object) -> None:
    assert tree(query) == expected


# --------------------------------------------------------------------------------------------
# Structure: AND, OR, parentheses, negation
# --------------------------------------------------------------------------------------------

STRUCTURE = [
    ("t:a t:b", And((t("a"), t("b")))),
    ("t:a AND t:b", And((t("a"), t("b")))),
    ("t:a OR t:b", Or((t("a"), t("b")))),
    ("t:a or t:b", Or((t("a"), t("b")))),
    # OR binds looser than AND
    ("t:a t:b OR t:c", Or((And((t("a"), t("b"))), t("c")))),
    ("t:a OR t:b t:c", Or((t("a"), And((t("b"), t("c")))))),
    ("t:a OR t:b OR t:c", Or((t("a"), t("b"), t("c")))),
    ("a b OR c", Or((Text("a b"), Text("c")))),
    ("t:a (t:b OR t:c)", And((t("a"), Or((t("b"), t("c")))))),
    ("(t:a OR t:b) (t:c OR t:d)", And((Or((t("a"), t("b"))), Or((t("c"), t("d")))))),
    # nested groups of the same operator flatten; redundant parentheses vanish
    ("((t:a))", t("a")),
    ("(t:a t:b) t:c", And((t("a"), t("b"), t("c")))),
    ("(t:a OR t:b) OR t:c", Or((t("a"), t("b"), t("c")))),
    ("t:a (t:b (t:c OR (t:d t:e)))", And((t("a"), t("b"), Or((t("c"), And((t("d"), t("e")))))))),
    # negation
    ("-t:goblin", Not(t("goblin"))),
    ("-goblin", Not(Text("goblin"))),
    ('-"goblin king"', Not(Phrase("goblin king"))),
    ('-!"Goblin King"', Not(ExactName("Goblin King"))),
    ("-(t:goblin OR t:elf)", Not(Or((t("goblin"), t("elf"))))),
    ("-(t:goblin t:elf)", Not(And((t("goblin"), t("elf"))))),
    ("t:a -(t:b OR -t:c)", And((t("a"), Not(Or((t("b"), Not(t("c")))))))),
    ("--t:a", t("a")),
    ("---t:a", Not(t("a"))),
    ("-(-t:a)", t("a")),
    ("-t:a OR t:b", Or((Not(t("a")), t("b")))),
    ("(t:a)-t:b", And((t("a"), Not(t("b"))))),
    ("-OP01-001", Not(Text("OP01-001"))),
    ("-5", Not(Text("5"))),
]


@pytest.mark.parametrize(("query", "expected"), STRUCTURE)
def test_structure(query: str, expected: object) -> None:
    assert tree(query) == expected


def test_nesting_up_to_the_limit() -> None:
    query = "(" * 32 + "t:a" + ")" * 32
    assert tree(query) == t("a")
    query = "t:z"
    for i in reversed(range(16)):  # two parentheses per level: t:z ends 32 deep
        query = f"t:x{i} OR (t:y{i} ({query}))"
    node = tree(query)
    for i in range(16):
        assert node == Or((t(f"x{i}"), And((t(f"y{i}"), node.children[1].children[1]))))
        node = node.children[1].children[1]
    assert node == t("z")


def test_negated_groups_to_the_limit() -> None:
    query = "-(" * 32 + "t:a" + ")" * 32  # an even number of negations
    assert tree(query) == t("a")


# --------------------------------------------------------------------------------------------
# Phrases, quotes and exact names
# --------------------------------------------------------------------------------------------

QUOTES = [
    ('"lightning bolt"', Phrase("lightning bolt")),
    ('"  spaced  out "', Phrase("  spaced  out ")),
    (r'"say \"hi\""', Phrase('say "hi"')),
    (r'"back\\slash"', Phrase("back\\slash")),
    ('"OR"', Phrase("OR")),
    ('"t:dragon"', Phrase("t:dragon")),
    ('"a (b) -c"', Phrase("a (b) -c")),
    ("'goblin king'", Phrase("goblin king")),
    ("'Urza's Saga'", Phrase("Urza's Saga")),
    ("rock 'n' roll", And((Text("rock"), Phrase("n"), Text("roll")))),
    ('"a""b"', And((Phrase("a"), Phrase("b")))),
    ('bolt"x"', And((Text("bolt"), Phrase("x")))),
    ('!"Lightning Bolt"', ExactName("Lightning Bolt")),
    ('!" Lightning Bolt "', ExactName("Lightning Bolt")),
    ("!'Urza's Saga'", ExactName("Urza's Saga")),
    ("!fire", ExactName("fire")),
    ("!fire ice", And((ExactName("fire"), Text("ice")))),
    ("!Lim-Dûl's", ExactName("Lim-Dûl's")),
    ('!"Fire // Ice" OR !Opt', Or((ExactName("Fire // Ice"), ExactName("Opt")))),
    ("Yes!", Text("Yes!")),
    # quoted keyword values are phrases in that field
    ('o:"draw a card"', Phrase("draw a card", "rules_text")),
    ("o:'draw a card'", Phrase("draw a card", "rules_text")),
    ('t:"legendary creature"', Phrase("legendary creature", "type_line")),
    ('name:"Lightning Bolt"', Phrase("Lightning Bolt", "name")),
    ("name:'Urza's Saga'", Phrase("Urza's Saga", "name")),
    ('a:"rebecca guay"', Phrase("rebecca guay", "artist")),
    ('o:"{T}: Add {C}."', Phrase("{T}: Add {C}.", "rules_text")),
    ("o:opponent's", FieldMatch("rules_text", "opponent's")),
    ('"Type: Null"', Phrase("Type: Null")),
]


@pytest.mark.parametrize(("query", "expected"), QUOTES)
def test_quotes_and_exact_names(query: str, expected: object) -> None:
    assert tree(query) == expected


# --------------------------------------------------------------------------------------------
# Warnings that leave the rest of the query in force
# --------------------------------------------------------------------------------------------

IGNORED = [
    ("foo:bar t:elf", t("elf"), "unknown keyword 'foo'"),
    ("t:elf FOO=bar", t("elf"), "unknown keyword 'foo'"),
    ("-foo:bar t:elf", t("elf"), "unknown keyword 'foo'"),
    ("t:elf OR foo:bar", t("elf"), "unknown keyword 'foo'"),
    ("(foo:bar) t:elf", t("elf"), "unknown keyword 'foo'"),
    ("f:standard t:elf", t("elf"), "unknown keyword 'f'"),
    ("game:chess t:elf", t("elf"), "unknown game 'chess'"),
    ("r:purple t:elf", t("elf"), "unknown rarity 'purple'"),
    ("r>=purple t:elf", t("elf"), "unknown rarity 'purple'"),
    ("r>promo t:elf", t("elf"), "rarity 'promo' has no rank"),
    ("lang:klingon t:elf", t("elf"), "unknown language 'klingon'"),
    ("is:shiny t:elf", t("elf"), "unknown value 'is:shiny'"),
    ("not:shiny t:elf", t("elf"), "unknown value 'not:shiny'"),
    ("available:maybe t:elf", t("elf"), "unknown value 'available:maybe'"),
    ("c:pink t:elf", t("elf"), "unknown colour 'pink'"),
    ("c:wc t:elf", t("elf"), "unknown colour 'wc'"),
    ("id:fire t:elf", t("elf"), "unknown colour identity 'fire'"),
    ("energy:red t:elf", t("elf"), "unknown energy type 'red'"),
    ("attr:sparkly t:elf", t("elf"), "unknown attribute 'sparkly'"),
    ("attr:slash/sparkly t:elf", t("elf"), "unknown attribute 'slash/sparkly'"),
    ('"" t:elf', t("elf"), "empty quotes"),
    ("- t:elf", t("elf"), "ignored the '-' at position 0"),
    ("t:elf -", t("elf"), "ignored the '-' at position 6"),
    ("(t:elf -)", t("elf"), "ignored the '-' at position 7"),
    ("! t:elf", t("elf"), "ignored the '!' at position 0"),
    ('!"" t:elf', t("elf"), "ignored the '!' at position 0"),
]


@pytest.mark.parametrize(("query", "expected", "warning"), IGNORED)
def test_ignored_terms_warn(query: str, expected: object, warning: str) -> None:
    parsed = parse_query(query)
    assert parsed.node == expected
    assert any(warning in w for w in parsed.warnings), parsed.warnings


def test_all_terms_ignored_matches_all_with_a_warning() -> None:
    parsed = parse_query("foo:bar -baz:qux")
    assert parsed.node == MatchAll()
    assert parsed.warnings[0] == "unknown keyword 'foo' ignored"
    assert parsed.warnings[1] == "unknown keyword 'baz' ignored"
    assert "every term was ignored" in parsed.warnings[-1]


def test_same_warning_is_given_once() -> None:
    parsed = parse_query("foo:a foo:b t:x")
    assert parsed.warnings == ["unknown keyword 'foo' ignored"]


def test_clean_query_has_no_warnings() -> None:
    assert parse_query("t:dragon c>=rg (s:neo OR s:dmu) -is:foil usd<5").warnings == []


def test_parsed_query_is_a_plain_result() -> None:
    parsed = parse_query("t:elf")
    assert parsed == ParsedQuery(t("elf"), [])
