"""The other shapes of a gold row: the export without its number columns
(`rewrite_inventory`) and a seller's title rendered from the row (`render_title`, `title_row`)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterable

from matching.formats import InventoryFile, header_key
from matching.gold.rows import TITLE, GoldRow
from matching.index import CatalogIndex
from matching.parsing.listing import ParsedListing
from matching.parsing.title import parse_title
from models.vocabulary import CONDITION_CODES, FINISHES, LANGUAGE_DISPLAY


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


#: How a title writes each SKU component: a condition by its code (`Damaged` spelled out), a
#: finish by its kernel name (a plain or glossy card says nothing; two names as sellers write them).
TITLE_CONDITIONS = {code: code for code in CONDITION_CODES} | {"DMG": "Damaged"}
TITLE_FINISHES = {
    finish.code: finish.name for finish in FINISHES if finish.code not in ("NORMAL", "GLOSSY")
} | {"ETCHED": "Etched Foil", "LIMITED": "Limited Edition"}
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
