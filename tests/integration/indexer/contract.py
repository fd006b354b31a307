"""The backend contract: one suite every search engine must pass (subclassed once per engine).

Subclasses provide a class-scoped fixture `engine_factory`: a callable returning a new, empty
engine with its own index. `engine` is loaded with the corpus once per class (read-only tests);
`fresh_engine` is a new loaded engine per test (tests that write).
"""

from __future__ import annotations

import pytest

from indexer.names import CardName, build_name_entry, card_names_from_documents, name_entries
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
    SearchRequest,
    Term,
    Text,
)
from tests.integration.indexer import corpus
from tests.integration.indexer.corpus import names, print_ids


def load(engine, docs=None) -> int:
    """A rebuild from documents: the prints and the names of their cards."""
    docs = corpus.documents() if docs is None else docs
    target = engine.begin_rebuild(synonyms=corpus.synonyms())
    loaded = engine.load(target, docs)
    engine.load_names(target, name_entries(card_names_from_documents(docs)))
    engine.commit_rebuild(target, expected=loaded, meta={"built_at": "test"})
    return loaded


def cards(engine, query, **kwargs):
    return engine.search(SearchRequest(query=query, unique="cards", **kwargs))


def prints(engine, query, **kwargs):
    return engine.search(SearchRequest(query=query, unique="prints", **kwargs))


