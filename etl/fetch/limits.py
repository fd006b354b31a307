"""Politeness and persistence of the fetch client: per-host rate limits and retries.

* `TokenBucket` / `RateLimiter`: one bucket per host (`host:port`) at the source's default
  rate, plus tighter buckets for matching paths (Scryfall's `/cards/search` family at 2/s).
  A request waits for a token of every bucket that applies.
* `RetryPolicy`: a 429 (honouring `Retry-After`, seconds or an HTTP date), a 5xx or a
  connection error is retried with exponential backoff and jitter up to `max_attempts`
  requests; any other 4xx fails at once with a `FetchError` naming the URL and status.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

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
        delay = min(self.backoff_max, self.backoff_base * 2.0 ** max(0, attempt - 1))
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
