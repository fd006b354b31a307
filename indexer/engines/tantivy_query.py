"""Compile the engine-neutral query tree into tantivy queries (same semantics and scores as
`opensearch_query.py`: constant-score tiers from `indexer/relevance.py`, filters score 0)."""

from __future__ import annotations

import tantivy
from tantivy import FieldType, Occur, Query

from indexer import relevance as rel
from indexer.fields import (
    COLOR_GAME,
    COLOR_UNIVERSE,
    INTEGER_FIELDS,
    color_field,
    facet_field,
    keyword_field,
    normalize_keyword,
    numeric_field,
    text_field,
)
from indexer.query import (
    And,
    ColorSet,
    ExactName,
    FieldMatch,
    MatchAll,
    Node,
    Not,
    Or,
    Phrase,
    Range,
    SearchRequest,
    Term,
    Text,
)
from models.text import name_key, words


def const(query: Query, score: float) -> Query:
    return Query.const_score_query(query, score)


def all_of(queries: list[Query]) -> Query:
    if not queries:
        return Query.all_query()
    if len(queries) == 1:
        return queries[0]
    return Query.boolean_query([(Occur.Must, q) for q in queries])


def filtered(query: Query, filters: list[Query]) -> Query:
    """`query` narrowed by `filters`, which add nothing to the score."""
    if not filters:
        return query
    return Query.boolean_query(
        [(Occur.Must, query), *((Occur.Must, const(f, 0.0)) for f in filters)]
    )


def _dis_max(queries: list[Query]) -> Query:
    return queries[0] if len(queries) == 1 else Query.disjunction_max_query(queries)


