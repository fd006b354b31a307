"""Lookups served from the catalog database (PostgreSQL or SQLite): cards, prints, SKUs,
set + number, names, and collections of identifiers.

Each function takes a connection (the routes use the read-only engine, `models.db`) and returns
JSON-ready dicts (the shapes of `schemas.py`) or None when nothing matches, so the routes can
cache them as they are. The statements are Core selects of the columns a response shows, built
once at import: no ORM objects, no lazy loads, one round trip per table group. Print summaries
come from the same catalog query the indexer uses (`indexer.catalog.documents_for`), so a lookup
shows a print exactly as a search hit does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from indexer.catalog import AnySelect, documents_for
from models import Card, CardSet, CatalogSku, Print
from models.games import GAME_CODE_BY_ID, GAME_IDS
from models.sku import SkuError, format_sku, parse_sku
from models.text import fold
from search_api.catalog.schemas import CardOut, Identifier, SkuOut
from search_api.catalog.search import print_item

#: Most prints listed with a card.
MAX_CARD_PRINTS = 500
#: Most candidates an `ambiguous` answer lists.
MAX_CANDIDATES = 20
#: A result row of any number of columns.
AnyRow = sa.Row[*tuple[Any, ...]]
#: CardOut field -> cards column (`def` is the field's alias, `game` is derived from game_id).
CARD_FIELDS: dict[str, Any] = {
    "id": Card.id,
    "game_id": Card.game_id,
    **{name: getattr(Card, name) for name in CardOut.model_fields if name not in ("id", "game")},
}
CARD_COLUMNS = [column.label(f"card__{name}") for name, column in CARD_FIELDS.items()]
#: SkuOut fields read as they are stored (the others are derived in `sku_out`).
SKU_COLUMNS = [
    getattr(CatalogSku, name) for name in SkuOut.model_fields if hasattr(CatalogSku, name)
] + [CatalogSku.grade_company, CatalogSku.grade_value]
PRINT_ORDER = (Print.released_at.desc().nulls_last(), Print.id)

SKU_BY_CODE = (
    sa.select(*SKU_COLUMNS, *CARD_COLUMNS)
    .join(Print, Print.id == CatalogSku.print_id)
    .join(Card, Card.id == Print.card_id)
    .where(CatalogSku.sku == sa.bindparam("sku"))
)
SKUS_OF_PRINT = (
    sa.select(*SKU_COLUMNS)
    .where(CatalogSku.print_id == sa.bindparam("print_id"))
    .order_by(CatalogSku.id)
)
PRINT_BY_ID = (
    sa.select(Print.artist, Print.flavor_text, Print.images, *CARD_COLUMNS)
    .join(Card, Card.id == Print.card_id)
    .where(Print.id == sa.bindparam("print_id"))
)
CARD_BY_ID = sa.select(*CARD_COLUMNS).where(Card.id == sa.bindparam("card_id"))
PRINTS_OF_CARD = (
    sa.select(Print.id)
    .where(Print.card_id == sa.bindparam("card_id"))
    .order_by(*PRINT_ORDER)
    .limit(MAX_CARD_PRINTS)
)
PRINTS_OF_SKUS = sa.select(CatalogSku.sku, CatalogSku.print_id).where(
    CatalogSku.sku.in_(sa.bindparam("skus", expanding=True))
)
EXISTING_PRINTS = sa.select(Print.id).where(Print.id.in_(sa.bindparam("ids", expanding=True)))


class AmbiguousError(LookupError):
    """Several cards fit a name; `candidates` lists them."""

    def __init__(self, candidates: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(candidates)} cards fit")
        self.candidates = candidates


def _num(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def card_out(row: Mapping[Any, Any]) -> dict[str, Any]:
    """A row with `CARD_COLUMNS` -> the CardOut fields."""
    out: dict[str, Any] = {}
    for name in CARD_FIELDS:
        value = row[f"card__{name}"]
        out[name] = list(value) if isinstance(value, list) else _num(value)
    game_id = out.pop("game_id")
    out["game"] = GAME_CODE_BY_ID.get(game_id, str(game_id))
    out["def"] = out.pop("def_")
    return out


def sku_out(row: Mapping[Any, Any]) -> dict[str, Any]:
    company = row["grade_company"]
    updated = row["price_updated_at"]
    return {
        "sku": row["sku"],
        "print_id": row["print_id"],
        "language": row["language"],
        "condition": row["condition"],
        "finish": row["finish"],
        "grade": f"{company}{_grade(row['grade_value'])}" if company else None,
        "is_available_b2c": bool(row["is_available_b2c"]),
        "is_available_c2c": bool(row["is_available_c2c"]),
        "vendor_count": row["vendor_count"] or 0,
        "consumer_seller_count": row["consumer_seller_count"] or 0,
        "total_listings": row["total_listings"] or 0,
        "total_quantity": row["total_quantity"] or 0,
        "min_price": _num(row["min_price"]),
        "max_price": _num(row["max_price"]),
        "avg_price": _num(row["avg_price"]),
        "median_price": _num(row["median_price"]),
        "market_price": _num(row["market_price"]),
        "price_trend": row["price_trend"],
        "currency": row["currency"] or "USD",
        "price_updated_at": updated.isoformat() if updated else None,
    }


def _grade(value: Decimal | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else str(value)


def print_items(conn: Connection, print_ids: Sequence[int]) -> list[dict[str, Any]]:
    """PrintItem dicts of the prints that exist, in the order of `print_ids`."""
    docs = documents_for(conn, print_ids)
    return [print_item(docs[i]) for i in print_ids if i in docs]


def warm_up(conn: Connection) -> None:
    """Run the statements of the common lookups once (matching nothing), so that a new worker
    compiles them (SQLAlchemy keeps the compiled SQL) before its first request, not during."""
    conn.execute(SKU_BY_CODE, {"sku": ""}).all()
    documents_for(conn, [0])
    for statement in (PRINT_BY_ID, SKUS_OF_PRINT):
        conn.execute(statement, {"print_id": 0}).all()
    for statement in (CARD_BY_ID, PRINTS_OF_CARD):
        conn.execute(statement, {"card_id": 0}).all()


# -- one card, print or SKU -----------------------------------------------------------------------


def card_detail(conn: Connection, *, card_id: int) -> dict[str, Any] | None:
    card = conn.execute(CARD_BY_ID, {"card_id": card_id}).mappings().first()
    if card is None:
        return None
    ids = conn.execute(PRINTS_OF_CARD, {"card_id": card_id}).scalars().all()
    return {"card": card_out(card), "prints": print_items(conn, ids)}


def print_detail(conn: Connection, *, print_id: int) -> dict[str, Any] | None:
    row = conn.execute(PRINT_BY_ID, {"print_id": print_id}).mappings().first()
    if row is None:
        return None
    items = print_items(conn, [print_id])
    if not items:
        return None
    skus = conn.execute(SKUS_OF_PRINT, {"print_id": print_id}).mappings()
    return {
        "print": items[0],
        "card": card_out(row),
        "artist": row["artist"],
        "flavor_text": row["flavor_text"],
        "images": row["images"] or {},
        "skus": [sku_out(s) for s in skus],
    }


def sku_detail(conn: Connection, *, sku: str) -> dict[str, Any] | None:
    """Raises `models.sku.SkuError` for a malformed SKU; None for an unknown one."""
    row = conn.execute(SKU_BY_CODE, {"sku": format_sku(parse_sku(sku))}).mappings().first()
    if row is None:
        return None
    items = print_items(conn, [row["print_id"]])
    if not items:
        return None
    return {"sku": sku_out(row), "print": items[0], "card": card_out(row)}


def _set_code_is(code: str) -> sa.ColumnElement[bool]:
    return sa.func.upper(CardSet.code) == code.strip().upper()


def _set_id(conn: Connection, game: str | None, code: str) -> int | None:
    stmt = sa.select(CardSet.id).where(_set_code_is(code))
    if game is not None:
        stmt = stmt.where(CardSet.game_id == GAME_IDS[game])
    return conn.execute(stmt.order_by(CardSet.id).limit(1)).scalar()


@lru_cache(maxsize=8)
def _by_number_statement(*, with_game: bool, with_language: bool) -> AnySelect:
    stmt = (
        sa.select(Print.id, Print.language)
        .join(CardSet, CardSet.id == Print.set_id)
        .where(
            sa.func.upper(CardSet.code) == sa.bindparam("set_code"),
            sa.func.lower(Print.collector_number).in_(sa.bindparam("numbers", expanding=True)),
        )
        .order_by(Print.id)
    )
    if with_game:
        stmt = stmt.where(CardSet.game_id == sa.bindparam("game_id"))
    if with_language:
        stmt = stmt.where(sa.func.upper(Print.language) == sa.bindparam("language"))
    return stmt


def find_by_set_number(
    conn: Connection,
    *,
    game: str | None,
    set_code: str,
    number: str,
    language: str | None = None,
) -> int | None:
    """The print id at `set_code` + `number` (English first unless `language` is given). Without
    a game, a code several games use (`OP01`) is looked up in each."""
    wanted = number.strip().lower()
    stmt = _by_number_statement(with_game=game is not None, with_language=bool(language))
    params = {
        "set_code": set_code.strip().upper(),
        "numbers": [wanted, wanted.lstrip("0") or "0"],
        "game_id": GAME_IDS[game] if game is not None else None,
        "language": language.upper() if language else None,
    }
    rows = conn.execute(stmt, params).all()
    if not rows:
        return None
    english = [pid for pid, lang in rows if (lang or "").upper() == "EN"]
    best: int = english[0] if english else rows[0][0]
    return best


def print_at_number(
    conn: Connection, *, game: str | None, set_code: str, number: str, language: str | None
) -> dict[str, Any] | None:
    """`print_detail` of the print at a set's collector number (see `find_by_set_number`)."""
    print_id = find_by_set_number(
        conn, game=game, set_code=set_code, number=number, language=language
    )
    return None if print_id is None else print_detail(conn, print_id=print_id)


