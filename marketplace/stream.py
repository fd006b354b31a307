"""The Redis Streams way in: publishers XADD events to `sidedecked:events`; consumers of the
group `catalog` apply them in batches.

Delivery is at least once and the effect exactly once:

* `XREADGROUP` hands each consumer (a unique name per process) a batch; it is applied in ONE
  database transaction (`apply.apply_events`, which skips event ids already in
  `processed_events`), and `XACK`ed only after the commit. A consumer killed before its ack
  leaves the messages pending; they are applied again later and change nothing the second time.
* A restarted consumer first re-reads its own pending messages (`XREADGROUP ... 0`); every
  consumer also reclaims messages idle for `min_idle_ms` from dead consumers (`XAUTOCLAIM`).
* An invalid message (bad JSON, schema, unknown SKU, other currency) is dead-lettered at once.
  A batch that fails (database error, a bug) is retried one message at a time to isolate the
  culprit; failing messages stay pending and are retried after `min_idle_ms`, and a message
  delivered more than `max_attempts` times goes to the dead-letter stream
  `sidedecked:events:dead` (and the `event_dead_letters` table) with its last error.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import redis
from pydantic import ValidationError
from redis.typing import EncodableT, FieldT, XReadGroupResponse
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from marketplace.apply import ApplyResult, apply_events, record_dead_letter
from marketplace.cached_lookups import invalidate_lookups
from marketplace.events import Event, error_reason, parse_event

log = logging.getLogger(__name__)

STREAM = "sidedecked:events"
DEAD_STREAM = "sidedecked:events:dead"
GROUP = "catalog"
ERRORS_KEY = "sidedecked:events:errors"
FIELD = "event"
MAX_ATTEMPTS = 5
MIN_IDLE_MS = 30_000


def publish(
    client: redis.Redis,
    events: Iterable[dict[str, Any] | str],
    *,
    stream: str = STREAM,
    chunk: int = 500,
) -> list[str]:
    """XADD each event (a dict or JSON text); returns the stream ids."""
    ids: list[str] = []
    pipe = client.pipeline(transaction=False)
    pending = 0
    for event in events:
        text = event if isinstance(event, str) else json.dumps(event, separators=(",", ":"))
        pipe.xadd(stream, {FIELD: text})
        pending += 1
        if pending >= chunk:
            ids.extend(_s(i) for i in pipe.execute())
            pending = 0
    if pending:
        ids.extend(_s(i) for i in pipe.execute())
    return ids


def _s(value: bytes | str | int) -> str:
    """A reply value as text (redis-py types the fields of some replies as possibly int)."""
    return value.decode() if isinstance(value, bytes) else str(value)


def _entries(reply: XReadGroupResponse) -> list[Any]:
    """The entries of the one stream an XREADGROUP read. Our clients speak RESP2, whose reply
    is `[[stream, entries]]` (empty when nothing came); RESP3 would give a dict."""
    if isinstance(reply, dict):
        raise TypeError("the stream consumer expects a RESP2 Redis client")
    return reply[0][1] if reply else []


def ensure_group(client: redis.Redis, *, stream: str = STREAM, group: str = GROUP) -> None:
    try:
        client.xgroup_create(stream, group, id="0", mkstream=True)
    except redis.ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


def default_consumer_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


@dataclass(slots=True)
class ConsumeReport:
    read: int = 0
    applied: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    acked: int = 0
    failed: int = 0
    batches: int = 0
    reclaimed: int = 0

    def add(self, other: ConsumeReport) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(slots=True)
class _Message:
    id: str
    raw: str | None
    attempts: int = 1
    reason: str | None = None


#: A message whose event validated, with that event.
_Parsed = tuple[_Message, Event]


@dataclass(slots=True)
class StreamConsumer:
    client: redis.Redis
    db: Engine
    consumer: str = field(default_factory=default_consumer_name)
    stream: str = STREAM
    group: str = GROUP
    #: Defaults to `<stream>:dead` (`sidedecked:events:dead`).
    dead_stream: str = ""
    batch_size: int = 500
    block_ms: int = 1000
    min_idle_ms: int = MIN_IDLE_MS
    max_attempts: int = MAX_ATTEMPTS
    #: Called after each committed batch (e.g. drain the index outbox).
    after_commit: Callable[[ApplyResult], None] | None = None
    _own_pending_done: bool = False
    _own_cursor: str = "0"
    _last_claim: float = 0.0
    errors_key: str = ERRORS_KEY

    def __post_init__(self) -> None:
        self.dead_stream = self.dead_stream or f"{self.stream}:dead"
        self.errors_key = f"{self.stream}:errors"
        ensure_group(self.client, stream=self.stream, group=self.group)

    # -- reading ---------------------------------------------------------------------------

    def _decode(self, entries: list[Any]) -> list[_Message]:
        out = []
        for msg_id, fields in entries or []:
            if fields is None:  # deleted from the stream meanwhile
                continue
            fields = {_s(k): _s(v) for k, v in fields.items()}
            out.append(_Message(_s(msg_id), fields.get(FIELD)))
        return out

    def _delivery_counts(self, messages: list[_Message]) -> None:
        if not messages:
            return
        ids = sorted(m.id for m in messages)
        rows = self.client.xpending_range(
            self.stream,
            self.group,
            min=ids[0],
            max=ids[-1],
            count=len(ids) * 4 + 100,
            consumername=self.consumer,
        )
        counts = {_s(r["message_id"]): int(r["times_delivered"]) for r in rows}
        for m in messages:
            m.attempts = counts.get(m.id, m.attempts)

    def read(self) -> list[_Message]:
        """Own pending (once, after a restart), reclaimed idle messages, then new ones."""
        if not self._own_pending_done:
            resp = self.client.xreadgroup(
                self.group, self.consumer, {self.stream: self._own_cursor}, count=self.batch_size
            )
            own = self._decode(_entries(resp))
            self._own_pending_done = len(own) < self.batch_size
            if own:
                self._own_cursor = own[-1].id
                self._delivery_counts(own)
                return own
        now = time.monotonic()
        if now - self._last_claim >= min(self.min_idle_ms / 1000.0, 5.0):
            self._last_claim = now
            claimed = self.client.xautoclaim(
                self.stream,
                self.group,
                self.consumer,
                min_idle_time=self.min_idle_ms,
                start_id="0-0",
                count=self.batch_size,
            )
            messages = self._decode(claimed[1])
            if messages:
                self._delivery_counts(messages)
                for m in messages:
                    m.reason = "reclaimed"
                return messages
        resp = self.client.xreadgroup(
            self.group,
            self.consumer,
            {self.stream: ">"},
            count=self.batch_size,
            block=self.block_ms,
        )
        return self._decode(_entries(resp))

    # -- processing ------------------------------------------------------------------------

    def process(self, messages: list[_Message]) -> ConsumeReport:
        report = ConsumeReport(read=len(messages))
        report.reclaimed = sum(1 for m in messages if m.reason == "reclaimed")
        errors = self._last_errors([m.id for m in messages if m.attempts > 1])
        dead: list[tuple[_Message, str]] = []
        good: list[_Parsed] = []
        for m in messages:
            m.reason = None
            if m.attempts > self.max_attempts:
                last = errors.get(m.id, "unknown error (the consumer died)")
                dead.append((m, f"failed {m.attempts - 1} delivery attempts; last error: {last}"))
                continue
            try:
                if m.raw is None:
                    raise ValueError(f"message has no {FIELD!r} field")
                event = parse_event(m.raw)
            except (ValidationError, ValueError) as exc:
                dead.append((m, f"invalid event: {error_reason(exc)}"))
                continue
            good.append((m, event))
        if good:
            try:
                self._apply(good, report)
            except Exception as exc:  # noqa: BLE001 - isolate the failing message(s)
                log.warning("batch of %d failed (%s); retrying one by one", len(good), exc)
                if len(good) == 1:
                    self._failed(good[0][0], exc, report)
                else:
                    for parsed in good:
                        try:
                            self._apply([parsed], report)
                        except Exception as one_exc:  # noqa: BLE001
                            self._failed(parsed[0], one_exc, report)
        if dead:
            self._dead_letter(dead, report)
        return report

    def _apply(self, batch: list[_Parsed], report: ConsumeReport) -> None:
        events = [event for _, event in batch]
        ids = {event.event_id: m.id for m, event in batch}
        with Session(self.db) as session, session.begin():
            result = apply_events(
                session, events, source="stream", on_reject="dead_letter", stream_ids=ids
            )
        rejected = {r.event_id: r.reason for r in result.rejected}
        # committed: the rejected events already have their DB dead letter; mirror to Redis
        pipe = self.client.pipeline(transaction=True)
        for m, event in batch:
            reason = rejected.get(event.event_id)
            if reason is not None:
                pipe.xadd(self.dead_stream, self._dead_fields(m, reason))
        pipe.xack(self.stream, self.group, *[m.id for m, _ in batch])
        pipe.hdel(self.errors_key, *[m.id for m, _ in batch])
        pipe.execute()
        report.batches += 1
        report.applied += len(result.applied)
        report.duplicates += len(result.duplicates)
        report.dead_lettered += len(rejected)
        report.acked += len(batch)
        invalidate_lookups(result.touched_sku_codes, result.touched_prints)
        if self.after_commit is not None:
            try:
                self.after_commit(result)
            except Exception:
                log.exception("after-commit hook failed")

    def _failed(self, m: _Message, exc: Exception, report: ConsumeReport) -> None:
        report.failed += 1
        log.warning("message %s failed (attempt %d): %s", m.id, m.attempts, exc)
        with contextlib.suppress(redis.RedisError):
            self.client.hset(self.errors_key, m.id, f"{type(exc).__name__}: {exc}"[:500])

    def _last_errors(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        values = self.client.hmget(self.errors_key, ids)
        return {i: _s(v) for i, v in zip(ids, values, strict=True) if v is not None}

    def _dead_fields(self, m: _Message, reason: str) -> dict[FieldT, EncodableT]:
        return {
            FIELD: m.raw or "",
            "reason": reason,
            "stream_id": m.id,
            "attempts": str(m.attempts),
            "consumer": self.consumer,
        }

    def _dead_letter(self, dead: list[tuple[_Message, str]], report: ConsumeReport) -> None:
        try:
            with Session(self.db) as session, session.begin():
                for m, reason in dead:
                    try:
                        payload: Any = json.loads(m.raw) if m.raw else None
                    except ValueError:
                        payload = {"raw": m.raw}
                    event_id = payload.get("event_id") if isinstance(payload, dict) else None
                    record_dead_letter(
                        session,
                        reason=reason,
                        payload=payload,
                        source="stream",
                        event_id=str(event_id)[:128] if event_id else None,
                        stream_id=m.id,
                        attempts=m.attempts,
                    )
        except Exception:
            log.exception("could not record %d dead letters in the database", len(dead))
        pipe = self.client.pipeline(transaction=True)
        for m, reason in dead:
            pipe.xadd(self.dead_stream, self._dead_fields(m, reason))
        pipe.xack(self.stream, self.group, *[m.id for m, _ in dead])
        pipe.hdel(self.errors_key, *[m.id for m, _ in dead])
        pipe.execute()
        report.dead_lettered += len(dead)
        report.acked += len(dead)

    # -- loop ------------------------------------------------------------------------------

    def step(self) -> ConsumeReport:
        messages = self.read()
        return self.process(messages) if messages else ConsumeReport()

    def run(
        self,
        *,
        stop: threading.Event | None = None,
        max_seconds: float | None = None,
        idle_exit_s: float | None = None,
    ) -> ConsumeReport:
        """Consume until `stop` is set, `max_seconds` passed, or nothing came for
        `idle_exit_s` seconds (with nothing pending in the group)."""
        total = ConsumeReport()
        started = last_work = time.monotonic()
        while not (stop is not None and stop.is_set()):
            now = time.monotonic()
            if max_seconds is not None and now - started >= max_seconds:
                break
            part = self.step()
            total.add(part)
            now = time.monotonic()
            if part.read:
                last_work = now
            elif idle_exit_s is not None and now - last_work >= idle_exit_s and self.pending() == 0:
                break
        return total

    def pending(self) -> int:
        info = self.client.xpending(self.stream, self.group)
        return int(info["pending"]) if info else 0

    def lag(self) -> int:
        """Messages not yet delivered to the group plus delivered but unacknowledged ones."""
        groups = {_s(g["name"]): g for g in self.client.xinfo_groups(self.stream)}
        group = groups.get(self.group) or {}
        return int(group.get("lag") or 0) + int(group.get("pending") or 0)