class QueryCompiler:
    """Builds tantivy queries against one schema."""

    def __init__(self, schema: tantivy.Schema) -> None:
        self.schema = schema

    def term(self, field: str, value: str | int) -> Query:
        return Query.term_query(self.schema, field, value)

    def _name_token(
        self, token: rel.NameToken, field: str = "names", loosest: rel.Looseness = "typo"
    ) -> Query:
        """A name token against the words of `field`, scored by its best match, matching no
        more loosely than `loosest`."""
        clauses = [const(self.term(field, token.term), rel.TERM)]
        if loosest != "word":
            prefix = Query.fuzzy_term_query(self.schema, field, token.term, 0, True, True)
            clauses.append(const(prefix, rel.PREFIX))
        if loosest == "typo" and token.fuzziness:
            fuzzy = Query.fuzzy_term_query(self.schema, field, token.term, token.fuzziness, True)
            clauses.append(const(fuzzy, rel.FUZZY))
            if token.fuzzy_prefix:
                prefix = Query.fuzzy_term_query(
                    self.schema, field, token.term, token.fuzziness, True, True
                )
                clauses.append(const(prefix, rel.FUZZY))
        return _dis_max(clauses)

    def name_words(
        self, plan: rel.TextPlan, field: str = "names", loosest: rel.Looseness = "typo"
    ) -> Query:
        """Every name token of the text matches a word of `field` (names only, no codes)."""
        return all_of(
            [self._name_token(t, field, loosest) for word in plan.words for t in word.name_tokens]
        )

    def name_condition(
        self, condition: rel.NameCondition, plan: rel.TextPlan, *, keys: str, words: str
    ) -> Query:
        """A whole-name condition (`relevance.NameCondition`) on the name keys field `keys`
        and the name words field `words`."""
        if isinstance(condition, rel.KeyEquals):
            return self.term(keys, condition.key)
        if isinstance(condition, rel.KeyStarts):
            return Query.fuzzy_term_query(self.schema, keys, condition.prefix, 0, True, True)
        if isinstance(condition, rel.KeyWithin):
            return Query.fuzzy_term_query(self.schema, keys, condition.key, condition.edits, True)
        if isinstance(condition, rel.KeyStartsWithin):
            return Query.fuzzy_term_query(
                self.schema, keys, condition.prefix, condition.edits, True, True
            )
        return self.name_words(plan, words, condition.loosest)

    def text(self, plan: rel.TextPlan) -> Query:
        if plan.is_empty:
            return Query.empty_query()
        must = []
        for word in plan.words:
            options = []
            names = [self._name_token(t) for t in word.name_tokens]
            if names:
                options.append(all_of(names))
            if plan.codes:
                options.append(const(self.term("codes", word.code), rel.CODE))
                options.append(const(self.term("set_codes", word.code), rel.CODE))
            must.append(_dis_max(options))
        bonuses = [
            const(self.name_condition(condition, plan, keys="names_exact", words="names"), score)
            for score, condition in rel.name_bonuses(plan)
        ]
        return Query.boolean_query(
            [*((Occur.Must, q) for q in must), *((Occur.Should, q) for q in bonuses)]
        )

    def _words_query(self, field: str, text: str, *, phrase: bool) -> Query:
        terms = words(text)
        if not terms:
            return Query.empty_query()
        if len(terms) == 1:
            return self.term(field, terms[0])
        if phrase:
            phrase_words: list[str | tuple[int, str]] = list(terms)
            return Query.phrase_query(self.schema, field, phrase_words)
        return all_of([self.term(field, t) for t in terms])

    def range(self, field: str, op: str, value: float) -> Query:
        value = float(value)
        if op == "=":
            return Query.range_query(self.schema, field, FieldType.Float, value, value)
        if op == "!=":
            equal = self.range(field, "=", value)
            return Query.boolean_query(
                [(Occur.Must, Query.exists_query(field)), (Occur.MustNot, equal)]
            )
        lower = value if op in (">", ">=") else None
        upper = value if op in ("<", "<=") else None
        return Query.range_query(
            self.schema,
            field,
            FieldType.Float,
            lower,
            upper,
            include_lower=lower is None or op == ">=",
            include_upper=upper is None or op == "<=",
        )

    def colors(self, node: ColorSet) -> Query:
        """Magic's colour algebra, on Magic documents only (see indexer.fields.COLOR_UNIVERSE)."""
        return all_of([self.term("game", COLOR_GAME.lower()), self._color_set(node)])

    def _color_set(self, node: ColorSet) -> Query:
        field, count_field = color_field(node.field)
        wanted = sorted({c.strip().upper() for c in node.colors if c.strip()})
        superset = [self.term(field, c.lower()) for c in wanted]
        outside = [self.term(field, c.lower()) for c in sorted(COLOR_UNIVERSE - set(wanted))]
        subset = Query.boolean_query(
            [(Occur.Must, Query.all_query()), *((Occur.MustNot, q) for q in outside)]
        )
        n = len(wanted)
        if node.op == ">=":
            return all_of(superset)
        if node.op == ">":
            return all_of([*superset, self.range(count_field, ">", n)])
        if node.op == "=":
            return all_of([*superset, self.range(count_field, "=", n)])
        if node.op == "<=":
            return subset
        if node.op == "<":
            return all_of([subset, self.range(count_field, "<", n)])
        return self.negate(self._color_set(ColorSet(node.field, "=", node.colors)))

    def negate(self, query: Query) -> Query:
        return Query.boolean_query(
            [(Occur.Must, const(Query.all_query(), 0.0)), (Occur.MustNot, query)]
        )

    def keyword(self, node: Term) -> Query:
        field = keyword_field(node.field)
        if field in INTEGER_FIELDS:
            try:
                return self.term(field, int(node.value))
            except ValueError:
                return Query.empty_query()
        return self.term(field, normalize_keyword(node.value))

    def compile(self, node: Node) -> Query:
        if isinstance(node, MatchAll):
            return Query.all_query()
        if isinstance(node, Text):
            return self.text(rel.plan_text(node.text))
        if isinstance(node, Phrase):
            query = self._words_query(text_field(node.field), node.text, phrase=True)
            return const(query, rel.FIELD_MATCH)
        if isinstance(node, ExactName):
            return const(self.term("names_exact", name_key(node.name)), rel.EXACT_NAME)
        if isinstance(node, FieldMatch):
            query = self._words_query(text_field(node.field), node.text, phrase=False)
            return const(query, rel.FIELD_MATCH)
        if isinstance(node, Term):
            return const(self.keyword(node), 0.0)
        if isinstance(node, Range):
            return const(self.range(numeric_field(node.field), node.op, node.value), 0.0)
        if isinstance(node, ColorSet):
            return const(self.colors(node), 0.0)
        if isinstance(node, And):
            return all_of([self.compile(c) for c in node.children])
        if isinstance(node, Or):
            if not node.children:
                return Query.empty_query()
            return Query.boolean_query([(Occur.Should, self.compile(c)) for c in node.children])
        if isinstance(node, Not):
            return self.negate(self.compile(node.child))
        raise TypeError(f"not a query node: {node!r}")

    def selection(self, facet: str, values: tuple[str, ...]) -> Query:
        """OR of a facet's selected values."""
        field = facet_field(facet)
        terms = sorted({normalize_keyword(v) for v in values})
        return _dis_max([self.term(field, t) for t in terms]) if terms else Query.all_query()

    def price(self, request: SearchRequest) -> Query | None:
        if request.price_min is None and request.price_max is None:
            return None
        return Query.range_query(
            self.schema, "price", FieldType.Float, request.price_min, request.price_max
        )
