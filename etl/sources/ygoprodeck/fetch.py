"""YGOProDeck v7 (Yu-Gi-Oh!): the full `cardinfo.php` list, or one response per card set.

* `GET {base}/api/v7/cardsets.php` -> `<dest>/cardsets.json` (the set list the source's
  `sets()` reads; never card input).
* Full list (default): `GET {base}/api/v7/checkDBVer.php` first; when its `database_version`
  is the one of the `cardinfo.json` already there, nothing more is downloaded. Otherwise
  `GET {base}/api/v7/cardinfo.php` (every card, tens of MB, streamed) -> `<dest>/cardinfo.json`,
  conditionally (ETag / Last-Modified). A failing version check only skips the shortcut.
* Per set (`cardsets=[...]`): `GET {base}/api/v7/cardinfo.php?cardset=<set name>` ->
  `<dest>/cardsets/<slug of the name>.json`, the layout of the shared data.

Limit (https://ygoprodeck.com/api-guide/): 20 requests/s; going over blocks the client for an
hour. Their guide asks to keep a local copy rather than query the API for every lookup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from etl.fetch.base import FetchError
from etl.fetch.context import FetchContext
from etl.fetch.limits import RateRule

NAME = "ygoprodeck"
DEFAULT_BASE_URL = "https://db.ygoprodeck.com"
DEFAULT_RATE = 20.0
OPTIONS = frozenset({"cardsets"})
RETRY_AFTER_429: float | None = None
API_KEY_ENV: str | None = None
API = "api/v7"


def default_rate(api_key: str | None) -> float:
    return DEFAULT_RATE


def rate_rules(rate: float) -> list[RateRule]:
    return []


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "set"


def fetch(ctx: FetchContext, *, cardsets: Sequence[str] | None = None) -> None:
    sets_file = ctx.dest_dir / "cardsets.json"
    ctx.client.download(ctx.url(f"{API}/cardsets.php"), sets_file, meta=ctx.meta)
    if cardsets:
        for name in cardsets:
            dest = ctx.dest_dir / "cardsets" / f"{slug(name)}.json"
            ctx.client.download(
                ctx.url(f"{API}/cardinfo.php"),
                dest,
                params={"cardset": name},
                meta=ctx.meta,
                label=f"cardset {name}",
            )
        return
    dest = ctx.dest_dir / "cardinfo.json"
    version = database_version(ctx)
    state = ctx.meta.state("cardinfo")
    if version and state.get("database_version") == version and ctx.meta.entry_for_file(dest):
        url = ctx.url(f"{API}/cardinfo.php")
        ctx.skipped(dest, url, f"database version {version} already fetched")
        return
    ctx.client.download(ctx.url(f"{API}/cardinfo.php"), dest, meta=ctx.meta)
    ctx.meta.set_state("cardinfo", {"database_version": version})
    ctx.meta.save()


def database_version(ctx: FetchContext) -> str | None:
    """`database_version` of checkDBVer.php (`[{"database_version", "last_update"}]`)."""
    url = ctx.url(f"{API}/checkDBVer.php")
    try:
        body: Any = ctx.client.get_json(url)
    except FetchError as exc:
        ctx.progress.note(f"database version check failed, downloading anyway ({exc})")
        return None
    if isinstance(body, list) and body:
        body = body[0]
    if isinstance(body, dict) and body.get("database_version") is not None:
        return f"{body['database_version']} ({body.get('last_update') or '?'})"
    return None