# -- names --------------------------------------------------------------------------------------

NAMED_CARD = sa.select(Card.id, Card.name, Card.game_id)
FIRST_PRINT_OF_CARD = (
    sa.select(CardSet.code, Print.collector_number)
    .join(Print, Print.set_id == CardSet.id)
    .where(Print.card_id == sa.bindparam("card_id"))
    .order_by(*PRINT_ORDER)
    .limit(1)
)


def _candidate(conn: Connection, card: AnyRow) -> dict[str, Any]:
    first = conn.execute(FIRST_PRINT_OF_CARD, {"card_id": card.id}).first()
    return {
        "card_id": card.id,
        "name": card.name,
        "game": GAME_CODE_BY_ID.get(card.game_id),
        "set_code": first[0] if first else None,
        "collector_number": first[1] if first else None,
    }


def _cards_named(
    conn: Connection, name: str, game: str | None, set_code: str | None, *, prefix: bool = False
) -> list[AnyRow]:
    """Cards (id, name, game_id) whose normalized name is `name` (or starts with it)."""
    key = fold(name)
    if not key:
        return []
    column = Card.normalized_name
    if prefix:
        escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        condition: sa.ColumnElement[bool] = column.like(f"{escaped}%", escape="\\")
        if conn.dialect.name == "sqlite":
            # SQLite's LIKE is case-blind, so it cannot seek the (binary) name index; a range of
            # the (lower-case) names starting with `key` can
            condition = sa.and_(condition, column >= key, column < key + "\U0010ffff")
    else:
        condition = column == key
    stmt = NAMED_CARD.where(condition)
    if game is not None:
        stmt = stmt.where(Card.game_id == GAME_IDS[game])
    if set_code is not None:
        set_id = _set_id(conn, game, set_code)
        if set_id is None:
            return []
        stmt = stmt.where(sa.exists().where(Print.card_id == Card.id, Print.set_id == set_id))
    return list(conn.execute(stmt.order_by(Card.id).limit(MAX_CANDIDATES + 1)))


