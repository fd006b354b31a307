"""The HTTP side of fetching: rate limiting, retries, conditional requests, streamed downloads.

* `TokenBucket` / `RateLimiter`: one bucket per host (`host:port`) at the source's default
  rate, plus tighter buckets for matching paths (Scryfall's `/cards/search` family at 2/s).
  A request waits for a token of every bucket that applies.
* `RetryPolicy`: a 429 (honouring `Retry-After`, seconds or an HTTP date), a 5xx or a
  connection error is retried with exponential backoff and jitter up to `max_attempts`
  requests; any other 4xx fails at once with a `FetchError` naming the URL and status.
* `CacheMeta`: the small JSON file `.fetch-meta` in the destination folder keeps, per URL, the
  `ETag`/`Last-Modified` of the last download and the file it went to (name, size, sha256),
  so the next run sends `If-None-Match`/`If-Modified-Since` and a 304 keeps the file as it is.
  Its name has no `.json` suffix so that no source ever mistakes it for card input.
* `HttpClient.download` streams a response body to `<file>.part` and renames it over the file
  once complete (never holding it in memory); identical content (same sha256 as last time)
  leaves the existing file untouched.

See docs/etl-fetch.md.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx

from etl.fetch.base import (
    UNCHANGED,
    WRITTEN,
    FetchedFile,
    FetchError,
    FetchProgress,
    FetchResult,
    NullProgress,
)

DEFAULT_USER_AGENT = "SideDeckedCatalog/0.1 (trading card catalog ETL; python-httpx)"
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=15.0)
META_FILE = ".fetch-meta"
PART_SUFFIX = ".part"
CHUNK_SIZE = 1 << 16

T = TypeVar("T")


# -- rate limiting ----------------------------------------------------------------------------


class TokenBucket:
    """`rate` tokens a second, at most `burst` saved up. Thread-safe.

    `reserve()` takes a token now (the balance may go negative: later callers queue behind)
    and returns how long the caller must wait before using it, so N back-to-back requests
    from a full bucket of burst 1 take at least (N - 1) / rate seconds.
    """

    def __init__(
        self, rate: float, burst: float = 1.0, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if rate <= 0:
            raise ValueError(f"rate must be positive, not {rate!r}")
        self.rate = float(rate)
        self.burst = max(1.0, float(burst))
        self._clock = clock
        self._tokens = self.burst
        self._updated = clock()
        self._lock = threading.Lock()

    def reserve(self) -> float:
        with self._lock:
            now = self._clock()
            elapsed = max(0.0, now - self._updated)
            self._tokens = min(self.burst, self._tokens + elapsed * self.rate)
            self._updated = now
            self._tokens -= 1.0
            return 0.0 if self._tokens >= 0 else -self._tokens / self.rate


@dataclass(frozen=True, slots=True)
class RateRule:
    """A tighter limit for the paths containing one of `paths` (as whole segments)."""

    rate: float
    paths: tuple[str, ...]
    burst: float = 1.0


def path_matches(path: str, prefix: str) -> bool:
    """`/cards/search` matches `/cards/search` and `/mirror/cards/search`, not `/cards/searchx`."""
    return f"/{prefix.strip('/')}/" in f"/{path.strip('/')}/"


class RateLimiter:
    """Per-host token buckets at `rate` requests/s, plus the buckets of matching `rules`."""

    def __init__(
        self,
        rate: float | None,
        *,
        burst: float = 1.0,
        rules: Sequence[RateRule] = (),
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.rules = tuple(rules)
        self._clock = clock
        self._sleep = sleep
        self._buckets: dict[tuple[int, str], TokenBucket] = {}
        self._lock = threading.Lock()
        self.waited = 0.0  # total seconds spent waiting, for tests and reports

    def _bucket(self, index: int, host: str, rate: float, burst: float) -> TokenBucket:
        with self._lock:
            bucket = self._buckets.get((index, host))
            if bucket is None:
                bucket = self._buckets[(index, host)] = TokenBucket(rate, burst, clock=self._clock)
            return bucket

    def delay_for(self, url: httpx.URL | str) -> float:
        """Reserve the tokens for one request to `url`; the seconds to wait before sending."""
        url = httpx.URL(url)
        host = f"{url.host}:{url.port or ''}"
        waits = [0.0]
        if self.rate:
            waits.append(self._bucket(-1, host, self.rate, self.burst).reserve())
        for index, rule in enumerate(self.rules):
            if any(path_matches(url.path, p) for p in rule.paths):
                waits.append(self._bucket(index, host, rule.rate, rule.burst).reserve())
        return max(waits)

    def acquire(self, url: httpx.URL | str) -> float:
        wait = self.delay_for(url)
        if wait > 0:
            self.waited += wait
            self._sleep(wait)
        return wait


# -- retries ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 5  # requests in all, the first included
    backoff_base: float = 1.0  # seconds before the 2nd attempt; doubles each time
    backoff_max: float = 60.0
    jitter: float = 0.5  # the delay is drawn from [d * (1 - jitter), d]
    retry_after_max: float = 300.0  # a longer Retry-After fails instead of waiting
    #: wait after a 429 without Retry-After (None: the exponential backoff)
    default_retry_after: float | None = None

    def backoff(self, attempt: int, rng: random.Random | None = None) -> float:
        """The delay after failed attempt number `attempt` (1-based)."""
        delay = min(self.backoff_max, self.backoff_base * 2 ** max(0, attempt - 1))
        return delay * (1.0 - self.jitter * (rng or random).random())


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds from a `Retry-After` header: delta-seconds or an HTTP date; None if absent/bad."""
    if value is None:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def is_retryable(status: int) -> bool:
    return status == 429 or 500 <= status <= 599


