"""Gold evaluation: is every accepted SKU the seller's whole SKU, per game and listing shape?

A `GoldRow` is one listing with the SKUs that are right for it: the print *and* the row's
language, condition, finish (edition) and grade (`row_skus`). Its `kind` says what the right
decision is:

* `sku` -- the listing names one SKU the catalog has: accepting it is right, accepting
  anything else is wrong;
* `absent` -- the catalog does not have the row's SKU (another language, a newer set, a finish
  the print was never made in): any accepted SKU is wrong;
* `unidentifiable` -- the listing does not say enough to name one SKU (two prints of the name
  in the set with the same rarity and the number left out; a condition that cannot be read):
  any accepted SKU is a guess, counted wrong.

Shapes (`SHAPES`): the row `with number` as the tool wrote it, the same row `without number`
(name + set name + rarity/printing + condition), and a `title`. Matching is blind (external
ids removed). `evaluate_gold` runs the matcher and `GoldReport` holds, per game and shape,
the three target measures:

* accepted right: accepted rows whose SKU is right / accepted rows (target >= 99.5%);
* in-catalog accepted: `sku` rows accepted / `sku` rows (target >= 90%);
* not-in-catalog accepted: `absent` rows accepted / `absent` rows (target < 0.5%).

The gold sets themselves (real files read in place from ../shared/data, hand-written labels)
are built by `matching/gold.py`; `labelled_rows` turns any export whose rows carry Scryfall
ids, TCGplayer product ids or Yu-Gi-Oh! passcodes into gold rows.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matching.candidates import query_from_listing
from matching.decisions import AUTO, Thresholds
from matching.formats import InventoryFile, header_key, read_inventory
from matching.index import CatalogIndex, catalog_number_key
from matching.parsing.listing import ParsedListing
from matching.parsing.title import parse_title
from matching.scoring import (
    ALT_TAGS,
    FINISH_FALLBACK,
    RARITY_GAMES,
    features,
    is_alternate_art,
    pick_finish,
)
from matching.service import Matcher
from models.sku import Grade, SkuParts, format_sku
from models.text import listing_key
from models.vocabulary import LANGUAGE_DISPLAY

WITH_NUMBER, WITHOUT_NUMBER, TITLE = "with number", "without number", "title"
SHAPES = (WITH_NUMBER, WITHOUT_NUMBER, TITLE)
SKU, ABSENT, UNIDENTIFIABLE = "sku", "absent", "unidentifiable"
KINDS = (SKU, ABSENT, UNIDENTIFIABLE)
GAME_ORDER = ("MTG", "POKEMON", "YUGIOH", "OPTCG")
#: The targets of issue 12, as fractions.
TARGET_ACCEPTED_RIGHT = 0.995
TARGET_IN_CATALOG_ACCEPTED = 0.90
TARGET_ABSENT_ACCEPTED = 0.005


@dataclass(slots=True)
class GoldRow:
    game: str
    shape: str
    source: str  # file (or label file) the row comes from, for humans
    line: int
    listing: ParsedListing
    skus: frozenset[str]  # the right SKUs; empty: no SKU is right
    prints: frozenset[int]  # the right prints (calibration labels)
    kind: str  # KINDS
    note: str = ""
    #: The right print is known (one print fits): the row can label the confidence model.
    print_known: bool = True

    @property
    def split(self) -> str:
        """Deterministic 50/50 split: `train` (fits the calibration) or `test`."""
        digest = hashlib.sha256(f"{Path(self.source).name}:{self.line}".encode()).digest()
        return "train" if digest[0] % 2 == 0 else "test"


# -- the whole SKU of a row ------------------------------------------------------------------------


def condition_unreadable(listing: ParsedListing) -> bool:
    """The source gave a condition the reader could not map."""
    return listing.condition is None and any(
        "condition" in warning.lower() for warning in listing.warnings
    )


def sku_of(
    index: CatalogIndex,
    print_id: int,
    *,
    language: str | None,
    condition: str | None,
    finish: str | None,
    grade: Grade | None = None,
) -> str | None:
    """The SKU of `print_id` in the row's language, condition, finish and grade; None when the
    catalog has no such SKU (no print of that number in that language, or a finish the print
    was not made in). Unstated components take the documented defaults: the print's language,
    NM, the print's first non-1st-Edition finish."""
    entry = index.prints[print_id]
    if language and entry.language != language:
        siblings = index.games[entry.game].by_set_number.get((entry.set_id, entry.number_key), ())
        same = [
            index.prints[s]
            for s in siblings
            if index.prints[s].language == language
            and index.prints[s].sku_number == entry.sku_number
        ]
        if not same:
            return None
        entry = same[0]
    if finish is None or not entry.finishes:
        chosen = pick_finish(None, entry.finishes)[0] if entry.finishes else finish or "NORMAL"
    else:
        chosen = next(
            (f for f in FINISH_FALLBACK.get(finish, (finish,)) if f in entry.finishes), None
        )
        if chosen is None:
            return None
    parts = SkuParts(
        entry.game,
        entry.sku_set,
        entry.sku_number,
        entry.language,
        condition or "NM",
        chosen,
        grade,
    )
    return format_sku(parts)


