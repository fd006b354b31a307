"""The mapping editor's pure side: an upload's preview (format, header, sample rows, the mapping
that applies, what is left unmapped), a header's identity, and a forced format that does not fit
the file's columns refused with the columns it lacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from matching.formats import (
    FormatMismatchError,
    header_hash,
    preview_inventory,
    read_inventory,
)
from matching.formats.spec import FIELD_DESCRIPTIONS, FIELDS

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "matching"
SHOP = b"Card,Edition code,Qty,Cond\nLightning Bolt,M11,2,NM\nSol Ring,C19,1,LP\n,,,\n"
SHOP_MAPPING = {"name": "Card", "set_code": "Edition code", "quantity": "Qty", "condition": "Cond"}


def test_unknown_header_previews_its_columns_and_rows_with_nothing_mapped() -> None:
    preview = preview_inventory(SHOP)
    assert (preview.format, preview.tool, preview.encoding, preview.delimiter) == (
        None,
        None,
        "utf-8",
        ",",
    )
    assert preview.header == ["Card", "Edition code", "Qty", "Cond"]
    assert preview.mapping == {}
    assert preview.unmapped_fields == list(FIELDS)
    assert preview.unmapped_columns == preview.header
    assert [(r.line_number, r.values, r.error) for r in preview.sample] == [
        (2, ["Lightning Bolt", "M11", "2", "NM"], None),
        (3, ["Sol Ring", "C19", "1", "LP"], None),
        (4, ["", "", "", ""], None),
    ]


def test_a_mapping_is_applied_to_the_sample() -> None:
    preview = preview_inventory(SHOP, mapping=SHOP_MAPPING)
    assert preview.format == "generic"
    assert preview.mapping == SHOP_MAPPING
    assert preview.unmapped_columns == []
    assert "name" not in preview.unmapped_fields and "price" in preview.unmapped_fields
    assert [r.error for r in preview.sample] == [None, None, "empty row"]


def test_sample_size_limits_the_rows() -> None:
    assert len(preview_inventory(SHOP, sample_size=1).sample) == 1


def test_a_detected_format_shows_the_columns_it_reads() -> None:
    preview = preview_inventory(FIXTURES / "moxfield-bom.csv")
    assert preview.format == "moxfield" and preview.encoding == "utf-8-sig"
    assert preview.mapping["name"] == "Name" and preview.mapping["quantity"] == "Count"
    assert preview.mapping["set_code"] == "Edition"
    assert "Last Modified" in preview.unmapped_columns and "Name" not in preview.unmapped_columns
    assert "set_name" in preview.unmapped_fields
    assert preview.sample and preview.sample[0].values[preview.header.index("Name")]


def test_a_tab_separated_file_with_its_own_columns() -> None:
    preview = preview_inventory(FIXTURES / "generic-shop.tsv")
    assert preview.format is None and preview.delimiter == "\t"
    assert preview.header[:3] == ["Card", "Set", "No."]


def test_header_identity_ignores_spelling_case_and_order() -> None:
    assert header_hash(["Card Name", "Qty"]) == header_hash(["qty", "CardName"])
    assert header_hash(["Card Name", "Qty"]) != header_hash(["Card Name", "Quantity"])
    assert preview_inventory(SHOP).header_hash == header_hash(
        ["Qty", "Card", "Cond", "EDITION CODE"]
    )


def test_a_forced_format_that_does_not_fit_is_refused_naming_the_missing_columns() -> None:
    with pytest.raises(FormatMismatchError) as refused:
        read_inventory(SHOP, format="manabox")
    error = refused.value
    assert error.code == "format_mismatch"
    assert error.extra["format"] == "manabox"
    assert error.extra["missing_columns"] == [
        "Name",
        "Set code",
        "Set name",
        "Collector number",
        "Foil",
        "Quantity",
    ]
    assert "Set code" in str(error.details) and "manabox" in str(error.details)
    with pytest.raises(FormatMismatchError):
        preview_inventory(SHOP, format="moxfield")


def test_a_forced_format_is_refused_for_one_missing_column_only() -> None:
    text = (FIXTURES / "moxfield-bom.csv").read_bytes().replace(b'"Edition"', b'"Set"', 1)
    with pytest.raises(FormatMismatchError) as refused:
        read_inventory(text, format="moxfield")
    assert refused.value.extra["missing_columns"] == ["Edition"]


def test_a_forced_format_fits_once_the_mapping_moves_its_missing_column() -> None:
    text = (FIXTURES / "moxfield-bom.csv").read_bytes().replace(b'"Edition"', b'"Set"', 1)
    rows = list(read_inventory(text, format="moxfield", mapping={"set_code": "Set"}))
    assert rows[0].listing.set_code == "ltr" and rows[0].listing.game == "MTG"


def test_a_forced_format_that_fits_still_reads() -> None:
    inventory = read_inventory(FIXTURES / "moxfield-bom.csv", format="moxfield")
    assert inventory.detected_format == "moxfield" and next(iter(inventory)).ok


def test_an_empty_column_in_a_mapping_stops_a_format_reading_that_field() -> None:
    path = FIXTURES / "moxfield-bom.csv"
    kept = next(iter(read_inventory(path)))
    assert kept.listing.language == "EN"
    dropped = next(iter(read_inventory(path, format="moxfield", mapping={"language": ""})))
    assert dropped.listing.language is None
    preview = preview_inventory(path, format="moxfield", mapping={"language": ""})
    assert "language" in preview.unmapped_fields and "Language" in preview.unmapped_columns


def test_every_mappable_field_says_what_it_holds() -> None:
    assert all(FIELD_DESCRIPTIONS[f].strip() for f in FIELDS)
    assert {"name", "set_code", "set_name", "number", "quantity", "price", "grade"} <= set(FIELDS)
