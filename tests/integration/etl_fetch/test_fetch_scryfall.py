"""Scryfall: bulk-data discovery, streamed gzip download, updated_at / ETag short-circuits,
search pages at the 2/s search limit; the files read back with etl/sources/scryfall/reader.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl.fetch.base import FetchError
from etl.fetch.cache_meta import META_FILE
from etl.fetch.run import fetch_source
from etl.sources.scryfall.reader import source
from tests.integration.etl_fetch.conftest import FAST_RETRY
from tests.integration.etl_fetch.upstream_server import Reply, Request, UpstreamServer

BULK_PATH = "/file/scryfall-bulk/default-cards/default-cards-20240806090200.json"
ALL_PATH = "/file/scryfall-bulk/all-cards/all-cards-20240806090300.json"


def _records(dest: Path) -> list[str]:
    return [r.external_id for u in source.discover([dest]) for r in source.read(u)]


def _bulk_listing(server: UpstreamServer, *, updated_at: str | None = None) -> Reply:
    listing = json.loads(server.fixture("scryfall/bulk-data.json"))
    if updated_at:
        for entry in listing["data"]:
            entry["updated_at"] = updated_at
    return Reply(body=json.dumps(listing).encode())


def _serve_bulk(server: UpstreamServer, *, etag: str = '"bulk-v1"', body: bytes | None = None):
    server.route("/bulk-data", _bulk_listing(server))
    cards = body if body is not None else server.fixture("scryfall/default-cards.json")
    server.route(BULK_PATH, Reply(body=cards, gzip=True, etag=etag))


def test_bulk_download_is_gzip_streamed_and_readable(server: UpstreamServer, tmp_path: Path):
    _serve_bulk(server)
    result = fetch_source("scryfall", dest_dir=tmp_path, base_url=server.url, retry=FAST_RETRY)

    target = tmp_path / "default-cards.json"
    assert result.written == [target]
    assert (result.requests, result.not_modified, result.retries) == (2, 0, 0)
    assert target.read_bytes() == server.fixture("scryfall/default-cards.json")
    assert result.bytes == target.stat().st_size
    assert result.bytes_downloaded < result.bytes  # it came gzip content-encoded
    assert len(_records(tmp_path)) == 9
    assert not list(tmp_path.rglob("*.part"))
    for request in server.requests:
        assert request.headers["user-agent"].startswith("SideDeckedCatalog/")
        assert request.headers["accept"] == "application/json"
    assert "gzip" in server.hits(BULK_PATH)[0].headers["accept-encoding"]
    meta = json.loads((tmp_path / META_FILE).read_text())
    entry = meta["urls"][server.url + BULK_PATH]
    assert (entry["file"], entry["etag"], entry["bytes"]) == (
        "default-cards.json",
        '"bulk-v1"',
        target.stat().st_size,
    )


def test_same_updated_at_skips_the_download(server: UpstreamServer, tmp_path: Path):
    _serve_bulk(server)
    fetch_source("scryfall", dest_dir=tmp_path, base_url=server.url, retry=FAST_RETRY)
    before = (tmp_path / "default-cards.json").stat().st_mtime_ns

    again = fetch_source("scryfall", dest_dir=tmp_path, base_url=server.url, retry=FAST_RETRY)

    assert again.written == [] and again.unchanged == [tmp_path / "default-cards.json"]
    assert (again.requests, again.not_modified) == (1, 1)  # only the discovery request
    assert len(server.hits(BULK_PATH)) == 1
    assert (tmp_path / "default-cards.json").stat().st_mtime_ns == before
    assert not again.changed


def test_new_updated_at_sends_if_none_match_and_a_304_keeps_the_file(
    server: UpstreamServer, tmp_path: Path
):
    _serve_bulk(server)
    fetch_source("scryfall", dest_dir=tmp_path, base_url=server.url, retry=FAST_RETRY)
    before = (tmp_path / "default-cards.json").stat().st_mtime_ns
    server.route("/bulk-data", _bulk_listing(server, updated_at="2024-08-07T09:00:00.000+00:00"))

    again = fetch_source("scryfall", dest_dir=tmp_path, base_url=server.url, retry=FAST_RETRY)

    second = server.hits(BULK_PATH)[-1]
    assert second.headers["if-none-match"] == '"bulk-v1"'
    assert (again.requests, again.not_modified, again.written) == (2, 1, [])
    assert again.files[0].not_modified
    assert (tmp_path / "default-cards.json").stat().st_mtime_ns == before


def test_changed_bulk_file_replaces_the_old_one(server: UpstreamServer, tmp_path: Path):
    _serve_bulk(server)
    fetch_source("scryfall", dest_dir=tmp_path, base_url=server.url, retry=FAST_RETRY)
    smaller = json.dumps(json.loads(server.fixture("scryfall/default-cards.json"))[:4]).encode()
    server.route("/bulk-data", _bulk_listing(server, updated_at="2024-08-08T09:00:00.000+00:00"))
    server.route(BULK_PATH, Reply(body=smaller, gzip=True, etag='"bulk-v2"'))

    again = fetch_source("scryfall", dest_dir=tmp_path, base_url=server.url, retry=FAST_RETRY)

    assert again.written == [tmp_path / "default-cards.json"]
    assert len(_records(tmp_path)) == 4


def test_a_deleted_file_is_downloaded_again_without_validators(
    server: UpstreamServer, tmp_path: Path
):
    _serve_bulk(server)
    fetch_source("scryfall", dest_dir=tmp_path, base_url=server.url, retry=FAST_RETRY)
    (tmp_path / "default-cards.json").unlink()

    again = fetch_source("scryfall", dest_dir=tmp_path, base_url=server.url, retry=FAST_RETRY)

    assert "if-none-match" not in server.hits(BULK_PATH)[-1].headers
    assert again.written == [tmp_path / "default-cards.json"]
    assert len(_records(tmp_path)) == 9


def test_other_bulk_types_and_an_unknown_one(server: UpstreamServer, tmp_path: Path):
    server.route("/bulk-data", _bulk_listing(server))
    server.route(ALL_PATH, Reply(body=server.fixture("scryfall/default-cards.json")))

    result = fetch_source("scryfall", dest_dir=tmp_path, base_url=server.url, bulk_type="all_cards")
    assert result.written == [tmp_path / "all-cards.json"]

    with pytest.raises(FetchError, match="no bulk file of type 'nope'") as caught:
        fetch_source("scryfall", dest_dir=tmp_path, base_url=server.url, bulk_type="nope")
    assert caught.value.url == server.url + "/bulk-data"


def test_search_pages_follow_next_page_at_two_per_second(server: UpstreamServer, tmp_path: Path):
    def search(request: Request) -> Reply:
        page = int(request.query.get("page", "1"))
        return Reply(body=server.fixture(f"scryfall/search-page-{page}.json"))

    server.route("/cards/search", search)
    server.route("/bulk-data", Reply(status=500))  # must not be asked

    result = fetch_source("scryfall", dest_dir=tmp_path, base_url=server.url, query="set:test")

    assert result.written == [
        tmp_path / "search" / "page-0001.json",
        tmp_path / "search" / "page-0002.json",
    ]
    first, second = server.hits("/cards/search")
    assert first.query["q"] == "set:test" and second.query["page"] == "2"
    assert result.seconds >= 0.5  # /cards/search is limited to 2 requests a second
    assert len(_records(tmp_path)) == 6
