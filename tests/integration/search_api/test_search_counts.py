"""Exact card counts and print lists of the default search, over real cards, on both engines.

`total` must equal the number of distinct cards the pages return, for card-level requests
(counted by card heads) and print-level ones (counted by distinct card ids) alike; each hit's
print list holds the card's own best matching prints, its own print first.
"""

from __future__ import annotations

import pytest

from tests.integration.search_api.ranking.support import api, sample_database, sample_index

__all__ = ["api", "sample_database", "sample_index"]

#: Card-level and print-level requests, broad and narrow, with and without selections.
REQUESTS = [
    {"q": ""},
    {"q": "game:mtg"},
    {"q": "t:creature"},
    {"q": "c:r mv<=2"},
    {"q": "-t:creature game:pokemon"},
    {"q": "lang:jp"},
    {"q": "r:common"},
    {"q": "is:foil"},
    {"q": "dragon"},
    {"q": "bolt"},
    {"q": "s:m10"},
    {"q": "", "game": "ygo", "rarity": "Common"},
    {"q": "", "game": "mtg", "color": "R"},
    {"q": "t:instant", "price_max": "10"},
]


def _all_pages(api, params: dict) -> tuple[int, list[int]]:
    card_ids: list[int] = []
    total = None
    cursor = None
    while True:
        query = {**params, "page_size": 175, "prints_per_card": 0}
        if cursor:
            query["cursor"] = cursor
        body = api.get("/api/catalog/search", params=query).json()
        total = body["total"] if total is None else total
        assert body["total"] == total, "the total changed between pages"
        card_ids += [item["card_id"] for item in body["data"]]
        cursor = body["next_cursor"]
        if not cursor:
            return total, card_ids


@pytest.mark.parametrize("params", REQUESTS, ids=[str(p) for p in REQUESTS])
def test_total_is_the_exact_number_of_cards_the_pages_return(api, params) -> None:
    total, card_ids = _all_pages(api, params)
    assert len(card_ids) == len(set(card_ids)), "a card came back on two pages"
    assert total == len(card_ids)
    if params == {"q": ""}:
        assert total > 1000  # the sample's every card


@pytest.mark.parametrize("q", ["dragon lang:jp", "bolt", "island", "t:creature", "s:m10 r:rare"])
def test_print_lists_are_the_cards_own_best_matching_prints(api, q) -> None:
    default = api.get("/api/catalog/search", params={"q": q}).json()
    assert default["data"], q
    for item in default["data"][:15]:
        prints = item["prints"]
        assert 1 <= len(prints) <= 10
        assert prints[0]["print_id"] == item["print_id"], "the hit's own print comes first"
        assert {p["card_id"] for p in prints} == {item["card_id"]}
        # the same query at print grain, narrowed to the card's name (a bonus every print of
        # the card shares, so their order holds): its prints, best first
        same_name = api.get(
            "/api/catalog/search",
            params={"q": f'{q} !"{item["name"]}"', "unique": "prints", "page_size": 175},
        ).json()
        own = [p["print_id"] for p in same_name["data"] if p["card_id"] == item["card_id"]]
        assert [p["print_id"] for p in prints] == own[:10]


@pytest.mark.parametrize("facet", ["game", "type", "color"])
def test_card_level_facet_counts_are_exact(api, facet) -> None:
    """Browsing (no query): each value's count is the total of selecting that value."""
    facets = api.get("/api/catalog/search", params={"q": ""}).json()["facets"][facet]
    assert facets, facet
    for bucket in facets[:4]:
        selected = api.get("/api/catalog/search", params={"q": "", facet: bucket["value"]}).json()
        assert selected["total"] == bucket["count"], (facet, bucket)


@pytest.mark.parametrize("params", REQUESTS[:8], ids=[str(p) for p in REQUESTS[:8]])
def test_the_body_is_already_in_the_documented_shape(api, params) -> None:
    """The route encodes its body without validating it again: it must need no coercion."""
    from search_api.catalog.schemas import SearchResponse

    body = api.get("/api/catalog/search", params=params).json()
    assert SearchResponse.model_validate(body).model_dump(mode="json") == body
