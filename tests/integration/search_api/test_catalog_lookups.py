"""Lookups (`/by-sku`, `/cards`, `/prints`, `/sets`, `/cards/named`, `/collection`) on the real
sample (SQLite), once per engine (the engine only matters to `named?fuzzy=`)."""

from __future__ import annotations

import sqlalchemy as sa

from models.db import make_engine
from tests.integration.search_api.ranking.support import api, sample_database, sample_index

__all__ = ["api", "sample_database", "sample_index"]


def one(sample_index, sql, **params):
    db = make_engine(sample_index.database_url)
    try:
        with db.connect() as conn:
            return conn.execute(sa.text(sql), params).first()
    finally:
        db.dispose()


def get(api, path, status=200, **params):
    response = api.get(path, params=params)
    assert response.status_code == status, response.text
    return response.json()


BOLT_PRINT = (
    "SELECT p.id, p.card_id FROM prints p JOIN card_sets s ON s.id = p.set_id"
    " WHERE s.code = 'M10' AND p.collector_number = '146'"
)


def test_by_sku(api, sample_index):
    print_id, card_id = one(sample_index, BOLT_PRINT)
    body = get(api, "/api/catalog/by-sku/MTG-M10-146-EN-NM-FOIL")
    assert body["sku"]["sku"] == "MTG-M10-146-EN-NM-FOIL"
    assert body["sku"]["is_available_b2c"] is True and body["sku"]["min_price"] > 0
    assert body["print"]["print_id"] == print_id and body["card"]["id"] == card_id
    assert body["card"]["name"] == "Lightning Bolt" and body["card"]["mana_value"] == 1.0
    assert (
        get(api, "/api/catalog/by-sku/mtg-m10-146-en-nm-foil")["sku"]["sku"] == body["sku"]["sku"]
    )
    bad = get(api, "/api/catalog/by-sku/MTG-M10-146-EN-MINT-FOIL", 400)
    assert bad["code"] == "bad_sku" and bad["component"] == "condition"
    assert get(api, "/api/catalog/by-sku/MTG-M10", 400)["component"] == "number"
    assert get(api, "/api/catalog/by-sku/CHESS-M10-146-EN-NM-FOIL", 400)["component"] == "game"
    assert get(api, "/api/catalog/by-sku/MTG-M10-999-EN-NM-FOIL", 404)["code"] == "not_found"
    assert api.get("/api/catalog/by-sku/" + "A" * 201).status_code == 422


def test_card_and_print(api, sample_index):
    print_id, card_id = one(sample_index, BOLT_PRINT)
    card = get(api, f"/api/catalog/cards/{card_id}")
    assert card["card"]["name"] == "Lightning Bolt" and card["card"]["game"] == "MTG"
    assert print_id in [p["print_id"] for p in card["prints"]]
    detail = get(api, f"/api/catalog/prints/{print_id}")
    assert detail["print"]["collector_number"] == "146" and detail["card"]["id"] == card_id
    assert len(detail["skus"]) == 10 and detail["artist"]
    assert {s["condition"] for s in detail["skus"]} == {"NM", "LP", "MP", "HP", "DMG"}
    assert get(api, "/api/catalog/cards/999999999", 404)["code"] == "not_found"
    assert get(api, "/api/catalog/prints/999999999", 404)["code"] == "not_found"
    for path in (
        "/api/catalog/cards/0",
        "/api/catalog/cards/abc",
        "/api/catalog/prints/-1",
        f"/api/catalog/prints/{2**64}",
    ):
        assert api.get(path).status_code == 422, path
    luffy = one(sample_index, "SELECT id FROM cards WHERE name = 'Monkey.D.Luffy' LIMIT 1")[0]
    assert get(api, f"/api/catalog/cards/{luffy}")["card"]["game"] == "OPTCG"


