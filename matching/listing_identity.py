"""The identity of a listing, independent of the copy: what the seller wrote (`source_text`),
its normalised key (`source_key`, the matcher's cache and learned-alias key), why it is not a
single card (`listing_kind_reason`), and the SKU of a print (`print_sku`).
"""

from __future__ import annotations

from matching.index import PrintEntry, catalog_number_key
from matching.parsing.listing import (
    KIND_CHOICE,
    KIND_LOT,
    KIND_SEALED,
    ParsedListing,
)
from models.sku import Grade, SkuParts, format_sku
from models.text import listing_key


def source_text(listing: ParsedListing) -> str:
    """What the seller wrote, for humans: the title, or `name | set | number | language`."""
    if isinstance(listing.raw, str):
        return listing.raw
    parts = [
        listing.name or "",
        listing.set_code or listing.set_name or "",
        listing.number or "",
        listing.language or "",
    ]
    return " | ".join(parts).strip(" |")


def source_key(listing: ParsedListing) -> str | None:
    """Normalised identity of the seller's text (without copy details such as condition)."""
    if isinstance(listing.raw, str):
        key = listing_key(listing.raw)
        return f"t:{key}"[:255] if key else None
    if not (listing.name or listing.number):
        return None
    number = catalog_number_key(listing.game, listing.number) if listing.number else ""
    parts = [
        listing.game or "",
        listing.name_key or "",
        (listing.set_code or "").lower(),
        listing_key(listing.set_name) if listing.set_name else "",
        number,
        listing.language or "",
    ]
    return ("f:" + "|".join(parts))[:255]


def listing_kind_reason(listing: ParsedListing) -> str | None:
    if listing.kind == KIND_LOT:
        return "not a single card: lot of several cards"
    if listing.kind == KIND_SEALED:
        return "not a single card: sealed product"
    if listing.kind == KIND_CHOICE:
        return "not a single card: multi-variation listing (buyer chooses)"
    return None


def print_sku(entry: PrintEntry, condition: str, finish: str, grade: Grade | None) -> str:
    """The SKU of a print for a condition, finish and grade (in the print's language)."""
    return format_sku(
        SkuParts(
            entry.game, entry.sku_set, entry.sku_number, entry.language, condition, finish, grade
        )
    )
