from datetime import date
from decimal import Decimal

from indexer.documents import (
    MAX_RANK_BOOST,
    SkuSummary,
    build_document,
    compact,
    expand,
    rank_boost,
)

MTG_PRINT = {
    "id": 7,
    "card_id": 3,
    "set_id": 2,
    "game_id": 1,
    "collector_number": "141",
    "number_sort": 141,
    "sku_number": "141",
    "language": "en",
    "rarity": "common",
    "artist": "Christopher Moeller",
    "finishes": ["NORMAL", "FOIL"],
    "is_promo": False,
    "released_at": None,
    "legalities": {"modern": "legal", "vintage": "restricted", "standard": "not_legal"},
    "images": {"small": "https://img/small.jpg", "normal": "https://img/normal.jpg"},
}
MTG_CARD = {
    "oracle_key": "o-1",
    "name": "Delver of Secrets // Insectile Aberration",
    "face_names": ["Delver of Secrets", "Insectile Aberration"],
    "type_line": "Creature — Human Wizard",
    "types": ["Creature"],
    "subtypes": ["Human", "Wizard"],
    "colors": ["U"],
    "color_identity": ["U"],
    "mana_value": Decimal("1.0"),
    "power": 1,
    "defense": 1,
    "loyalty": None,
}
MTG_SET = {"code": "ISD", "name": "Innistrad", "aliases": [], "released_at": date(2011, 9, 30)}


def test_print_document_denormalises_card_set_and_skus():
    skus = SkuSummary(
        sku_count=10,
        conditions=["NM", "LP"],
        finishes=["FOIL"],
        min_price=Decimal("0.25"),
        max_price=Decimal("3.00"),
        market_price=Decimal("0.40"),
        is_available_b2c=True,
        total_listings=4,
        popularity=1234,
    )
    doc = build_document(print_=MTG_PRINT, card=MTG_CARD, card_set=MTG_SET, skus=skus)
    assert doc["print_id"] == 7 and doc["card_id"] == 3 and doc["game"] == "MTG"
    assert doc["names"] == [
        "Delver of Secrets // Insectile Aberration",
        "Delver of Secrets",
        "Insectile Aberration",
    ]
    accented = build_document(print_=MTG_PRINT, card={"name": "Lim-Dûl's Vault"}, card_set=MTG_SET)
    # + the unidecode fold, and the apostrophe joined (`limduls` is typed for `Lim-Dûl's`)
    assert accented["names"] == ["Lim-Dûl's Vault", "lim-dul's vault", "lim-duls vault"]
    assert doc["names_exact"] == [
        "delver of secrets",
        "delver of secrets insectile aberration",
        "insectile aberration",
    ]
    assert doc["mana_value"] == 1 and isinstance(doc["mana_value"], int)
    assert doc["released_at"] == "2011-09-30" and doc["release_year"] == 2011
    assert doc["set_code"] == "ISD" and doc["codes"] == ["isd", "141", "isd-141"]
    assert doc["language"] == "EN" and doc["rarity_rank"] == 1
    assert doc["finishes"] == ["FOIL", "NORMAL"]
    assert doc["conditions"] == ["LP", "NM"] and doc["finishes_on_offer"] == ["FOIL"]
    assert (doc["price"], doc["price_min"], doc["price_max"]) == (0.25, 0.25, 3)
    assert doc["available"] == ["b2c"] and doc["is_available_c2c"] is False
    assert set(doc["flags"]) == {"available", "b2c", "foil", "nonfoil"}
    assert doc["legal_formats"] == ["modern", "vintage"]
    assert doc["image_url"] == "https://img/small.jpg"
    assert 0 < doc["rank_boost"] <= MAX_RANK_BOOST


def test_print_without_skus_has_no_price_and_no_availability():
    doc = build_document(print_=MTG_PRINT, card=MTG_CARD, card_set=MTG_SET)
    assert doc["price"] is None and doc["sku_count"] == 0
    assert doc["available"] == [] and doc["conditions"] == [] and doc["rank_boost"] == 0


