"""Migrations run up and down on both databases, seed the games and enforce the uniques."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import migrate
from models.db import make_engine
from models.games import GAMES

TABLES = {
    "games",
    "card_sets",
    "cards",
    "prints",
    "catalog_skus",
    "etl_jobs",
    "bronze_records",
    "etl_quarantine",
    "etl_checkpoints",
    "index_outbox",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrations.db'}"
    return request.getfixturevalue("empty_database_url")


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_creates_schema_and_seeds_games_then_downgrade_removes_it(fresh_url: str) -> None:
    migrate.upgrade(url=fresh_url)
    assert _tables(fresh_url) >= TABLES
    engine = make_engine(fresh_url)
    with engine.connect() as conn:
        codes = conn.execute(sa.text("SELECT code FROM games ORDER BY id")).scalars().all()
        flags = conn.execute(sa.text("SELECT uses_hp FROM games WHERE code = 'POKEMON'")).scalar()
    engine.dispose()
    assert codes == [game["code"] for game in GAMES] == ["MTG", "POKEMON", "YUGIOH", "OPTCG"]
    assert flags is True or flags == 1

    migrate.downgrade(url=fresh_url, revision="base")
    assert _tables(fresh_url) == set()
    migrate.upgrade(url=fresh_url)  # and up again
    assert migrate.current(url=fresh_url) is not None


def test_set_code_is_unique_per_game_and_sku_string_once(fresh_url: str) -> None:
    from tests.factories import catalog as f

    migrate.upgrade(url=fresh_url)
    engine = make_engine(fresh_url)
    with Session(engine) as session:
        s = f.card_set(session, game="MTG", code="NEO")
        f.card_set(session, game="POKEMON", code="NEO")  # same code, other game: fine
        session.commit()
        with pytest.raises(IntegrityError):
            f.card_set(session, game="MTG", code="NEO")
        session.rollback()

        c = f.card(session, name="Lim-Dûl's Vault")
        p = f.print_(session, card=c, card_set=s, collector_number="1")
        skus = f.skus_for(session, print_row=p)
        session.commit()
        assert skus[0].sku == "MTG-NEO-001-EN-NM-NORMAL"
        assert c.normalized_name == "lim-dul's vault"
        dup = type(skus[0])(
            sku=skus[0].sku,
            print_id=p.id,
            game_code="MTG",
            set_code="NEO",
            number="001",
            language="EN",
            condition="NM",
            finish="NORMAL",
        )
        session.add(dup)
        with pytest.raises(IntegrityError):
            session.flush()
        session.rollback()
    engine.dispose()


def test_postgres_uses_jsonb_and_arrays(postgres_engine) -> None:
    columns = {c["name"]: c for c in sa.inspect(postgres_engine).get_columns("cards")}
    assert type(columns["game_data"]["type"]).__name__ == "JSONB"
    assert type(columns["colors"]["type"]).__name__ == "ARRAY"


def test_savepoint_session_rolls_back_between_tests(db_session) -> None:
    from tests.factories import catalog as f

    f.card_set(db_session, code="ROLLBACK")
    db_session.commit()  # a savepoint, undone when the test ends
    assert db_session.execute(sa.text("SELECT count(*) FROM card_sets")).scalar() == 1


def test_savepoint_session_starts_empty(db_session) -> None:
    assert db_session.execute(sa.text("SELECT count(*) FROM card_sets")).scalar() == 0


def test_card_attributes_become_a_list_and_back(fresh_url: str) -> None:
    """0021: the string `attribute` (`Slash/Strike`) becomes the list `attributes`."""
    migrate.upgrade(url=fresh_url, revision="0020_marketplace")
    engine = make_engine(fresh_url)
    now = "2026-01-01 00:00:00+00"
    insert = sa.text(
        "INSERT INTO cards (game_id, oracle_key, name, normalized_name, face_names, supertypes,"
        " types, subtypes, keywords, colors, color_identity, energy_types, game_data,"
        " attribute, created_at, updated_at) VALUES (:game, :key, :name, :name, :e, :e, :e, :e,"
        " :e, :e, :e, :e, :d, :attribute, :now, :now)"
    )
    empty = [] if engine.dialect.name == "postgresql" else "[]"
    rows = [(4, "ST12-001", "Slash/Strike"), (3, "ygoprodeck:1", "DARK"), (4, "OP01-026", None)]
    with engine.begin() as conn:
        for game, key, attribute in rows:
            values = {"game": game, "key": key, "name": key, "attribute": attribute}
            conn.execute(insert, {**values, "e": empty, "d": "{}", "now": now})
    engine.dispose()

    migrate.upgrade(url=fresh_url)
    engine = make_engine(fresh_url)
    with Session(engine) as session:
        from models import Card

        found = {c.oracle_key: c.attributes for c in session.query(Card)}
    columns = {c["name"] for c in sa.inspect(engine).get_columns("cards")}
    engine.dispose()
    assert found == {"ST12-001": ["Slash", "Strike"], "ygoprodeck:1": ["DARK"], "OP01-026": []}
    assert "attribute" not in columns and "attributes" in columns

    migrate.downgrade(url=fresh_url, revision="0020_marketplace")
    engine = make_engine(fresh_url)
    with engine.connect() as conn:
        back = dict(conn.execute(sa.text("SELECT oracle_key, attribute FROM cards")).all())
    engine.dispose()
    assert back == {"ST12-001": "Slash/Strike", "ygoprodeck:1": "DARK", "OP01-026": None}


def test_the_table_registry_puts_every_migrated_table_on_the_metadata(fresh_url: str) -> None:
    """`migrate.TABLE_MODULES` names every domain that owns tables: in a fresh interpreter,
    after `register_tables()` each table the migrations create is declared on the metadata."""
    import json
    import subprocess
    import sys

    migrate.upgrade(url=fresh_url)
    script = (
        "import json; from models import Base, migrate; migrate.register_tables(); "
        "print(json.dumps(sorted(Base.metadata.tables)))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    declared = set(json.loads(out.stdout))
    assert _tables(fresh_url) - declared == set()
    assert {"match_jobs", "market_listings"} <= declared
