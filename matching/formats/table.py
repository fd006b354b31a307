"""The export formats the reader knows: one `FormatSpec` per tool (its signature, column map,
vocabulary and hook), `detect_format` from a header, and `generic_spec` for a caller's own
column mapping. A data table: docs/matching-input.md lists the tools."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from matching.formats import hooks
from matching.formats.spec import FIELDS, FormatSpec, build_spec, header_key, is_column_field

FORMATS: tuple[FormatSpec, ...] = (
    build_spec(
        "tcgplayer",
        "TCGplayer app collection export (old and new share the header; no game column)",
        ("Quantity", "Name", "Simple Name", "Set Code", "Printing", "Product ID"),
        {
            "quantity": ("Quantity",),
            "name": ("Simple Name",),
            "name_variant": ("Name",),
            "set_name": ("Set",),
            "number": ("Card Number",),
            "set_code": ("Set Code",),
            "printing": ("Printing",),
            "condition": ("Condition",),
            "language": ("Language",),
            "rarity": ("Rarity",),
            "tcgplayer_id": ("Product ID",),
            "tcgplayer_sku_id": ("SKU",),
        },
        hook=hooks.tcgplayer_app,
    ),
    build_spec(
        "tcgplayer_pricing",
        "TCGplayer seller inventory (My Pricing) export; Product Line is the game",
        ("TCGplayer Id", "Product Line", "Product Name"),
        {
            "tcgplayer_sku_id": ("TCGplayer Id",),
            "tcgplayer_id": ("Product ID",),
            "game": ("Product Line",),
            "set_name": ("Set Name",),
            "name_variant": ("Product Name",),
            "number": ("Number",),
            "rarity": ("Rarity",),
            "condition": ("Condition",),
            "printing": ("Printing",),
            "quantity": ("Total Quantity", "Add to Quantity"),
            "price": ("TCG Marketplace Price",),
            "note:title": ("Title",),
        },
        currency="USD",
        hook=hooks.tcgplayer_pricing,
    ),
    build_spec(
        "manabox",
        "ManaBox collection export (MTG)",
        ("Name", "Set code", "Set name", "Collector number", "Foil", "Quantity"),
        {
            "name": ("Name",),
            "set_code": ("Set code",),
            "set_name": ("Set name",),
            "number": ("Collector number",),
            "foil": ("Foil",),
            "rarity": ("Rarity",),
            "quantity": ("Quantity",),
            "scryfall_id": ("Scryfall ID",),
            "price": ("Purchase price",),
            "currency": ("Purchase price currency",),
            "condition": ("Condition",),
            "language": ("Language",),
            "id:manabox_id": ("ManaBox ID",),
            "note:binder": ("Binder Name",),
        },
        game="MTG",
        vocabulary="manabox",
        blank_foil_is_normal=True,
    ),
    build_spec(
        "deckbox",
        "Deckbox inventory export (MTG)",
        ("Count", "Name", "Edition", "Edition Code", "Card Number"),
        {
            "quantity": ("Count",),
            "name": ("Name",),
            "set_name": ("Edition",),
            "set_code": ("Edition Code",),
            "number": ("Card Number",),
            "condition": ("Condition",),
            "language": ("Language",),
            "foil": ("Foil",),
            "price": ("My Price",),
            "rarity": ("Rarity",),
            "tcgplayer_id": ("TcgPlayer ID",),
            "scryfall_id": ("Scryfall ID",),
            "id:deckbox_printing_id": ("Printing Id",),
            "note:printing note": ("Printing Note",),
        },
        game="MTG",
        vocabulary="deckbox",
        blank_foil_is_normal=True,
        hook=hooks.deckbox,
    ),
    build_spec(
        "moxfield",
        "Moxfield collection / binder export (MTG)",
        ("Count", "Name", "Edition"),
        {
            "quantity": ("Count",),
            "name": ("Name",),
            "set_code": ("Edition",),
            "condition": ("Condition",),
            "language": ("Language",),
            "foil": ("Foil",),
            "number": ("Collector Number",),
            "price": ("Purchase Price",),
            "note:tags": ("Tags",),
        },
        game="MTG",
        vocabulary="moxfield",
        blank_foil_is_normal=True,
        hook=hooks.moxfield,
    ),
    build_spec(
        "dragonshield",
        "Dragon Shield Card Manager export (MTG; Yu-Gi-Oh! when numbers are LOB-EN001-shaped)",
        ("Quantity", "Trade Quantity", "Card Name", "Set Code", "Card Number", "Printing"),
        {
            "quantity": ("Quantity",),
            "name": ("Card Name",),
            "set_code": ("Set Code",),
            "set_name": ("Set Name",),
            "number": ("Card Number",),
            "rarity": ("Rarity",),
            "condition": ("Condition",),
            "printing": ("Printing",),
            "language": ("Language",),
            "price": ("Price Bought",),
            "note:folder": ("Folder Name",),
        },
        game="MTG",
        vocabulary="dragonshield",
        hook=hooks.dragonshield,
    ),
    build_spec(
        "archidekt",
        "Archidekt collection export (MTG)",
        ("Quantity", "Name", "Finish", "Edition Name", "Edition Code", "Collector Number"),
        {
            "quantity": ("Quantity",),
            "name": ("Name",),
            "finish": ("Finish",),
            "condition": ("Condition",),
            "language": ("Language",),
            "price": ("Purchase Price",),
            "set_name": ("Edition Name",),
            "set_code": ("Edition Code",),
            "scryfall_id": ("Scryfall ID",),
            "number": ("Collector Number",),
            "id:multiverse_id": ("Multiverse Id",),
            "note:tags": ("Tags",),
        },
        game="MTG",
        vocabulary="archidekt",
        blank_foil_is_normal=True,
    ),
    build_spec(
        "topdecked",
        "TopDecked collection export (MTG)",
        ("QUANTITY", "NAME", "SETCODE", "SETNAME", "COLLECTOR NUMBER", "FINISH", "LANG"),
        {
            "quantity": ("QUANTITY",),
            "name": ("NAME",),
            "set_code": ("SETCODE",),
            "set_name": ("SETNAME",),
            "number": ("COLLECTOR NUMBER",),
            "finish": ("FINISH",),
            "price": ("PRICE SALE", "ACQUIRED PRICE"),
            "rarity": ("RARITY",),
            "scryfall_id": ("ID",),
            "language": ("LANG",),
            "condition": ("CONDITION",),
            "note:notes": ("NOTES",),
            "note:tags": ("TAGS",),
        },
        game="MTG",
        vocabulary="topdecked",
        blank_foil_is_normal=True,
    ),
    build_spec(
        "mtggoldfish",
        "MTGGoldfish collection export (MTG; the MTG Arena variant has only the first five)",
        ("Card", "Set ID", "Set Name", "Quantity", "Foil"),
        {
            "name": ("Card",),
            "set_code": ("Set ID",),
            "set_name": ("Set Name",),
            "quantity": ("Quantity",),
            "foil": ("Foil",),
            "number": ("Collector Number",),
            "scryfall_id": ("Scryfall ID",),
        },
        game="MTG",
        vocabulary="mtggoldfish",
        blank_foil_is_normal=True,
        hook=hooks.mtggoldfish,
    ),
    build_spec(
        "mtgo",
        "Magic Online collection export (.csv)",
        ("Card Name", "Quantity", "ID #", "Set", "Premium"),
        {
            "name": ("Card Name",),
            "quantity": ("Quantity",),
            "id:mtgo_id": ("ID #",),
            "rarity": ("Rarity",),
            "set_code": ("Set",),
            "number": ("Collector #",),
        },
        game="MTG",
        hook=hooks.mtgo,
    ),
    build_spec(
        "cardkingdom",
        "Card Kingdom buylist/deck CSV (MTG)",
        ("title", "edition", "foil", "quantity"),
        {
            "name": ("title",),
            "set_name": ("edition",),
            "foil": ("foil",),
            "quantity": ("quantity",),
        },
        game="MTG",
        blank_foil_is_normal=True,
    ),
    build_spec(
        "cardmarket",
        "Cardmarket stock export (semicolons; product id only, no name)",
        ("idProduct", "groupCount", "idLanguage", "condition", "isFoil"),
        {
            "cardmarket_id": ("idProduct",),
            "quantity": ("groupCount",),
            "price": ("price",),
            "condition": ("condition",),
        },
        vocabulary="cardmarket",
        currency="EUR",
        hook=hooks.cardmarket,
    ),
    build_spec(
        "collx",
        "CollX export (mixed sports and TCG cards, no game column)",
        ("collx_id", "name", "team", "brand", "set", "flags"),
        {
            "name": ("name",),
            "number": ("number",),
            "set_name": ("set",),
            "rarity": ("flags",),
            "condition": ("condition",),
            "price": ("asking_price",),
            "id:collx_id": ("collx_id",),
            "note:notes": ("notes",),
        },
        vocabulary="collx",
        currency="USD",
        hook=hooks.collx,
    ),
    build_spec(
        "ygo_collection",
        "Yu-Gi-Oh! collection JSON (a list of objects with Name, Code, Set, Rarity, Edition, ID)",
        ("Name", "Code", "Set", "Rarity", "Edition"),
        {
            "name": ("Name",),
            "number": ("Code",),
            "set_name": ("Set",),
            "rarity": ("Rarity",),
            "edition": ("Edition",),
            "ygoprodeck_id": ("ID",),
            "price": ("Price",),
            "note:deck": ("In Deck",),
        },
        game="YUGIOH",
        hook=hooks.ygo_collection,
        container="json",
    ),
    build_spec(
        "titles",
        "Listing titles (eBay search results: Title, Price, Link); each title -> parse_title",
        ("Title",),
        {"title": ("Title",), "price": ("Price",), "id:url": ("Link", "URL")},
        vocabulary="ebay",
        hook=hooks.titles,
    ),
)

FORMATS_BY_NAME = {spec.name: spec for spec in FORMATS}


def detect_format(header: list[str], *, container: str = "csv") -> FormatSpec | None:
    """The format whose signature the header holds; the largest signature wins (Deckbox's
    holds Moxfield's, Card Kingdom's holds the titles one)."""
    keys = {header_key(h) for h in header}
    found = [s for s in FORMATS if s.container == container and s.matches(keys)]
    return max(found, key=lambda s: len(s.signature), default=None)


def generic_spec(
    mapping: Mapping[str, str],
    *,
    game: str | None = None,
    vocabulary: str = "tcgplayer",
    base: FormatSpec | None = None,
) -> FormatSpec:
    """A spec from a caller's column mapping, `{"name": "Card", "set_code": "Set", ...}`
    (listing field -> header name). On top of `base` when given (its columns are overridden; an
    empty column name stops the field being read)."""
    columns = dict(base.columns) if base else {}
    for fld, column in mapping.items():
        if not is_column_field(fld):
            raise ValueError(
                f"unknown listing field {fld!r} in mapping; known: {', '.join(FIELDS)}"
            )
        if column.strip():
            columns[fld] = (header_key(column),)
        else:
            columns.pop(fld, None)
    if base is not None:
        return dataclasses.replace(base, columns=columns, game=base.game or game, notes=())
    return FormatSpec(
        "generic",
        "CSV with a caller-supplied column mapping",
        frozenset(),
        columns,
        game=game,
        vocabulary=vocabulary,
        hook=hooks.generic,
    )
