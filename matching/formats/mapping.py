"""The row-mapping engine: `map_row` fills a `ParsedListing` from one record by a spec's column
map, reading the columns with the vocabulary of the spec's tool (`TOOL_VOCABULARIES`: its
condition, language and finish words; blank foil meaning non-foil, default game), then runs the
spec's per-tool hook (matching/formats/hooks.py).
"""

from __future__ import annotations

import dataclasses

from matching.formats.spec import FormatSpec, Row
from matching.parsing import spellings, vocab
from matching.parsing.listing import ParsedListing
from matching.parsing.title import parse_title
from matching.parsing.values import (
    parse_int_id,
    parse_price,
    parse_quantity,
    parse_uuid,
    split_name_variant,
    split_number,
)
from models.text import spelling_key


def _apply_printing(listing: ParsedListing, printing: vocab.Printing) -> None:
    if printing.finish and listing.finish is None:
        listing.finish = printing.finish
    if printing.first_edition is not None and listing.is_first_edition is None:
        listing.is_first_edition = printing.first_edition
    if printing.detail:
        listing.add_variant(printing.detail)


def map_row(spec: FormatSpec, row: Row, listing: ParsedListing) -> str | None:
    """Fill `listing` from `row` by the spec's column map; returns an error or None."""
    cols = spec.columns

    def get(fld: str) -> str | None:
        return row.get(*cols[fld]) if fld in cols else None

    error: str | None = None
    if (title := get("title")) is not None:
        parsed = parse_title(title, game_hint=spec.game)
        for attr in (f.name for f in dataclasses.fields(ParsedListing)):
            if attr not in ("raw", "quantity", "price", "currency"):
                setattr(listing, attr, getattr(parsed, attr))
        if parsed.quantity != 1:
            listing.quantity = parsed.quantity
    listing.game = listing.game or spec.game
    if (game_text := get("game")) is not None:
        game = vocab.parse_game(game_text)
        if game is None:
            error = f"not a supported game ({game_text!r})"
        listing.game = game
        if "japan" in game_text.lower():
            listing.language = "JP"

    name = get("name")
    full_name = get("name_variant")
    if full_name:
        base, tag = split_name_variant(full_name)
        if tag:
            listing.add_variant(tag)
        name = name or base
    if name:
        listing.name = name
    listing.set_code = get("set_code") or listing.set_code
    listing.set_name = get("set_name") or listing.set_name
    number, total = split_number(get("number"))
    if number:
        listing.number, listing.printed_total = number, total or get("printed_total")
    listing.rarity = get("rarity") or listing.rarity

    condition_text = get("condition")
    if condition_text:
        reading = vocab.parse_condition_text(condition_text, tool=spec.vocabulary)
        listing.condition = reading.condition
        if reading.condition is None:
            listing.warn(f"unknown condition {condition_text!r}")
            listing.mark_unread("condition", condition_text)
        elif reading.detail:
            listing.warn(f"condition {condition_text!r}: {reading.detail!r} not understood")
        if reading.finish:
            listing.finish = reading.finish
        if reading.first_edition is not None:
            listing.is_first_edition = reading.first_edition
        if reading.language:
            listing.language = reading.language

    for fld in ("printing", "finish", "foil", "edition"):
        if fld not in cols:
            continue
        text = get(fld)
        if text is None:
            blank_column = any(row.has(key) for key in cols[fld])  # not a column the file lacks
            if fld in ("foil", "finish") and spec.blank_foil_is_normal and blank_column:
                listing.finish = listing.finish or spellings.NORMAL
            continue
        printing = vocab.parse_printing(text, tool=spec.vocabulary)
        if printing is None and fld == "foil":
            flag = vocab.parse_flag(text)
            printing = (
                vocab.Printing({True: spellings.FOIL, False: spellings.NORMAL}[flag])
                if (flag is not None)
                else None
            )
        if printing is None:
            listing.warn(f"unknown {fld} {text!r}")
            listing.mark_unread("finish", text)
            continue
        _apply_printing(listing, printing)

    language_text = get("language")
    if language_text:
        language = vocab.parse_language(language_text, tool=spec.vocabulary)
        if language is None:
            listing.warn(f"unknown language {language_text!r}")
            listing.mark_unread("language", language_text)
        else:
            listing.language = language

    if "quantity" in cols:
        quantity = parse_quantity(get("quantity"))
        if quantity.error:
            error = quantity.error
        elif quantity.quantity is not None:
            listing.quantity = quantity.quantity
        if quantity.warning:
            listing.warn(quantity.warning)

    price_text = get("price")
    if price_text:
        price = parse_price(price_text, currency=get("currency") or spec.currency)
        if price.amount:  # 0.00 is "no price set" in every tool that writes it
            listing.price, listing.currency = price.amount, price.currency
        if price.warning:
            listing.warn(price.warning)

    if (grade_text := get("grade")) is not None:
        _read_grade_columns(listing, grade_text, get("grader"))

    scryfall = get("scryfall_id")
    if scryfall:
        listing.scryfall_id = parse_uuid(scryfall)
        if listing.scryfall_id is None:
            listing.warn(f"malformed Scryfall id {scryfall!r}")
    for fld in ("tcgplayer_id", "tcgplayer_sku_id", "cardmarket_id", "ygoprodeck_id"):
        if (value := get(fld)) is not None:
            setattr(listing, fld, parse_int_id(value))
    for fld, keys in cols.items():
        if fld.startswith("id:") and (value := row.get(*keys)):
            listing.extra_ids[fld[3:]] = value
        elif fld.startswith("note:") and (value := row.get(*keys)):
            listing.note(f"{fld[5:]}: {value}")

    if spec.hook is not None:
        error = spec.hook(listing, row) or error
    if error is None and not _identifiable(listing) and "title" not in cols:
        error = "no card name or identifier"
    return error


def _read_grade_columns(listing: ParsedListing, grade_text: str, grader: str | None) -> None:
    """A grade column (`PSA 10`, `BGS 9.5`), or a grade (`10`) beside a grader column (`PSA`).
    A grade the SKU cannot carry (another grader, no grader) is recorded as unread."""
    if spelling_key(grade_text) in spellings.UNGRADED_WORDS:
        return
    text = f"{grader} {grade_text}" if grader and grader not in grade_text else grade_text
    reading = vocab.parse_grade(text)
    if reading and reading.grade:
        listing.grade = reading.grade
        return
    listing.warn(f"grade {text!r} not usable")
    listing.mark_unread("grade", text)


def _identifiable(listing: ParsedListing) -> bool:
    return bool(
        listing.name
        or listing.scryfall_id
        or listing.tcgplayer_id
        or listing.tcgplayer_sku_id
        or listing.cardmarket_id
        or listing.ygoprodeck_id
        or (listing.number and (listing.set_code or listing.set_name))
    )
