"""TCGplayer seller exports rendered from catalog files: the gold sets of Pokémon and One
Piece write catalog records as a TCGplayer pricing export (condition cycled, the printing in
the condition as TCGplayer writes it) and read it back in every shape."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any, TypedDict

from matching.formats import read_inventory
from matching.gold.rows import (
    ABSENT,
    TITLE,
    WITH_NUMBER,
    WITHOUT_NUMBER,
    GoldRow,
    gold_row,
)
from matching.gold.shapes import title_row
from matching.index import CatalogIndex

# -- TCGplayer seller exports rendered from catalog files ------------------------------------------

PRICING_HEADER = [
    "TCGplayer Id",
    "Product Line",
    "Set Name",
    "Product Name",
    "Title",
    "Number",
    "Rarity",
    "Condition",
    "TCG Market Price",
    "Total Quantity",
    "TCG Marketplace Price",
]
#: TCGplayer's condition words, cycled over the rows by product id (NM on half of them).
PRICING_CONDITIONS = (
    ("NM", "Near Mint"),
    ("LP", "Lightly Played"),
    ("NM", "Near Mint"),
    ("MP", "Moderately Played"),
    ("NM", "Near Mint"),
    ("HP", "Heavily Played"),
    ("NM", "Near Mint"),
    ("DMG", "Damaged"),
)
#: TCGplayer printings -> the catalog finish they are.
PRICING_FINISHES = {"Normal": "NORMAL", "Holofoil": "HOLO", "Reverse Holofoil": "REVERSE_HOLO"}


def _pricing_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(PRICING_HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


class CatalogRecord(TypedDict):
    """A catalog record written as a TCGplayer export row (`catalog_record`)."""

    line: int
    row: list[str]
    row_without_number: list[str]
    gold: list[int]
    truth: dict[str, Any]
    kind: str | None


def catalog_record(
    line: int,
    cells: list[str],
    gold: list[int],
    truth: dict[str, Any],
    *,
    kind: str | None = None,
) -> CatalogRecord:
    """One catalog record written as a TCGplayer export row, with and without its number."""
    bare = list(cells)
    bare[PRICING_HEADER.index("Number")] = ""
    return {
        "line": line,
        "row": cells,
        "row_without_number": bare,
        "gold": gold,
        "truth": truth,
        "kind": kind,
    }


def rendered_rows(
    index: CatalogIndex,
    *,
    game: str,
    source: str,
    records: list[CatalogRecord],
    shapes: Iterable[str],
) -> Iterator[GoldRow]:
    """Gold rows of TCGplayer seller-export rows written from catalog records (`catalog_record`):
    `kind` None, or a kind the data forces (sealed product is absent)."""
    shapes = tuple(shapes)
    with_number = list(read_inventory(_pricing_csv([r["row"] for r in records])))
    without = list(read_inventory(_pricing_csv([r["row_without_number"] for r in records])))
    for record, numbered, bare in zip(records, with_number, without, strict=True):
        for shape, read in ((WITH_NUMBER, numbered), (WITHOUT_NUMBER, bare)):
            if read.error:
                continue
            row = gold_row(
                index,
                game=game,
                shape=shape,
                source=source,
                line=record["line"],
                listing=read.listing,
                gold=record["gold"],
                truth=record["truth"],
            )
            forced_kind = record["kind"]
            if forced_kind and row.kind != ABSENT:
                row.kind = forced_kind
            if shape in shapes:
                yield row
            if shape == WITH_NUMBER and TITLE in shapes and read.listing.name:
                yield title_row(index, row, style=record["line"] % 2)
