"""Run Alembic migrations programmatically (used by the CLI and the tests)."""

from __future__ import annotations

import importlib
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

#: The registry of domain table modules: the domains whose ORM models share
#: `models.Base.metadata` with the kernel's catalog tables. The kernel imports no domain, so
#: whatever needs the whole metadata (the Alembic environment, which compares it with the
#: database) imports these by name through `register_tables()`. A domain that adds tables adds
#: its models module here.
TABLE_MODULES = ("matching.models", "marketplace.models", "images.models")


def register_tables() -> None:
    """Import every domain's models, so their tables are on `models.Base.metadata`."""
    for name in TABLE_MODULES:
        importlib.import_module(name)


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(*, url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(*, url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def current(*, url: str | None = None) -> str | None:
    from alembic.runtime.migration import MigrationContext

    from models.db import make_engine
    from models.settings import get_settings

    engine = make_engine(url or get_settings().database_url)
    with engine.connect() as conn:
        rev = MigrationContext.configure(conn).get_current_revision()
    engine.dispose()
    return rev