def _one(conn: Connection, cards: list[AnyRow]) -> int | None:
    if not cards:
        return None
    if len(cards) > 1:
        raise AmbiguousError([_candidate(conn, c) for c in cards[:MAX_CANDIDATES]])
    card_id: int = cards[0].id
    return card_id


def card_named(
    conn: Connection,
    *,
    exact: str | None = None,
    fuzzy: str | None = None,
    game: str | None = None,
    set_code: str | None = None,
    fuzzy_ids: Sequence[int] = (),
) -> int | None:
    """The id of the one card named `exact` (accent/case-blind), or best fitting `fuzzy`: an
    exact name, else names starting with it, else `fuzzy_ids` (the search engine's best cards,
    typo tolerant). Raises AmbiguousError when several cards fit equally."""
    if exact is not None:
        return _one(conn, _cards_named(conn, exact, game, set_code))
    assert fuzzy is not None
    found = _cards_named(conn, fuzzy, game, set_code)
    if found:
        return _one(conn, found)
    found = _cards_named(conn, fuzzy, game, set_code, prefix=True)
    if found:
        return _one(conn, found)
    if not fuzzy_ids:
        return None
    stmt = NAMED_CARD.where(Card.id.in_(fuzzy_ids))
    by_id = {row.id: row for row in conn.execute(stmt)}
    return _one(conn, [by_id[i] for i in dict.fromkeys(fuzzy_ids) if i in by_id])


