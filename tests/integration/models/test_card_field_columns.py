"""The migrated schema, not only the ORM, has a column for every declared card and print field.

The ORM is checked against models/card_fields.py in tests/unit/models/test_card_fields.py; this
runs the migrations on both databases and checks the tables they build, so a field declared and
mapped but never migrated fails here, naming the field.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from models import migrate
from models.card_fields import columns_of
from models.db import make_engine


@pytest.fixture(params=["sqlite", "postgresql"])
def migrated_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'columns.db'}"
    else:
        url = request.getfixturevalue("empty_database_url")
    migrate.upgrade(url=url)
    return url


@pytest.mark.parametrize("table", ["cards", "prints", "card_sets"])
def test_every_declared_column_is_migrated(migrated_url: str, table: str) -> None:
    engine = make_engine(migrated_url)
    try:
        migrated = {column["name"] for column in sa.inspect(engine).get_columns(table)}
    finally:
        engine.dispose()
    declared = columns_of(table)
    assert declared, f"no field of {table} is declared"
    missing = {field.name: name for name, field in declared.items() if name not in migrated}
    assert missing == {}, f"declared fields without a migrated column in {table}: {missing}"
