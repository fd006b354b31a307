"""Row validation and row content hashes, shared by the silver writer.

A row that the database would reject (wrong type, string too long, integer out of range,
NUL character, a non-JSON value in a JSON column) is found here, in Python, so the record is
quarantined with a clear reason and SQLite and PostgreSQL behave the same (SQLite would
happily store a 300-character set code).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


class RecordError(ValueError):
    """The record cannot be loaded; the message is the quarantine reason."""


_STR, _INT, _BOOL, _DATE, _NUM, _STRLIST, _JSON = range(7)
_INT_BOUNDS = {
    sa.SmallInteger: 2**15,
    sa.Integer: 2**31,
    sa.BigInteger: 2**63,
}


def _kind(column: sa.Column[Any]) -> tuple[int, Any]:
    col_type = column.type
    variant = getattr(col_type, "_variant_mapping", {}).get("postgresql")
    if isinstance(variant, postgresql.ARRAY):
        return _STRLIST, None
    if isinstance(col_type, sa.JSON):
        return _JSON, None
    if isinstance(col_type, sa.Boolean):
        return _BOOL, None
    if isinstance(col_type, sa.Date):
        return _DATE, None
    if isinstance(col_type, sa.Numeric) and not isinstance(col_type, sa.Float):
        if isinstance(col_type, sa.Integer):
            for cls in (sa.SmallInteger, sa.BigInteger, sa.Integer):
                if isinstance(col_type, cls):
                    return _INT, _INT_BOUNDS[cls]
        return _NUM, (col_type.precision, col_type.scale)
    if isinstance(col_type, sa.Integer):
        for cls in (sa.SmallInteger, sa.BigInteger, sa.Integer):
            if isinstance(col_type, cls):
                return _INT, _INT_BOUNDS[cls]
    if isinstance(col_type, sa.String):
        return _STR, col_type.length
    raise TypeError(f"no validator for column {column} of type {col_type!r}")


class RowChecker:
    """Checks the values of `keys` of a row against `table`'s column types.

    `check(row)` coerces `None` to an empty list/dict for required list/JSON columns, raises
    `RecordError` for anything the database would refuse, and returns the row's content hash
    (sha256 of its canonical JSON with `extra` natural keys mixed in).
    """

    def __init__(self, table: sa.Table, keys: list[str], *, label: str | None = None) -> None:
        self.label = label or table.name
        self.keys = keys
        self.checks = []
        for key in keys:
            column = table.c[key]
            kind, arg = _kind(column)
            self.checks.append((key, kind, arg, column.nullable))

    def check(self, row: dict[str, Any], extra: dict[str, Any]) -> str:
        doc: dict[str, Any] = dict(extra)
        label = self.label
        for key, kind, arg, nullable in self.checks:
            value = row[key]
            if value is None:
                if kind == _STRLIST and not nullable:
                    row[key] = value = []
                elif kind == _JSON and not nullable:
                    row[key] = value = {}
                elif not nullable:
                    raise RecordError(f"{label}.{key} is required")
                else:
                    doc[key] = None
                    continue
            if kind == _STR:
                if type(value) is not str:
                    raise RecordError(f"{label}.{key} must be a string, got {value!r:.80}")
                if arg is not None and len(value) > arg:
                    raise RecordError(
                        f"{label}.{key} is longer than {arg} characters: {value[:80]!r}"
                    )
            elif kind == _INT:
                if type(value) is not int:
                    raise RecordError(f"{label}.{key} must be an integer, got {value!r:.80}")
                if not -arg <= value < arg:
                    raise RecordError(f"{label}.{key} is out of range: {value}")
            elif kind == _BOOL:
                if type(value) is not bool:
                    raise RecordError(f"{label}.{key} must be true or false, got {value!r:.80}")
            elif kind == _DATE:
                if not isinstance(value, date) or isinstance(value, datetime):
                    raise RecordError(f"{label}.{key} must be a date, got {value!r:.80}")
                value = value.isoformat()
            elif kind == _NUM:
                value = _check_numeric(label, key, value, arg)
            elif kind == _STRLIST and (
                not isinstance(value, list) or any(type(v) is not str for v in value)
            ):
                raise RecordError(f"{label}.{key} must be a list of strings, got {value!r:.80}")
            doc[key] = value
        return row_hash(doc, label)

    def to_json(self, row: dict[str, Any]) -> dict[str, Any]:
        """A JSON-able copy of a checked row (dates and decimals as strings)."""
        out = dict(row)
        for key, kind, _arg, _nullable in self.checks:
            value = out.get(key)
            if value is None:
                continue
            if kind == _DATE:
                out[key] = value.isoformat()
            elif kind == _NUM:
                out[key] = str(value)
        return out

    def from_json(self, doc: dict[str, Any]) -> dict[str, Any]:
        """Inverse of `to_json`."""
        out = dict(doc)
        for key, kind, _arg, _nullable in self.checks:
            value = out.get(key)
            if value is None:
                continue
            if kind == _DATE:
                out[key] = date.fromisoformat(value)
            elif kind == _NUM:
                out[key] = Decimal(value)
        return out


def _check_numeric(label: str, key: str, value: Any, spec: tuple[int | None, int | None]) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise RecordError(f"{label}.{key} must be a number, got {value!r:.80}")
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
        if not number.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise RecordError(f"{label}.{key} is not a finite number: {value!r}") from None
    precision, scale = spec
    if precision is not None:
        limit = Decimal(10) ** (precision - (scale or 0))
        if abs(number) >= limit:
            raise RecordError(
                f"{label}.{key} = {value} does not fit NUMERIC({precision},{scale or 0})"
            )
    return str(number)


def row_hash(doc: dict[str, Any], label: str = "row") -> str:
    """sha256 of the canonical JSON of `doc`; refuses what PostgreSQL cannot store."""
    try:
        text = json.dumps(
            doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except (TypeError, ValueError) as exc:
        raise RecordError(f"{label} has a value that is not plain JSON ({exc})") from None
    if "\\u0000" in text:
        raise RecordError(f"{label} contains a NUL character, which the database cannot store")
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise RecordError(f"{label} contains invalid Unicode ({exc.reason})") from None
    return hashlib.sha256(data).hexdigest()
