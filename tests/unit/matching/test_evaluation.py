"""The gold evaluation over a small in-memory index: what the right whole SKU of a row is, which
rows cannot name one SKU, the listing shapes, and the per-game, per-shape report."""

from __future__ import annotations

import io

import pytest

from matching.decisions import Thresholds
from matching.formats import read_inventory
from matching.gold.labels import labelled_rows
from matching.gold.report import Cell, evaluate_gold, report_markdown
from matching.gold.rows import (
    ABSENT,
    SKU,
    TITLE,
    UNIDENTIFIABLE,
    WITH_NUMBER,
    WITHOUT_NUMBER,
    GoldRow,
    gold_row,
    sku_of,
)
from matching.gold.shapes import render_title
from matching.parsing import ParsedListing
from matching.service import Matcher
from models.sku import Grade
from tests.factories.matching import IndexBuilder

STRICT = Thresholds(auto=0.9, review=0.4)


@pytest.fixture(scope="module")
def built():
    b = IndexBuilder()
    b.set("M10", "Magic 2010").set("M11", "Magic 2011")
    b.set("LOB", "Legend of Blue Eyes White Dragon", game="YUGIOH")
    b.set("OP01", "Romance Dawn", game="OPTCG")

    def ygo(number: str, rarity: str, sku_number: str) -> int:
        finishes = ("1ST", "UNLIMITED")
        return b.print_(
            "Blue-Eyes White Dragon",
            "LOB",
            number,
            game="YUGIOH",
            finishes=finishes,
            rarity=rarity,
            sku_number=sku_number,
        )

    def op(name: str, number: str, rarity: str, parallel: int | None = None) -> int:
        extra = {"variation": f"parallel {parallel}", "sku_number": f"{number[5:]}P{parallel}"}
        return b.print_(
            name,
            "OP01",
            number,
            game="OPTCG",
            finishes=("FOIL",),
            rarity=rarity,
            **(extra if parallel else {}),
        )

    ids = {
        "bolt": b.print_(
            "Lightning Bolt", "M10", "146", scryfall_id="11111111-1111-4111-8111-111111111111"
        ),
        "bolt_jp": b.print_("Lightning Bolt", "M10", "146", language="JP"),
        "bolt_m11": b.print_(
            "Lightning Bolt", "M11", "149", scryfall_id="22222222-2222-4222-8222-222222222222"
        ),
        "plains_a": b.print_("Plains", "M10", "230", finishes=("NORMAL",)),
        "plains_b": b.print_("Plains", "M10", "231", finishes=("NORMAL",)),
        "bewd_ur": ygo("LOB-EN001", "Ultra Rare", "001UR"),
        "bewd_scr": ygo("LOB-EN001", "Secret Rare", "001SCR"),
        "luffy": op("Monkey.D.Luffy", "OP01-024", "SR"),
        "luffy_p1": op("Monkey.D.Luffy", "OP01-024", "SR", 1),
        "shanks_p1": op("Shanks", "OP01-120", "SEC", 1),
        "shanks_p2": op("Shanks", "OP01-120", "SEC", 2),
    }
    return b.build(), ids


def test_the_whole_sku_carries_the_rows_language_condition_finish_and_grade(built) -> None:
    index, ids = built
    bolt = ids["bolt"]
    assert sku_of(index, bolt, language=None, condition=None, finish=None) == (
        "MTG-M10-146-EN-NM-NORMAL"
    )
    assert sku_of(index, bolt, language="JP", condition="HP", finish="FOIL") == (
        "MTG-M10-146-JP-HP-FOIL"
    )  # the Japanese print of that set and number
    assert sku_of(index, bolt, language="DE", condition="NM", finish=None) is None
    assert sku_of(index, ids["plains_a"], language="EN", condition="NM", finish="FOIL") is None
    graded = sku_of(
        index, bolt, language="EN", condition=None, finish=None, grade=Grade("PSA", "9")
    )
    assert graded == "MTG-M10-146-EN-NM-NORMAL-PSA9"
    assert sku_of(index, ids["bewd_ur"], language="EN", condition="LP", finish=None) == (
        "YUGIOH-LOB-001UR-EN-LP-UNLIMITED"
    )  # a row that does not say 1st Edition is not one


