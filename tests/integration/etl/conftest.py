"""Loader tests run on SQLite (a migrated temporary file) and on PostgreSQL (a fresh database)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from models import migrate
from models.db import make_engine


@pytest.fixture(params=["sqlite", "postgresql"])
def catalog_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty catalog database of each kind."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'catalog.db'}"
    else:
        url = request.getfixturevalue("empty_database_url")
    migrate.upgrade(url=url)
    return url


@pytest.fixture
def catalog(catalog_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """An engine on `catalog_url`, which is also the configured DATABASE_URL (for the CLI)."""
    from models.db import get_engine
    from models.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", catalog_url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    engine = make_engine(catalog_url)
    yield engine
    engine.dispose()
    get_engine().dispose()  # the engine the CLI used, if any
    get_engine.cache_clear()
