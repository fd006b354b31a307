"""The OpenSearch request bodies built from the query tree (no engine needed)."""

import pytest

from indexer import relevance as rel
from indexer.cursor import Cursor
from indexer.engines.opensearch_query import (
    LOG2_WEIGHT,
    card_total,
    compile_node,
    facets_body,
    hits_body,
    parse_facets,
    prints_body,
    sort_spec,
    suggest_body,
    text_clause,
)
from indexer.fields import UnknownFieldError, facet_field
from indexer.query import (
    RESULT_FIELDS,
    And,
    ColorSet,
    ExactName,
    FieldMatch,
    MatchAll,
    Not,
    Or,
    Phrase,
    Range,
    SearchRequest,
    Term,
    Text,
)


def test_text_word_matches_exact_prefix_fuzzy_or_code_with_tiered_constant_scores():
    clause = text_clause(rel.plan_text("Bolt"))
    (word,) = clause["bool"]["must"]
    whole, typo, starts = clause["bool"]["should"]
    name, code, set_code = word["dis_max"]["queries"]
    exact, prefix, fuzzy = name["dis_max"]["queries"]
    assert exact == {"constant_score": {"filter": {"term": {"names": "bolt"}}, "boost": rel.TERM}}
    assert prefix["constant_score"] == {
        "filter": {"term": {"names.prefix": "bolt"}},
        "boost": rel.PREFIX,
    }
    assert fuzzy["constant_score"]["filter"]["fuzzy"]["names"]["fuzziness"] == 1
    assert fuzzy["constant_score"]["boost"] == rel.FUZZY
    assert code["constant_score"]["filter"] == {"term": {"codes": "bolt"}}
    assert set_code["constant_score"]["filter"] == {"term": {"set_codes": "bolt"}}
    assert whole == {
        "constant_score": {"filter": {"term": {"names_exact": "bolt"}}, "boost": rel.EXACT_NAME}
    }
    assert typo["constant_score"]["boost"] == rel.NAME_TYPO
    fuzzy_name = typo["constant_score"]["filter"]["fuzzy"]["names_exact"]
    assert (fuzzy_name["value"], fuzzy_name["fuzziness"]) == ("bolt", 1)  # the word's budget
    assert starts == {
        "constant_score": {
            "filter": {"prefix": {"names_exact": "bolt"}},
            "boost": rel.NAME_STARTS_WITH,
        }
    }


def test_a_whole_name_with_typos_scores_once_per_edit_level_within_the_budget():
    clause = text_clause(rel.plan_text("professors research"))
    bonuses = clause["bool"]["should"]
    typos = [q for q in bonuses if q["constant_score"]["boost"] == rel.NAME_TYPO]
    edits = [q["constant_score"]["filter"]["fuzzy"]["names_exact"]["fuzziness"] for q in typos]
    assert edits == [1, 2]  # within one edit: both; within two: one
    assert bonuses[0]["constant_score"]["filter"] == {
        "term": {"names_exact": "professors research"}  # the apostrophe joins
    }
    one_letter = text_clause(rel.plan_text("ab"))["bool"]["should"]
    boosts = [q["constant_score"]["boost"] for q in one_letter]
    assert boosts == [rel.EXACT_NAME, rel.NAME_STARTS_WITH]  # no typos in two letters


def test_short_words_are_not_fuzzy_and_codes_stay_whole():
    clause = text_clause(rel.plan_text("ab OP01-001"))
    short, code_word = clause["bool"]["must"]
    assert len(short["dis_max"]["queries"][0]["dis_max"]["queries"]) == 2  # exact + prefix
    names, code, _ = code_word["dis_max"]["queries"]
    assert [
        m["dis_max"]["queries"][0]["constant_score"]["filter"]["term"]["names"]
        for m in names["bool"]["must"]
    ] == ["op01", "001"]
    assert code["constant_score"]["filter"] == {"term": {"codes": "op01-001"}}


def test_suggest_plan_has_no_code_clauses():
    clause = text_clause(rel.plan_text("pika", codes=False))
    (word,) = clause["bool"]["must"]
    assert "dis_max" in word and all("names" in str(q) for q in word["dis_max"]["queries"])


def test_empty_text_matches_nothing():
    assert compile_node(Text("  - ")) == {"match_none": {}}


