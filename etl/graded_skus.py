"""Catalog SKUs made on first use: graded SKUs.

The ETL writes each print's condition x finish SKUs. A grade (PSA, BGS or CGC, 1 to 10 in
steps of .5) would multiply them by 57, so graded SKUs are not pre-generated: the first
matching answer, review reassignment or marketplace event that names one creates it from its
ungraded base SKU (`...-NM-HOLO` for `...-NM-HOLO-PSA10`), and from then on it is a SKU like
any other (by-sku lookup, marketplace events, search availability).

`ensure_skus` is idempotent under concurrency: one `INSERT ... ON CONFLICT (sku) DO NOTHING`
(PostgreSQL and SQLite alike; `catalog_skus.sku` is unique) and a read-back, so any number of
writers creating the same SKU at once leave one row and all of them get its id. The prints of
the SKUs it creates are queued for reindexing (their SKU count changed) in the same
transaction.

It is catalog SKU generation, so it lives in the ETL beside `etl/skus.py` (the SKUs of each
print's conditions x finishes): matching and the marketplace events both use it, may import
the ETL, and must not import each other. It writes the outbox through `models.outbox`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from models import CatalogSku
from models.outbox import record_touched_prints
from models.sku import SkuError, SkuParts, format_sku, parse_sku

OUTBOX_REASON = "graded_sku"
_TABLE: sa.Table = CatalogSku.__table__  # type: ignore[assignment]
#: Columns a graded SKU copies from its ungraded base.
_COPIED = (
    "print_id",
    "game_code",
    "set_code",
    "number",
    "language",
    "condition",
    "finish",
    "currency",
)


@dataclass(frozen=True, slots=True)
class SkuRow:
    id: int
    sku: str
    print_id: int
    game: str
    currency: str


def is_graded(code: str) -> bool:
    """True for a well-formed SKU with a grade component (`...-NM-HOLO-PSA10`)."""
    try:
        return parse_sku(code).grade is not None
    except SkuError:
        return False


def base_sku(parts: SkuParts) -> str:
    """The ungraded SKU a graded one is made from."""
    return format_sku(replace(parts, grade=None))


def _select(bind: Connection | Session, codes: list[str]) -> dict[str, SkuRow]:
    t = _TABLE
    stmt = sa.select(t.c.id, t.c.sku, t.c.print_id, t.c.game_code, t.c.currency).where(
        t.c.sku.in_(codes)
    )
    return {
        r.sku: SkuRow(r.id, r.sku, r.print_id, r.game_code, r.currency) for r in bind.execute(stmt)
    }


def _insert_ignoring_duplicates(bind: Connection | Session, rows: list[dict[str, Any]]) -> None:
    dialect = bind.get_bind().dialect.name if isinstance(bind, Session) else bind.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    bind.execute(insert(_TABLE).on_conflict_do_nothing(index_elements=["sku"]), rows)


def ensure_skus(bind: Connection | Session, codes: Iterable[str]) -> dict[str, SkuRow]:
    """The catalog rows of `codes` (canonical SKU strings), creating each graded SKU whose
    ungraded base exists. Codes that are malformed, or name no SKU and no base, are left out.
    Runs in the caller's transaction."""
    wanted: dict[str, SkuParts] = {}
    for code in codes:
        try:
            parts = parse_sku(code)
        except SkuError:
            continue
        wanted[format_sku(parts)] = parts
    if not wanted:
        return {}
    found = _select(bind, sorted(wanted))
    missing = {code: parts for code, parts in wanted.items() if code not in found and parts.grade}
    if not missing:
        return found
    bases = {code: base_sku(parts) for code, parts in missing.items()}
    t = _TABLE
    base_rows = {
        row.sku: row
        for row in bind.execute(
            sa.select(t.c.sku, *[t.c[c] for c in _COPIED]).where(
                t.c.sku.in_(sorted(set(bases.values())))
            )
        )
    }
    rows = []
    for code, parts in sorted(missing.items()):
        base = base_rows.get(bases[code])
        if base is None or parts.grade is None:
            continue
        values = {c: getattr(base, c) for c in _COPIED}
        values.update(
            sku=code, grade_company=parts.grade.company, grade_value=Decimal(parts.grade.value)
        )
        rows.append(values)
    if rows:
        _insert_ignoring_duplicates(bind, rows)
        record_touched_prints(bind, {r["print_id"] for r in rows}, reason=OUTBOX_REASON)
    found.update(_select(bind, sorted(missing)))
    return found


def ensure_sku(bind: Connection | Session, code: str) -> SkuRow | None:
    """`ensure_skus` for one SKU."""
    try:
        canonical = format_sku(parse_sku(code))
    except SkuError:
        return None
    return ensure_skus(bind, [canonical]).get(canonical)