class _RetryableStatus(Exception):
    def __init__(self, status: int, retry_after: float | None) -> None:
        super().__init__(status)
        self.status = status
        self.retry_after = retry_after


# -- cache metadata ---------------------------------------------------------------------------


class CacheMeta:
    """`.fetch-meta` in the destination folder: validators per URL and per-source state."""

    def __init__(self, dest_dir: Path) -> None:
        self.dest_dir = Path(dest_dir)
        self.path = self.dest_dir / META_FILE
        self.data: dict[str, Any] = {"version": 1, "urls": {}, "state": {}}
        if self.path.is_file():
            try:
                loaded = json.loads(self.path.read_text("utf-8"))
            except (OSError, ValueError):
                loaded = None
            if isinstance(loaded, dict) and isinstance(loaded.get("urls"), dict):
                self.data = {"version": 1, "urls": loaded["urls"], "state": {}}
                if isinstance(loaded.get("state"), dict):
                    self.data["state"] = loaded["state"]

    @property
    def urls(self) -> dict[str, dict[str, Any]]:
        return self.data["urls"]

    def rel(self, file: Path) -> str:
        try:
            return Path(file).resolve().relative_to(self.dest_dir.resolve()).as_posix()
        except ValueError:
            return str(Path(file).resolve())

    def entry_for_file(self, file: Path) -> dict[str, Any] | None:
        """The last recorded download into `file` (whatever its URL), if the file is intact."""
        rel = self.rel(file)
        for entry in self.urls.values():
            if entry.get("file") == rel and _intact(file, entry):
                return entry
        return None

    def conditional_headers(self, url: str, file: Path) -> dict[str, str]:
        """Validators for `url` when its last download into `file` is still there, intact."""
        entry = self.urls.get(url)
        if not entry or entry.get("file") != self.rel(file) or not _intact(file, entry):
            return {}
        headers = {}
        if entry.get("etag"):
            headers["If-None-Match"] = entry["etag"]
        if entry.get("last_modified"):
            headers["If-Modified-Since"] = entry["last_modified"]
        return headers

    def record(
        self,
        url: str,
        file: Path,
        *,
        etag: str | None,
        last_modified: str | None,
        sha256: str,
        size: int,
    ) -> None:
        rel = self.rel(file)
        for other in [u for u, e in self.urls.items() if e.get("file") == rel and u != url]:
            del self.urls[other]  # the file now comes from `url` (e.g. a new bulk file URI)
        self.urls[url] = {
            "file": rel,
            "etag": etag,
            "last_modified": last_modified,
            "sha256": sha256,
            "bytes": size,
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }

    def touch(self, url: str) -> None:
        entry = self.urls.get(url)
        if entry is not None:
            entry["checked_at"] = datetime.now(UTC).isoformat(timespec="seconds")

    def forget_file(self, file: Path) -> None:
        rel = self.rel(file)
        for url in [u for u, e in self.urls.items() if e.get("file") == rel]:
            del self.urls[url]

    def state(self, key: str) -> dict[str, Any]:
        value = self.data["state"].get(key)
        return value if isinstance(value, dict) else {}

    def set_state(self, key: str, value: dict[str, Any]) -> None:
        self.data["state"][key] = value

    def save(self) -> None:
        self.dest_dir.mkdir(parents=True, exist_ok=True)
        part = self.path.with_name(self.path.name + PART_SUFFIX)
        part.write_text(json.dumps(self.data, indent=2, sort_keys=True) + "\n", "utf-8")
        os.replace(part, self.path)


