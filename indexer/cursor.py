"""Opaque deep-paging cursors.

A cursor is URL-safe base64 of a small JSON object naming the request shape it belongs to
(sort, direction, unique) and where to continue: `after` (the sort values of the last hit, for
OpenSearch `search_after` / the tantivy sort key) or `offset` (the number of results already
returned; used where `search_after` is not possible: collapsed card results, tantivy relevance).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from indexer.query import SearchRequest


class InvalidCursorError(ValueError):
    """The cursor is malformed or belongs to a request with another sort or grain."""


@dataclass(frozen=True, slots=True)
class Cursor:
    after: list[Any] | None = None
    offset: int | None = None


def _shape(request: SearchRequest) -> list[str]:
    return [request.sort, request.direction, request.unique]


def encode_cursor(
    request: SearchRequest, *, after: list[Any] | None = None, offset: int | None = None
) -> str:
    payload: dict[str, Any] = {"s": _shape(request)}
    if after is not None:
        payload["a"] = after
    else:
        payload["o"] = int(offset or 0)
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(request: SearchRequest) -> Cursor | None:
    """The cursor of `request` (None without one); raises InvalidCursorError."""
    if not request.cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(request.cursor + "=" * (-len(request.cursor) % 4))
        payload = json.loads(raw)
    except (ValueError, TypeError) as exc:
        raise InvalidCursorError("malformed cursor") from exc
    if not isinstance(payload, dict) or payload.get("s") != _shape(request):
        raise InvalidCursorError("cursor belongs to another sort, direction or grain")
    if isinstance(payload.get("a"), list):
        return Cursor(after=payload["a"])
    offset = payload.get("o")
    if isinstance(offset, int) and offset >= 0:
        return Cursor(offset=offset)
    raise InvalidCursorError("malformed cursor")


def page_offset(request: SearchRequest, cursor: Cursor | None) -> int:
    """Where a page starts when paging by offset: the cursor's offset, else (page-1)*size."""
    if cursor is not None and cursor.offset is not None:
        return cursor.offset
    return max(0, request.page - 1) * request.page_size
