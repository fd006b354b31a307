"""pokemontcg.io v2 (Pokémon): the pages of `/v2/sets` and `/v2/cards`.

`GET {base}/v2/sets?page=N&pageSize=250` and `GET {base}/v2/cards?page=N&pageSize=250`
(`q` when a query is given), with `X-Api-Key` when an API key is given, until
page * pageSize >= totalCount. Each page is written as it comes, in the API page format
`{"data": [...], "page", "pageSize", "count", "totalCount"}` that etl/sources/pokemontcg/reader.py
reads (cards carry their `set` block): `<dest>/sets/page-NNNN.json` (read by the source's
`sets()`, never as cards) and `<dest>/cards/page-NNNN.json`. Pages left over from an earlier,
longer run are deleted.

Limits (https://docs.pokemontcg.io/getting-started/rate-limits, as published): without a key
1,000 requests a day and at most 30 a minute; with a (free) key 20,000 a day by default. The
defaults here: 0.5 request/s without a key (30/min), 2/s with one.
"""

from __future__ import annotations

from typing import Any

from etl.fetch.base import FetchError
from etl.fetch.context import FetchContext, top_level_scalars
from etl.fetch.limits import RateRule

NAME = "pokemontcg"
DEFAULT_BASE_URL = "https://api.pokemontcg.io"
RATE_WITHOUT_KEY = 0.5
RATE_WITH_KEY = 2.0
PAGE_SIZE = 250
OPTIONS = frozenset({"query", "page_size"})
RETRY_AFTER_429: float | None = None
API_KEY_ENV: str | None = "POKEMONTCG_API_KEY"
MAX_PAGES = 10_000


def default_rate(api_key: str | None) -> float:
    return RATE_WITH_KEY if api_key else RATE_WITHOUT_KEY


def rate_rules(rate: float) -> list[RateRule]:
    return []


def fetch(ctx: FetchContext, *, query: str | None = None, page_size: int | None = None) -> None:
    size = page_size or PAGE_SIZE
    if not 1 <= size <= PAGE_SIZE:
        raise ValueError(f"page size must be between 1 and {PAGE_SIZE}")
    headers = {"X-Api-Key": ctx.api_key} if ctx.api_key else {}
    fetch_pages(ctx, "v2/sets", "sets", {}, headers, size)
    fetch_pages(ctx, "v2/cards", "cards", {"q": query} if query else {}, headers, size)


def fetch_pages(
    ctx: FetchContext,
    path: str,
    folder_name: str,
    params: dict[str, Any],
    headers: dict[str, str],
    page_size: int,
) -> None:
    folder = ctx.dest_dir / folder_name
    url = ctx.url(path)
    kept = []
    page = 1
    while True:
        dest = folder / f"page-{page:04d}.json"
        ctx.client.download(
            url,
            dest,
            params={**params, "page": page, "pageSize": page_size},
            headers=headers,
            meta=ctx.meta,
            label=f"{folder_name} page {page}",
        )
        kept.append(dest)
        info = top_level_scalars(dest)
        try:
            total = int(info["totalCount"])
            size = int(info.get("pageSize") or page_size)
            count = int(info.get("count") or 0)
        except (KeyError, TypeError, ValueError):
            raise FetchError(url, 200, f"page {page} has no totalCount/pageSize") from None
        if count == 0 or size <= 0 or page * size >= total:
            break
        page += 1
        if page > MAX_PAGES:
            raise FetchError(url, 200, "pagination does not end")
    ctx.remove_stale(folder, "page-*.json", kept)
