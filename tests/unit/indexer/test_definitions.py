from datetime import UTC, datetime

from indexer.definitions import (
    NOOP_SYNONYM,
    alias_name,
    available_versions,
    current_version,
    load_definition,
    new_index_name,
    version_of,
)
from indexer.documents import build_document
from tests.unit.indexer.test_documents import MTG_CARD, MTG_PRINT, MTG_SET


def test_every_document_field_is_mapped_and_every_mapping_is_filled():
    doc = build_document(print_=MTG_PRINT, card=MTG_CARD, card_set=MTG_SET)
    mapped = set(load_definition()["mappings"]["properties"])
    assert set(doc) == mapped


def test_synonyms_are_inlined_and_a_noop_rule_keeps_the_filter_valid():
    body = load_definition(synonyms=["sv2 => sv2, pal"])
    assert body["settings"]["analysis"]["filter"]["set_code_synonyms"]["synonyms"] == [
        "sv2 => sv2, pal"
    ]
    empty = load_definition(synonyms=[])
    assert empty["settings"]["analysis"]["filter"]["set_code_synonyms"]["synonyms"] == [
        NOOP_SYNONYM
    ]
    # the cached definition itself is never modified
    assert load_definition()["settings"]["analysis"]["filter"]["set_code_synonyms"]["synonyms"] == [
        NOOP_SYNONYM
    ]


def test_versions_and_names():
    assert available_versions() == list(range(1, current_version() + 1))
    alias = alias_name("sidedecked")
    name = new_index_name(alias, 3, datetime(2025, 1, 2, 3, 4, 5, 6, tzinfo=UTC))
    assert name == "sidedecked-prints-v3-20250102030405000006"
    assert version_of(name) == 3 and version_of(alias) is None