def test_market_price_stands_in_when_nothing_is_on_offer():
    skus = SkuSummary(sku_count=5, market_price=Decimal("12.50"))
    doc = build_document(print_=MTG_PRINT, card=MTG_CARD, card_set=MTG_SET, skus=skus)
    assert doc["price"] == 12.5 and doc["price_min"] is None


def test_pokemon_codes_include_number_over_printed_total_and_aliases_stay_data():
    print_ = {
        **MTG_PRINT,
        "game_id": 2,
        "collector_number": "199",
        "rarity": "Special Illustration Rare",
    }
    card = {"name": "Charizard ex", "supertypes": ["Pokémon"], "hp": 330, "colors": []}
    card_set = {"code": "SV3PT5", "name": "151", "aliases": ["MEW"], "printed_total": 165}
    doc = build_document(print_=print_, card=card, card_set=card_set)
    assert "199/165" in doc["codes"] and "sv3pt5" in doc["codes"]
    assert doc["set_codes"] == ["SV3PT5"] and doc["set_aliases"] == ["MEW"]
    assert doc["types"] == ["Pokémon"]  # supertype stands in for the type facet
    assert doc["rarity_rank"] == 6 and doc["hp"] == 330


def test_loyalty_number_and_colour_spelling():
    card = {**MTG_CARD, "loyalty": "4", "colors": ["Red", "Green", "Red"]}
    doc = build_document(print_=MTG_PRINT, card=card, card_set=MTG_SET)
    assert doc["loyalty_value"] == 4 and doc["colors"] == ["Red", "Green"]
    assert (
        build_document(print_=MTG_PRINT, card={**card, "loyalty": "X"}, card_set=MTG_SET)[
            "loyalty_value"
        ]
        is None
    )


def test_rank_boost_is_gentle_and_saturates():
    assert rank_boost(0) == 0
    assert rank_boost(10) < rank_boost(1000) < rank_boost(10**6) == MAX_RANK_BOOST
    assert rank_boost(10**9) == MAX_RANK_BOOST


def test_compact_drops_nulls_and_empty_lists_and_expand_restores_them():
    doc = build_document(print_=MTG_PRINT, card=MTG_CARD, card_set=MTG_SET)
    stored = compact(doc)
    assert None not in stored.values() and [] not in stored.values()
    assert len(stored) < len(doc) and expand(stored) == doc


def test_multi_valued_attributes_are_one_value_each():
    print_ = {**MTG_PRINT, "game_id": 4, "collector_number": "ST12-001", "rarity": "L"}
    card = {"name": "Roronoa Zoro & Sanji", "types": ["Leader"], "attributes": ["Slash", "Strike"]}
    doc = build_document(print_=print_, card=card, card_set={"code": "ST12"})
    assert doc["attributes"] == ["Slash", "Strike"]
    none = build_document(print_=print_, card={"name": "Gum-Gum Rain"}, card_set={"code": "OP02"})
    assert none["attributes"] == []


def test_rarity_carries_one_canonical_value_across_games():
    def canonical(game_id: int, rarity: str | None) -> str | None:
        print_ = {**MTG_PRINT, "game_id": game_id, "rarity": rarity}
        return build_document(print_=print_, card=MTG_CARD, card_set=MTG_SET)["rarity_canonical"]

    assert canonical(1, "common") == canonical(2, "Common") == canonical(4, "C") == "common"
    assert canonical(3, "Super Rare") == canonical(4, "SR") == "super_rare"
    assert canonical(2, "Rare Ultra") == canonical(2, "Ultra Rare") == "ultra_rare"
    assert canonical(1, None) is None
    doc = build_document(print_=MTG_PRINT, card=MTG_CARD, card_set=MTG_SET)
    assert doc["rarity"] == "common"  # the upstream spelling stays for display
