"""Engine and session factories for the configured database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from models.settings import get_settings

#: Connections an engine keeps (opened as they are first needed): FastAPI runs sync routes on a
#: thread pool of 40, and a pool smaller than the concurrency opens and closes a connection per
#: request beyond it (SQLAlchemy's default keeps 5): a new SQLite connection re-reads the schema,
#: a new PostgreSQL one costs a server process start.
POOL_SIZE = 40
POOL_OVERFLOW = 10


def _sqlite_path(url: str) -> str | None:
    """The file of a SQLite URL, None for an in-memory database."""
    path = sa.engine.make_url(url).database
    return None if path in (None, "", ":memory:") else path


def _sqlite_file(url: str) -> None:
    if path := _sqlite_path(url):
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _pragmas(engine: Engine, pragmas: list[str]) -> None:
    @event.listens_for(engine, "connect")
    def _run(dbapi_conn: Any, _record: Any) -> None:  # pragma: no cover - trivial
        cur = dbapi_conn.cursor()
        for pragma in pragmas:
            cur.execute(f"PRAGMA {pragma}")
        cur.close()


def _pool_options(url: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    if url.startswith("sqlite") and _sqlite_path(url) is None:
        return kwargs  # an in-memory database lives on one connection: SQLAlchemy's default
    kwargs.setdefault("pool_size", POOL_SIZE)
    kwargs.setdefault("max_overflow", POOL_OVERFLOW)
    return kwargs


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout."""
    kwargs = _pool_options(url, kwargs)
    if url.startswith("sqlite"):
        _sqlite_file(url)
        engine = sa.create_engine(url, connect_args={"timeout": 30}, **kwargs)
        _pragmas(engine, ["foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"])
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return sa.create_engine(url, **kwargs)


def make_read_engine(url: str) -> Engine:
    """An engine for read-only requests (the API's lookups): connections that refuse writes and
    read without transaction round trips. SQLite readers (the file is in WAL mode, so they do
    not wait for one another or for a writer) are `query_only`; PostgreSQL ones autocommit (no
    BEGIN/ROLLBACK per request) in read-only sessions."""
    if url.startswith("sqlite"):
        _sqlite_file(url)
        engine = sa.create_engine(
            url,
            connect_args={"timeout": 30, "check_same_thread": False},
            **_pool_options(url, {}),
        )
        # No memory map: measured no faster than read() from the OS page cache (a lookup touches
        # a few dozen pages), and every connection maps the file anew, so the process's RSS
        # counts the catalog once per connection. A larger page cache measured no faster either.
        _pragmas(engine, ["query_only=ON"])
        return engine
    return sa.create_engine(
        url,
        isolation_level="AUTOCOMMIT",
        pool_pre_ping=True,
        connect_args={"options": "-c default_transaction_read_only=on"},
        **_pool_options(url, {}),
    )


@lru_cache(maxsize=4)
def get_engine(url: str | None = None) -> Engine:
    return make_engine(url or get_settings().database_url)


@lru_cache(maxsize=4)
def _read_engine(url: str) -> Engine:
    return make_read_engine(url)


def get_read_engine() -> Engine:
    """The read-only engine of the configured database (one per URL, so a changed setting gets
    its own)."""
    return _read_engine(get_settings().database_url)


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    return sessionmaker(bind=engine or get_engine(), expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    session = session_factory(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
