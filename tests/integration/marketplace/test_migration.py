"""The 0020_marketplace migration: up and down on both databases, and it matches the models."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import marketplace.models
from models import Base, migrate
from models.db import make_engine

TABLES = {t.name for t in marketplace.models.TABLES}


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'events.db'}"
    return request.getfixturevalue("empty_database_url")


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_and_downgrade(fresh_url):
    migrate.upgrade(url=fresh_url, revision="0020_marketplace")
    assert _tables(fresh_url) >= TABLES
    migrate.downgrade(url=fresh_url, revision="0010_matching")
    assert not TABLES & _tables(fresh_url)
    migrate.upgrade(url=fresh_url)


def test_migration_matches_the_models(fresh_url):
    migrate.upgrade(url=fresh_url, revision="0020_marketplace")
    engine = make_engine(fresh_url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, Base.metadata)
    finally:
        engine.dispose()
    ours = [d for d in diff if TABLES & set(_names(d))]
    assert ours == []


def _names(diff) -> list[str]:
    out = []
    for item in diff if isinstance(diff, list) else [diff]:
        for part in item if isinstance(item, tuple) else (item,):
            name = getattr(part, "name", None)
            table = getattr(part, "table", None)
            if isinstance(part, str):
                out.append(part)
            if name:
                out.append(name)
            if table is not None:
                out.append(table.name)
    return out
