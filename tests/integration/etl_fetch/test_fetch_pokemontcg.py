"""pokemontcg.io: /v2/sets and /v2/cards paging (3 pages), X-Api-Key, stale pages; the pages
read back with etl/sources/pokemontcg/reader.py (cards carry their `set` block)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl.fetch.base import FetchError
from etl.fetch.run import fetch_source
from etl.sources.pokemontcg import fetch as fetcher
from etl.sources.pokemontcg.reader import source
from tests.integration.etl_fetch.conftest import FAST_RETRY
from tests.integration.etl_fetch.upstream_server import Reply, Request, UpstreamServer

KEY = "test-key-123"


def _serve(server: UpstreamServer, *, key: str | None = KEY) -> None:
    def pages(kind: str, last: int):
        def reply(request: Request) -> Reply:
            if key is not None and request.headers.get("x-api-key") != key:
                return Reply(403, b'{"error": {"message": "Invalid API key", "code": 403}}')
            page = int(request.query["page"])
            if request.query.get("pageSize") != "2" or not 1 <= page <= last:
                return Reply(400, b'{"error": {"message": "bad page", "code": 400}}')
            return Reply(body=server.fixture(f"pokemontcg/{kind}-page-{page}.json"))

        return reply

    server.route("/v2/sets", pages("sets", 1))
    server.route("/v2/cards", pages("cards", 3))


def test_pages_with_api_key_are_written_and_readable(server: UpstreamServer, tmp_path: Path):
    _serve(server)
    result = fetch_source(
        "pokemontcg", dest_dir=tmp_path, base_url=server.url, api_key=KEY, page_size=2, rate=50
    )

    cards = [tmp_path / "cards" / f"page-000{n}.json" for n in (1, 2, 3)]
    assert result.written == [tmp_path / "sets" / "page-0001.json", *cards]
    assert result.requests == 4
    assert [r.query["page"] for r in server.hits("/v2/cards")] == ["1", "2", "3"]
    assert all(r.headers["x-api-key"] == KEY for r in server.requests)

    units = source.discover([tmp_path])
    assert [u.key for u in units] == [
        "cards/page-0001.json",
        "cards/page-0002.json",
        "cards/page-0003.json",
    ]
    records = [r for u in units for r in source.read(u)]
    assert [r.external_id for r in records] == [f"base1-{n}" for n in range(1, 6)]
    card = source.normalize(records[0])
    assert card.prints[0].set.code == "BASE1"
    assert {s.code for s in source.sets([tmp_path])} == {"BASE1", "BASE2"}
    page = json.loads(cards[2].read_text())
    assert (page["page"], page["count"], page["totalCount"]) == (3, 1, 5)


def test_api_key_from_the_environment(
    server: UpstreamServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    _serve(server)
    monkeypatch.setenv("POKEMONTCG_API_KEY", KEY)
    result = fetch_source(
        "pokemontcg", dest_dir=tmp_path, base_url=server.url, page_size=2, rate=50
    )
    assert len(result.written) == 4


def test_a_rejected_key_fails_at_once(server: UpstreamServer, tmp_path: Path):
    _serve(server)
    with pytest.raises(FetchError) as caught:
        fetch_source(
            "pokemontcg",
            dest_dir=tmp_path,
            base_url=server.url,
            api_key="wrong",
            page_size=2,
            retry=FAST_RETRY,
        )
    assert caught.value.status == 403
    assert caught.value.url.startswith(server.url + "/v2/sets?")
    assert "Invalid API key" in str(caught.value)
    assert len(server.requests) == 1  # a 4xx other than 429 is not retried
    assert "x-api-key" in server.requests[0].headers


def test_no_key_header_without_a_key(server: UpstreamServer, tmp_path: Path):
    _serve(server, key=None)
    fetch_source("pokemontcg", dest_dir=tmp_path, base_url=server.url, page_size=2, rate=50)
    assert not any("x-api-key" in r.headers for r in server.requests)


def test_pages_past_the_last_one_are_removed(server: UpstreamServer, tmp_path: Path):
    _serve(server)
    stale = tmp_path / "cards" / "page-0004.json"
    stale.parent.mkdir(parents=True)
    stale.write_text('{"data": [], "page": 4, "pageSize": 2, "count": 0, "totalCount": 8}')

    result = fetch_source(
        "pokemontcg", dest_dir=tmp_path, base_url=server.url, api_key=KEY, page_size=2, rate=50
    )

    assert result.removed == [stale] and not stale.exists()
    assert len(list((tmp_path / "cards").iterdir())) == 3


def test_published_default_rates():
    assert fetcher.default_rate(None) == 0.5  # 30 requests a minute without a key
    assert fetcher.default_rate("key") > fetcher.default_rate(None)
