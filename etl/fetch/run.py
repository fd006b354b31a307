"""`fetch_source`: download one source's upstream data into files the loader then loads.

    from etl.fetch.run import fetch_source
    result = fetch_source("scryfall", dest_dir=Path("var/upstream/scryfall"))
    print(result.summary())

The source's fetch module (`etl/sources/<name>/fetch.py`, found through `etl.registry`) knows
the endpoints and the file layout; `etl.fetch.http` does the HTTP (per-host rate limits,
retries with backoff, conditional requests, streamed atomic downloads). `dest_dir` is the
folder of one source; the files written there are exactly what the source's reader reads, so
`load(source, [dest_dir])` follows. See docs/etl-fetch.md.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from etl.fetch.base import Fetcher, FetchProgress, FetchResult, NullProgress
from etl.fetch.cache_meta import CacheMeta
from etl.fetch.context import FetchContext
from etl.fetch.http import DEFAULT_USER_AGENT, HttpClient
from etl.fetch.limits import RateLimiter, RetryPolicy
from etl.registry import SOURCES, get_fetcher
from models.locks import FileLease, held

USER_AGENT_ENV = "SIDEDECKED_FETCH_USER_AGENT"
LOCK_FILE = ".fetch-lock"


class FetchBusyError(RuntimeError):
    """Another fetch is writing into the same destination folder."""


def default_base_url(source: str) -> str:
    return _fetcher(source).DEFAULT_BASE_URL


def _fetcher(source: str) -> Fetcher:
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")
    return get_fetcher(source)


def fetch_source(
    source: str,
    *,
    dest_dir: Path,
    base_url: str | None = None,
    api_key: str | None = None,
    progress: FetchProgress | None = None,
    rate: float | None = None,
    retry: RetryPolicy | None = None,
    user_agent: str | None = None,
    bulk_type: str | None = None,
    query: str | None = None,
    cardsets: Sequence[str] | None = None,
    languages: Sequence[str] | None = None,
    page_size: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchResult:
    """Download `source`'s upstream data into `dest_dir`; see the module docstring.

    `base_url` replaces the upstream host (a mirror, a local test server); `api_key` is
    pokemontcg.io's `X-Api-Key` (default: $POKEMONTCG_API_KEY; other sources ignore it).
    `rate` (requests/s per host) and `retry` override the source's defaults. Source options:
    scryfall `bulk_type` (default_cards, all_cards, oracle_cards, unique_artwork) or `query`
    (a card search instead of a bulk file); pokemontcg `query` (the `q` filter) and
    `page_size`; ygoprodeck `cardsets` (set names, one cardinfo request each, instead of the
    full list); optcg `languages` (en, jp). Raises `FetchError` when a request fails for good
    (files completed before that stay), `ValueError` for bad arguments.
    """
    fetcher = _fetcher(source)
    options = _source_options(
        source,
        fetcher,
        bulk_type=bulk_type,
        query=query,
        cardsets=list(cardsets) if cardsets else None,
        languages=list(languages) if languages else None,
        page_size=page_size,
    )
    if rate is not None and rate <= 0:
        raise ValueError("rate must be positive")
    progress = progress or NullProgress()
    api_key = _api_key(source, fetcher, api_key, progress)
    per_second = rate or fetcher.default_rate(api_key)
    limiter = RateLimiter(per_second, rules=fetcher.rate_rules(per_second), sleep=sleep)
    if retry is None:
        retry = RetryPolicy(default_retry_after=fetcher.RETRY_AFTER_429)
    dest = Path(dest_dir)
    dest.mkdir(parents=True, exist_ok=True)
    result = FetchResult(source=source, dest_dir=dest)
    started = time.monotonic()
    with _locked(dest):
        client = HttpClient(
            result=result,
            limiter=limiter,
            retry=retry,
            user_agent=user_agent or os.environ.get(USER_AGENT_ENV) or DEFAULT_USER_AGENT,
            progress=progress,
            sleep=sleep,
        )
        ctx = FetchContext(
            source=source,
            base_url=(base_url or fetcher.DEFAULT_BASE_URL).rstrip("/"),
            dest_dir=dest,
            client=client,
            meta=CacheMeta(dest),
            result=result,
            progress=progress,
            api_key=api_key,
        )
        try:
            fetcher.fetch(ctx, **options)
        finally:
            client.close()
            ctx.meta.save()
            result.seconds = time.monotonic() - started
    return result


def _source_options(source: str, fetcher: Fetcher, **given: Any) -> dict[str, Any]:
    """The options given, checked against those the source's fetcher takes."""
    options = {k: v for k, v in given.items() if v is not None}
    unknown = sorted(set(options) - fetcher.OPTIONS)
    if unknown:
        allowed = ", ".join(sorted(fetcher.OPTIONS)) or "none"
        raise ValueError(
            f"option(s) {', '.join(unknown)} do not apply to {source} (its options: {allowed})"
        )
    return options


def _api_key(
    source: str, fetcher: Fetcher, given: str | None, progress: FetchProgress
) -> str | None:
    """The key sent upstream: the one given, else the source's environment variable."""
    if fetcher.API_KEY_ENV is not None:
        return given or os.environ.get(fetcher.API_KEY_ENV) or None
    if given:
        progress.note(f"{source} takes no API key; ignoring it")
    return None


def _locked(dest: Path) -> AbstractContextManager[str]:
    """An exclusive, non-blocking lease on `<dest>/.fetch-lock`: one fetch writes into a folder."""
    busy = f"another fetch is writing into {dest}"
    return held(FileLease(dest / LOCK_FILE), busy=lambda: FetchBusyError(busy))
