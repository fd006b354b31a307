"""Factories for matching: an in-memory `CatalogIndex` from a few rows (pure unit tests need no
database), and matching rows (API keys, matches) for database tests."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.orm import Session

from matching.index import CardEntry, CatalogIndex, PrintEntry, SetEntry, catalog_number_key
from models.text import listing_key

_ids = itertools.count(1)


class IndexBuilder:
    """`IndexBuilder().set(...).card(...).print_(...)...build()` -> a finished CatalogIndex."""

    def __init__(self) -> None:
        self.index = CatalogIndex("test")
        self.sets: dict[tuple[str, str], SetEntry] = {}
        self.cards: dict[tuple[str, str], CardEntry] = {}

    def set(
        self,
        code: str,
        name: str,
        *,
        game: str = "MTG",
        aliases: tuple[str, ...] = (),
        printed_total: int | None = None,
    ) -> IndexBuilder:
        key = listing_key(name)
        entry = SetEntry(next(_ids), game, code, name, key, aliases, printed_total, None)
        self.sets[(game, code)] = entry
        self.index.add_set(entry)
        return self

    def print_(
        self,
        name: str,
        set_code: str,
        number: str,
        *,
        game: str = "MTG",
        language: str = "EN",
        finishes: tuple[str, ...] = ("NORMAL", "FOIL"),
        faces: tuple[str, ...] = (),
        **fields: Any,
    ) -> int:
        """Add a print (and its card the first time); returns the print id."""
        card = self.cards.get((game, name))
        if card is None:
            keys = tuple(dict.fromkeys(listing_key(n) for n in (name, *faces)))
            card = CardEntry(next(_ids), game, name, listing_key(name), keys)
            self.cards[(game, name)] = card
            self.index.add_card(card)
        card_set = self.sets[(game, set_code)]
        print_id = next(_ids)
        sku_number = fields.pop("sku_number", number.zfill(3) if number.isdigit() else number)
        entry = PrintEntry(
            id=print_id,
            game=game,
            card_id=card.id,
            set_id=card_set.id,
            collector_number=number,
            number_key=catalog_number_key(game, number),
            sku_set=set_code,
            sku_number=sku_number.replace("-", "."),
            language=language,
            finishes=finishes,
            rarity=fields.pop("rarity", None),
            rarity_code=fields.pop("rarity_code", None),
            variation=fields.pop("variation", None),
            is_promo=fields.pop("is_promo", False),
            is_digital=fields.pop("is_digital", False),
            tcgplayer_id=fields.pop("tcgplayer_id", None),
            cardmarket_id=fields.pop("cardmarket_id", None),
            scryfall_id=fields.pop("scryfall_id", None),
            ygoprodeck_id=fields.pop("ygoprodeck_id", None),
        )
        assert not fields, fields
        self.index.add_print(entry)
        return print_id

    def build(self) -> CatalogIndex:
        return self.index.finish()


def api_key(session: Session, *, role: str = "admin", seller_id: str | None = None) -> str:
    """A stored key; returns the token."""
    from matching.auth import create_key

    _, token = create_key(session, name=f"{role}-{next(_ids)}", role=role, seller_id=seller_id)
    return token


def match_row(session: Session, **fields: Any):
    """A pending product_catalog_matches row."""
    from matching.models import ProductCatalogMatch

    row = ProductCatalogMatch(
        seller_id=fields.pop("seller_id", "seller-1"),
        seller_type=fields.pop("seller_type", "business_vendor"),
        product_ref=fields.pop("product_ref", f"p-{next(_ids)}"),
        source_text=fields.pop("source_text", "Lightning Bolt | M10 | 146"),
        source_key=fields.pop("source_key", "f:MTG|lightning bolt|m10||146|"),
        game=fields.pop("game", "MTG"),
        catalog_sku=fields.pop("catalog_sku", "MTG-M10-146-EN-NM-NORMAL"),
        print_id=fields.pop("print_id", 1),
        match_method=fields.pop("match_method", "fuzzy"),
        confidence_score=fields.pop("confidence_score", 0.7),
        matched_fields=fields.pop("matched_fields", {"name": 1.0}),
        candidates=fields.pop("candidates", []),
        decision=fields.pop("decision", "review"),
        status=fields.pop("status", "pending"),
        **fields,
    )
    session.add(row)
    session.flush()
    return row
