"""Creating and dropping whole PostgreSQL databases (tests and benchmarks use fresh ones)."""

from __future__ import annotations

import time

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from models.db import make_engine


def _admin(url: str) -> sa.Engine:
    return make_engine(url, isolation_level="AUTOCOMMIT")


def database_url(server_url: str, name: str) -> str:
    """`server_url` pointed at database `name`."""
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, name: str, *, attempts: int = 10) -> None:
    """Drop `name` if it exists; retried because WITH (FORCE) fails while an autovacuum worker
    is busy on the database and the role may not end it (make services grants
    pg_signal_backend, but a server set up otherwise may not)."""
    admin = _admin(admin_url)
    try:
        for attempt in range(attempts):
            try:
                with admin.connect() as conn:
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                return
            except sa.exc.DBAPIError:  # "being accessed by other users" / privilege to end it
                if attempt == attempts - 1:
                    raise
                time.sleep(0.5 * (attempt + 1))
    finally:
        admin.dispose()


def recreate_database(admin_url: str, name: str) -> str:
    """An empty database `name` on the server of `admin_url` (dropped first); returns its URL."""
    drop_database(admin_url, name)
    admin = _admin(admin_url)
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return database_url(admin_url, name)


def ensure_database(url: str) -> bool:
    """Create the PostgreSQL database of `url` when it is missing; True when it was created."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        return False
    admin = _admin(database_url(url, "postgres"))
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}
            ).first()
            if exists:
                return False
            conn.execute(sa.text(f'CREATE DATABASE "{parsed.database}"'))
            return True
    finally:
        admin.dispose()
