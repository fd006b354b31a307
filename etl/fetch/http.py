"""The HTTP side of fetching: rate limiting, retries, conditional requests, streamed downloads.

* rate limits and retries: `etl.fetch.limits` (`RateLimiter`, `RetryPolicy`);
* conditional requests: `etl.fetch.cache_meta` (`CacheMeta`, the `.fetch-meta` file);
* `HttpClient.download` streams a response body to `<file>.part` and renames it over the file
  once complete (never holding it in memory); identical content (same sha256 as last time)
  leaves the existing file untouched.

See docs/etl-fetch.md.
"""

from __future__ import annotations

import hashlib
import os
import random
import time
from collections.abc import Callable, Mapping
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
    FileStatus,
    NullProgress,
)
from etl.fetch.cache_meta import PART_SUFFIX, CacheMeta
from etl.fetch.limits import RateLimiter, RetryPolicy, is_retryable, parse_retry_after

DEFAULT_USER_AGENT = "SideDeckedCatalog/0.1 (trading card catalog ETL; python-httpx)"
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=15.0)
CHUNK_SIZE = 1 << 16

T = TypeVar("T")


class _RetryableStatus(Exception):
    def __init__(self, status: int, retry_after: float | None) -> None:
        super().__init__(status)
        self.status = status
        self.retry_after = retry_after


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
        status: FileStatus
        if previous is not None and previous.get("sha256") == sha256 and dest.exists():
            part.unlink(missing_ok=True)
            status = UNCHANGED
        else:
            part.replace(dest)
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
