"""Labelled exports: `labelled_rows` turns an export whose rows carry Scryfall ids, TCGplayer
product ids or Yu-Gi-Oh! passcodes into gold rows (the ids are the labels), and `blind`
removes the ids before matching."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from matching.formats import InventoryRow, read_inventory
from matching.gold.rows import (
    SHAPES,
    TITLE,
    WITH_NUMBER,
    WITHOUT_NUMBER,
    GoldRow,
    exact_number,
    gold_row,
)
from matching.gold.shapes import rewrite_inventory, title_row
from matching.index import CatalogIndex, catalog_number_key
from matching.parsing.listing import ParsedListing
from models.text import listing_key


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
        shaped: dict[str, list[InventoryRow]] = {}
        if WITH_NUMBER in shapes or TITLE in shapes:
            shaped[WITH_NUMBER] = rows
        if WITHOUT_NUMBER in shapes:
            blank = ["number", "printed_total"]
            if any(r.listing.game in ("YUGIOH", "OPTCG") for r in rows):
                blank.append("set_code")
            games = Counter(_game_of(index, gold) for gold in labels if gold)
            options: dict[str, Any] = {"game": games.most_common(1)[0][0] if games else None}
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