def exact_number(index: CatalogIndex, prints: Iterable[int], number: str) -> list[int]:
    """Of prints sharing a number key, those whose collector number is written exactly as
    `number` when there are any (`LOB-EN001` is not `LOB-001`, the North American print)."""
    prints = list(prints)
    written = number.strip().upper()
    exact = [p for p in prints if index.prints[p].collector_number.upper() == written]
    return exact or prints


def _rarity_of(index: CatalogIndex, print_id: int) -> str:
    entry = index.prints[print_id]
    return listing_key(entry.rarity or entry.rarity_code or "")


def fitting_prints(index: CatalogIndex, gold: Iterable[int], listing: ParsedListing) -> set[int]:
    """The prints a listing cannot tell apart from its gold prints: the same name in the same
    set and language, the same number when the listing gives one, the same rarity (Yu-Gi-Oh!,
    Pokémon, One Piece), the same kind of art (alternate/parallel only when asked for), and a
    finish that can carry the listing's."""
    wants_alt = any(tag in ALT_TAGS for tag in listing.variant_tags)
    number = listing.number
    out: set[int] = set()
    for print_id in gold:
        entry = index.prints[print_id]
        card_key = index.cards[entry.card_id].name_key
        gi = index.games[entry.game]
        if number:
            pool = exact_number(
                index,
                gi.by_set_number.get(
                    (entry.set_id, catalog_number_key(entry.game, number)), [print_id]
                ),
                number,
            )
        else:
            pool = [
                p
                for card_id in gi.cards_by_key.get(card_key, ())
                for p in index.cards[card_id].print_ids
                if index.prints[p].set_id == entry.set_id
            ]
        for other_id in pool:
            other = index.prints[other_id]
            if other.language != entry.language:
                continue
            if (
                listing.rarity
                and entry.game in RARITY_GAMES
                and _rarity_of(index, other_id) != _rarity_of(index, print_id)
            ):
                continue
            if is_alternate_art(other.variation) != (
                is_alternate_art(entry.variation) if wants_alt else False
            ):
                if other_id != print_id:
                    continue
            if listing.finish and pick_finish(listing.finish, other.finishes)[1] is False:
                continue
            out.add(other_id)
    return out


