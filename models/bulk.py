"""The one bulk-SQL helper: chunked lookups, bulk inserts, upserts, updates and deletes.

Everything here works on a Core `Connection` inside the caller's transaction (a `Session`'s
is `session.connection()`) and avoids the ORM unit of work. Used by the ETL loader and by the
marketplace events.

- `insert_rows`: on PostgreSQL, inserts that need no ids back go through `COPY ... FROM
  STDIN` (psycopg 3); elsewhere, and when ids are needed, a single executemany insert, which
  SQLAlchemy sends as multi-row `INSERT ... VALUES ... RETURNING` batches (insertmanyvalues).
- `upsert_rows` / `update_rows_by_key`: on PostgreSQL one `INSERT ... SELECT FROM unnest(arrays)`
  (`ON CONFLICT ...`) or `UPDATE ... FROM unnest(arrays)` statement per batch (small, cached,
  fast; for scalar columns: an array column would be flattened); elsewhere executemany.
- `update_rows`: executemany `UPDATE ... WHERE id = :_id` (any column type).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import psycopg
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault

#: Values per `IN (...)` list; well below SQLite's 32766 bound parameters.
IN_CHUNK = 5000
#: Values per PostgreSQL `= ANY(:array)` lookup.
PG_ARRAY_CHUNK = 50000


def chunks(values: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def select_in(
    conn: Connection,
    columns: Sequence[sa.ColumnElement[Any]],
    key: sa.ColumnElement[Any],
    values: Iterable[Any],
    *where: sa.ColumnElement[bool],
) -> list[sa.Row[*tuple[Any, ...]]]:
    """`SELECT columns WHERE key IN values AND where...`, chunked; one query per chunk.

    PostgreSQL gets `key = ANY(:array)`: one parameter instead of thousands, so the statement
    text stays small and the driver does not re-parse a huge query for every batch.
    """
    distinct = list(dict.fromkeys(values))
    rows: list[sa.Row[*tuple[Any, ...]]] = []
    if not distinct:
        return rows
    if conn.dialect.name == "postgresql":
        array_type = postgresql.ARRAY(key.type)
        for part in chunks(distinct, PG_ARRAY_CHUNK):
            param = sa.bindparam("keys", list(part), type_=array_type)
            stmt = sa.select(*columns).where(key == sa.any_(param), *where)
            rows.extend(conn.execute(stmt).all())
        return rows
    for part in chunks(distinct):
        stmt = sa.select(*columns).where(key.in_(part), *where)
        rows.extend(conn.execute(stmt).all())
    return rows


def column_defaults(table: sa.Table) -> dict[str, Any]:
    """Python-side scalar/callable defaults of `table`, evaluated once (for COPY rows)."""
    out: dict[str, Any] = {}
    for column in table.columns:
        default = column.default
        if default is None or column.primary_key:
            continue
        if isinstance(default, ScalarElementColumnDefault):
            out[column.key] = default.arg
        elif isinstance(default, CallableColumnDefault):
            # SQLAlchemy wraps a zero-argument default to take the execution context, which
            # it then ignores; there is no context outside a statement, hence None.
            out[column.key] = default.arg(None)  # type: ignore[arg-type]
    return out


def is_json_column(column: sa.Column[Any]) -> bool:
    """A JSONB / JSON document column (not the text[] string lists)."""
    variant = column.type._variant_mapping.get("postgresql")
    return isinstance(variant, postgresql.JSONB) or (
        variant is None and isinstance(column.type, sa.JSON)
    )


def insert_rows(
    conn: Connection,
    table: sa.Table,
    rows: list[dict[str, Any]],
    *,
    returning: Sequence[sa.Column[Any]] = (),
) -> list[tuple[Any, ...]]:
    """Insert `rows` (dicts with the same keys); returns the `returning` columns if asked."""
    if not rows:
        return []
    if conn.dialect.name == "postgresql":
        if returning:
            return _copy_returning(conn, table, rows, returning)
        copy_rows(conn, table, rows)
        return []
    if returning:
        stmt = sa.insert(table).returning(*returning, sort_by_parameter_order=True)
        return [tuple(row) for row in conn.execute(stmt, rows)]
    conn.execute(sa.insert(table), rows)
    return []


def _copy_returning(
    conn: Connection,
    table: sa.Table,
    rows: list[dict[str, Any]],
    returning: Sequence[sa.Column[Any]],
) -> list[tuple[Any, ...]]:
    """COPY with ids drawn from the table's sequence first, so no RETURNING is needed."""
    id_column = table.c.id
    sequence = sa.func.pg_get_serial_sequence(table.name, id_column.name)
    ids = (
        conn.execute(
            sa.select(sa.func.nextval(sequence)).select_from(sa.func.generate_series(1, len(rows)))
        )
        .scalars()
        .all()
    )
    with_ids = [{"id": id_, **row} for id_, row in zip(ids, rows, strict=True)]
    copy_rows(conn, table, with_ids)
    keys = [column.key for column in returning]
    return [tuple(row[k] for k in keys) for row in with_ids]


