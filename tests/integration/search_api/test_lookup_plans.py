"""Every statement the lookups run seeks an index on both databases: none scans a whole catalog
table (the SKU lookup is a seek of the unique index on catalog_skus.sku, names without a game
seek ix_cards_normalized_name, set codes ix_card_sets_upper_code). The statements are captured
as the lookups run them and explained with their own parameters; PostgreSQL explains with
sequential scans disabled, so that an empty table's plan shows whether an index could serve."""

from __future__ import annotations

import re

import sqlalchemy as sa

from models.db import make_engine
from search_api.catalog import lookups
from search_api.catalog.schemas import Identifier
from tests.integration.etl.conftest import catalog_url

__all__ = ["catalog_url"]  # a migrated, empty catalog of each kind

TABLES = ("catalog_skus", "prints", "cards", "card_sets")


def _run_lookups(conn: sa.Connection) -> None:
    lookups.warm_up(conn)
    lookups.sku_detail(conn, sku="MTG-M10-146-EN-NM-FOIL")
    for game in (None, "MTG"):
        lookups.card_named(conn, fuzzy="lightning bo", game=game)
        lookups.card_named(conn, exact="Lightning Bolt", game=game, set_code="M10")
        lookups.find_by_set_number(conn, game=game, set_code="m10", number="146")
    lookups.resolve_identifiers(
        conn,
        [Identifier(sku="MTG-M10-146-EN-NM-FOIL"), Identifier(print_id=1), Identifier(name="Bolt")],
        [None, None, None],
    )


def _captured(engine: sa.Engine) -> list[tuple[str, object]]:
    statements: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    event = (engine, "before_cursor_execute", capture)
    sa.event.listen(*event)
    try:
        with engine.connect() as conn:
            _run_lookups(conn)
    finally:
        sa.event.remove(*event)
    return [(s, p) for s, p in statements if s.lstrip().upper().startswith("SELECT")]


def _plan(conn: sa.Connection, statement: str, parameters: object) -> str:
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return "\n".join(row[3] for row in rows)
    conn.exec_driver_sql("SET enable_seqscan = off")
    rows = conn.exec_driver_sql(f"EXPLAIN {statement}", parameters)
    return "\n".join(row[0] for row in rows)


def _full_scans(plan: str, dialect: str) -> list[str]:
    pattern = r"\bSCAN (\w+)(?! USING)" if dialect == "sqlite" else r"Seq Scan on (\w+)"
    return [t for t in re.findall(pattern, plan) if t in TABLES]


def test_every_lookup_statement_seeks_an_index(catalog_url) -> None:
    engine = make_engine(catalog_url)
    try:
        statements = _captured(engine)
        assert len(statements) >= 15
        plans = []
        with engine.connect() as conn:
            for statement, parameters in statements:
                plan = _plan(conn, statement, parameters)
                plans.append(plan)
                assert _full_scans(plan, conn.dialect.name) == [], f"{statement}\n{plan}"
        every = "\n".join(plans)
        for index in ("ix_cards_normalized_name", "ix_card_sets_upper_code"):
            assert index in every
        sku_seek = (
            r"uq_catalog_skus_sku on catalog_skus|sqlite_autoindex_catalog_skus_\d \(sku=\?\)"
        )
        assert re.search(sku_seek, every)
    finally:
        engine.dispose()