def row_skus(
    index: CatalogIndex,
    gold: Iterable[int],
    listing: ParsedListing,
    truth: dict[str, Any] | None = None,
) -> tuple[frozenset[str], frozenset[int], str, bool]:
    """(right SKUs, right prints, kind, print known) of a listing whose right prints are
    `gold` (empty: the card is not in the catalog). The row's language, condition, finish and
    grade are the listing's unless `truth` gives them (data the listing was written from)."""
    truth = truth or {}
    gold = frozenset(gold)
    if not gold:
        return frozenset(), frozenset(), ABSENT, False
    language = truth.get("language", listing.language)
    if language is None and any(index.prints[p].language == "EN" for p in gold):
        language = "EN"  # a row that says no language is English
    skus = {
        print_id: sku_of(
            index,
            print_id,
            language=language,
            condition=truth.get("condition", listing.condition),
            finish=truth.get("finish", listing.finish),
            grade=truth.get("grade", listing.grade),
        )
        for print_id in gold
    }
    right = frozenset(s for s in skus.values() if s)
    prints = frozenset(p for p, s in skus.items() if s)
    if not right:
        return frozenset(), frozenset(), ABSENT, False
    one_print = len(prints) == 1 and not fitting_prints(index, prints, listing) - prints
    if "condition" not in truth and condition_unreadable(listing):
        return right, prints, UNIDENTIFIABLE, one_print
    if len(right) > 1 or not one_print:
        return right, prints, UNIDENTIFIABLE, one_print
    return right, prints, SKU, True


def gold_row(
    index: CatalogIndex,
    *,
    game: str,
    shape: str,
    source: str,
    line: int,
    listing: ParsedListing,
    gold: Iterable[int],
    truth: dict[str, Any] | None = None,
    note: str = "",
) -> GoldRow:
    skus, prints, kind, known = row_skus(index, gold, listing, truth)
    return GoldRow(game, shape, source, line, listing, skus, prints, kind, note, known)


# -- shapes ----------------------------------------------------------------------------------------


def rewrite_inventory(inventory: InventoryFile, *, blank: Iterable[str]) -> bytes:
    """The inventory's records written again with the columns of the listing fields `blank`
    emptied (as a seller whose file has no such column): CSV with the original header, or a
    JSON list."""
    keys = {key for fld in blank for key in inventory.spec.columns.get(fld, ())}
    rows = []
    for row in inventory:
        raw = {k: v for k, v in row.raw.items() if k != "_extra"}
        rows.append({k: ("" if header_key(k) in keys else v) for k, v in raw.items()})
    if inventory.spec.container == "json":
        return json.dumps(rows).encode("utf-8")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=inventory.header, extrasaction="ignore")
    writer.writeheader()
    for raw in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in raw.items()})
    return out.getvalue().encode("utf-8")


#: How a title writes each SKU component.
TITLE_CONDITIONS = {"NM": "NM", "LP": "LP", "MP": "MP", "HP": "HP", "DMG": "Damaged"}
TITLE_FINISHES = {
    "FOIL": "Foil",
    "ETCHED": "Etched Foil",
    "HOLO": "Holo",
    "REVERSE_HOLO": "Reverse Holo",
    "1ST": "1st Edition",
    "1ST_HOLO": "1st Edition Holo",
    "UNLIMITED": "Unlimited",
    "UNLIMITED_HOLO": "Unlimited Holo",
    "LIMITED": "Limited Edition",
}
TITLE_LANGUAGES = {code: word for code, word in LANGUAGE_DISPLAY.items() if code != "EN"}


def render_title(listing: ParsedListing, *, style: int = 0) -> str:
    """A seller's title for a structured listing: name, set, number, rarity (not Magic),
    finish, language (when not English), grade, condition. Style 0 separates with spaces,
    style 1 with ` - `."""
    number = listing.number or ""
    if number and listing.printed_total:
        number = f"{number}/{listing.printed_total}"
    if listing.game == "YUGIOH" and number:
        where = [number] if style == 0 else [listing.set_name or "", number]
    elif listing.game == "OPTCG" and number:  # the number's set is not the reprint's
        where = [number, listing.set_name or ""] if style == 0 else [listing.set_name or "", number]
    else:
        where = [listing.set_name or listing.set_code or "", number]
    rarity = listing.rarity if listing.game != "MTG" else None
    extras = [
        " ".join(listing.variant_tags[:1]).title() if listing.variant_tags else "",
        rarity or "",
        TITLE_FINISHES.get(listing.finish or "", ""),
        TITLE_LANGUAGES.get(listing.language or "", ""),
        f"{listing.grade.company} {listing.grade.value}" if listing.grade else "",
        TITLE_CONDITIONS.get(listing.condition or "NM", "NM") if not listing.grade else "",
    ]
    parts = [p for p in [listing.name or "", *where, *extras] if p]
    return (" - " if style else " ").join(parts)


