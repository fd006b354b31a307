"""Evaluation on labelled exports: rows that carry a Scryfall id or a TCGplayer product id.

The id is the gold label: the catalog print with that Scryfall id (or any print with that
TCGplayer id) is the right answer; a row whose id is in no print is "not in catalog" (its
right answer is `none`). The matcher is run *blind* (ids removed from the listing) unless
`use_ids=True`, so the numbers measure what names, sets and numbers alone achieve.

Per decision band (auto, review, none) it reports rows, how many were right (precision) and,
for auto, recall (right auto / rows in the catalog); plus the two targets: the auto-accept
rate of in-catalog rows that carry name + set, and the auto rate of not-in-catalog rows.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matching.candidates import query_from_listing
from matching.decisions import AUTO, NONE, REVIEW, Thresholds
from matching.formats import read_inventory
from matching.index import CatalogIndex
from matching.parsing.listing import ParsedListing
from matching.scoring import features
from matching.service import Matcher


@dataclass(slots=True)
class LabelledRow:
    source: str
    line_number: int
    listing: ParsedListing
    gold: frozenset[int]  # empty: the card is not in the catalog
    label: str = "scryfall"  # scryfall | tcgplayer | passcode

    @property
    def in_catalog(self) -> bool:
        return bool(self.gold)

    @property
    def has_name_and_set(self) -> bool:
        return bool(self.listing.name and (self.listing.set_code or self.listing.set_name))

    @property
    def split(self) -> str:
        """Deterministic 50/50 split: `train` (fits the calibration) or `test`."""
        digest = hashlib.sha256(f"{self.source}:{self.line_number}".encode()).digest()
        return "train" if digest[0] % 2 == 0 else "test"


def gold_prints(index: CatalogIndex, listing: ParsedListing) -> tuple[frozenset[int], str] | None:
    """The right prints for a labelled listing (empty: not in catalog) and the label's kind;
    None: the row carries no label.

    Yu-Gi-Oh! passcodes name the card, not the printing: with the set number the row gives,
    the prints of that card with that number (any rarity) are right."""
    if listing.scryfall_id:
        hit = index.by_scryfall.get(listing.scryfall_id.lower())
        return frozenset([hit] if hit is not None else []), "scryfall"
    if listing.tcgplayer_id:
        return frozenset(index.by_tcgplayer.get(listing.tcgplayer_id, ())), "tcgplayer"
    if listing.ygoprodeck_id and listing.number:
        from matching.index import catalog_number_key

        key = catalog_number_key("YUGIOH", listing.number)
        prints = index.by_ygoprodeck.get(listing.ygoprodeck_id, ())
        return frozenset(p for p in prints if index.prints[p].number_key == key), "passcode"
    return None


def iter_labelled(
    paths: Iterable[Path], index: CatalogIndex, **read_options: Any
) -> Iterator[LabelledRow]:
    for path in paths:
        inventory = read_inventory(path, **read_options)
        for row in inventory:
            if row.error:
                continue
            labelled = gold_prints(index, row.listing)
            if labelled is None:
                continue
            yield LabelledRow(str(path), row.line_number, row.listing, *labelled)


def blind(listing: ParsedListing) -> ParsedListing:
    """The listing without its external ids."""
    return dataclasses.replace(
        listing,
        scryfall_id=None,
        tcgplayer_id=None,
        tcgplayer_sku_id=None,
        cardmarket_id=None,
        ygoprodeck_id=None,
    )


@dataclass
class BandStats:
    rows: int = 0
    right: int = 0
    in_catalog: int = 0

    @property
    def precision(self) -> float | None:
        return self.right / self.rows if self.rows else None


@dataclass
class Report:
    rows: int = 0
    in_catalog: int = 0
    not_in_catalog: int = 0
    bands: dict[str, BandStats] = field(
        default_factory=lambda: {AUTO: BandStats(), REVIEW: BandStats(), NONE: BandStats()}
    )
    in_catalog_name_set: int = 0
    in_catalog_name_set_auto: int = 0
    not_in_catalog_auto: int = 0
    #: TCGplayer-labelled rows whose id is in no print while the chosen print has no
    #: TCGplayer id at all: the label cannot say whether the match is right (left out).
    unverifiable: int = 0
    #: (confidence, right) of every row's best candidate, for the reliability table.
    pairs: list[tuple[float, bool]] = field(default_factory=list)
    #: Rows auto-accepted wrongly (for inspection).
    wrong_auto: list[dict[str, Any]] = field(default_factory=list)

    @property
    def auto_precision(self) -> float | None:
        return self.bands[AUTO].precision

    @property
    def auto_recall(self) -> float | None:
        return self.bands[AUTO].right / self.in_catalog if self.in_catalog else None

    @property
    def name_set_auto_rate(self) -> float | None:
        if not self.in_catalog_name_set:
            return None
        return self.in_catalog_name_set_auto / self.in_catalog_name_set

    @property
    def not_in_catalog_auto_rate(self) -> float | None:
        return self.not_in_catalog_auto / self.not_in_catalog if self.not_in_catalog else None

    def summary(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "unverifiable": self.unverifiable,
            "in_catalog": self.in_catalog,
            "not_in_catalog": self.not_in_catalog,
            "bands": {
                name: {"rows": b.rows, "right": b.right, "precision": b.precision}
                for name, b in self.bands.items()
            },
            "auto_precision": self.auto_precision,
            "auto_recall": self.auto_recall,
            "in_catalog_name_set_auto_rate": self.name_set_auto_rate,
            "not_in_catalog_auto_rate": self.not_in_catalog_auto_rate,
        }


def _unverifiable(row: LabelledRow, best_print: int | None, index: CatalogIndex) -> bool:
    """A label that cannot judge the answer: a TCGplayer id in no print while the chosen
    print has no TCGplayer id at all, or a Yu-Gi-Oh! passcode in no print (alternate-art
    passcodes are not in the catalog)."""
    if row.in_catalog or row.label == "scryfall":
        return False
    if row.label == "passcode":
        return True
    return best_print is not None and index.prints[best_print].tcgplayer_id is None


def evaluate(
    matcher: Matcher,
    rows: Iterable[LabelledRow],
    thresholds: Thresholds,
    *,
    use_ids: bool = False,
) -> Report:
    report = Report()
    index = matcher.index
    for row in rows:
        listing = row.listing if use_ids else blind(row.listing)
        result = matcher.match(listing, thresholds=thresholds, use_ids=use_ids)
        decision = result.decision if result.decision in report.bands else NONE
        best = result.best
        if _unverifiable(row, best.print_id if best else None, index):
            report.unverifiable += 1
            continue
        right_print = best is not None and best.print_id in row.gold
        # a "none" on a card that is not in the catalog is the right answer
        right = right_print if decision != NONE else (right_print or not row.in_catalog)
        report.rows += 1
        band = report.bands[decision]
        band.rows += 1
        band.right += right
        band.in_catalog += row.in_catalog
        if row.in_catalog:
            report.in_catalog += 1
            if row.has_name_and_set:
                report.in_catalog_name_set += 1
                report.in_catalog_name_set_auto += decision == AUTO
        else:
            report.not_in_catalog += 1
            report.not_in_catalog_auto += decision == AUTO
        if best is not None:
            report.pairs.append((best.confidence, right_print))
        if decision == AUTO and not right_print and len(report.wrong_auto) < 200:
            report.wrong_auto.append(
                {
                    "source": Path(row.source).name,
                    "line": row.line_number,
                    "text": result.source_text,
                    "best": best.as_dict() if best else None,
                    "gold": sorted(row.gold),
                }
            )
    return report


def variants(listing: ParsedListing) -> list[tuple[str, ParsedListing]]:
    """The listing as written, and as sellers who say less write it: without the collector
    number, without the set, and as two title shapes (`Name SET`, `Name Set Name Number`)
    read by the title parser. Used to fit the weights of fields real labelled rows always
    carry (labelled exports always have a number; there are no labelled real titles)."""
    from matching.parsing import parse_title

    out = [("as written", listing)]
    if listing.number:
        out.append(("no number", dataclasses.replace(listing, number=None, printed_total=None)))
        if listing.set_code or listing.set_name:
            out.append(("no set", dataclasses.replace(listing, set_code=None, set_name=None)))
    if listing.name:
        if listing.set_code:
            title = f"{listing.name} {listing.set_code.upper()}"
            out.append(("title: name code", parse_title(title, game_hint=listing.game)))
        if listing.set_name:
            title = f"{listing.name} {listing.set_name} {listing.number or ''}".strip()
            out.append(("title: name set number", parse_title(title, game_hint=listing.game)))
    return out


def training_rows(
    matcher: Matcher, rows: Iterable[LabelledRow], *, augment: bool = True
) -> list[tuple[dict[str, float], int]]:
    """(features of the best candidate, right?) per labelled row (and its `variants`),
    matched blind. Passcode-labelled rows are left out: their label accepts any rarity of a
    number, which would teach the model that ties are fine."""
    out: list[tuple[dict[str, float], int]] = []
    index = matcher.index
    for row in rows:
        if row.label == "passcode":
            continue
        shapes = variants(blind(row.listing)) if augment else [("as written", blind(row.listing))]
        for _shape, listing in shapes:
            if not (listing.name or listing.number):
                continue
            query = query_from_listing(listing, use_ids=False)
            ranked = matcher.rank(query)
            if not ranked.top:
                continue
            best = ranked.top[0]
            if _unverifiable(row, best.print_id, index):
                continue
            runner_up = ranked.top[1].rank if len(ranked.top) > 1 else None
            out.append((features(best, query, runner_up), int(best.print_id in row.gold)))
    return out


def evaluate_shapes(
    matcher: Matcher, rows: Iterable[LabelledRow], thresholds: Thresholds
) -> dict[str, Report]:
    """`evaluate` per listing shape of `variants` (as written, no number, no set, titles)."""
    by_shape: dict[str, list[LabelledRow]] = {}
    for row in rows:
        if row.label == "passcode":
            continue
        for shape, listing in variants(blind(row.listing)):
            by_shape.setdefault(shape, []).append(
                LabelledRow(row.source, row.line_number, listing, row.gold, row.label)
            )
    return {shape: evaluate(matcher, shaped, thresholds) for shape, shaped in by_shape.items()}
