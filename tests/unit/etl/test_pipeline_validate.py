"""Row checks and content hashes of the silver writer (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from etl.prepare import CARDS, PRINTS
from etl.validate import RecordError, RowChecker, row_hash

CHECK = RowChecker(
    CARDS, ["oracle_key", "name", "power", "mana_value", "colors", "game_data"], label="card"
)
PRINT_CHECK = RowChecker(
    PRINTS, ["collector_number", "released_at", "is_promo", "tcgplayer_id"], label="print"
)


def card(**values):
    row = {
        "oracle_key": "k",
        "name": "Bolt",
        "power": None,
        "mana_value": Decimal("1"),
        "colors": ["R"],
        "game_data": {},
    }
    row.update(values)
    return row


def test_hash_is_stable_and_changes_with_content() -> None:
    a = CHECK.check(card(), {"game": "MTG"})
    assert a == CHECK.check(card(), {"game": "MTG"})
    assert a == row_hash({"game": "MTG", **card(), "mana_value": "1"}, "card")
    assert a != CHECK.check(card(name="Shock"), {"game": "MTG"})
    assert a != CHECK.check(card(), {"game": "POKEMON"})
    assert len(a) == 64


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"name": "x" * 256}, "card.name is longer than 255"),
        ({"name": None}, "card.name is required"),
        ({"name": 7}, "card.name must be a string"),
        ({"power": "5"}, "card.power must be an integer"),
        ({"power": True}, "card.power must be an integer"),
        ({"power": 2**31}, "card.power is out of range"),
        ({"mana_value": Decimal("1000000")}, "does not fit NUMERIC(6,1)"),
        ({"mana_value": float("nan")}, "not a finite number"),
        ({"colors": ["R", 1]}, "card.colors must be a list of strings"),
        ({"game_data": {"x": {1, 2}}}, "not plain JSON"),
        ({"game_data": {"x": float("inf")}}, "not plain JSON"),
        ({"name": "nul\x00byte"}, "NUL character"),
        ({"name": "bad \ud800 surrogate"}, "invalid Unicode"),
    ],
)
def test_values_the_database_would_refuse_are_record_errors(values, message) -> None:
    with pytest.raises(RecordError, match=message.replace("(", r"\(").replace(")", r"\)")):
        CHECK.check(card(**values), {"game": "MTG"})


def test_missing_lists_and_documents_become_empty() -> None:
    row = card(colors=None, game_data=None)
    CHECK.check(row, {})
    assert row["colors"] == [] and row["game_data"] == {}


def test_dates_and_booleans_and_json_round_trip() -> None:
    row = {
        "collector_number": "1a",
        "released_at": date(2019, 10, 4),
        "is_promo": False,
        "tcgplayer_id": 123,
    }
    PRINT_CHECK.check(row, {})
    doc = PRINT_CHECK.to_json(row)
    assert doc["released_at"] == "2019-10-04"
    assert PRINT_CHECK.from_json(doc) == row
    with pytest.raises(RecordError, match="must be a date"):
        PRINT_CHECK.check({**row, "released_at": "2019-10-04"}, {})
    with pytest.raises(RecordError, match="true or false"):
        PRINT_CHECK.check({**row, "is_promo": 0}, {})
    card_doc = CHECK.to_json(card(mana_value=Decimal("2.5")))
    assert CHECK.from_json(card_doc)["mana_value"] == Decimal("2.5")
