"""Running and reporting the gold evaluation: `evaluate_gold` matches every row blind and
counts, per game and shape, the three target measures (`Cell`, `GoldReport`);
`report_markdown` is the table docs/matching.md carries; `training_rows` are the data the
confidence calibration fits."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matching.decisions import AUTO, Thresholds
from matching.gold.rows import (
    ABSENT,
    KINDS,
    SHAPES,
    SKU,
    TARGET_ABSENT_ACCEPTED,
    TARGET_ACCEPTED_RIGHT,
    TARGET_IN_CATALOG_ACCEPTED,
    UNIDENTIFIABLE,
    GoldRow,
)
from matching.parsing.listing import ParsedListing
from matching.query import query_from_listing
from matching.scoring import (
    features,
)
from matching.service import Matcher
from models.games import GAME_CODES


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
class Cell:
    """One game x shape (or a total): counts per kind and decision."""

    rows: int = 0
    by_kind: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    accepted_by_kind: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    accepted_right: int = 0
    review: int = 0
    wrong: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return sum(self.accepted_by_kind.values())

    @property
    def accepted_right_rate(self) -> float | None:
        return self.accepted_right / self.accepted if self.accepted else None

    @property
    def in_catalog_accepted_rate(self) -> float | None:
        rows = self.by_kind[SKU]
        return self.accepted_by_kind[SKU] / rows if rows else None

    @property
    def absent_accepted_rate(self) -> float | None:
        rows = self.by_kind[ABSENT]
        return self.accepted_by_kind[ABSENT] / rows if rows else None

    def meets_targets(self) -> bool:
        checks: list[tuple[float | None, Callable[[float], bool]]] = [
            (self.accepted_right_rate, lambda v: v >= TARGET_ACCEPTED_RIGHT),
            (self.in_catalog_accepted_rate, lambda v: v >= TARGET_IN_CATALOG_ACCEPTED),
            (self.absent_accepted_rate, lambda v: v < TARGET_ABSENT_ACCEPTED),
        ]
        return all(check(value) for value, check in checks if value is not None)

    def add(self, row: GoldRow, decision: str, sku: str | None, detail: dict[str, Any]) -> None:
        self.rows += 1
        self.by_kind[row.kind] += 1
        if decision == AUTO:
            self.accepted_by_kind[row.kind] += 1
            if sku in row.skus and row.kind == SKU:
                self.accepted_right += 1
            elif len(self.wrong) < 50:
                self.wrong.append(detail)
        elif decision == "review":
            self.review += 1

    def summary(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "rows_by_kind": dict(self.by_kind),
            "accepted": self.accepted,
            "accepted_by_kind": dict(self.accepted_by_kind),
            "accepted_right": self.accepted_right,
            "review": self.review,
            "accepted_right_rate": self.accepted_right_rate,
            "in_catalog_accepted_rate": self.in_catalog_accepted_rate,
            "not_in_catalog_accepted_rate": self.absent_accepted_rate,
            "meets_targets": self.meets_targets(),
        }


@dataclass
class GoldReport:
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    #: (confidence, print right) of every row's best candidate, for the reliability table.
    pairs: list[tuple[float, bool]] = field(default_factory=list)

    def cell(self, game: str, shape: str) -> Cell:
        return self.cells.setdefault((game, shape), Cell())

    def games(self) -> list[str]:
        present = {game for game, _ in self.cells}
        return [g for g in GAME_CODES if g in present] + sorted(present - set(GAME_CODES))

    def summary(self) -> dict[str, Any]:
        return {
            game: {shape: cell.summary() for (g, shape), cell in self.cells.items() if g == game}
            for game in self.games()
        }

    def wrong(self) -> list[dict[str, Any]]:
        return [w for (_, shape), cell in self.cells.items() if shape != "all" for w in cell.wrong]


def evaluate_gold(matcher: Matcher, rows: Iterable[GoldRow], thresholds: Thresholds) -> GoldReport:
    """Match every gold row blind and count, per game and shape (and `all` shapes)."""
    report = GoldReport()
    for row in rows:
        result = matcher.match(blind(row.listing), thresholds=thresholds, use_ids=False)
        best = result.best
        sku = best.sku if best else None
        detail = {
            "game": row.game,
            "shape": row.shape,
            "kind": row.kind,
            "source": Path(row.source).name,
            "line": row.line,
            "text": result.source_text,
            "sku": sku,
            "gold": sorted(row.skus)[:4],
            "confidence": best.confidence if best else None,
            "fields": best.matched_fields if best else None,
            "note": row.note,
        }
        for shape in (row.shape, "all"):
            report.cell(row.game, shape).add(row, result.decision, sku, detail)
        # Reliability is about the top candidate's confidence whatever the decision; a `none` row
        # names no SKU (result.best is None) but its top candidate still has a confidence.
        top = best or (result.candidates[0] if result.candidates else None)
        if top is not None:
            report.pairs.append((top.confidence, top.print_id in row.prints))
    return report


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.2f}%"


def report_markdown(report: GoldReport) -> str:
    """The per-game, per-shape table docs/matching.md carries."""
    lines = [
        "| game | shape | rows | in catalog | not in catalog | not identifiable | accepted "
        "| accepted right | in-catalog accepted | not-in-catalog accepted | targets |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for game in report.games():
        for shape in (*SHAPES, "all"):
            cell = report.cells.get((game, shape))
            if cell is None:
                continue
            lines.append(
                f"| {game} | {shape} | {cell.rows:,} | {cell.by_kind[SKU]:,} "
                f"| {cell.by_kind[ABSENT]:,} | {cell.by_kind[UNIDENTIFIABLE]:,} "
                f"| {cell.accepted:,} | {_pct(cell.accepted_right_rate)} "
                f"({cell.accepted_right:,}) | {_pct(cell.in_catalog_accepted_rate)} "
                f"| {_pct(cell.absent_accepted_rate)} "
                f"| {'met' if cell.meets_targets() else 'missed'} |"
            )
    return "\n".join(lines)


def training_rows(
    matcher: Matcher, rows: Iterable[GoldRow]
) -> list[tuple[str, dict[str, float], int]]:
    """(game, features of the best candidate, its print is right) per gold row, matched blind:
    the data `calibration.fit_logistic` fits."""
    out: list[tuple[str, dict[str, float], int]] = []
    for row in rows:
        listing = blind(row.listing)
        if not (listing.name or listing.number):
            continue
        query = query_from_listing(listing, use_ids=False)
        ranked = matcher.rank(query)
        if not ranked.top:
            continue
        best = ranked.top[0]
        runner_up = ranked.top[1].rank if len(ranked.top) > 1 else None
        right = row.print_known and row.kind != ABSENT and best.print_id in row.prints
        game = matcher.index.prints[best.print_id].game
        out.append((game, features(best, query, runner_up), int(right)))
    return out
