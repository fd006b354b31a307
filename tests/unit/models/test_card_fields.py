"""The declaration of document fields (`models.card_fields`) against what must stay written down:
the OpenSearch mapping (versioned data), the ORM columns, the ETL record, the API's schemas and
the card page. Each failure names the field that disagrees."""

from __future__ import annotations

import re
import typing
from dataclasses import fields as dataclass_fields
from datetime import date
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
import sqlalchemy as sa

from etl.records import NormalizedCard
from indexer.definitions import load_definition
from indexer.documents import build_document, card_fields
from indexer.query import SortField
from models.card_fields import (
    DOCUMENT_FIELDS,
    FIELDS_BY_NAME,
    DocField,
    attribute_name,
    columns_of,
)
from models.catalog import Card, CardSet, Print
from search_api.catalog.schemas import CardOut, PrintItem
from tests.unit.indexer.test_documents import MTG_CARD, MTG_PRINT, MTG_SET

ROOT = Path(__file__).parents[3]
_RAW = {"raw": {"type": "keyword", "eager_global_ordinals": True}}
_PREFIX = {
    "prefix": {"type": "text", "analyzer": "folded_prefix", "search_analyzer": "folded_search"}
}
#: Columns that are bookkeeping, not fields of a card or print.
_NOT_FIELDS = {"id", "game_id", "created_at", "updated_at", "content_hash", "game_data"}


def opensearch_mapping(field: DocField) -> dict[str, Any]:
    """What the declaration says the field's OpenSearch mapping is."""
    if field.index == "text":
        out: dict[str, Any] = {"type": "text", "analyzer": field.analyzer}
        return {**out, "fields": _PREFIX} if field.prefix else out
    if field.index == "stored":
        return {"type": "keyword", "index": False, "doc_values": False}
    if field.index == "exact":
        return {"type": "keyword"}
    if field.index == "keyword":
        out = {"type": "keyword", "normalizer": "folded_keyword"}
        return {**out, "fields": _RAW} if field.has_raw else out
    return {"type": "boolean" if field.index == "bool" else field.index}


def test_the_current_index_mapping_is_what_the_declaration_says():
    mapped = load_definition()["mappings"]["properties"]
    assert sorted(set(mapped) - set(FIELDS_BY_NAME)) == [], "mapped but not declared"
    for field in DOCUMENT_FIELDS:
        assert mapped.get(field.name) == opensearch_mapping(field), field.name


def test_documents_have_exactly_the_declared_fields_lists_where_declared_many():
    doc = build_document(print_=MTG_PRINT, card=MTG_CARD, card_set=MTG_SET)
    assert sorted(doc) == sorted(FIELDS_BY_NAME)
    for name, value in doc.items():
        assert isinstance(value, list) == FIELDS_BY_NAME[name].many, name


def test_the_card_part_is_every_card_level_field_the_print_does_not_give():
    part = card_fields(MTG_CARD)
    from_print = {f.name for f in DOCUMENT_FIELDS if (f.column or "").startswith("prints.")}
    card_level = {f.name for f in DOCUMENT_FIELDS if f.level == "card"}
    assert set(part) == card_level - from_print


def test_card_columns_are_copied_into_the_document():
    copied = {"level": 4, "link_rating": 3, "hp": 120, "evolves_from": "Charmander"}
    part = card_fields({"name": "X", **copied, "keywords": None})
    assert {key: part[key] for key in copied} == copied
    assert part["keywords"] == []


def _python_type(column) -> type:
    if isinstance(column.type, sa.JSON):  # StringList: JSON, an array on PostgreSQL
        return list
    return column.type.python_type


_VALUE_TYPES = {
    "text": str,
    "keyword": str,
    "exact": str,
    "stored": str,
    "integer": int,
    "long": int,
    "bool": bool,
    "date": date,
}


@pytest.mark.parametrize(("table", "model"), [("cards", Card), ("prints", Print)])
def test_orm_columns_and_declared_columns_agree(table, model):
    declared = columns_of(table)
    columns = {c.name: c for c in model.__table__.columns}
    for name, field in declared.items():
        assert name in columns, f"{field.name}: no column {table}.{name}"
        python_type = _python_type(columns[name])
        if field.many:
            assert python_type is list, field.name
        elif field.index == "float":
            assert python_type in (float, int) or python_type.__name__ == "Decimal", field.name
        elif field.name != "game":  # the game's id, shown as its code
            assert python_type is _VALUE_TYPES[field.index], field.name
    if table == "cards":  # every card column is a declared field (or bookkeeping)
        extra = set(columns) - set(declared) - _NOT_FIELDS - {"normalized_name"}
        assert extra == set(), f"card columns not declared in models/card_fields.py: {extra}"


def test_set_columns_exist():
    columns = {c.name for c in CardSet.__table__.columns}
    for name, field in columns_of("card_sets").items():
        assert name in columns, field.name


def test_the_etl_record_has_every_declared_card_column():
    attributes = {f.name for f in dataclass_fields(NormalizedCard)}
    for column, field in columns_of("cards").items():
        assert attribute_name(column) in attributes, field.name
    extra = attributes - {attribute_name(c) for c in columns_of("cards")}
    assert extra == {"game", "prints", "game_data"}, extra


def _api_type(annotation: Any) -> Any:
    args = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) is list:
        return list
    if args and get_origin(annotation) in (typing.Union, type(int | None)):
        return _api_type(args[0])
    return annotation


def _check_api_type(field: DocField, annotation: Any) -> None:
    kind = _api_type(annotation)
    if field.many:
        assert kind is list, field.name
    elif field.is_number:
        assert kind in (int, float), field.name
    elif field.index == "date":
        assert kind is date, field.name
    else:
        assert kind is str, field.name


def test_the_api_print_item_shows_the_result_fields():
    shown = {f.api_name or f.name: f for f in DOCUMENT_FIELDS if f.result}
    # `price` is the sort key the engines read; the item shows price_min/market_price instead
    assert set(PrintItem.model_fields) == set(shown) - {"price"}
    for name, info in PrintItem.model_fields.items():
        _check_api_type(shown[name], info.annotation)


def test_the_api_card_is_the_card_api_fields():
    declared = {f.name: f for f in DOCUMENT_FIELDS if f.card_api}
    api = {info.alias or name: info for name, info in CardOut.model_fields.items()}
    assert set(api) - {"id"} == set(declared)
    for name, info in api.items():
        if name != "id":
            _check_api_type(declared[name], info.annotation)


def test_the_card_page_shows_the_labelled_fields():
    script = (ROOT / "search_api/pages/static/card.js").read_text()
    attrs = re.search(r"const ATTRS = \[(.*?)\];", script, re.S)
    assert attrs, "card.js has no ATTRS list"
    shown = re.findall(r'\["(\w+)", "([^"]+)"\]', attrs.group(1))
    declared = {(f.name, f.label) for f in DOCUMENT_FIELDS if f.label}
    assert set(shown) == declared
    for name, _ in shown:
        assert FIELDS_BY_NAME[name].card_api, f"card.js shows {name}, which the API card lacks"


def test_sort_options_are_the_declared_ones():
    declared = {f.sort for f in DOCUMENT_FIELDS if f.sort}
    assert declared == set(get_args(SortField)) - {"relevance"}


def test_declared_games_are_known():
    for field in DOCUMENT_FIELDS:
        assert field.games and field.games <= {"MTG", "POKEMON", "YUGIOH", "OPTCG"}, field.name
        assert field.keyword is None or field.query, field.name