def _intact(file: Path, entry: Mapping[str, Any]) -> bool:
    try:
        return Path(file).stat().st_size == entry.get("bytes")
    except OSError:
        return False


# -- the client -------------------------------------------------------------------------------


class HttpClient:
    """An httpx client with the rate limiter, the retry policy and the result's counters."""

    def __init__(
        self,
        *,
        result: FetchResult,
        limiter: RateLimiter,
        retry: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        user_agent: str = DEFAULT_USER_AGENT,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        progress: FetchProgress | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.result = result
        self.limiter = limiter
        self.retry = retry or RetryPolicy()
        self.progress: FetchProgress = progress or NullProgress()
        self._sleep = sleep
        self._rng = rng or random.Random()
        base_headers = {"User-Agent": user_agent, "Accept": "application/json"}
        base_headers.update(headers or {})
        self._client = httpx.Client(headers=base_headers, timeout=timeout, follow_redirects=True)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- requests with retries ------------------------------------------------------------

    def _with_retries(self, url: httpx.URL, attempt_once: Callable[[], T]) -> T:
        attempt = 0
        while True:
            attempt += 1
            self.limiter.acquire(url)
            self.result.requests += 1
            if attempt > 1:
                self.result.retries += 1
            try:
                return attempt_once()
            except _RetryableStatus as exc:
                status: int | None = exc.status
                retry_after = exc.retry_after
                if retry_after is None and exc.status == 429:
                    retry_after = self.retry.default_retry_after
                error = f"HTTP {exc.status}"
            except (httpx.TransportError, httpx.DecodingError) as exc:
                status, retry_after = None, None
                error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            if attempt >= self.retry.max_attempts:
                raise FetchError(
                    str(url), status, f"gave up after {attempt} attempts (last: {error})"
                )
            if retry_after is not None and retry_after > self.retry.retry_after_max:
                raise FetchError(
                    str(url),
                    status,
                    f"the server asks to retry after {retry_after:.0f}s, longer than the "
                    f"{self.retry.retry_after_max:.0f}s this fetch waits",
                )
            if retry_after is not None:
                delay = retry_after
            else:
                delay = self.retry.backoff(attempt, self._rng)
            self.progress.note(
                f"{error} from {url}; attempt {attempt + 1}/{self.retry.max_attempts} "
                f"in {delay:.2f}s"
            )
            self._sleep(delay)

    def _check(self, url: httpx.URL, response: httpx.Response) -> None:
        """Raise for anything but 2xx/304: retryable statuses for the loop, else FetchError."""
        status = response.status_code
        if 200 <= status < 300 or status == 304:
            return
        if is_retryable(status):
            raise _RetryableStatus(status, parse_retry_after(response.headers.get("retry-after")))
        response.read()
        raise FetchError(str(url), status, _error_text(response))

    def get_json(
        self,
        url: str | httpx.URL,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """GET a small JSON document (a discovery object, a version check) into memory."""
        full = httpx.URL(url, params=params) if params else httpx.URL(url)

        def once() -> Any:
            response = self._client.get(full, headers=dict(headers or {}))
            self.result.bytes_downloaded += response.num_bytes_downloaded
            self._check(full, response)
            if response.status_code == 304:
                raise FetchError(str(full), 304, "304 Not Modified to an unconditional request")
            try:
                return response.json()
            except ValueError as exc:
                raise FetchError(
                    str(full), response.status_code, f"response is not JSON ({exc})"
                ) from None

        return self._with_retries(full, once)

    def download(
        self,
        url: str | httpx.URL,
        dest: Path,
        *,
        meta: CacheMeta | None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        label: str | None = None,
        expect_json: bool = True,
    ) -> FetchedFile:
        """Stream `url` into `dest` (atomically), conditionally when `meta` knows the URL."""
        full = httpx.URL(url, params=params) if params else httpx.URL(url)
        key = str(full)
        dest = Path(dest)
        label = label or dest.name
        conditional = meta.conditional_headers(key, dest) if meta else {}
        request_headers = {**(headers or {}), **conditional}

        def once() -> FetchedFile:
            with self._client.stream("GET", full, headers=request_headers) as response:
                try:
                    self._check(full, response)
                    if response.status_code == 304:
                        if not conditional:
                            raise FetchError(key, 304, "304 Not Modified to a plain request")
                        return self._not_modified(key, dest, meta, label)
                    return self._write(key, response, dest, meta, label, expect_json)
                finally:
                    self.result.bytes_downloaded += response.num_bytes_downloaded

        fetched = self._with_retries(full, once)
        self.result.files.append(fetched)
        if meta is not None:
            meta.save()
        return fetched

    def _not_modified(
        self, key: str, dest: Path, meta: CacheMeta | None, label: str
    ) -> FetchedFile:
        self.result.not_modified += 1
        if meta is not None:
            meta.touch(key)
        self.progress.file_finished(label, "not modified")
        return FetchedFile(
            dest, key, UNCHANGED, dest.stat().st_size if dest.exists() else 0, not_modified=True
        )

    def _write(
        self,
        key: str,
        response: httpx.Response,
        dest: Path,
        meta: CacheMeta | None,
        label: str,
        expect_json: bool,
    ) -> FetchedFile:
        dest.parent.mkdir(parents=True, exist_ok=True)
        part = dest.with_name(dest.name + PART_SUFFIX)
        length = response.headers.get("content-length", "")
        self.progress.file_started(label, int(length) if length.isdigit() else None)
        digest = hashlib.sha256()
        size = 0
        first = b""
        seen = 0
        try:
            with part.open("wb") as out:
                for chunk in response.iter_bytes(CHUNK_SIZE):
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                    if not first:
                        first = chunk.lstrip()[:1]
                    now = response.num_bytes_downloaded
                    if now > seen:
                        self.progress.advance(now - seen)
                        seen = now
                out.flush()
                os.fsync(out.fileno())
            if expect_json and first not in (b"[", b"{"):
                shown = first.decode("latin-1") if first else "nothing"
                raise FetchError(
                    key, response.status_code, f"expected a JSON document, got {shown!r}"
                )
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        sha256 = digest.hexdigest()
        previous = meta.entry_for_file(dest) if meta else None
        if previous is not None and previous.get("sha256") == sha256 and dest.exists():
            part.unlink(missing_ok=True)
            status = UNCHANGED
        else:
            os.replace(part, dest)
            status = WRITTEN
        if meta is not None:
            meta.record(
                key,
                dest,
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
                sha256=sha256,
                size=size,
            )
        self.progress.file_finished(label, status)
        return FetchedFile(dest, key, status, size)


def _error_text(response: httpx.Response) -> str:
    """The message of an error response: Scryfall `details`, YGOProDeck `error`, else text."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        for key in ("details", "error", "message"):
            value = body.get(key)
            if isinstance(value, dict):
                value = value.get("message")
            if isinstance(value, str) and value:
                return value
    text = " ".join(response.text.split())
    return text[:300] or response.reason_phrase or "request failed"