def title_row(index: CatalogIndex, row: GoldRow, *, style: int = 0) -> GoldRow:
    """`row` as a title (read by the title parser); the right SKUs are the row's."""
    title = render_title(row.listing, style=style)
    listing = parse_title(title, game_hint=row.game)
    return dataclasses.replace(row, shape=TITLE, listing=listing)


# -- labelled exports (ids as labels) --------------------------------------------------------------


def labelled_prints(index: CatalogIndex, listing: ParsedListing) -> frozenset[int] | None:
    """The right prints of a row by its id (empty: not in the catalog); None: no label.
    Scryfall ids name a print; TCGplayer product ids every print of the product; Yu-Gi-Oh!
    passcodes the card, so with the row's number and rarity they name the print."""
    if listing.scryfall_id:
        hit = index.by_scryfall.get(listing.scryfall_id.lower())
        return frozenset([hit] if hit is not None else [])
    if listing.tcgplayer_id:
        prints = index.by_tcgplayer.get(listing.tcgplayer_id, ())
        if listing.number and len(prints) > 1:  # one product, several catalog prints
            key = catalog_number_key(index.prints[prints[0]].game, listing.number)
            prints = [p for p in prints if index.prints[p].number_key == key] or prints
        return frozenset(prints)
    if listing.ygoprodeck_id and listing.number:
        return _passcode_prints(index, listing)
    return None


def _passcode_prints(index: CatalogIndex, listing: ParsedListing) -> frozenset[int] | None:
    """The prints of the row's passcode with its number and one of its rarities (the number's
    only print when no rarity is spelled as the catalog spells it); None when the number is in
    the catalog under another passcode (alternate arts have their own): the label cannot say."""
    key = catalog_number_key("YUGIOH", listing.number or "")
    passcode_prints = index.by_ygoprodeck.get(listing.ygoprodeck_id or 0, ())
    prints = [p for p in passcode_prints if index.prints[p].number_key == key]
    if not prints:
        return None if index.games["YUGIOH"].by_number.get(key) else frozenset()
    rarities = {listing_key(r) for r in listing_rarities(listing)}
    named = [p for p in prints if _rarity_names(index, p) & rarities]
    if not named and len(prints) > 1:
        return frozenset()
    return frozenset(exact_number(index, named or prints, listing.number or ""))


def _rarity_names(index: CatalogIndex, print_id: int) -> set[str]:
    entry = index.prints[print_id]
    return {listing_key(entry.rarity or ""), listing_key(entry.rarity_code or "")}


def listing_rarities(listing: ParsedListing) -> list[str]:
    """The rarities a row names (a collection sheet may list several in one cell)."""
    for note in listing.notes:
        if note.startswith("several rarities listed: "):
            return note.removeprefix("several rarities listed: ").split(", ")
    return [listing.rarity] if listing.rarity else []


def _unjudgeable(index: CatalogIndex, listing: ParsedListing, gold: frozenset[int]) -> bool:
    """A TCGplayer id in no print cannot say the card is absent when the catalog keeps no
    TCGplayer id for a print of that name in that set (Summer Magic...)."""
    if gold or not listing.tcgplayer_id or listing.scryfall_id or not listing.name:
        return False
    gi = index.games.get(listing.game or "MTG")
    if gi is None:
        return False
    set_ids = set(gi.sets_by_code.get((listing.set_code or "").upper(), ()))
    set_ids.update(gi.sets_by_name.get(listing_key(listing.set_name or ""), ()))
    for card_id in gi.cards_by_key.get(listing_key(listing.name), ()):
        for print_id in index.cards[card_id].print_ids:
            entry = index.prints[print_id]
            if entry.set_id in set_ids and entry.tcgplayer_id is None:
                return True
    return False


