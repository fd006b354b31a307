"""Scryfall (MTG): the bulk-data file named by `/bulk-data`, or the pages of a card search.

Bulk (default): `GET {base}/bulk-data` lists the daily bulk files; the entry whose `type` is
`bulk_type` (`default_cards`, `all_cards`, `oracle_cards`, `unique_artwork`) gives its
`download_uri` (on data.scryfall.io, often served gzip-encoded) and `updated_at`. The file is
streamed to `<dest>/<type with dashes>.json` (`default-cards.json`). When `updated_at` is
the one of the file already there, nothing is downloaded; otherwise the download is
conditional (ETag / Last-Modified of the last download of that URL).

Search (`query`): `GET {base}/cards/search?q=...` and its `next_page` links, each page to
`<dest>/search/page-NNNN.json` (the `{"object": "list", "data": [...]}` page the source reads).

Limits (https://scryfall.com/docs/api/rate-limits): 10 requests/s on api.scryfall.com, 2/s on
`/cards/search`, `/cards/named`, `/cards/random` and `/cards/collection`; a 429 locks the
client out for 30 s, so a 429 without Retry-After waits 30 s. Scryfall requires a descriptive
User-Agent and an Accept header on every request.
"""

from __future__ import annotations

from typing import Any

from etl.fetch.base import FetchError
from etl.fetch.context import FetchContext, top_level_scalars
from etl.fetch.limits import RateRule

NAME = "scryfall"
DEFAULT_BASE_URL = "https://api.scryfall.com"
DEFAULT_RATE = 10.0
SEARCH_RATE = 2.0
SEARCH_PATHS = ("/cards/search", "/cards/named", "/cards/random", "/cards/collection")
RETRY_AFTER_429: float | None = 30.0
BULK_TYPES = ("default_cards", "all_cards", "oracle_cards", "unique_artwork")
DEFAULT_BULK_TYPE = "default_cards"
OPTIONS = frozenset({"bulk_type", "query"})
API_KEY_ENV: str | None = None
MAX_PAGES = 10_000


def default_rate(api_key: str | None) -> float:
    return DEFAULT_RATE


def rate_rules(rate: float) -> list[RateRule]:
    return [RateRule(min(SEARCH_RATE, rate), SEARCH_PATHS)]


def bulk_file_name(bulk_type: str) -> str:
    return f"{bulk_type.replace('_', '-')}.json"


def fetch(ctx: FetchContext, *, bulk_type: str | None = None, query: str | None = None) -> None:
    if query is not None:
        if bulk_type is not None:
            raise ValueError("give either a bulk type or a search query, not both")
        fetch_search(ctx, query)
    else:
        fetch_bulk(ctx, bulk_type or DEFAULT_BULK_TYPE)


def fetch_bulk(ctx: FetchContext, bulk_type: str) -> None:
    listing_url = ctx.url("bulk-data")
    listing = ctx.client.get_json(listing_url)
    entries = listing.get("data") if isinstance(listing, dict) else None
    if not isinstance(entries, list):
        raise FetchError(listing_url, 200, "not a bulk-data list (no `data` array)")
    entry: dict[str, Any] | None = next(
        (e for e in entries if isinstance(e, dict) and e.get("type") == bulk_type), None
    )
    if entry is None:
        known = ", ".join(str(e.get("type")) for e in entries if isinstance(e, dict))
        raise FetchError(listing_url, 200, f"no bulk file of type {bulk_type!r} ({known})")
    download_uri = entry.get("download_uri")
    if not isinstance(download_uri, str) or not download_uri:
        raise FetchError(listing_url, 200, f"bulk file {bulk_type!r} has no download_uri")
    dest = ctx.dest_dir / bulk_file_name(bulk_type)
    state_key = f"bulk:{bulk_type}"
    state = ctx.meta.state(state_key)
    updated_at = entry.get("updated_at")
    if updated_at and state.get("updated_at") == updated_at and ctx.meta.entry_for_file(dest):
        ctx.skipped(dest, download_uri, f"bulk file updated_at {updated_at} already fetched")
        return
    ctx.client.download(download_uri, dest, meta=ctx.meta, label=dest.name)
    ctx.meta.set_state(
        state_key,
        {
            "updated_at": updated_at,
            "download_uri": download_uri,
            "size": entry.get("size"),
            "id": entry.get("id"),
        },
    )
    ctx.meta.save()


def fetch_search(ctx: FetchContext, query: str) -> None:
    folder = ctx.dest_dir / "search"
    url: str | None = ctx.url("cards/search")
    params: dict[str, Any] | None = {"q": query}
    seen: set[str] = set()
    kept = []
    page = 1
    while url is not None:
        if page > MAX_PAGES or url in seen:
            raise FetchError(url, None, "search pagination does not end")
        seen.add(url)
        dest = folder / f"page-{page:04d}.json"
        ctx.client.download(url, dest, params=params, meta=ctx.meta, label=f"search page {page}")
        kept.append(dest)
        info = top_level_scalars(dest)
        next_page = info.get("next_page")
        url = next_page if info.get("has_more") and isinstance(next_page, str) else None
        params = None  # next_page carries the query
        page += 1
    ctx.remove_stale(folder, "page-*.json", kept)