def test_leaves_and_booleans():
    assert compile_node(MatchAll()) == {"match_all": {}}
    term = compile_node(Term("set", "NEO"))
    assert term == {"constant_score": {"filter": {"term": {"set_codes": "neo"}}, "boost": 0.0}}
    assert compile_node(Term("card_id", "12"))["constant_score"]["filter"] == {
        "term": {"card_id": 12}
    }
    assert compile_node(Range("mv", ">=", 3))["constant_score"]["filter"] == {
        "range": {"mana_value": {"gte": 3}}
    }
    neq = compile_node(Range("hp", "!=", 100))["constant_score"]["filter"]["bool"]
    assert neq == {"filter": [{"exists": {"field": "hp"}}], "must_not": [{"term": {"hp": 100}}]}
    assert compile_node(ExactName("Lim-Dûl's Vault"))["constant_score"]["filter"] == {
        "term": {"names_exact": "lim duls vault"}
    }
    phrase = compile_node(Phrase("Draw a card", "rules_text"))["constant_score"]["filter"]
    assert phrase == {"match_phrase": {"rules_text": "draw a card"}}
    match = compile_node(FieldMatch("type_line", "Dragon"))["constant_score"]["filter"]
    assert match == {"match": {"type_line": {"query": "dragon", "operator": "and"}}}
    both = compile_node(And((Text("a"), Not(Term("game", "mtg")))))
    assert both["bool"]["must"][1]["bool"]["must_not"][0]["constant_score"]["boost"] == 0.0
    either = compile_node(Or((Term("game", "mtg"), Term("game", "optcg"))))
    assert either["bool"]["minimum_should_match"] == 1 and len(either["bool"]["should"]) == 2


def test_unknown_fields_raise():
    with pytest.raises(UnknownFieldError):
        compile_node(Term("nope", "x"))
    with pytest.raises(UnknownFieldError):
        compile_node(Range("name", ">", 1))


@pytest.mark.parametrize(
    ("op", "expected"),
    [
        (">=", [{"term": {"colors": "g"}}, {"term": {"colors": "r"}}]),
        (
            "=",
            [{"term": {"colors": "g"}}, {"term": {"colors": "r"}}, {"term": {"colors_count": 2}}],
        ),
        ("<=", [{"bool": {"must_not": [{"terms": {"colors": ["b", "u", "w"]}}]}}]),
    ],
)
def test_color_sets_are_magic_only_set_algebra(op, expected):
    clause = compile_node(ColorSet("colors", op, frozenset("RG")))["constant_score"]["filter"]
    game, inner = clause["bool"]["filter"]
    assert game == {"term": {"game": "mtg"}}
    assert inner["bool"]["filter"] == expected


def test_selections_filter_the_hits_and_each_facet_ignores_its_own_selection():
    request = SearchRequest(filters={"rarity": ("Rare", "Mythic"), "game": ("MTG",)})
    rarity_field = facet_field("rarity")
    selections = [{"terms": {rarity_field: ["mythic", "rare"]}}, {"terms": {"game": ["mtg"]}}]
    hits = hits_body(request)
    assert hits["query"]["function_score"]["query"]["bool"]["filter"] == selections
    assert "aggs" not in hits and "post_filter" not in hits
    facets = facets_body(request)
    assert facets["size"] == 0 and "sort" not in facets
    rarity = facets["aggs"]["facet:rarity"]
    assert rarity["filter"] == {"bool": {"filter": [{"terms": {"game": ["mtg"]}}]}}
    assert rarity["aggs"]["values"]["terms"] == {"field": f"{rarity_field}.raw", "size": 50}
    assert facets["aggs"]["facet:color"]["filter"]["bool"]["filter"] == selections
    assert facets["aggs"]["card_total"]["filter"]["bool"]["filter"] == selections


def test_facets_without_selections_are_plain_terms_aggregations():
    aggs = facets_body(SearchRequest())["aggs"]
    assert aggs["facet:set"]["terms"]["field"] == "set_code.raw"
    assert aggs["facet:set"]["aggs"] == {"cards": {"cardinality": {"field": "card_id"}}}


def test_unique_cards_collapses_without_sub_searches_and_counts_cards_exactly():
    request = SearchRequest(query=Text("bolt"), unique="cards", prints_per_card=3)
    hits = hits_body(request)
    assert hits["collapse"] == {"field": "card_id"}  # no inner_hits: one sub-search per card
    assert hits["track_total_hits"] is False
    count = facets_body(request)["aggs"]["card_total"]
    assert count["aggs"]["cards"]["terms"]["field"] == "card_id"  # distinct cards, not HLL
    assert count["aggs"]["n"] == {"stats_bucket": {"buckets_path": "cards>_count"}}
    prints = hits_body(SearchRequest(unique="prints"))
    assert "collapse" not in prints and prints["track_total_hits"] is True
    assert "card_total" not in facets_body(SearchRequest(unique="prints"))["aggs"]
    assert facets_body(SearchRequest(unique="prints", facets=())) is None


def test_card_level_requests_count_card_heads():
    colored = SearchRequest(query=Term("game", "mtg"), filters={"color": ("R",)})
    for request in (SearchRequest(), colored):
        count = facets_body(request)["aggs"]["card_total"]
        assert {"term": {"card_head": True}} in count["filter"]["bool"]["filter"]
        assert "aggs" not in count
        assert card_total({"card_total": {"doc_count": 7}}) == 7
    print_level = SearchRequest(query=Term("game", "mtg"), filters={"rarity": ("rare",)})
    assert "aggs" in facets_body(print_level)["aggs"]["card_total"]
    assert card_total({"card_total": {"doc_count": 9, "n": {"count": 4}}}) == 4


