"""`search_api.catalog.search`: API parameters -> SearchRequest, documents -> items (no engine)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from indexer.query import MatchAll, SearchResult, Text
from models.settings import get_settings
from search_api.catalog.search import (
    SearchParams,
    build_request,
    facet_filters,
    facet_label,
    print_item,
    search_response,
)
from search_api.errors import ApiError


def test_defaults():
    request, warnings = build_request(SearchParams())
    assert request.query == MatchAll() and warnings == []
    assert (request.unique, request.sort, request.direction) == ("cards", "relevance", "asc")
    assert request.page_size == 60 and request.prints_per_card == 10 and request.filters == {}


def test_game_order_and_direction():
    request, _ = build_request(SearchParams(q="bolt", game="magic", order="Mana Value"))
    assert request.query == Text("bolt") and request.filters == {"game": ("MTG",)}
    assert request.sort == "mana_value" and request.direction == "asc"
    assert build_request(SearchParams(order="released"))[0].direction == "desc"
    assert build_request(SearchParams(order="price", dir="desc"))[0].direction == "desc"
    assert build_request(SearchParams(order="cmc"))[0].sort == "mana_value"
    assert build_request(SearchParams(unique="prints"))[0].prints_per_card == 0


@pytest.mark.parametrize(
    ("params", "code"),
    [
        (SearchParams(q="("), "bad_query"),
        (SearchParams(game="chess"), "bad_game"),
        (SearchParams(order="colour"), "bad_order"),
        (SearchParams(page=200, page_size=100), "page_too_deep"),
        (SearchParams(cursor="x" * 600), "bad_cursor"),
        (SearchParams(price_min=3, price_max=1), "bad_filter"),
    ],
)
def test_bad_parameters(params, code):
    with pytest.raises(ApiError) as caught:
        build_request(params)
    assert caught.value.status_code == 400 and caught.value.code == code


def test_syntax_errors_carry_the_position():
    with pytest.raises(ApiError) as caught:
        build_request(SearchParams(q='bolt "open'))
    assert caught.value.extra == {"position": 5}


def test_facet_filters():
    filters = facet_filters({"set": ["neo", "woe,neo"], "available": ["true"], "rarity": []})
    assert filters == {"set": ("neo", "woe"), "available": ("b2c", "c2c")}
    assert facet_filters({"available": ["vendor"]}) == {"available": ("b2c",)}
    with pytest.raises(ApiError):
        facet_filters({"available": ["maybe"]})
    with pytest.raises(ApiError):
        facet_filters({"set": [f"s{n}" for n in range(51)]})
    with pytest.raises(ApiError):
        facet_filters({"type": ["x" * 65]})


def test_items_from_documents():
    doc = {
        "card_id": 1,
        "print_id": 2,
        "name": "Bolt",
        "game": "MTG",
        "set_code": "M10",
        "image_url": "http://img",
        "available": ["b2c"],
        "price_min": 1.0,
    }
    item = print_item(doc)
    assert item["image"] == "http://img" and item["conditions"] == [] and item["price_max"] is None
    from indexer.query import SearchHit, SearchResult

    result = SearchResult(total=1, hits=[SearchHit(doc, 2.5, [doc])], facets={"set": [("M10", 1)]})
    body = search_response(result, ["w"])
    assert body["data"][0]["score"] == 2.5 and body["data"][0]["prints"][0]["print_id"] == 2
    assert body["facets"] == {"set": [{"value": "M10", "label": "M10", "count": 1}]}
    assert body["warnings"] == ["w"]


def test_rarity_facet_values_are_canonical_with_display_labels():
    facets = {"rarity": [("common", 9), ("super_rare", 2), ("new_artwork", 1)]}
    facets["game"] = [("OPTCG", 3), ("MTG", 8)]
    result = SearchResult(total=0, hits=[], facets=facets)
    neutral = search_response(result, [])["facets"]
    assert neutral["rarity"] == [
        {"value": "common", "label": "Common", "count": 9},
        {"value": "super_rare", "label": "Super Rare", "count": 2},
        {"value": "new_artwork", "label": "New Artwork", "count": 1},
    ]
    assert [v["label"] for v in neutral["game"]] == ["One Piece", "Magic"]
    request, _ = build_request(SearchParams(game="onepiece"))
    one_piece = search_response(result, [], request=request)["facets"]["rarity"]
    assert [(v["value"], v["label"]) for v in one_piece[:2]] == [
        ("common", "C"),
        ("super_rare", "SR"),
    ]
    assert facet_label("rarity", "mythic", "MTG") == "Mythic Rare"
    assert facet_label("set", "M10") == "M10"


@pytest.mark.parametrize(
    ("game", "sent", "canonical"),
    [
        (None, ("common",), ("common",)),
        (None, ("Common", "C", "c"), ("common",)),
        (None, ("SR", "Super Rare"), ("super_rare",)),
        (None, ("sp",), ("short_print", "special_card")),
        ("OPTCG", ("sp", "L"), ("special_card", "leader")),
        ("POKEMON", ("Rare Ultra",), ("ultra_rare",)),
        (None, ("new_artwork",), ("new_artwork",)),  # a value only the facet knows
    ],
)
def test_rarity_filter_takes_canonical_values_and_every_spelling(game, sent, canonical):
    params = SearchParams(game=game, filters=facet_filters({"rarity": list(sent)}))
    request, _ = build_request(params)
    assert request.filters["rarity"] == canonical


def test_openapi_and_cors(monkeypatch):
    monkeypatch.setenv("SIDEDECKED_CORS_ORIGINS", '["https://shop.example"]')
    get_settings.cache_clear()
    from search_api.app import create_app

    client = TestClient(create_app())
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/catalog/search",
        "/api/catalog/autocomplete",
        "/api/catalog/by-sku/{sku}",
        "/api/catalog/cards/named",
        "/api/catalog/collection",
    ):
        assert path in paths
    assert client.get("/docs").status_code == 200
    preflight = client.options(
        "/api/catalog/search",
        headers={"Origin": "https://shop.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.headers["access-control-allow-origin"] == "https://shop.example"
    assert client.get("/api/catalog/nope").json()["code"] == "not_found"


def test_an_unreachable_engine_is_a_503_json(monkeypatch):
    from indexer.engine import clear_engine_cache
    from search_api.app import create_app

    monkeypatch.setenv("OPENSEARCH_URL", "http://127.0.0.1:1")
    monkeypatch.setenv("SIDEDECKED_INDEX_PREFIX", "nowhere")
    get_settings.cache_clear()
    try:
        client = TestClient(create_app())
        for path in ("/api/catalog/search?q=bolt", "/api/catalog/autocomplete?q=bolt"):
            response = client.get(path)
            assert response.status_code == 503, response.text
            assert response.json()["code"] == "search_unavailable"
    finally:
        clear_engine_cache()
