"""Lookups served from the catalog database (PostgreSQL or SQLite): cards, prints, SKUs,
set + number, names, and collections of identifiers.

Each function returns JSON-ready dicts (the shapes of `schemas.py`) or None when nothing
matches, so the routes can cache them as they are. Print summaries come from the same catalog
query the indexer uses (`indexer.catalog.documents_for`), so a lookup shows a print exactly as a
search hit does.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from etl.records import normalize_name
from indexer.catalog import documents_for
from models import Card, CardSet, CatalogSku, Print
from models.games import GAME_IDS
from models.sku import format_sku, parse_sku
from search_api.catalog.schemas import CardOut, Identifier
from search_api.catalog.search import print_item

GAME_CODES = {v: k for k, v in GAME_IDS.items()}
#: Most prints listed with a card.
MAX_CARD_PRINTS = 500
#: Most candidates an `ambiguous` answer lists.
MAX_CANDIDATES = 20
_CARD_FIELDS = [name for name in CardOut.model_fields if name not in ("id", "game", "def_")]


class AmbiguousError(LookupError):
    """Several cards fit a name; `candidates` lists them."""

    def __init__(self, candidates: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(candidates)} cards fit")
        self.candidates = candidates


def _num(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def card_out(card: Card) -> dict[str, Any]:
    out = {"id": card.id, "game": GAME_CODES.get(card.game_id, str(card.game_id))}
    for name in _CARD_FIELDS:
        value = getattr(card, name)
        out[name] = list(value) if isinstance(value, list) else _num(value)
    out["def"] = card.def_
    return out


def sku_out(row: CatalogSku) -> dict[str, Any]:
    grade = f"{row.grade_company}{_grade(row.grade_value)}" if row.grade_company else None
    return {
        "sku": row.sku, "print_id": row.print_id, "language": row.language,
        "condition": row.condition, "finish": row.finish, "grade": grade,
        "is_available_b2c": bool(row.is_available_b2c),
        "is_available_c2c": bool(row.is_available_c2c),
        "vendor_count": row.vendor_count or 0,
        "consumer_seller_count": row.consumer_seller_count or 0,
        "total_listings": row.total_listings or 0, "total_quantity": row.total_quantity or 0,
        "min_price": _num(row.min_price), "max_price": _num(row.max_price),
        "avg_price": _num(row.avg_price), "median_price": _num(row.median_price),
        "market_price": _num(row.market_price), "price_trend": row.price_trend,
        "currency": row.currency or "USD",
        "price_updated_at": row.price_updated_at.isoformat() if row.price_updated_at else None,
    }  # fmt: skip


def _grade(value: Decimal | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else str(value)


def documents(session: Session, print_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The search documents of these prints, read from the catalog as the indexer reads them."""
    return documents_for(session, print_ids)


def print_items(session: Session, print_ids: Sequence[int]) -> list[dict[str, Any]]:
    """PrintItem dicts of the prints that exist, in the order of `print_ids`."""
    docs = documents(session, print_ids)
    return [print_item(docs[i]) for i in print_ids if i in docs]


# -- one card, print or SKU -----------------------------------------------------------------------


def card_detail(session: Session, card_id: int) -> dict[str, Any] | None:
    card = session.get(Card, card_id)
    if card is None:
        return None
    ids = session.scalars(
        sa.select(Print.id)
        .where(Print.card_id == card_id)
        .order_by(Print.released_at.desc().nulls_last(), Print.id)
        .limit(MAX_CARD_PRINTS)
    ).all()
    return {"card": card_out(card), "prints": print_items(session, ids)}


def print_detail(session: Session, print_id: int) -> dict[str, Any] | None:
    row = session.get(Print, print_id)
    if row is None:
        return None
    items = print_items(session, [print_id])
    skus = session.scalars(
        sa.select(CatalogSku).where(CatalogSku.print_id == print_id).order_by(CatalogSku.id)
    ).all()
    return {
        "print": items[0],
        "card": card_out(row.card),
        "artist": row.artist,
        "flavor_text": row.flavor_text,
        "images": row.images or {},
        "skus": [sku_out(s) for s in skus],
    }


def sku_detail(session: Session, sku: str) -> dict[str, Any] | None:
    """Raises `models.sku.SkuError` for a malformed SKU; None for an unknown one."""
    canonical = format_sku(parse_sku(sku))
    row = session.scalars(sa.select(CatalogSku).where(CatalogSku.sku == canonical)).first()
    if row is None:
        return None
    items = print_items(session, [row.print_id])
    if not items:
        return None
    return {"sku": sku_out(row), "print": items[0], "card": card_out(row.print.card)}


def _set_row(session: Session, game: str | None, code: str) -> CardSet | None:
    stmt = sa.select(CardSet).where(sa.func.upper(CardSet.code) == code.strip().upper())
    if game is not None:
        stmt = stmt.where(CardSet.game_id == GAME_IDS[game])
    return session.scalars(stmt.order_by(CardSet.id)).first()


