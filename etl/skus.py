"""Catalog SKUs of the ETL: one per condition x finish of each print, reconciled in bulk.

`sku_rows` builds a print's SKU rows (`models.sku.format_sku`); `reconcile_skus` makes the
stored SKUs of some prints match them: inserts the missing, moves a SKU string found on
another print, deletes the SKUs of a vanished finish unless they have marketplace data, and
leaves graded SKUs made on first use alone. See docs/etl.md, *Silver*.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from etl.prepare import SkuSpec
from models.bulk import delete_ids, insert_rows, select_in, update_rows
from models.catalog import CatalogSku
from models.sku import CONDITIONS, sku_code

SKUS: sa.Table = CatalogSku.__table__  # type: ignore[assignment]


def sku_rows(
    game: str, set_token: str, number: str, language: str, finishes: list[str]
) -> list[dict[str, Any]]:
    """The condition x finish SKU rows of a print whose components are already validated."""
    rows: list[dict[str, Any]] = []
    for finish in finishes:
        for condition in CONDITIONS:
            rows.append(
                {
                    "sku": sku_code(game, set_token, number, language, condition, finish),
                    "game_code": game,
                    "set_code": set_token,
                    "number": number,
                    "language": language,
                    "condition": condition,
                    "finish": finish,
                }
            )
    return rows


def spec_rows(game: str, spec: SkuSpec) -> list[dict[str, Any]]:
    return sku_rows(game, spec.set_token, spec.number, spec.language, list(spec.finishes))


def reconcile_skus(
    conn: Connection, *, game: str, prints: dict[int, SkuSpec], counts: Counter[str], now: Any
) -> set[int]:
    """Reconcile each print's SKUs with condition x finish; returns the prints touched."""
    if not prints:
        return set()
    have: dict[str, tuple[int, int, int]] = {}  # sku -> (id, print_id, total_listings)
    columns = [SKUS.c.id, SKUS.c.sku, SKUS.c.print_id, SKUS.c.total_listings]
    for id_, sku, print_id, listings in select_in(conn, columns, SKUS.c.print_id, prints):
        have[sku] = (id_, print_id, listings)
    wanted: dict[str, tuple[int, dict[str, Any]]] = {}
    for print_id, spec in prints.items():
        for sku in spec_rows(game, spec):
            wanted[sku["sku"]] = (print_id, sku)
    elsewhere = [sku for sku in wanted if sku not in have]
    if elsewhere:
        for id_, sku, print_id, listings in select_in(conn, columns, SKUS.c.sku, elsewhere):
            have[sku] = (id_, print_id, listings)
    touched: set[int] = set()
    inserts, moves = [], []
    for sku, (print_id, values) in wanted.items():
        known = have.get(sku)
        if known is None:
            inserts.append({**values, "print_id": print_id})
            touched.add(print_id)
        elif known[1] != print_id:
            moves.append({**values, "_id": known[0], "print_id": print_id, "updated_at": now})
            touched.update((print_id, known[1]))
        else:
            counts["unchanged"] += 1
    deletes = []
    for sku, (id_, print_id, listings) in have.items():
        if sku in wanted or print_id not in prints:
            continue
        if sku.count("-") == 6 and sku.rsplit("-", 1)[0] in wanted:
            continue  # a graded SKU made on first use, its ungraded base still wanted
        touched.add(print_id)
        if listings:
            counts["kept"] += 1  # marketplace data: keep the SKU of a vanished finish
        else:
            deletes.append(id_)
    insert_rows(conn, SKUS, inserts)
    update_rows(conn, SKUS, moves)
    delete_ids(conn, SKUS, deletes)
    counts["created"] += len(inserts)
    counts["updated"] += len(moves)
    counts["deleted"] += len(deletes)
    return touched
