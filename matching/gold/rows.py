"""Gold rows and the whole SKU of a row: a `GoldRow` is one listing with the SKUs that are right
for it (the print and the row's language, condition, finish and grade, `row_skus`), its shape
(`SHAPES`) and its kind (`KINDS`: `sku`, `absent`, `unidentifiable`)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matching.index import CatalogIndex, catalog_number_key
from matching.parsing.listing import ParsedListing
from matching.scoring import (
    ALT_TAGS,
    FINISH_FALLBACK,
    PRINT_RARITY_GAMES,
    is_alternate_art,
    pick_finish,
)
from models.sku import Grade, SkuParts, format_sku
from models.text import listing_key

WITH_NUMBER, WITHOUT_NUMBER, TITLE = "with number", "without number", "title"
SHAPES = (WITH_NUMBER, WITHOUT_NUMBER, TITLE)
SKU, ABSENT, UNIDENTIFIABLE = "sku", "absent", "unidentifiable"
KINDS = (SKU, ABSENT, UNIDENTIFIABLE)
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
    chosen: str | None
    if finish is None or not entry.finishes:
        # a print with finishes always has a first one to sell
        chosen = (pick_finish(None, entry.finishes)[0] if entry.finishes else finish) or "NORMAL"
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
                and entry.game in PRINT_RARITY_GAMES
                and _rarity_of(index, other_id) != _rarity_of(index, print_id)
            ):
                continue
            if (
                is_alternate_art(other.variation)
                != (is_alternate_art(entry.variation) if wants_alt else False)
                and other_id != print_id
            ):
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