# -- collections --------------------------------------------------------------------------------


def _canonical_sku(text: str) -> str | None:
    try:
        return format_sku(parse_sku(text))
    except SkuError:
        return None


def _print_named(conn: Connection, ident: Identifier, game: str | None) -> int | None:
    """The print a name (optionally + set) names: English first, then the newest."""
    try:
        card_id = _one(conn, _cards_named(conn, ident.name or "", game, ident.set))
    except AmbiguousError:
        return None
    if card_id is None:
        return None
    stmt = sa.select(Print.id).where(Print.card_id == card_id)
    if ident.set is not None:
        set_id = _set_id(conn, game, ident.set)
        stmt = stmt.where(Print.set_id == (set_id if set_id is not None else -1))
    stmt = stmt.order_by((sa.func.upper(Print.language) != "EN"), *PRINT_ORDER)
    return conn.execute(stmt.limit(1)).scalar()


def resolve_identifiers(
    conn: Connection, identifiers: Sequence[Identifier], games: Sequence[str | None]
) -> list[int | None]:
    """The print id each identifier names (None when nothing does, or several cards fit), in
    order; `games` is each identifier's resolved game. SKUs and print ids are looked up in one
    query each."""
    skus = {
        i: _canonical_sku(ident.sku) for i, ident in enumerate(identifiers) if ident.sku is not None
    }
    wanted = [sku for sku in skus.values() if sku is not None]
    by_sku: dict[str | None, int] = (
        dict(conn.execute(PRINTS_OF_SKUS, {"skus": wanted}).all()) if wanted else {}
    )
    ids = [ident.print_id for ident in identifiers if ident.print_id is not None]
    existing = set(conn.execute(EXISTING_PRINTS, {"ids": ids}).scalars()) if ids else set()
    resolved: list[int | None] = []
    for i, (ident, game) in enumerate(zip(identifiers, games, strict=True)):
        if ident.sku is not None:
            resolved.append(by_sku.get(skus[i]))
        elif ident.print_id is not None:
            resolved.append(ident.print_id if ident.print_id in existing else None)
        elif ident.name is None:
            resolved.append(
                find_by_set_number(
                    conn, game=game, set_code=ident.set or "", number=ident.number or ""
                )
            )
        else:
            resolved.append(_print_named(conn, ident, game))
    return resolved
