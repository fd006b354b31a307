"""Migration 0028_print_images: up and down on both databases, and it matches the models."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from models import Base, migrate
from models.db import make_engine

pytestmark = pytest.mark.integration

TABLES = {"print_images", "image_sync_cursors"}
PRINT_COLUMNS = {"image_mirror_url", "image_mirror_srcset", "image_blurhash"}


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'images.db'}"
    return request.getfixturevalue("empty_database_url")


def _schema(url: str) -> tuple[set[str], set[str]]:
    engine = make_engine(url)
    try:
        inspector = sa.inspect(engine)
        columns = {c["name"] for c in inspector.get_columns("prints")}
        return set(inspector.get_table_names()), columns
    finally:
        engine.dispose()


def test_upgrade_downgrade_and_the_models_agree(fresh_url):
    migrate.upgrade(url=fresh_url, revision="0028_print_images")
    tables, columns = _schema(fresh_url)
    assert tables >= TABLES and columns >= PRINT_COLUMNS
    engine = make_engine(fresh_url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, Base.metadata)
    finally:
        engine.dispose()
    ours = [d for d in diff if TABLES & set(_names(d)) or PRINT_COLUMNS & set(_names(d))]
    assert ours == []
    migrate.downgrade(url=fresh_url, revision="0027_popularity_score")
    tables, columns = _schema(fresh_url)
    assert not TABLES & tables and not PRINT_COLUMNS & columns
    migrate.upgrade(url=fresh_url)


def _names(diff) -> list[str]:
    out: list[str] = []
    for item in diff if isinstance(diff, list) else [diff]:
        for part in item if isinstance(item, tuple) else (item,):
            if isinstance(part, str):
                out.append(part)
            for attr in ("name", "table"):
                value = getattr(part, attr, None)
                if isinstance(value, str):
                    out.append(value)
                elif value is not None and isinstance(getattr(value, "name", None), str):
                    out.append(value.name)
    return out
