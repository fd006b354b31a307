"""Portable column types: JSONB and arrays on PostgreSQL, JSON text on SQLite."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

#: JSON document; JSONB on PostgreSQL.
JSONDoc = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

#: List of strings; text[] on PostgreSQL, a JSON array elsewhere.
StringList = sa.JSON().with_variant(postgresql.ARRAY(sa.Text()), "postgresql")

#: Auto-incrementing 64-bit key; SQLite only auto-increments INTEGER PRIMARY KEY.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

#: Money with cents.
Money = sa.Numeric(12, 2)
