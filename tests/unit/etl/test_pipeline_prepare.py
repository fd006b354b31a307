"""Preparing a normalised card: rows, SKUs and the records that must be quarantined."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from etl import bronze
from etl.jobs import JobCounts
from etl.prepare import SkuSpec
from etl.records import NormalizedCard, PrintRecord, RawRecord, SetRecord
from etl.silver import SilverWriter
from etl.skus import sku_rows
from etl.validate import RecordError
from models.sku import CONDITIONS, SkuParts, format_sku, parse_sku


def make_card(**changes) -> NormalizedCard:
    prints = changes.pop("prints", None)
    base = NormalizedCard(
        game="POKEMON",
        oracle_key="ptcg:abc",
        name="Pokégear 3.0",
        prints=[],
        hp=None,
        supertypes=["Trainer"],
    )
    card = replace(base, **changes)
    card.prints = prints if prints is not None else [make_print()]
    return card


def make_print(**changes) -> PrintRecord:
    base = PrintRecord(
        print_key="hgss1-96",
        set=SetRecord(game="POKEMON", code="HGSS1", name="HeartGold"),
        collector_number="96",
        sku_number="96",
        language="EN",
        finishes=["NORMAL", "REVERSE_HOLO"],
        released_at=date(2010, 2, 10),
    )
    return replace(base, **changes)


def test_prepare_builds_rows_hashes_and_sku_spec() -> None:
    writer = SilverWriter("POKEMON")
    prepared = writer.prepare(make_card())
    assert prepared.row["normalized_name"] == "pokegear 3.0"
    assert prepared.row["oracle_key"] == "ptcg:abc"
    (p,) = prepared.prints
    assert p.row["sku_set"] == "HGSS1" and p.row["finishes"] == ["NORMAL", "REVERSE_HOLO"]
    assert p.skus == SkuSpec("HGSS1", "96", "EN", ("NORMAL", "REVERSE_HOLO"))
    assert p.set.code == "HGSS1" and p.set.token == "HGSS1"
    assert writer.prepare(make_card()).content_hash == prepared.content_hash
    changed = writer.prepare(make_card(hp=60))
    assert changed.content_hash != prepared.content_hash
    # the print's hash does not change with a card field, but with a print field
    assert changed.prints[0].content_hash == p.content_hash
    other = writer.prepare(make_card(prints=[make_print(artist="Someone")]))
    assert other.prints[0].content_hash != p.content_hash


def test_duplicate_finishes_are_dropped() -> None:
    prepared = SilverWriter("POKEMON").prepare(
        make_card(prints=[make_print(finishes=["HOLO", "HOLO"])])
    )
    assert prepared.prints[0].row["finishes"] == ["HOLO"]


def test_sku_rows_are_format_sku_of_every_condition_and_finish() -> None:
    rows = sku_rows("MTG", "PLST", "PLC.30", "EN", ["NORMAL", "FOIL"])
    assert len(rows) == 2 * len(CONDITIONS)
    for row in rows:
        parts = SkuParts("MTG", "PLST", "PLC.30", "EN", row["condition"], row["finish"])
        assert row["sku"] == format_sku(parts)
        assert parse_sku(row["sku"]) == parts
        assert (row["set_code"], row["number"], row["language"]) == ("PLST", "PLC.30", "EN")


@pytest.mark.parametrize(
    ("card", "message"),
    [
        (make_card(game="MTG"), "expected 'POKEMON'"),
        (make_card(oracle_key=""), "no oracle_key"),
        (make_card(name=""), "no name"),
        (make_card(prints=[make_print(print_key="")]), "no print_key"),
        (make_card(prints=[make_print(collector_number="")]), "no collector number"),
        (make_card(prints=[make_print(language="XX")]), "invalid SKU language"),
        (make_card(prints=[make_print(finishes=["SHINY"])]), "invalid SKU finish"),
        (make_card(prints=[make_print(sku_number="9/9")]), "invalid SKU number"),
        (
            make_card(prints=[make_print(set=SetRecord(game="MTG", code="X", name="X"))]),
            "of game 'MTG'",
        ),
        (
            make_card(prints=[make_print(), make_print(print_key="hgss1-96-dup")]),
            "share set, number and language",
        ),
        (make_card(prints=[make_print(collector_number="1" * 33)]), "longer than 32"),
    ],
)
def test_unusable_cards_are_record_errors(card: NormalizedCard, message: str) -> None:
    with pytest.raises(RecordError, match=message):
        SilverWriter("POKEMON").prepare(card)


def test_bronze_hash_is_the_records_content_hash() -> None:
    raw = RawRecord("pokemontcg", "base1-4", {"id": "base1-4", "name": "Charizard", "hp": "120"})
    item = bronze.prepare(raw)
    assert item.content_hash == raw.content_hash
    assert item.external_id == "base1-4"
    with pytest.raises(RecordError, match="no external id"):
        bronze.prepare(RawRecord("pokemontcg", "", {"a": 1}))
    with pytest.raises(RecordError, match="not plain JSON"):
        bronze.prepare(RawRecord("pokemontcg", "x", {"a": float("nan")}))
    with pytest.raises(RecordError, match="longer than 128"):
        bronze.prepare(RawRecord("pokemontcg", "x" * 129, {}))


def test_job_counts_add_up() -> None:
    total = JobCounts(records_read=10, units_total=3)
    batch = JobCounts(records_read=5, bronze_inserted=4, quarantined=1, batches=1)
    batch.tables["cards"].update(created=2, unchanged=3)
    batch.tables["skus"].update(created=10, deleted=1)
    merged = total.merged(batch)
    assert total.records_read == 10  # merged() leaves both alone
    total.add(batch)
    assert total.records_read == merged.records_read == 15
    assert total.columns() == {
        "records_read": 15,
        "bronze_inserted": 4,
        "created": 12,
        "updated": 0,
        "unchanged": 3,
        "quarantined": 1,
    }
    stats = total.stats({"pid": 1})
    assert stats["pid"] == 1 and stats["units"]["total"] == 3
    assert stats["tables"]["skus"] == {"created": 10, "deleted": 1}