def _row(index, gold, shape=WITH_NUMBER, *, listing=None, **fields):
    listing = listing or ParsedListing(**fields)
    return gold_row(
        index,
        game=listing.game or "MTG",
        shape=shape,
        source="t.csv",
        line=1,
        listing=listing,
        gold=gold,
    )


def test_kinds_of_rows(built) -> None:
    index, ids = built
    row = _row(index, [ids["bolt"]], name="Lightning Bolt", set_code="M10", number="146")
    assert (row.kind, row.skus) == (SKU, frozenset({"MTG-M10-146-EN-NM-NORMAL"}))
    german = _row(index, [ids["bolt"]], name="Lightning Bolt", set_code="M10", language="DE")
    assert german.kind == ABSENT and not german.skus
    assert _row(index, [], name="Lightning Bolt").kind == ABSENT
    # without the number, two Plains of one set are one listing
    plains = _row(index, [ids["plains_a"]], WITHOUT_NUMBER, name="Plains", set_code="M10")
    assert plains.kind == UNIDENTIFIABLE and not plains.print_known
    # a condition the reader could not map is not guessed
    unreadable = ParsedListing(name="Lightning Bolt", set_code="M10", number="146")
    unreadable.warn("unknown condition 'Klingon'")
    row = _row(index, [ids["bolt"]], listing=unreadable)
    assert row.kind == UNIDENTIFIABLE and row.print_known


def test_rarity_and_alternate_art_tell_prints_apart(built) -> None:
    index, ids = built
    bewd = {"game": "YUGIOH", "name": "Blue-Eyes White Dragon", "set_code": "LOB"}
    ur = _row(index, [ids["bewd_ur"]], WITHOUT_NUMBER, rarity="Ultra Rare", **bewd)
    assert ur.kind == SKU
    no_rarity = _row(index, [ids["bewd_ur"]], WITHOUT_NUMBER, **bewd)
    assert no_rarity.kind == UNIDENTIFIABLE
    parallel = ParsedListing(game="OPTCG", name="Monkey.D.Luffy", number="OP01-024", rarity="SR")
    parallel.add_variant("alternate art")
    row = _row(index, [ids["luffy_p1"]], listing=parallel)
    assert row.kind == SKU and row.skus == {"OPTCG-OP01-024P1-EN-NM-FOIL"}
    two = ParsedListing(game="OPTCG", name="Shanks", number="OP01-120", rarity="SEC")
    two.add_variant("parallel")
    row = _row(index, [ids["shanks_p1"]], listing=two)
    assert row.kind == UNIDENTIFIABLE  # two parallels nothing in the listing tells apart


def test_titles_carry_every_sku_component() -> None:
    listing = ParsedListing(
        game="MTG",
        name="Lightning Bolt",
        set_name="Magic 2010",
        number="146",
        condition="HP",
        finish="FOIL",
        language="DE",
    )
    assert render_title(listing) == "Lightning Bolt Magic 2010 146 Foil German HP"
    assert render_title(listing, style=1) == (
        "Lightning Bolt - Magic 2010 - 146 - Foil - German - HP"
    )
    graded = ParsedListing(
        game="YUGIOH",
        name="Blue-Eyes White Dragon",
        number="LOB-EN001",
        rarity="Ultra Rare",
        finish="1ST",
        grade=Grade("PSA", "10"),
    )
    assert render_title(graded) == "Blue-Eyes White Dragon LOB-EN001 Ultra Rare 1st Edition PSA 10"


EXPORT = (
    "Name,Set code,Set name,Collector number,Foil,Quantity,Scryfall ID,Condition,Language\n"
    "Lightning Bolt,M10,Magic 2010,146,normal,1,11111111-1111-4111-8111-111111111111,near_mint,en\n"
    "Lightning Bolt,M11,Magic 2011,149,foil,1,22222222-2222-4222-8222-222222222222,played,en\n"
    "Lightning Bolt,M10,Magic 2010,146,normal,1,11111111-1111-4111-8111-111111111111,near_mint,de\n"
    "Counterspell,ZZZ,Newer Set,1,normal,1,33333333-3333-4333-8333-333333333333,near_mint,en\n"
    "Nothing,M10,Magic 2010,1,normal,1,,near_mint,en\n"
)