def test_set_and_number(api):
    bolt = get(api, "/api/catalog/sets/mtg/m10/146")
    assert bolt["print"]["name"] == "Lightning Bolt"
    zoro = get(api, "/api/catalog/sets/op/OP01/OP01-001")
    assert zoro["print"]["name"] == "Roronoa Zoro" and zoro["print"]["language"] == "EN"
    jp = get(api, "/api/catalog/sets/optcg/OP01/op01-001", language="JP")
    assert jp["print"]["language"] == "JP"
    assert get(api, "/api/catalog/sets/pokemon/sv3pt5/25")["print"]["name"] == "Pikachu"
    assert get(api, "/api/catalog/sets/pokemon/sv3pt5/025")["print"]["name"] == "Pikachu"
    assert get(api, "/api/catalog/sets/mtg/m10/999", 404)["code"] == "not_found"
    assert get(api, "/api/catalog/sets/mtg/NOPE/1", 404)["code"] == "not_found"
    assert get(api, "/api/catalog/sets/chess/m10/146", 400)["code"] == "bad_game"


def test_named(api):
    assert get(api, "/api/catalog/cards/named", exact="lightning bolt")["card"]["name"] == (
        "Lightning Bolt"
    )
    assert get(api, "/api/catalog/cards/named", exact="Jotun Grunt")["card"]["name"] == (
        "Jötun Grunt"
    )
    fuzzy = get(api, "/api/catalog/cards/named", fuzzy="tarmgoyf")  # typo
    assert fuzzy["card"]["name"] == "Tarmogoyf"
    assert get(api, "/api/catalog/cards/named", fuzzy="snapcas")["card"]["name"] == (
        "Snapcaster Mage"
    )
    ambiguous = get(api, "/api/catalog/cards/named", 404, exact="Pikachu")
    assert ambiguous["code"] == "ambiguous" and len(ambiguous["candidates"]) >= 4
    assert {c["name"] for c in ambiguous["candidates"]} == {"Pikachu"}
    in_set = get(api, "/api/catalog/cards/named", exact="Pikachu", set="base1")
    assert in_set["card"]["name"] == "Pikachu"
    assert get(api, "/api/catalog/cards/named", 404, exact="No Such Card")["code"] == "not_found"
    assert get(api, "/api/catalog/cards/named", 400)["code"] == "bad_request"
    assert get(api, "/api/catalog/cards/named", 400, exact="a", fuzzy="b")["code"] == "bad_request"
    too_long = api.get("/api/catalog/cards/named", params={"exact": "x" * 301})
    assert too_long.status_code == 422


def test_collection(api, sample_index):
    print_id, _ = one(sample_index, BOLT_PRINT)
    body = {
        "identifiers": [
            {"sku": "MTG-M10-146-EN-NM-FOIL"},
            {"print_id": print_id},
            {"name": "Tarmogoyf"},
            {"name": "Pikachu", "set": "BASE1"},
            {"set": "OP01", "number": "OP01-001"},
            {"name": "Pikachu"},  # several cards: not found
            {"sku": "MTG-XXX-1-EN-NM-FOIL"},
            {"sku": "garbage"},
            {"sku": ""},
            {"print_id": 999999999},
        ]
    }
    response = api.post("/api/catalog/collection", json=body)
    assert response.status_code == 200, response.text
    result = response.json()
    names = [item["name"] for item in result["data"]]
    assert names == ["Lightning Bolt", "Lightning Bolt", "Tarmogoyf", "Pikachu", "Roronoa Zoro"]
    assert result["data"][3]["set_code"] == "BASE1"
    assert result["not_found"] == body["identifiers"][5:]


def test_collection_limits(api):
    def post(json):
        return api.post("/api/catalog/collection", json=json)

    assert post({"identifiers": [{"print_id": 1}] * 76}).status_code == 422
    assert post({"identifiers": [{"print_id": 1}] * 75}).status_code == 200
    assert post({"identifiers": []}).status_code == 422
    for bad in (
        {"set": "M10"},
        {"number": "1"},
        {"sku": "x", "name": "y"},
        {"nope": 1},
        {"name": "x", "number": "1"},
        {},
    ):
        response = post({"identifiers": [bad]})
        assert response.status_code == 422, bad
        assert response.json()["code"] == "invalid_request"
    assert api.post("/api/catalog/collection", content=b"{not json").status_code == 422
