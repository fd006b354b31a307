"""Bulk matching jobs, CSV export of result rows (from `views.row_view` or the CLI's
equivalent): the result columns, then the export's own columns, every cell neutralised against
formula injection."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|")
_PLAIN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def neutralize(value: Any) -> str:
    """A cell spreadsheets will not run as a formula: text starting with = + - @ TAB CR LF
    or | gets a leading apostrophe (OWASP CSV injection); plain numbers stay as they are."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


RESULT_COLUMNS = (
    "line_number",
    "status",
    "state",
    "reason_code",
    "reason",
    "sku",
    "original_sku",
    "decided_by",
    "decided_at",
    "review_note",
    "confidence",
    "match_method",
    "name",
    "set_code",
    "number",
    "quantity",
    "matched_fields",
    "candidates",
)
INPUT_PREFIX = "input:"


def result_record(view: Mapping[str, Any]) -> dict[str, Any]:
    """A results row as flat CSV values (from `row_view` or the CLI's equivalent): `sku` is
    the final SKU, with its name, set and number when it is one of the candidates."""
    candidates = view.get("candidates") or []
    sku = view.get("sku")
    top: Mapping[str, Any] = next((c for c in candidates if sku and c.get("sku") == sku), {})
    matched = view.get("matched_fields")
    record = {
        "line_number": view.get("line_number"),
        "status": view.get("status"),
        "state": view.get("state") or view.get("status"),
        "reason_code": view.get("reason_code"),
        "reason": view.get("reason"),
        "sku": sku,
        "original_sku": view.get("original_sku", sku),
        "decided_by": view.get("decided_by"),
        "decided_at": view.get("decided_at"),
        "review_note": view.get("review_note"),
        "confidence": "" if view.get("confidence") is None else f"{view['confidence']:.4f}",
        "match_method": view.get("match_method"),
        "name": top.get("name"),
        "set_code": top.get("set_code"),
        "number": top.get("number"),
        "quantity": view.get("quantity"),
        "matched_fields": json.dumps(matched, sort_keys=True) if matched else None,
        "candidates": ";".join(f"{c['sku']}={c['confidence']:.2f}" for c in candidates) or None,
    }
    for key, value in (view.get("input") or {}).items():
        if key != "_extra":
            record[INPUT_PREFIX + key] = value
    return record


def input_columns(first_input: Mapping[str, Any] | None) -> list[str]:
    """The export's own columns (from a row's `raw`), written after the result columns."""
    return [INPUT_PREFIX + key for key in (first_input or {}) if key != "_extra"]


class _CsvRows:
    """CSV text of result views: the result columns, then the export's own columns (taken
    from the first row); every cell neutralised against formula injection."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer)
        self.columns: list[str] | None = None

    def add(self, view: Mapping[str, Any]) -> None:
        if self.columns is None:
            self.columns = [*RESULT_COLUMNS, *input_columns(view.get("input"))]
            self.writer.writerow(self.columns)
        record = result_record(view)
        self.writer.writerow([neutralize(record.get(c)) for c in self.columns])

    def take(self) -> str:
        if self.columns is None:
            self.columns = list(RESULT_COLUMNS)
            self.writer.writerow(self.columns)
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text


def write_results_csv(views: Iterable[Mapping[str, Any]], out: IO[str]) -> int:
    """Write result rows as CSV (see `_CsvRows`); returns the rows written."""
    rows = _CsvRows()
    count = 0
    for count, view in enumerate(views, start=1):
        rows.add(view)
        if count % 500 == 0:
            out.write(rows.take())
    out.write(rows.take())
    return count


def csv_chunks(views: Iterable[Mapping[str, Any]], *, every: int = 500) -> Iterator[str]:
    """The CSV of `views` as text chunks (for a streaming response)."""
    rows = _CsvRows()
    for count, view in enumerate(views, start=1):
        rows.add(view)
        if count % every == 0:
            yield rows.take()
    yield rows.take()
