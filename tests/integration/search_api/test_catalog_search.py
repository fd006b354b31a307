"""`/api/catalog/search` and `/autocomplete` on the real sample, once per engine."""

from __future__ import annotations

from tests.integration.search_api.ranking.support import api, sample_database, sample_index

__all__ = ["api", "sample_database", "sample_index"]

ITEM_KEYS = {
    "card_id",
    "print_id",
    "name",
    "game",
    "set_code",
    "set_name",
    "collector_number",
    "rarity",
    "image",
    "finishes_on_offer",
    "conditions",
    "price_min",
    "price_max",
    "available",
    "prints",
}
FACETS = {"game", "set", "rarity", "type", "color", "finish", "condition", "language", "available"}


def search(api, **params):
    response = api.get("/api/catalog/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def facet(body, name):
    return {f["value"]: f["count"] for f in body["facets"][name]}


def test_a_search_answers_items_facets_and_warnings(api):
    body = search(api, q="lightning bolt")
    assert body["total"] == 1 and body["warnings"] == [] and body["next_cursor"] is None
    item = body["data"][0]
    assert set(item) >= ITEM_KEYS
    assert (item["name"], item["game"], item["set_code"], item["collector_number"]) == (
        "Lightning Bolt",
        "MTG",
        "M10",
        "146",
    )
    assert item["set_name"] and item["rarity"] == "common" and item["image"].startswith("http")
    # the sample's market data: the NM foil SKU is on offer from a vendor
    assert item["available"] == ["b2c"] and item["finishes_on_offer"] == ["FOIL"]
    assert item["conditions"] == ["NM"] and item["price_min"] == item["price_max"] - 1
    assert set(body["facets"]) == FACETS and facet(body, "game") == {"MTG": 1}


def test_cards_carry_their_matching_prints(api):
    body = search(api, q="OP01-001", prints_per_card=20)  # alternate arts, EN and JP
    assert body["total"] == 1
    card = body["data"][0]
    assert len(card["prints"]) >= 2
    assert card["print_id"] in [p["print_id"] for p in card["prints"]]
    assert {p["card_id"] for p in card["prints"]} == {card["card_id"]}
    prints = search(api, q="OP01-001", unique="prints", page_size=100)
    assert prints["total"] == len(prints["data"]) >= len(card["prints"])
    assert all(not item["prints"] for item in prints["data"])


def test_a_card_counts_all_its_matching_prints_beyond_the_list(api):
    listed = search(api, q="OP01-001", prints_per_card=1)["data"][0]
    every = search(api, q="OP01-001", unique="prints", page_size=100)
    assert len(listed["prints"]) == 1
    assert listed["prints_total"] == every["total"] >= 2
    assert search(api, q="OP01-001", prints_per_card=0)["data"][0]["prints_total"] is None
    assert all(i["prints_total"] is None for i in every["data"])


def test_a_page_past_the_last_is_empty_with_the_real_total(api):
    first = search(api, q="t:instant", game="mtg", page_size=10)
    last_page = -(-first["total"] // 10)
    past = search(api, q="t:instant", game="mtg", page_size=10, page=last_page + 5)
    assert past["data"] == [] and past["next_cursor"] is None
    assert past["total"] == first["total"] and facet(past, "game") == facet(first, "game")
    # beyond the deepest numbered page: a 400 naming the deepest page this page size reaches
    deep = api.get("/api/catalog/search", params={"q": "bolt", "page": 999, "page_size": 24})
    assert deep.status_code == 400 and deep.json()["code"] == "page_too_deep"
    assert deep.json()["max_page"] == 10_000 // 24


def test_facets_are_multi_select(api):
    everything = search(api, q="pikachu")
    sets = facet(everything, "set")
    assert {"BASE1", "SV3PT5"} <= set(sets)
    one = search(api, q="pikachu", set="BASE1")
    assert one["total"] == 1 and one["data"][0]["set_code"] == "BASE1"
    assert facet(one, "set") == sets  # the set facet ignores its own selection
    assert sum(facet(one, "rarity").values()) == 1  # the others honour it
    two = search(api, q="pikachu", set=["BASE1", "SV3PT5"])
    assert two["total"] == 2
    assert search(api, q="pikachu", set="BASE1,SV3PT5")["total"] == 2


def test_game_type_and_language_filters(api):
    body = search(api, q="nami", game="op")
    assert {item["game"] for item in body["data"]} == {"OPTCG"}
    assert facet(body, "game")["OPTCG"] == body["total"]  # the game facet ignores game=
    jp = search(api, q="luffy", language="JP", unique="prints", page_size=50)
    assert jp["data"] and {item["language"] for item in jp["data"]} == {"JP"}
    instants = search(api, q="c:r", type="Instant", game="mtg", page_size=100)
    assert instants["total"] > 3 and all(i["type_line"] for i in instants["data"])


def test_price_and_availability_filters(api):
    body = search(
        api,
        q="game:pokemon",
        available="true",
        price_min=10,
        price_max=20,
        unique="prints",
        page_size=100,
    )
    assert body["total"] > 0
    for item in body["data"]:
        assert item["available"]
        assert 10 <= item["price_min"] <= 20
    c2c = search(api, q="game:pokemon", available="c2c", unique="prints", page_size=50)
    assert c2c["data"] and all("c2c" in item["available"] for item in c2c["data"])


def test_orders(api):
    by_name = search(api, q="t:instant", game="mtg", order="name", page_size=30)
    names = [item["name"] for item in by_name["data"]]
    assert names == sorted(names, key=str.lower)
    desc = search(api, q="t:instant", game="mtg", order="name", dir="desc", page_size=30)
    assert next(i["name"] for i in desc["data"]) >= names[-1]
    cheap = search(api, q="game:yugioh available:b2c", order="price", unique="prints", page_size=20)
    prices = [item["price_min"] for item in cheap["data"]]
    assert prices == sorted(prices)
    for order in (
        "released",
        "set",
        "number",
        "rarity",
        "mana value",
        "cost",
        "power",
        "popularity",
        "mv",
    ):
        assert search(api, q="game:mtg", order=order, page_size=5)["data"], order


def test_cursor_pages_through_every_result(api):
    whole = search(api, q="t:instant", game="mtg", order="name", page_size=40)
    assert whole["total"] > 10
    seen, cursor = [], None
    for _ in range(20):
        params = {"q": "t:instant", "game": "mtg", "order": "name", "page_size": 4}
        if cursor:
            params["cursor"] = cursor
        page = search(api, **params)
        seen += [item["card_id"] for item in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == min(whole["total"], 80)
    assert seen[:40] == [item["card_id"] for item in whole["data"]]
    page2 = search(api, q="t:instant", game="mtg", order="name", page_size=4, page=2)
    assert [i["card_id"] for i in page2["data"]] == seen[4:8]


def test_user_errors_are_4xx_json(api):
    bad = api.get("/api/catalog/search", params={"q": "t:dragon ("})
    assert bad.status_code == 400
    assert bad.json()["code"] == "bad_query" and bad.json()["position"] == 9
    warned = search(api, q="frobnicate:yes bolt")
    assert warned["warnings"] and warned["data"][0]["name"] == "Lightning Bolt"
    cases = [
        ({"q": "x" * 1001}, 422, "invalid_request"),
        ({"q": "bolt", "page_size": 176}, 422, "invalid_request"),
        ({"q": "bolt", "page": 0}, 422, "invalid_request"),
        ({"q": "bolt", "page": 1000, "page_size": 100}, 400, "page_too_deep"),
        ({"q": "bolt", "cursor": "not-a-cursor"}, 400, "bad_cursor"),
        ({"q": "bolt", "game": "chess"}, 400, "bad_game"),
        ({"q": "bolt", "order": "colour"}, 400, "bad_order"),
        ({"q": "bolt", "unique": "sets"}, 422, "invalid_request"),
        ({"q": "bolt", "available": "maybe"}, 400, "bad_filter"),
        ({"q": "bolt", "price_min": 5, "price_max": 1}, 400, "bad_filter"),
        ({"q": "bolt", "price_min": "cheap"}, 422, "invalid_request"),
    ]
    for params, status, code in cases:
        response = api.get("/api/catalog/search", params=params)
        assert response.status_code == status, (params, response.text)
        assert response.json()["code"] == code, params
    other = search(api, q="t:instant", order="name", page_size=2)["next_cursor"]
    mismatch = api.get("/api/catalog/search", params={"q": "bolt", "cursor": other})
    assert mismatch.status_code == 400 and mismatch.json()["code"] == "bad_cursor"


def test_autocomplete(api):
    def names(q, **params):
        response = api.get("/api/catalog/autocomplete", params={"q": q, **params})
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        assert len(data) <= 20 and all(set(d) == {"name", "card_id", "game"} for d in data)
        return [d["name"] for d in data]

    assert names("chariz")[:1] == ["Charizard"]
    assert names("lig")[0] == "Lightning Bolt" or "Lightning Bolt" in names("lig")[:5]
    assert names("snapcster") == ["Snapcaster Mage"]  # typo in the prefix
    assert names("blue-ey")[0] == "Blue-Eyes White Dragon"
    assert names("flabe")[0] == "Flabébé"  # accent-blind
    assert names("n") == [] and names("") == [] and names(" p ") == []
    assert len(names("s")) == 0 and len(names("st")) == 20
    pokemon_only = api.get("/api/catalog/autocomplete", params={"q": "mew", "game": "pokemon"})
    assert {d["game"] for d in pokemon_only.json()["data"]} == {"POKEMON"}
    assert api.get("/api/catalog/autocomplete", params={"q": "x" * 201}).status_code == 422
    assert api.get("/api/catalog/autocomplete", params={"q": "ab", "game": "go"}).status_code == 400