class EngineContract:
    @pytest.fixture(scope="class")
    @classmethod
    def engine(cls, engine_factory):
        engine = engine_factory()
        load(engine)
        yield engine
        engine.close()

    @pytest.fixture
    def fresh_engine(self, engine_factory):
        engine = engine_factory()
        load(engine)
        yield engine
        engine.close()

    # counting and grain ---------------------------------------------------------------------
    def test_counts_prints_and_cards(self, engine):
        assert engine.count() == len(corpus.PRINTS)
        assert prints(engine, MatchAll()).total == len(corpus.PRINTS)
        result = cards(engine, MatchAll(), page_size=100)
        assert result.total == len(corpus.CARDS)
        assert sorted(h.document["card_id"] for h in result.hits) == sorted(corpus.CARDS)

    def test_unique_cards_returns_the_best_print_and_optionally_the_others(self, engine):
        result = cards(engine, Text("lightning bolt"), sort="price", prints_per_card=5)
        (hit,) = result.hits
        assert hit.document["print_id"] == 103  # the cheapest print represents the card
        assert [p["print_id"] for p in hit.prints] == [103, 102, 101]

    def test_unique_cards_count_every_matching_print_beyond_the_list(self, engine):
        # the print list is capped (prints_per_card); the count is the card's matching prints
        result = cards(engine, Text("lightning bolt"), sort="price", prints_per_card=2)
        (hit,) = result.hits
        assert [p["print_id"] for p in hit.prints] == [103, 102]
        assert hit.prints_total == 3
        # only the matching prints count: the price bound leaves two of the three
        bounded = cards(engine, Text("lightning bolt"), price_max=5, prints_per_card=1)
        assert [(len(h.prints), h.prints_total) for h in bounded.hits] == [(1, 2)]
        # not asked for (no print lists): no count either
        (bare,) = cards(engine, Text("lightning bolt")).hits
        assert bare.prints == [] and bare.prints_total is None
        assert all(h.prints_total is None for h in prints(engine, Text("bolt")).hits)

    @pytest.mark.parametrize("unique", ["prints", "cards"])
    def test_a_page_past_the_last_is_empty_with_the_real_total(self, engine, unique):
        whole = engine.search(SearchRequest(unique=unique, page_size=100))
        past = engine.search(SearchRequest(unique=unique, page_size=4, page=50))
        assert past.hits == [] and past.next_cursor is None
        assert past.total == whole.total == len(whole.hits) > 0

    # free text ----------------------------------------------------------------------------------
    def test_exact_name_beats_prefix_and_partial_names(self, engine):
        assert names(cards(engine, Text("lightning bolt"))) == ["Lightning Bolt"]
        ranked = names(cards(engine, Text("bolt")))
        assert ranked[0] == "Lightning Bolt" and "Boltwing Marauder" in ranked
        lightning = names(cards(engine, Text("lightning")))
        assert set(lightning) == {"Lightning Bolt", "Lightning Helix", "Chain Lightning"}
        assert lightning[-1] == "Chain Lightning"  # the others start with the text
        assert names(cards(engine, Text("Lightning Helix")))[0] == "Lightning Helix"

    def test_prefix_while_typing(self, engine):
        assert names(cards(engine, Text("lightning bo"))) == ["Lightning Bolt"]
        assert names(cards(engine, Text("chariz")))[0] == "Charizard ex"

    def test_accents_do_not_matter(self, engine):
        assert names(cards(engine, Text("Pokemon catcher"))) == ["Pokémon Catcher"]
        assert names(cards(engine, Text("pokegear"))) == ["Pokégear 3.0"]
        assert names(cards(engine, Text("Lim-Dul"))) == ["Lim-Dûl's Vault"]
        assert names(cards(engine, Text("LIM DÛL"))) == ["Lim-Dûl's Vault"]

    def test_typos_are_forgiven_by_length(self, engine):
        assert names(cards(engine, Text("lightnig bolt")))[0] == "Lightning Bolt"
        assert names(cards(engine, Text("charzard")))[0] == "Charizard ex"
        assert names(cards(engine, Text("pikahcu"))) == ["Pikachu"]  # transposition
        assert cards(engine, Text("zz")).total == 0

    def test_every_face_is_a_name(self, engine):
        assert names(cards(engine, Text("insectile"))) == [corpus.CARD_NAMES[6]]
        assert names(cards(engine, ExactName("delver of secrets"))) == [corpus.CARD_NAMES[6]]

    def test_codes_and_numbers(self, engine):
        assert names(cards(engine, Text("199/165"))) == ["Charizard ex"]
        assert names(cards(engine, Text("OP01-024"))) == ["Monkey.D.Luffy"]
        assert names(cards(engine, Text("lob-en005"))) == ["Dark Magician"]
        assert names(cards(engine, Text("sv3pt5"))) == ["Charizard ex"]
        assert names(cards(engine, Text("charizard 199"))) == ["Charizard ex"]
        assert set(print_ids(prints(engine, Text("m10 146")))) == {102}

    def test_set_code_aliases_are_synonyms(self, engine):
        assert names(cards(engine, Text("MEW"))) == ["Charizard ex"]
        assert set(print_ids(prints(engine, Text("pal 62")))) == {112, 113}
        assert names(cards(engine, Term("set", "pal"))) == ["Pikachu"]

    def test_popularity_is_a_gentle_boost(self, engine):
        # same tier (name starts with "lightning"): the popular card first
        assert names(cards(engine, Text("lightning")))[:2] == ["Lightning Bolt", "Lightning Helix"]

    # structured queries -------------------------------------------------------------------------
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            (Term("game", "pokemon"), {7, 8, 9, 10}),
            (Term("set", "SV2"), {10}),
            (Term("lang", "jp"), {10}),
            (Term("finishes", "foil"), {1, 2, 4, 6, 12}),
            (Term("is", "promo"), set()),
            (Term("available", "c2c"), {1, 6, 11}),
            (Term("types", "pokémon"), {9, 10}),
            (Term("card_id", "3"), {3}),
            (Range("hp", ">=", 100), {9}),
            (Range("atk", ">=", 2500), {11}),
            (Range("def", "<", 2500), {11}),
            (Range("cost", "<=", 5), {12}),
            (Range("mv", "=", 2), {2, 5}),
            (Range("mv", "!=", 1), {2, 4, 5}),
            (Range("pow", ">", 1), {4, 12}),
            (Range("price_min", "<", 1), {1, 2, 6, 10}),
            (Range("rarity", ">=", 5), {9, 11}),
            (ColorSet("colors", ">=", frozenset("R")), {1, 2, 3, 4}),
            (ColorSet("colors", "=", frozenset("R")), {1, 3}),
            (ColorSet("colors", ">", frozenset("R")), {2, 4}),
            (ColorSet("colors", "<=", frozenset("UB")), {5, 6}),
            (ColorSet("colors", "<", frozenset("UB")), {6}),
            (ColorSet("colors", "!=", frozenset("R")), {2, 4, 5, 6}),
            (ColorSet("colors", "=", frozenset()), set()),
            (Term("colors", "red"), {12}),
            (FieldMatch("rules_text", "gain life"), {2}),
            (Phrase("any target", "rules_text"), {1, 2}),
            (Phrase("3 damage to any", "rules_text"), {1, 2}),
            (Phrase("damage 3", "rules_text"), set()),
            (Phrase("lightning helix"), {2}),
            (And((Term("game", "mtg"), Not(Text("lightning")))), {4, 5, 6}),
            (Or((Term("game", "yugioh"), Term("game", "optcg"))), {11, 12}),
            (Not(Term("game", "mtg")), {7, 8, 9, 10, 11, 12}),
        ],
    )
    def test_structured_queries(self, engine, query, expected):
        result = cards(engine, query, page_size=100)
        assert {h.document["card_id"] for h in result.hits} == expected
        assert result.total == len(expected)

    def test_price_bounds(self, engine):
        result = prints(engine, MatchAll(), price_min=1, price_max=25, page_size=100)
        assert set(print_ids(result)) == {102, 105, 107, 114, 115}

    # facets ---------------------------------------------------------------------------------------
    def test_facets_count_and_ignore_their_own_selection(self, engine):
        result = engine.search(
            SearchRequest(unique="prints", filters={"game": ("MTG",), "rarity": ("uncommon",)})
        )
        assert set(print_ids(result)) == {103, 104, 106}
        facets = result.facets
        # game ignores the game selection but honours the rarity selection
        assert dict(facets["game"]) == {"MTG": 3, "POKEMON": 2}
        # rarity ignores the rarity selection but honours the game selection
        assert dict(facets["rarity"]) == {"common": 5, "uncommon": 3}
        assert dict(facets["set"]) == {"2XM": 1, "RAV": 1, "DOM": 1}
        assert dict(facets["finish"]) == {"NORMAL": 3, "FOIL": 3}
        assert dict(facets["condition"]) == {"NM": 2, "LP": 1}
        assert dict(facets["available"]) == {"b2c": 2}

    def test_facet_counts_are_cards_with_unique_cards(self, engine):
        result = engine.search(SearchRequest(unique="cards", filters={"set": ("SV2",)}))
        assert result.total == 1
        assert dict(result.facets["language"]) == {"EN": 1, "JP": 1}
        assert dict(result.facets["set"])["SV2"] == 1 and dict(result.facets["game"]) == {
            "POKEMON": 1
        }
        all_cards = engine.search(SearchRequest(unique="cards", facets=("game", "type")))
        assert set(all_cards.facets) == {"game", "type"}
        assert dict(all_cards.facets["game"]) == {"MTG": 6, "POKEMON": 4, "YUGIOH": 1, "OPTCG": 1}

    # sorting and paging ---------------------------------------------------------------------
    def test_sort_by_name_and_set(self, engine):
        ordered = names(cards(engine, Term("game", "mtg"), sort="name"))
        assert ordered == sorted(ordered, key=str.lower)
        desc = names(cards(engine, Term("game", "mtg"), sort="name", direction="desc"))
        assert desc == ordered[::-1]
        by_set = print_ids(prints(engine, Term("set", "sv2"), sort="set"))
        assert by_set == [112, 113]  # same set and number: print id breaks the tie

    def test_sort_by_price_puts_missing_last_and_breaks_ties_by_print_id(self, engine):
        asc = print_ids(prints(engine, Term("game", "mtg"), sort="price", page_size=100))
        assert asc == [108, 103, 104, 102, 107, 105, 101, 106]  # 106 has no price
        desc = print_ids(
            prints(engine, Term("game", "mtg"), sort="price", direction="desc", page_size=100)
        )
        assert desc == [101, 105, 107, 102, 104, 103, 108, 106]

    @pytest.mark.parametrize(
        ("sort", "direction", "first"),
        [
            ("released", "desc", 111),
            ("released", "asc", 101),
            ("mana_value", "desc", 106),
            ("power", "desc", 115),
            ("cost", "asc", 115),
            ("popularity", "desc", 101),
            ("rarity", "desc", 111),
            ("number", "asc", 114),
        ],
    )
    def test_numeric_sorts(self, engine, sort, direction, first):
        result = prints(engine, MatchAll(), sort=sort, direction=direction, page_size=100)
        assert result.hits[0].document["print_id"] == first
        assert len(result.hits) == len(corpus.PRINTS)

    @pytest.mark.parametrize("unique", ["prints", "cards"])
    @pytest.mark.parametrize("sort", ["relevance", "name", "price", "released"])
    def test_cursor_pages_through_everything_once_in_order(self, engine, unique, sort):
        whole = engine.search(SearchRequest(unique=unique, sort=sort, page_size=100))
        seen, cursor = [], None
        for _ in range(20):
            page = engine.search(
                SearchRequest(unique=unique, sort=sort, page_size=4, cursor=cursor)
            )
            seen.extend(h.document["print_id"] for h in page.hits)
            cursor = page.next_cursor
            if cursor is None:
                break
        assert seen == [h.document["print_id"] for h in whole.hits]
        numbered = engine.search(SearchRequest(unique=unique, sort=sort, page_size=4, page=2))
        assert print_ids(numbered) == seen[4:8]

    # suggestions -------------------------------------------------------------------------------
    def test_suggest_distinct_cards_by_prefix_and_typo(self, engine):
        suggestions = engine.suggest("lig")
        assert {s.name for s in suggestions} >= {
            "Lightning Bolt",
            "Lightning Helix",
            "Chain Lightning",
        }
        assert len({s.card_id for s in suggestions}) == len(suggestions)
        assert suggestions[0].name == "Lightning Bolt"
        assert [s.name for s in engine.suggest("pikahcu")] == ["Pikachu"]
        assert [(s.name, s.game) for s in engine.suggest("pi", game="POKEMON")] == [
            ("Pikachu", "POKEMON")
        ]
        assert engine.suggest("l") == [] and engine.suggest(" ") == []
        assert len(engine.suggest("li", limit=2)) == 2

    def test_suggest_matches_word_starts_anywhere_whole_words_first(self, engine):
        def suggested(text, **kwargs):
            return [s.name for s in engine.suggest(text, **kwargs)]

        assert suggested("luf") == ["Monkey.D.Luffy"]  # the start of a later word
        assert suggested("monkey d") == ["Monkey.D.Luffy"]
        assert suggested("bolt") == ["Lightning Bolt", "Boltwing Marauder"]  # whole word first
        assert suggested("lightning") == ["Lightning Bolt", "Lightning Helix", "Chain Lightning"]
        assert suggested("lightning blt") == ["Lightning Bolt"]  # a typo in the last word
        assert suggested("insectile ab") == [corpus.CARD_NAMES[6]]  # a face
        assert suggested("pokemon cat") == ["Pokémon Catcher"]
        assert suggested("charizard ex") == ["Charizard ex"]
        assert suggested("dark", game="yugioh") == ["Dark Magician"]
        assert suggested("zz") == [] and suggested("--") == []
        # one tier (names starting with the text) by popularity, then the next tier
        li = ["Lightning Bolt", "Lightning Helix", "Lim-Dûl's Vault", "Chain Lightning"]
        assert suggested("li") == li
        assert [suggested("li", limit=n) for n in (1, 2, 3)] == [li[:1], li[:2], li[:3]]

    def test_suggest_shows_a_shared_name_once_as_its_most_popular_card(self, fresh_engine):
        pikachu = next(d for d in corpus.documents() if d["print_id"] == 112)
        reprint = {**pikachu, "print_id": 120, "card_id": 20, "popularity": 50}
        load(fresh_engine, [*corpus.documents(), reprint])
        assert [(s.name, s.card_id) for s in fresh_engine.suggest("pika")] == [("Pikachu", 20)]
        (entry,) = fresh_engine.find_names(ids=["POKEMON:pikachu"])
        assert entry["card_ids"] == [10, 20] and entry["popularity"] == 50

    def test_names_are_replaced_and_deleted_in_the_live_index(self, fresh_engine):
        renamed = build_name_entry([CardName(1, "MTG", "Lightning Bolt (Retro)", (), 9)])
        extra = build_name_entry([CardName(30, "MTG", "Lightning Aaa")])
        fresh_engine.update_names([renamed, extra], delete_ids=["MTG:lightning bolt"])
        fresh_engine.refresh()
        found = fresh_engine.find_names(card_ids=[1], ids=["MTG:lightning helix", "MTG:nope"])
        assert sorted(e["id"] for e in found) == ["MTG:lightning bolt retro", "MTG:lightning helix"]
        # "Lightning Aaa" was written last, yet sorts before Lim-Dûl's Vault (same popularity)
        assert [s.name for s in fresh_engine.suggest("li", limit=3)] == [
            "Lightning Helix",
            "Lightning Bolt (Retro)",
            "Lightning Aaa",
        ]

    # writes ----------------------------------------------------------------------------------
    def test_index_replaces_and_delete_removes(self, fresh_engine):
        doc = next(d for d in corpus.documents() if d["print_id"] == 112)
        fresh_engine.index_documents([{**doc, "name": "Pikachu V", "names": ["Pikachu V"]}])
        fresh_engine.refresh()
        assert fresh_engine.count() == len(corpus.PRINTS)
        assert set(print_ids(prints(fresh_engine, Text("pikachu v")))) == {112}
        fresh_engine.delete_documents([112, 113, 999999])
        fresh_engine.refresh()
        assert fresh_engine.count() == len(corpus.PRINTS) - 2
        assert cards(fresh_engine, Text("pikachu")).total == 0

    def test_rebuild_swaps_and_removes_the_old_index(self, fresh_engine):
        before = fresh_engine.status()
        docs = [d for d in corpus.documents() if d["game"] == "MTG"]
        load(fresh_engine, docs)
        after = fresh_engine.status()
        assert after.live_index != before.live_index and after.doc_count == len(docs)
        assert before.live_index not in after.other_indices
        assert after.last_rebuild["doc_count"] == len(docs)
        assert cards(fresh_engine, Text("pikachu")).total == 0
        assert fresh_engine.suggest("pika") == []  # the names index was swapped with it
        assert next(s.name for s in fresh_engine.suggest("bolt")) == "Lightning Bolt"

    def test_failed_rebuild_leaves_the_alias_on_the_old_index(self, fresh_engine):
        before = fresh_engine.status()
        target = fresh_engine.begin_rebuild(synonyms=[])
        loaded = fresh_engine.load(target, corpus.documents()[:3])
        with pytest.raises(RuntimeError):
            fresh_engine.commit_rebuild(target, expected=loaded + 1, meta={})
        fresh_engine.abort_rebuild(target)
        after = fresh_engine.status()
        assert after.live_index == before.live_index and target.name not in after.other_indices
        assert fresh_engine.count() == len(corpus.PRINTS)
        assert names(cards(fresh_engine, Text("pikachu"))) == ["Pikachu"]
        assert [s.name for s in fresh_engine.suggest("pika")] == ["Pikachu"]

    # multi-valued attributes and canonical rarities (issue 11) -------------------------------
    def test_multi_valued_attributes_match_and_facet_per_value(self, fresh_engine):
        # Roronoa Zoro & Sanji (ST12-001): a One Piece Leader with two attributes, two colours
        fresh_engine.index_documents([corpus.zoro_and_sanji()])
        fresh_engine.refresh()
        slash, strike = Term("attribute", "slash"), Term("attribute", "STRIKE")
        assert {h.document["card_id"] for h in cards(fresh_engine, slash).hits} == {13}
        assert {h.document["card_id"] for h in cards(fresh_engine, strike).hits} == {12, 13}
        assert names(cards(fresh_engine, And((slash, strike)))) == ["Roronoa Zoro & Sanji"]
        assert names(cards(fresh_engine, Term("attributes", "dark"))) == ["Dark Magician"]
        assert cards(fresh_engine, Term("attribute", "slash/strike")).total == 0  # no such value
        colours = fresh_engine.search(
            SearchRequest(unique="cards", filters={"game": ("OPTCG",)}, facets=("color",))
        )
        assert dict(colours.facets["color"]) == {"Red": 1, "Green": 1, "Blue": 1}
        blue = fresh_engine.search(SearchRequest(unique="cards", filters={"color": ("blue",)}))
        assert names(blue) == ["Roronoa Zoro & Sanji"]

    def test_rarity_facet_has_one_value_per_rarity_across_games(self, engine):
        result = engine.search(SearchRequest(unique="prints", facets=("rarity",)))
        assert dict(result.facets["rarity"]) == {
            "common": 7,  # MTG common, Pokémon Common
            "uncommon": 5,  # MTG uncommon, Pokémon Uncommon
            "special_illustration_rare": 1,
            "ultra_rare": 1,
            "super_rare": 1,  # One Piece SR
        }
        by_cards = engine.search(SearchRequest(unique="cards", facets=("rarity",)))
        assert dict(by_cards.facets["rarity"])["common"] == 5
        common = engine.search(
            SearchRequest(unique="cards", filters={"rarity": ("common",)}, page_size=100)
        )
        assert {h.document["card_id"] for h in common.hits} == {1, 3, 5, 6, 10}
        by_term = cards(engine, Term("rarity", "common"), page_size=100)
        assert {h.document["card_id"] for h in by_term.hits} == {1, 3, 5, 6, 10}
        assert names(cards(engine, Term("rarity", "super_rare"))) == ["Monkey.D.Luffy"]