def find_by_set_number(
    session: Session, game: str | None, set_code: str, number: str, language: str | None = None
) -> int | None:
    """The print id at `set_code` + `number` (English first unless `language` is given). Without
    a game, a code several games use (`OP01`) is looked up in each."""
    wanted = number.strip().lower()
    candidates = [wanted, wanted.lstrip("0") or "0"]
    stmt = (
        sa.select(Print.id, Print.language)
        .join(CardSet, CardSet.id == Print.set_id)
        .where(
            sa.func.upper(CardSet.code) == set_code.strip().upper(),
            sa.func.lower(Print.collector_number).in_(candidates),
        )
    )
    if game is not None:
        stmt = stmt.where(CardSet.game_id == GAME_IDS[game])
    if language:
        stmt = stmt.where(sa.func.upper(Print.language) == language.upper())
    rows = session.execute(stmt.order_by(Print.id)).all()
    if not rows:
        return None
    english = [pid for pid, lang in rows if (lang or "").upper() == "EN"]
    return english[0] if english else rows[0][0]


# -- names --------------------------------------------------------------------------------------


def _candidate(session: Session, card: Card) -> dict[str, Any]:
    first = session.execute(
        sa.select(CardSet.code, Print.collector_number)
        .join(Print, Print.set_id == CardSet.id)
        .where(Print.card_id == card.id)
        .order_by(Print.released_at.desc().nulls_last(), Print.id)
        .limit(1)
    ).first()
    return {
        "card_id": card.id, "name": card.name, "game": GAME_CODES.get(card.game_id),
        "set_code": first[0] if first else None, "collector_number": first[1] if first else None,
    }  # fmt: skip


def _cards_named(
    session: Session, name: str, game: str | None, set_code: str | None, *, prefix: bool = False
) -> list[Card]:
    key = normalize_name(name)
    if not key:
        return []
    column = Card.normalized_name
    if prefix:
        escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        condition = column.like(f"{escaped}%", escape="\\")
    else:
        condition = column == key
    stmt = sa.select(Card).where(condition)
    if game is not None:
        stmt = stmt.where(Card.game_id == GAME_IDS[game])
    if set_code is not None:
        card_set = _set_row(session, game, set_code)
        if card_set is None:
            return []
        stmt = stmt.where(sa.exists().where(Print.card_id == Card.id, Print.set_id == card_set.id))
    return list(session.scalars(stmt.order_by(Card.id).limit(MAX_CANDIDATES + 1)))


def _one(session: Session, cards: list[Card]) -> Card | None:
    if not cards:
        return None
    if len(cards) > 1:
        raise AmbiguousError([_candidate(session, c) for c in cards[:MAX_CANDIDATES]])
    return cards[0]


def card_named(
    session: Session,
    *,
    exact: str | None = None,
    fuzzy: str | None = None,
    game: str | None = None,
    set_code: str | None = None,
    fuzzy_ids: Sequence[int] = (),
) -> Card | None:
    """The one card named `exact` (accent/case-blind), or best fitting `fuzzy`: an exact name,
    else names starting with it, else `fuzzy_ids` (the search engine's best cards, typo
    tolerant). Raises AmbiguousError when several cards fit equally."""
    if exact is not None:
        return _one(session, _cards_named(session, exact, game, set_code))
    assert fuzzy is not None
    found = _cards_named(session, fuzzy, game, set_code)
    if found:
        return _one(session, found)
    found = _cards_named(session, fuzzy, game, set_code, prefix=True)
    if found:
        return _one(session, found)
    cards = [session.get(Card, i) for i in fuzzy_ids]
    return _one(session, [c for c in cards if c is not None])


# -- collections --------------------------------------------------------------------------------


def resolve_identifier(session: Session, ident: Identifier, game: str | None) -> int | None:
    """The print id an identifier names (None when nothing does, or several cards fit)."""
    from models.sku import SkuError

    if ident.sku is not None:
        try:
            canonical = format_sku(parse_sku(ident.sku))
        except SkuError:
            return None
        return session.scalars(
            sa.select(CatalogSku.print_id).where(CatalogSku.sku == canonical)
        ).first()
    if ident.print_id is not None:
        return ident.print_id if session.get(Print, ident.print_id) is not None else None
    if ident.name is None:
        return find_by_set_number(session, game, ident.set or "", ident.number or "")
    try:
        card = _one(session, _cards_named(session, ident.name, game, ident.set))
    except AmbiguousError:
        return None
    if card is None:
        return None
    stmt = sa.select(Print.id).where(Print.card_id == card.id)
    if ident.set is not None:
        card_set = _set_row(session, game, ident.set)
        stmt = stmt.where(Print.set_id == (card_set.id if card_set else -1))
    stmt = stmt.order_by(
        (sa.func.upper(Print.language) != "EN"), Print.released_at.desc().nulls_last(), Print.id
    )
    return session.scalars(stmt.limit(1)).first()
