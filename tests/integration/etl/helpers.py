"""Helpers of the loader tests: migrated databases, table counts and a canonical dump."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from etl.registry import get_source
from models.games import GAME_IDS
from models.sku import CONDITIONS

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures"
#: The source engineers' fixture folders, one per source.
SOURCE_FIXTURES = {
    "scryfall": FIXTURES / "scryfall",
    "pokemontcg": FIXTURES / "pokemontcg",
    "ygoprodeck": FIXTURES / "ygoprodeck",
    "optcg": FIXTURES / "optcg",
}
CATALOG_TABLES = ("card_sets", "cards", "prints", "catalog_skus")
_SKIP = {"id", "created_at", "updated_at"}


def copy_fixture(source: str, dest: Path) -> Path:
    target = dest / source
    shutil.copytree(SOURCE_FIXTURES[source], target)
    return target


def count(engine: Engine, table: str, where: str = "") -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table} {where}")).scalar_one()


def counts(engine: Engine) -> dict[str, int]:
    return {
        table: count(engine, table)
        for table in (*CATALOG_TABLES, "bronze_records", "etl_quarantine", "index_outbox")
    }


def _plain(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)  # SQLite keeps JSON columns as text
        except ValueError:
            return value
    return value


def canonical_dump(engine: Engine) -> dict[str, list[str]]:
    """Every catalog row without ids and timestamps, foreign keys as natural keys, sorted."""
    queries = {
        "card_sets": "SELECT s.*, NULL AS _ref FROM card_sets s",
        "cards": "SELECT c.*, NULL AS _ref FROM cards c",
        "prints": (
            "SELECT p.*, c.oracle_key AS _card, s.code AS _set FROM prints p "
            "JOIN cards c ON c.id = p.card_id JOIN card_sets s ON s.id = p.set_id"
        ),
        "catalog_skus": (
            "SELECT k.*, p.print_key AS _print FROM catalog_skus k "
            "JOIN prints p ON p.id = k.print_id"
        ),
    }
    skip = _SKIP | {"card_id", "set_id", "print_id"}
    dump: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for table, query in queries.items():
            rows = []
            for row in conn.execute(sa.text(query)).mappings():
                doc = {k: _plain(v) for k, v in row.items() if k not in skip}
                rows.append(json.dumps(doc, sort_keys=True, default=str))
            dump[table] = sorted(rows)
    return dump


def disable_autovacuum(url: str) -> None:
    """Keep autovacuum workers (which the test role may not terminate) off a test database, so
    the fixtures can drop it right after a big load."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            names = sa.inspect(conn).get_table_names()
            for name in names:
                conn.execute(sa.text(f'ALTER TABLE "{name}" SET (autovacuum_enabled = false)'))
    finally:
        engine.dispose()


def expected_counts(source_name: str, paths: list[Path]) -> dict[str, int]:
    """What the source holds, computed from the source alone (no database)."""
    source = get_source(source_name)
    cards, prints, sets = set(), {}, {s.code for s in source.sets(paths)}
    for unit in source.discover(paths):
        for raw in source.read(unit):
            card = source.normalize(raw)
            cards.add(card.oracle_key)
            for record in card.prints:
                prints[record.print_key] = record  # the last record describing a print wins
                sets.add(record.set.code)
    skus = sum(len(CONDITIONS) * len(set(p.finishes)) for p in prints.values())
    return {
        "cards": len(cards),
        "prints": len(prints),
        "catalog_skus": skus,
        "card_sets": len(sets),
    }


def game_counts(engine: Engine, game: str) -> dict[str, int]:
    gid = GAME_IDS[game]
    return {
        "cards": count(engine, "cards", f"WHERE game_id = {gid}"),
        "prints": count(engine, "prints", f"WHERE game_id = {gid}"),
        "catalog_skus": count(engine, "catalog_skus", f"WHERE game_code = '{game}'"),
        "card_sets": count(engine, "card_sets", f"WHERE game_id = {gid}"),
    }
