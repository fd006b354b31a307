"""Pure builders of OpenSearch request bodies from the engine-neutral query tree.

Scoring follows `indexer/relevance.py` (constant-score tiers); filters score 0. Facets are
multi-select: the hits are narrowed by `post_filter`, and each facet's aggregation applies
every selection except its own.
"""

from __future__ import annotations

import math
from typing import Any

from indexer import relevance as rel
from indexer.cursor import Cursor, page_offset
from indexer.fields import (
    COLOR_GAME,
    COLOR_UNIVERSE,
    FACET_SIZE,
    INTEGER_FIELDS,
    SORT_FIELDS,
    SORT_SECONDARY,
    TIEBREAK_FIELD,
    color_field,
    facet_field,
    keyword_field,
    normalize_keyword,
    numeric_field,
    text_field,
)
from indexer.grain import (
    CARD_HEAD_FIELD,
    MAX_CARD_BUCKETS,
    facet_counts_card_heads,
    request_is_card_level,
)
from indexer.query import (
    RESULT_FIELDS,
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
from indexer.suggest import FIELDS as SUGGEST_FIELDS
from models.text import fold, name_key

#: Longest prefix the `names.prefix` edge n-grams cover (opensearch/prints: max_gram).
EDGE_NGRAM_MAX = 20
#: log2(2 + x) = ln(2 + x) / ln 2: the same popularity multiplier as tantivy's weight_by_field.
LOG2_WEIGHT = 1 / math.log(2)
MATCH_NONE: dict[str, Any] = {"match_none": {}}
CARD_HEAD: dict[str, Any] = {"term": {CARD_HEAD_FIELD: True}}


def const(query: dict[str, Any], score: float) -> dict[str, Any]:
    return {"constant_score": {"filter": query, "boost": score}}


def _dis_max(queries: list[dict[str, Any]]) -> dict[str, Any]:
    return queries[0] if len(queries) == 1 else {"dis_max": {"queries": queries}}


def _fuzzy(field: str, term: str, edits: int) -> dict[str, Any]:
    fuzzy = {
        "value": term,
        "fuzziness": edits,
        "transpositions": True,
        "max_expansions": 1000,
        "rewrite": "constant_score",
    }
    return {"fuzzy": {field: fuzzy}}


def _name_token(
    token: rel.NameToken, field: str = "names", loosest: rel.Looseness = "typo"
) -> dict[str, Any]:
    """A name token against the words of `field` (and its `.prefix` edge n-grams), scored by
    its best match, matching no more loosely than `loosest`."""
    short = len(token.term) <= EDGE_NGRAM_MAX
    clauses = [const({"term": {field: token.term}}, rel.TERM)]
    if loosest != "word":
        prefix = (
            {"term": {f"{field}.prefix": token.term}} if short else {"prefix": {field: token.term}}
        )
        clauses.append(const(prefix, rel.PREFIX))
    if loosest == "typo" and token.fuzziness:
        clauses.append(const(_fuzzy(field, token.term, token.fuzziness), rel.FUZZY))
        if token.fuzzy_prefix:  # fuzzy on the edge n-grams = a typo-tolerant prefix
            prefixes = f"{field}.prefix" if short else field
            clauses.append(const(_fuzzy(prefixes, token.term, token.fuzziness), rel.FUZZY))
    return _dis_max(clauses)


def words_clause(
    plan: rel.TextPlan, field: str = "names", loosest: rel.Looseness = "typo"
) -> dict[str, Any]:
    """Every name token of the text matches a word of `field` (names only, no codes)."""
    tokens = [_name_token(t, field, loosest) for word in plan.words for t in word.name_tokens]
    return tokens[0] if len(tokens) == 1 else {"bool": {"must": tokens}}


def name_condition(
    condition: rel.NameCondition, plan: rel.TextPlan, *, keys: str, words: str
) -> dict[str, Any]:
    """A whole-name condition (`relevance.NameCondition`) on the name keys field `keys` and the
    name words field `words`."""
    if isinstance(condition, rel.KeyEquals):
        return {"term": {keys: condition.key}}
    if isinstance(condition, rel.KeyStarts):
        return {"prefix": {keys: condition.prefix}}
    if isinstance(condition, rel.KeyWithin):
        return _fuzzy(keys, condition.key, condition.edits)
    if isinstance(condition, rel.KeyStartsWithin):  # fuzzy on the keys' edge n-grams
        return _fuzzy(f"{keys}.prefix", condition.prefix, condition.edits)
    return words_clause(plan, words, condition.loosest)


def text_clause(plan: rel.TextPlan) -> dict[str, Any]:
    if plan.is_empty:
        return MATCH_NONE
    must = []
    for word in plan.words:
        names = [_name_token(t) for t in word.name_tokens]
        options = []
        if names:
            options.append(names[0] if len(names) == 1 else {"bool": {"must": names}})
        if plan.codes:
            options.append(const({"term": {"codes": word.code}}, rel.CODE))
            options.append(const({"term": {"set_codes": word.code}}, rel.CODE))
        must.append(_dis_max(options))
    bonuses = [
        const(name_condition(condition, plan, keys="names_exact", words="names"), score)
        for score, condition in rel.name_bonuses(plan)
    ]
    return {"bool": {"must": must, "should": bonuses}}


def _range(field: str, op: str, value: float) -> dict[str, Any]:
    if op == "=":
        return {"term": {field: value}}
    if op == "!=":
        return {
            "bool": {
                "filter": [{"exists": {"field": field}}],
                "must_not": [{"term": {field: value}}],
            }
        }
    bound = {"<": "lt", "<=": "lte", ">": "gt", ">=": "gte"}[op]
    return {"range": {field: {bound: value}}}


def _color_set(node: ColorSet) -> dict[str, Any]:
    field, count_field = color_field(node.field)
    wanted = sorted({c.strip().upper() for c in node.colors if c.strip()})
    superset: list[dict[str, Any]] = [{"term": {field: c.lower()}} for c in wanted]
    outside = sorted(COLOR_UNIVERSE - set(wanted))
    subset = {"bool": {"must_not": [{"terms": {field: [c.lower() for c in outside]}}]}}
    n = len(wanted)
    if node.op == ">=":
        clauses = superset
    elif node.op == ">":
        clauses = [*superset, _range(count_field, ">", n)]
    elif node.op == "=":
        clauses = [*superset, _range(count_field, "=", n)]
    elif node.op == "<=":
        clauses = [subset]
    elif node.op == "<":
        clauses = [subset, _range(count_field, "<", n)]
    else:  # "!="
        return {"bool": {"must_not": [_color_set(ColorSet(node.field, "=", node.colors))]}}
    return {"bool": {"filter": clauses or [{"match_all": {}}]}}


def _colors(node: ColorSet) -> dict[str, Any]:
    """Magic's colour algebra, on Magic documents only (see indexer.fields.COLOR_UNIVERSE)."""
    game = {"term": {"game": COLOR_GAME.lower()}}
    return {"bool": {"filter": [game, _color_set(node)]}}


def _term(node: Term) -> dict[str, Any]:
    field = keyword_field(node.field)
    if field in INTEGER_FIELDS:
        try:
            return {"term": {field: int(node.value)}}
        except ValueError:
            return MATCH_NONE
    return {"term": {field: normalize_keyword(node.value)}}


def compile_node(node: Node) -> dict[str, Any]:
    """The OpenSearch query clause of a query-tree node (scores per indexer/relevance.py)."""
    if isinstance(node, MatchAll):
        return {"match_all": {}}
    if isinstance(node, Text):
        return text_clause(rel.plan_text(node.text))
    if isinstance(node, Phrase):
        phrase = {"match_phrase": {text_field(node.field): fold(node.text)}}
        return const(phrase, rel.FIELD_MATCH)
    if isinstance(node, ExactName):
        return const({"term": {"names_exact": name_key(node.name)}}, rel.EXACT_NAME)
    if isinstance(node, FieldMatch):
        match = {"match": {text_field(node.field): {"query": fold(node.text), "operator": "and"}}}
        return const(match, rel.FIELD_MATCH)
    if isinstance(node, Term):
        return const(_term(node), 0.0)
    if isinstance(node, Range):
        return const(_range(numeric_field(node.field), node.op, node.value), 0.0)
    if isinstance(node, ColorSet):
        return const(_colors(node), 0.0)
    if isinstance(node, And):
        return {"bool": {"must": [compile_node(c) for c in node.children] or [{"match_all": {}}]}}
    if isinstance(node, Or):
        if not node.children:
            return MATCH_NONE
        return {
            "bool": {"should": [compile_node(c) for c in node.children], "minimum_should_match": 1}
        }
    if isinstance(node, Not):
        return {"bool": {"filter": [{"match_all": {}}], "must_not": [compile_node(node.child)]}}
    raise TypeError(f"not a query node: {node!r}")


def selection_clauses(request: SearchRequest) -> dict[str, dict[str, Any]]:
    """Facet name -> filter for its selected values (OR within a facet)."""
    out = {}
    for facet, values in request.filters.items():
        if values:
            terms = sorted({normalize_keyword(v) for v in values})
            out[facet] = {"terms": {facet_field(facet): terms}}
    return out


def price_clause(request: SearchRequest) -> dict[str, Any] | None:
    bounds = {}
    if request.price_min is not None:
        bounds["gte"] = request.price_min
    if request.price_max is not None:
        bounds["lte"] = request.price_max
    return {"range": {"price": bounds}} if bounds else None


def _all(clauses: list[dict[str, Any]]) -> dict[str, Any]:
    return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}