def test_print_lists_come_from_one_query_over_the_page_cards():
    request = SearchRequest(query=Text("bolt"), prints_per_card=3, price_max=5)
    body = prints_body(request, [7, 3])
    assert body["size"] == 0
    inner = body["query"]["function_score"]["query"]["bool"]
    assert inner["filter"] == [{"range": {"price": {"lte": 5}}}, {"terms": {"card_id": [7, 3]}}]
    by_card = body["aggs"]["by_card"]
    assert by_card["terms"] == {"field": "card_id", "size": 2}
    top = by_card["aggs"]["top"]["top_hits"]
    assert top["size"] == 3 and top["sort"] == sort_spec(request)
    assert set(top["_source"]["includes"]) == set(RESULT_FIELDS)


def test_relevance_is_boosted_by_popularity_and_sorted_with_a_tiebreak():
    body = hits_body(SearchRequest(query=Text("bolt"), price_max=5))
    boost = body["query"]["function_score"]["functions"][0]
    assert boost["field_value_factor"] == {"field": "rank_boost", "modifier": "ln2p", "missing": 0}
    assert boost["weight"] == pytest.approx(LOG2_WEIGHT)
    inner = body["query"]["function_score"]["query"]["bool"]
    assert inner["filter"] == [{"range": {"price": {"lte": 5}}}]
    assert body["sort"] == [{"_score": {"order": "desc"}}, {"print_id": {"order": "asc"}}]


def test_field_sorts_put_missing_last_and_break_ties_by_print_id():
    assert sort_spec(SearchRequest(sort="price", direction="desc")) == [
        {"price": {"order": "desc", "missing": "_last"}},
        {"print_id": {"order": "desc"}},
    ]
    assert [next(iter(k)) for k in sort_spec(SearchRequest(sort="set"))] == [
        "set_code",
        "number_sort",
        "print_id",
    ]
    assert "function_score" not in hits_body(SearchRequest(sort="name"))["query"]


def test_paging_uses_search_after_for_prints_and_from_for_cards():
    prints = SearchRequest(unique="prints", sort="name", page=3, page_size=10)
    assert hits_body(prints)["from"] == 20
    after = hits_body(prints, Cursor(after=["bolt", 12]))
    assert after["search_after"] == ["bolt", 12] and "from" not in after
    cards = SearchRequest(unique="cards", page_size=10)
    assert hits_body(cards, Cursor(offset=30))["from"] == 30


def test_suggest_body_asks_the_names_index_by_tier_then_sort_key():
    body = suggest_body(rel.plan_text("lightning bolz", suggest=True), "MTG", 20)
    assert body["size"] == 20 and body["sort"] == [{"_score": "desc"}, {"sort_key": "asc"}]
    assert {"name", "card_id", "game"} <= set(body["_source"])
    query = body["query"]["bool"]
    words, game = query["filter"]
    assert game == {"term": {"game": "mtg"}}
    assert "codes" not in str(query) and "names" not in str(query)
    first, last = words["bool"]["must"]
    assert len(first["dis_max"]["queries"]) == 3  # word, prefix, typo
    fuzzy_prefix = last["dis_max"]["queries"][3]["constant_score"]["filter"]["fuzzy"]
    assert fuzzy_prefix["words.prefix"]["value"] == "bolz"
    (tiers,) = query["should"]
    scores = [q["constant_score"]["boost"] for q in tiers["dis_max"]["queries"]]
    assert scores == [7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0]
    filters = [q["constant_score"]["filter"] for q in tiers["dis_max"]["queries"]]
    assert filters[0] == {"term": {"keys": "lightning bolz"}}
    assert filters[1] == {"prefix": {"keys": "lightning bolz "}}
    typo_start = filters[-1]["fuzzy"]["keys.prefix"]  # the start of a name, but for typos
    assert (typo_start["value"], typo_start["fuzziness"]) == ("lightning bolz", 1)


def test_parse_facets_counts_cards_where_the_request_asked_for_them():
    aggs = {
        "facet:rarity": {
            "values": {
                "buckets": [
                    {"key": "Rare", "doc_count": 5, "cards": {"value": 2}},
                    {"key": "Common", "doc_count": 5, "cards": {"value": 4}},
                ]
            }
        },
        "facet:game": {"buckets": [{"key": "MTG", "doc_count": 6}]},  # counted on card heads
        "card_total": {"doc_count": 6},
    }
    assert parse_facets(aggs, "cards") == {
        "rarity": [("Common", 4), ("Rare", 2)],
        "game": [("MTG", 6)],
    }


def test_card_level_facets_of_card_level_requests_count_card_heads():
    aggs = facets_body(SearchRequest(query=Term("game", "mtg")))["aggs"]
    assert aggs["facet:type"]["filter"] == {"bool": {"filter": [{"term": {"card_head": True}}]}}
    assert "aggs" not in aggs["facet:type"]["aggs"]["values"]
    assert aggs["facet:set"]["aggs"] == {"cards": {"cardinality": {"field": "card_id"}}}
    printed = facets_body(SearchRequest(query=Text("bolt")))["aggs"]
    assert printed["facet:type"]["aggs"] == {"cards": {"cardinality": {"field": "card_id"}}}
