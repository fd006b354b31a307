"""Downloads of upstream images: conditional (ETag / Last-Modified), retried, and limited per
source host (so many downloads at once and at most so many requests a second to each host).

Thread-safe: the sync runs several downloads at once on a thread pool; each host's limits hold
across those threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import urlsplit

import httpx

#: Largest image accepted from upstream (bytes); a bigger body is abandoned mid-stream.
MAX_IMAGE_BYTES = 20 * 1024 * 1024
RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}
#: Longest wait honoured from a Retry-After header (seconds).
MAX_RETRY_AFTER = 30.0
USER_AGENT = "SideDeckedCatalog/0.1 (image mirror)"

Outcome = Literal["ok", "not_modified", "missing", "error"]


@dataclass
class FetchResult:
    outcome: Outcome
    http_status: int | None = None
    data: bytes | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    error: str | None = None
    attempts: int = 1
    #: Seconds a 429/503 asked us to wait (its Retry-After header).
    retry_after: float | None = None


@dataclass
class _Host:
    gate: threading.Semaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_at: float = 0.0


class HostLimits:
    """Per-host concurrency (a semaphore) and rate (a minimum spacing between request starts,
    pushed back by a 429/503's Retry-After)."""

    def __init__(self, concurrency: int = 2, rate: float = 8.0) -> None:
        self.concurrency = concurrency
        self.interval = 1.0 / rate
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()

    def _host(self, host: str) -> _Host:
        with self._lock:
            entry = self._hosts.get(host)
            if entry is None:
                entry = self._hosts[host] = _Host(threading.Semaphore(self.concurrency))
            return entry

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        entry = self._host(host)
        with entry.gate:
            with entry.lock:
                now = time.monotonic()
                start = max(now, entry.next_at)
                entry.next_at = start + self.interval
            if start > now:
                time.sleep(start - now)
            yield

    def hold_off(self, host: str, seconds: float) -> None:
        entry = self._host(host)
        with entry.lock:
            entry.next_at = max(entry.next_at, time.monotonic() + seconds)


def _retry_after(resp: httpx.Response) -> float | None:
    value = resp.headers.get("retry-after")
    if not value:
        return None
    try:
        return min(MAX_RETRY_AFTER, max(0.0, float(value)))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return min(MAX_RETRY_AFTER, max(0.0, when - time.time()))


class Fetcher:
    def __init__(
        self,
        limits: HostLimits,
        *,
        client: httpx.Client | None = None,
        retries: int = 3,
        backoff: float = 0.5,
        max_bytes: int = MAX_IMAGE_BYTES,
    ) -> None:
        self.limits = limits
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(30.0, connect=10.0),
            follow_redirects=True,
            headers={"user-agent": USER_AGENT},
        )
        self.retries = retries
        self.backoff = backoff
        self.max_bytes = max_bytes

    def close(self) -> None:
        self.client.close()

    def fetch(self, url: str, *, etag: str | None, last_modified: str | None) -> FetchResult:
        """GET `url`, conditional on the validators of the last fetch; retried on transient
        failures (network errors, 408/429/5xx) with exponential backoff."""
        headers = {}
        if etag:
            headers["if-none-match"] = etag
        if last_modified:
            headers["if-modified-since"] = last_modified
        host = urlsplit(url).netloc
        error = ""
        attempt = 0
        while True:
            attempt += 1
            wait = self.backoff * 2 ** (attempt - 1)
            try:
                with self.limits.slot(host):
                    result = self._once(url, headers)
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"
            else:
                if result.outcome != "error" or result.http_status not in RETRY_STATUSES:
                    result.attempts = attempt
                    return result
                error = result.error or f"HTTP {result.http_status}"
                if result.retry_after is not None:
                    wait = max(wait, result.retry_after)
                    self.limits.hold_off(host, wait)
            if attempt > self.retries:
                return FetchResult("error", error=error, attempts=attempt)
            time.sleep(wait)

    def _once(self, url: str, headers: dict[str, str]) -> FetchResult:
        with self.client.stream("GET", url, headers=headers) as resp:
            status = resp.status_code
            if status == 304:
                return FetchResult("not_modified", status)
            if status in (404, 410):
                return FetchResult("missing", status, error=f"HTTP {status}")
            if status != 200:
                return FetchResult(
                    "error", status, error=f"HTTP {status}", retry_after=_retry_after(resp)
                )
            declared = resp.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.max_bytes:
                return FetchResult(
                    "error", status, error=f"image larger than {self.max_bytes} bytes"
                )
            body = bytearray()
            for chunk in resp.iter_bytes():
                body.extend(chunk)
                if len(body) > self.max_bytes:
                    return FetchResult(
                        "error", status, error=f"image larger than {self.max_bytes} bytes"
                    )
            return FetchResult(
                "ok",
                status,
                data=bytes(body),
                etag=resp.headers.get("etag"),
                last_modified=resp.headers.get("last-modified"),
                content_type=resp.headers.get("content-type"),
            )