def facet_aggs(request: SearchRequest, selections: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Each facet's counts under every selection but its own (multi-select), and for
    unique=cards the exact number of matching cards (`card_total`)."""
    aggs: dict[str, Any] = {}
    for facet in request.facets:
        values: dict[str, Any] = {
            "terms": {"field": f"{facet_field(facet)}.raw", "size": FACET_SIZE}
        }
        others = [clause for name, clause in selections.items() if name != facet]
        if facet_counts_card_heads(request, facet):
            others.append(CARD_HEAD)  # one document per card: doc counts are card counts
        elif request.unique == "cards":
            values["aggs"] = {"cards": {"cardinality": {"field": "card_id"}}}
        if others:
            aggs[f"facet:{facet}"] = {"filter": _all(others), "aggs": {"values": values}}
        else:
            aggs[f"facet:{facet}"] = values
    if request.unique == "cards":
        scope = list(selections.values())
        if request_is_card_level(request):
            scope.append(CARD_HEAD)
            aggs["card_total"] = {"filter": _all(scope)}
        else:
            aggs["card_total"] = {"filter": _all(scope), "aggs": distinct_card_aggs()}
    return aggs


def distinct_card_aggs() -> dict[str, Any]:
    """The exact number of distinct cards among the matches: one bucket per card, counted by a
    pipeline (the engine's `filter_path` leaves the buckets on the server). A `cardinality`
    estimate is not exact (HyperLogLog), and a shopper sees the count. Dearer the more cards
    match, so it only serves requests with print-level conditions (indexer/grain.py)."""
    return {
        "cards": {"terms": {"field": "card_id", "size": MAX_CARD_BUCKETS}},
        "n": {"stats_bucket": {"buckets_path": "cards>_count"}},
    }


def card_total(aggs: dict[str, Any]) -> int:
    """The card count `facet_aggs` asked for."""
    counted = aggs["card_total"]
    return int(counted["n"]["count"]) if "n" in counted else int(counted["doc_count"])


def sort_spec(request: SearchRequest) -> list[dict[str, Any]]:
    if request.sort == "relevance":
        return [{"_score": {"order": "desc"}}, {TIEBREAK_FIELD: {"order": "asc"}}]
    keys = [SORT_FIELDS[request.sort]]
    if request.sort in SORT_SECONDARY:
        keys.append(SORT_SECONDARY[request.sort])
    spec = [{key: {"order": request.direction, "missing": "_last"}} for key in keys]
    return [*spec, {TIEBREAK_FIELD: {"order": request.direction}}]


def scored(query: dict[str, Any]) -> dict[str, Any]:
    """Multiply the score by log2(2 + rank_boost): the gentle popularity boost."""
    boost = {
        "field_value_factor": {"field": "rank_boost", "modifier": "ln2p", "missing": 0},
        "weight": LOG2_WEIGHT,
    }
    return {"function_score": {"query": query, "functions": [boost], "boost_mode": "multiply"}}


def ranked_query(request: SearchRequest, *extra: dict[str, Any]) -> dict[str, Any]:
    """The request's query with its price bounds, selections and `extra` clauses as filters,
    boosted by popularity when the request sorts by relevance."""
    price = price_clause(request)
    filters = [*([price] if price else []), *selection_clauses(request).values(), *extra]
    query: dict[str, Any] = {"bool": {"must": [compile_node(request.query)], "filter": filters}}
    return scored(query) if request.sort == "relevance" else query


def hits_body(request: SearchRequest, cursor: Cursor | None = None) -> dict[str, Any]:
    """The page of hits: the ranked query with every selection as a filter, one hit per card
    (collapse) for unique=cards; no aggregations and no print lists (`prints_body` fetches
    those for the page's cards in one query instead of one sub-search per card)."""
    body: dict[str, Any] = {
        "query": ranked_query(request),
        "sort": sort_spec(request),
        "size": request.page_size,
        "_source": {"includes": list(RESULT_FIELDS)},
        # unique=prints counts its hits here; unique=cards counts cards in `facets_body`
        "track_total_hits": request.unique == "prints",
    }
    if request.unique == "cards":
        body["collapse"] = {"field": "card_id"}
    if cursor is not None and cursor.after is not None and request.unique == "prints":
        body["search_after"] = cursor.after
    else:
        body["from"] = page_offset(request, cursor)
    return body


def facets_body(request: SearchRequest) -> dict[str, Any] | None:
    """Facet counts (and the exact card total for unique=cards) as a `size: 0` request: it
    scores nothing, and OpenSearch's shard request cache keeps its answer until the next
    refresh, so a popular query's facets cost one lookup. None when nothing is to count."""
    if not request.facets and request.unique != "cards":
        return None
    query = compile_node(request.query)
    price = price_clause(request)
    filters = [query, *([price] if price else [])]
    return {
        "query": {"bool": {"filter": filters}},
        "size": 0,
        "track_total_hits": False,
        "aggs": facet_aggs(request, selection_clauses(request)),
    }


def prints_body(request: SearchRequest, card_ids: list[int]) -> dict[str, Any]:
    """The best `prints_per_card` matching prints of each of `card_ids`, in the request's sort
    order: one query restricted to the page's cards, grouped by a `terms` + `top_hits`
    aggregation (one pass over those cards' prints)."""
    top = {
        "size": request.prints_per_card,
        "sort": sort_spec(request),
        "_source": {"includes": list(RESULT_FIELDS)},
    }
    by_card = {
        "terms": {"field": "card_id", "size": len(card_ids)},
        "aggs": {"top": {"top_hits": top}},
    }
    return {
        "query": ranked_query(request, {"terms": {"card_id": card_ids}}),
        "size": 0,
        "track_total_hits": False,
        "aggs": {"by_card": by_card},
    }


def suggest_body(plan: rel.TextPlan, game: str | None, size: int) -> dict[str, Any]:
    """The names index request of a suggestion (`indexer.suggest`): the entries matching the
    text, scored by their best tier (`relevance.suggest_tiers`), ties by `sort_key`."""
    filters = [words_clause(plan, "words")]
    if game:
        filters.append({"term": {"game": normalize_keyword(game)}})
    tiers = [
        const(name_condition(condition, plan, keys="keys", words="words"), score)
        for score, condition in rel.suggest_tiers(plan)
    ]
    return {
        "query": {"bool": {"filter": filters, "should": [_dis_max(tiers)]}},
        "sort": [{"_score": "desc"}, {"sort_key": "asc"}],
        "size": size,
        "track_total_hits": False,
        "_source": SUGGEST_FIELDS,
    }


def parse_facets(aggs: dict[str, Any], unique: str) -> dict[str, list[tuple[str, int]]]:
    out = {}
    for key, agg in aggs.items():
        if not key.startswith("facet:"):
            continue
        buckets = agg.get("values", agg)["buckets"]
        counts = [
            (str(b["key"]), int(b["cards"]["value"] if "cards" in b else b["doc_count"]))
            for b in buckets
        ]
        out[key.removeprefix("facet:")] = sorted(counts, key=lambda kv: (-kv[1], kv[0]))
    return out
