"""Factories for catalog rows: small, explicit, one call per row."""

from __future__ import annotations

import itertools

from sqlalchemy.orm import Session

from models import Card, CardSet, CatalogSku, Print
from models.games import GAME_IDS
from models.sku import CONDITIONS, SkuParts, format_sku
from models.text import fold

_seq = itertools.count(1)


def card_set(session: Session, *, game: str = "MTG", code: str | None = None, **fields) -> CardSet:
    n = next(_seq)
    row = CardSet(
        game_id=GAME_IDS[game],
        code=code or f"T{n:03d}",
        name=fields.pop("name", f"Test Set {n}"),
        **fields,
    )
    session.add(row)
    session.flush()
    return row


def card(session: Session, *, game: str = "MTG", name: str = "Test Card", **fields) -> Card:
    n = next(_seq)
    row = Card(
        game_id=GAME_IDS[game],
        oracle_key=fields.pop("oracle_key", f"oracle-{n}"),
        name=name,
        normalized_name=fold(name),
        **fields,
    )
    session.add(row)
    session.flush()
    return row


def print_(
    session: Session,
    *,
    card: Card,
    card_set: CardSet,
    collector_number: str = "1",
    language: str = "EN",
    finishes: tuple[str, ...] = ("NORMAL", "FOIL"),
    **fields,
) -> Print:
    from models.sku import number_token

    n = next(_seq)
    row = Print(
        game_id=card.game_id,
        card_id=card.id,
        set_id=card_set.id,
        print_key=fields.pop("print_key", f"print-{n}"),
        collector_number=collector_number,
        sku_set=card_set.code,
        sku_number=fields.pop("sku_number", number_token(collector_number, pad=3)),
        language=language,
        finishes=list(finishes),
        **fields,
    )
    session.add(row)
    session.flush()
    return row


def skus_for(session: Session, *, print_row: Print, game: str = "MTG") -> list[CatalogSku]:
    """Every condition x finish SKU of a print."""
    rows = []
    for finish in print_row.finishes:
        for condition in CONDITIONS:
            parts = SkuParts(
                game, print_row.sku_set, print_row.sku_number, print_row.language, condition, finish
            )
            rows.append(
                CatalogSku(
                    sku=format_sku(parts),
                    print_id=print_row.id,
                    game_code=game,
                    set_code=parts.set_token,
                    number=parts.number_token,
                    language=parts.language,
                    condition=condition,
                    finish=finish,
                )
            )
    session.add_all(rows)
    session.flush()
    return rows