def copy_rows(conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL `COPY table (...) FROM STDIN` of `rows`, in the connection's transaction.

    Columns missing from the rows get their Python-side defaults; JSON document values are
    sent as JSON text (a `str` value of a JSON column is taken as already-serialised JSON).
    Also used for small batches: one COPY round trip costs about what one INSERT does.
    """
    defaults = column_defaults(table)
    keys = list(rows[0].keys())
    extra = [k for k in defaults if k not in rows[0]]
    names = keys + extra
    extra_values = tuple(defaults[k] for k in extra)
    json_positions = [i for i, name in enumerate(keys) if is_json_column(table.c[name])]
    column_list = ", ".join(f'"{table.c[name].name}"' for name in names)
    statement = f'COPY "{table.name}" ({column_list}) FROM STDIN'
    raw = conn.connection.driver_connection
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            for row in rows:
                values = [row[k] for k in keys]
                for i in json_positions:
                    value = values[i]
                    if not isinstance(value, str):
                        values[i] = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
                copy.write_row((*values, *extra_values))
    except psycopg.Error as exc:
        # Raise what SQLAlchemy would (IntegrityError, DataError, ...), so callers handle
        # COPY and executemany failures alike.
        raise sa.exc.DBAPIError.instance(
            statement, None, exc, psycopg.Error, dialect=conn.dialect
        ) from exc


def update_rows(
    conn: Connection,
    table: sa.Table,
    rows: list[dict[str, Any]],
    *,
    id_key: str = "_id",
    key_column: str = "id",
) -> None:
    """Executemany `UPDATE table SET <the rows' other keys> WHERE key_column = :id_key`."""
    if not rows:
        return
    stmt = sa.update(table).where(table.c[key_column] == sa.bindparam(id_key))
    conn.execute(stmt, rows)


# SQLAlchemy's dialect constructors carry no annotations.
_PG = postgresql.dialect()  # type: ignore[no-untyped-call]


def _unnest_arrays(
    table: sa.Table, rows: list[dict[str, Any]]
) -> tuple[list[str], str, dict[str, list[Any]]]:
    """The rows' column names, `CAST(:c0 AS type[]), ...` and its parameters: one array per
    column, for PostgreSQL's `unnest`."""
    columns = list(rows[0])
    arrays = ", ".join(
        f"CAST(:c{i} AS {table.c[c].type.compile(dialect=_PG)}[])" for i, c in enumerate(columns)
    )
    params = {f"c{i}": [row[c] for row in rows] for i, c in enumerate(columns)}
    return columns, arrays, params


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def _dialect_insert(conn: Connection, table: sa.Table) -> Any:
    """The dialect's `INSERT` construct (it has `on_conflict_do_nothing/do_update`)."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    if conn.dialect.name == "sqlite":
        return sqlite.insert(table)
    raise RuntimeError(f"unsupported database {conn.dialect.name}")  # pragma: no cover


def upsert_rows(
    conn: Connection,
    table: sa.Table,
    rows: list[dict[str, Any]],
    *,
    conflict: Sequence[str],
    update: Sequence[str] = (),
    returning: str | None = None,
) -> list[Any]:
    """INSERT `rows` ON CONFLICT (`conflict`) DO NOTHING, or DO UPDATE SET the `update` columns;
    returns the `returning` column of the rows written (not of those skipped) if asked."""
    if not rows:
        return []
    if conn.dialect.name == "postgresql":
        columns, arrays, params = _unnest_arrays(table, rows)
        sql = f'INSERT INTO "{table.name}" ({_quoted(columns)}) SELECT * FROM unnest({arrays})'
        if update:
            sets = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in update)
            sql += f" ON CONFLICT ({_quoted(conflict)}) DO UPDATE SET {sets}"
        else:
            sql += f" ON CONFLICT ({_quoted(conflict)}) DO NOTHING"
        if returning:
            sql += f' RETURNING "{returning}"'
        result = conn.execute(sa.text(sql), params)
        return list(result.scalars()) if returning else []
    stmt = _dialect_insert(conn, table)
    if update:
        stmt = stmt.on_conflict_do_update(
            index_elements=list(conflict), set_={c: stmt.excluded[c] for c in update}
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(conflict))
    if not returning:
        conn.execute(stmt, rows)
        return []
    out: list[Any] = []
    for part in chunks(rows, max(1, 30_000 // len(rows[0]))):  # SQLite's bound parameters
        out.extend(conn.execute(stmt.values(list(part)).returning(table.c[returning])).scalars())
    return out


def update_rows_by_key(
    conn: Connection, table: sa.Table, rows: list[dict[str, Any]], *, key: str
) -> None:
    """UPDATE many rows found by their `key` column, setting the rows' other keys."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        columns, arrays, params = _unnest_arrays(table, rows)
        sets = ", ".join(f'"{c}" = u."{c}"' for c in columns if c != key)
        sql = (
            f'UPDATE "{table.name}" AS t SET {sets} FROM unnest({arrays}) AS u({_quoted(columns)})'
            f' WHERE t."{key}" = u."{key}"'
        )
        conn.execute(sa.text(sql), params)
        return
    keyed = [{"_key": row[key], **{c: v for c, v in row.items() if c != key}} for row in rows]
    update_rows(conn, table, keyed, id_key="_key", key_column=key)


def delete_ids(conn: Connection, table: sa.Table, ids: Sequence[int]) -> None:
    for part in chunks(list(ids)):
        conn.execute(sa.delete(table).where(table.c.id.in_(part)))