Label = Callable[[CatalogIndex, ParsedListing], "frozenset[int] | None"]


def labelled_rows(
    index: CatalogIndex,
    paths: Iterable[Path],
    *,
    shapes: Iterable[str] = SHAPES,
    label: Label = labelled_prints,
    **read_options: Any,
) -> Iterator[GoldRow]:
    """Gold rows of exports whose rows `label` can label (by default: Scryfall ids, TCGplayer
    product ids, Yu-Gi-Oh! passcodes), in each of `shapes` (without number: the file rewritten
    without its number columns, and the set code for Yu-Gi-Oh!, whose code is the number's
    prefix)."""
    shapes = tuple(shapes)
    for path in paths:
        inventory = read_inventory(path, **read_options)
        rows = list(inventory)
        labels = []
        for row in rows:
            gold = None if row.error else label(index, row.listing)
            if gold is not None and _unjudgeable(index, row.listing, gold):
                gold = None
            labels.append(gold)
        if not any(label is not None for label in labels):
            continue
        shaped: dict[str, list] = {}
        if WITH_NUMBER in shapes or TITLE in shapes:
            shaped[WITH_NUMBER] = rows
        if WITHOUT_NUMBER in shapes:
            blank = ["number", "printed_total"]
            if any(r.listing.game in ("YUGIOH", "OPTCG") for r in rows):
                blank.append("set_code")
            games = Counter(_game_of(index, gold) for gold in labels if gold)
            options = {"game": games.most_common(1)[0][0] if games else None}
            options.update(read_options)  # a seller uploading it names the file's game
            options["format"] = inventory.detected_format
            again = read_inventory(rewrite_inventory(inventory, blank=blank), **options)
            shaped[WITHOUT_NUMBER] = list(again)
        for position, gold in enumerate(labels):
            if gold is None:
                continue
            for shape, shaped_rows in shaped.items():
                row = shaped_rows[position]
                if row.error:
                    continue
                game = _game_of(index, gold) or row.listing.game
                if game is None:
                    continue
                if (
                    shape == WITHOUT_NUMBER
                    and not gold
                    and _number_told_apart(index, rows[position].listing)
                ):
                    continue
                made = gold_row(
                    index,
                    game=game,
                    shape=shape,
                    source=str(path),
                    line=row.line_number,
                    listing=row.listing,
                    gold=gold,
                )
                if shape == WITH_NUMBER and WITH_NUMBER in shapes:
                    yield made
                if shape == WITH_NUMBER and TITLE in shapes and made.listing.name:
                    yield title_row(index, made, style=made.line % 2)
                if shape == WITHOUT_NUMBER:
                    yield made


def _number_told_apart(index: CatalogIndex, listing: ParsedListing) -> bool:
    """An absent row whose number was all that told it from a catalog print: the catalog has
    the name in the row's set and language (a Dragon Shield `BLC1-EN013S` silver variant, a
    newer promo number). Without the number it describes that print, so it leaves the
    without-number shape."""
    gi = index.games.get(listing.game or "")
    if gi is None or not listing.name or not listing.set_code:
        return False
    set_ids = set(gi.sets_by_code.get(listing.set_code.upper(), ()))
    language = listing.language or "EN"
    return any(
        index.prints[p].set_id in set_ids and index.prints[p].language == language
        for card_id in gi.cards_by_key.get(listing_key(listing.name), ())
        for p in index.cards[card_id].print_ids
    )


def _game_of(index: CatalogIndex, gold: frozenset[int]) -> str | None:
    return index.prints[next(iter(gold))].game if gold else None


# -- running and reporting -------------------------------------------------------------------------


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
        checks = [
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
        return [g for g in GAME_ORDER if g in present] + sorted(present - set(GAME_ORDER))

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
        if best is not None:
            report.pairs.append((best.confidence, best.print_id in row.prints))
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