def test_labelled_rows_in_every_shape(built, tmp_path) -> None:
    index, _ = built
    path = tmp_path / "manabox.csv"
    path.write_text(EXPORT, encoding="utf-8")
    rows = list(labelled_rows(index, [path]))
    by_shape = {
        shape: [r for r in rows if r.shape == shape]
        for shape in (WITH_NUMBER, WITHOUT_NUMBER, TITLE)
    }
    assert [len(v) for v in by_shape.values()] == [4, 4, 4]  # the unlabelled row is left out
    numbered = by_shape[WITH_NUMBER]
    assert [r.kind for r in numbered] == [SKU, SKU, ABSENT, ABSENT]
    assert numbered[1].skus == {"MTG-M11-149-EN-HP-FOIL"}  # ManaBox: Cardmarket scale, PL
    assert all(r.listing.number is None for r in by_shape[WITHOUT_NUMBER])
    assert by_shape[TITLE][0].listing.raw.startswith("Lightning Bolt")


def test_the_report_counts_per_game_and_shape(built) -> None:
    index, ids = built
    rows = [
        _row(index, [ids["bolt"]], name="Lightning Bolt", set_code="M10", number="146"),
        _row(index, [], name="Lightning Bolt", set_code="M10", number="146", language="DE"),
        _row(index, [ids["bolt_m11"]], WITHOUT_NUMBER, name="Lightning Bolt", set_code="M11"),
    ]
    report = evaluate_gold(Matcher(index), rows, STRICT)
    numbered = report.cells[("MTG", WITH_NUMBER)]
    assert numbered.rows == 2 and numbered.by_kind[SKU] == 1 and numbered.by_kind[ABSENT] == 1
    assert numbered.accepted_by_kind[SKU] == 1 and numbered.accepted_right == 1
    assert numbered.absent_accepted_rate == 0.0  # the German row is not the English SKU
    assert report.cells[("MTG", "all")].rows == 3
    table = report_markdown(report)
    assert "| MTG | with number | 2 | 1 | 1 | 0 |" in table and "| MTG | all | 3 |" in table


def test_targets() -> None:
    cell = Cell()
    cell.by_kind.update({SKU: 1000, ABSENT: 1000})
    cell.accepted_by_kind.update({SKU: 950, ABSENT: 4})
    cell.accepted_right = 950
    assert cell.accepted_right_rate == pytest.approx(950 / 954)
    assert cell.meets_targets()  # 99.58% right, 95% in-catalog, 0.4% absent
    cell.accepted_by_kind[ABSENT] = 5
    assert not cell.meets_targets()  # 0.5% of absent rows accepted
    empty = Cell()
    assert empty.meets_targets() and empty.accepted_right_rate is None


def test_wrong_accepts_are_listed_once(built) -> None:
    index, ids = built
    # labelled with the M11 print but listing M10 146: the matcher accepts M10, which is wrong
    row = _row(index, [ids["bolt_m11"]], name="Lightning Bolt", set_code="M10", number="146")
    report = evaluate_gold(Matcher(index), [row], STRICT)
    assert [w["sku"] for w in report.wrong()] == ["MTG-M10-146-EN-NM-NORMAL"]
    assert isinstance(report.wrong()[0], dict) and isinstance(row, GoldRow)


def test_a_rewritten_inventory_reads_back_without_its_number(tmp_path) -> None:
    from matching.gold.shapes import rewrite_inventory

    inventory = read_inventory(io.BytesIO(EXPORT.encode()))
    again = list(read_inventory(rewrite_inventory(inventory, blank=["number"])))
    assert [r.listing.name for r in again] == [r.listing.name for r in inventory]
    assert all(r.listing.number is None for r in again)
    assert [r.listing.condition for r in again] == [r.listing.condition for r in inventory]
