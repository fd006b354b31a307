"""`POST /api/events`: a batch of marketplace events, signed with HMAC-SHA256.

The commerce backend signs the raw request body with the shared secret
`SIDEDECKED_EVENTS_SECRET` and sends `X-Signature: sha256=<hex>`. Unsigned or wrongly signed
requests get 401; without a configured secret the endpoint answers 503. The body is
`{"events": [...]}` (or a bare list), at most 1,000 events. The batch is all or nothing: any
invalid event (schema, unknown SKU, other currency) answers 422 with each reason and applies
nothing. Event ids already processed are reported as duplicates and change nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from marketplace.apply import EventsRejected, apply_events
from marketplace.cached_lookups import invalidate_lookups
from marketplace.events import MAX_BATCH, Event, error_reason
from models.settings import get_settings
from search_api.errors import ApiError

router = APIRouter(prefix="/api/events", tags=["events"])
SIGNATURE_HEADER = "X-Signature"
_ONE = TypeAdapter(Event)


class EventBatch(BaseModel):
    """The request body: `{"events": [...]}` (`parse_batch` also takes a bare list)."""

    model_config = ConfigDict(extra="forbid")

    events: list[Event] = Field(min_length=1, max_length=MAX_BATCH)


def sign(body: bytes, secret: str) -> str:
    """The `X-Signature` value of `body`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(body: bytes, header: str | None, secret: str) -> bool:
    if not header or not header.startswith("sha256="):
        return False
    return hmac.compare_digest(sign(body, secret), header.strip())


def parse_batch(body: bytes) -> list[Event]:
    """Validate a body; raises ApiError 422 listing every invalid event with its reason."""
    try:
        data: Any = json.loads(body)
    except ValueError as exc:
        raise ApiError(422, "invalid_json", str(exc)) from exc
    if isinstance(data, dict) and set(data) == {"events"}:
        data = data["events"]
    if not isinstance(data, list) or not data:
        raise ApiError(422, "invalid_request", "expected {'events': [...]} with 1 or more events")
    if len(data) > MAX_BATCH:
        raise ApiError(422, "batch_too_large", f"at most {MAX_BATCH} events per request")
    events, errors = [], []
    for index, item in enumerate(data):
        try:
            events.append(_ONE.validate_python(item))
        except ValidationError as exc:
            event_id = item.get("event_id") if isinstance(item, dict) else None
            errors.append({"index": index, "event_id": event_id, "reason": error_reason(exc)})
    if errors:
        raise ApiError(422, "invalid_events", errors)
    return events


def _apply(events: list[Event]) -> dict[str, Any]:
    from models.db import session_scope

    try:
        with session_scope() as session:
            result = apply_events(session, events, source="api", on_reject="raise")
    except EventsRejected as exc:
        details = [
            {"index": r.index, "event_id": r.event_id, "reason": r.reason} for r in exc.rejections
        ]
        raise ApiError(422, "invalid_events", details) from exc
    invalidate_lookups(result.touched_sku_codes, result.touched_prints)
    return {
        "applied": len(result.applied),
        "duplicates": len(result.duplicates),
        "duplicate_event_ids": result.duplicates,
        "touched_skus": len(result.touched_skus),
    }


@router.post("", summary="Apply a signed batch of marketplace events")
async def post_events(request: Request) -> dict[str, Any]:
    secret = get_settings().sidedecked_events_secret
    if not secret:
        raise ApiError(503, "events_disabled", "SIDEDECKED_EVENTS_SECRET is not configured")
    body = await request.body()
    if not verify(body, request.headers.get(SIGNATURE_HEADER), secret):
        raise ApiError(
            401, "unauthorized", f"missing or wrong {SIGNATURE_HEADER}: expected sha256=<hex>"
        )
    events = parse_batch(body)
    return await run_in_threadpool(_apply, events)
