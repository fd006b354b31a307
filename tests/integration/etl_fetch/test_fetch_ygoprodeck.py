"""YGOProDeck: cardsets.php + checkDBVer.php + cardinfo.php (or per set); the files read back
with etl/sources/ygoprodeck/reader.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.fetch.base import FetchError
from etl.fetch.run import fetch_source
from etl.sources.ygoprodeck.reader import source
from tests.integration.etl_fetch.conftest import FAST_RETRY
from tests.integration.etl_fetch.upstream_server import Reply, Request, UpstreamServer

API = "/api/v7"
GENF = "Generation Force Sneak Peek Participation Card"


def _serve(server: UpstreamServer) -> None:
    server.route(
        f"{API}/cardsets.php",
        Reply(body=server.fixture("ygoprodeck/cardsets.json"), etag='W/"sets-1"'),
    )
    server.route(f"{API}/checkDBVer.php", Reply(body=server.fixture("ygoprodeck/checkDBVer.json")))

    def cardinfo(request: Request) -> Reply:
        name = request.query.get("cardset")
        if name is None:
            return Reply(body=server.fixture("ygoprodeck/cardinfo.json"), gzip=True)
        if name == GENF:
            return Reply(body=server.fixture("ygoprodeck/cardinfo-cardset-genf.json"))
        return Reply(400, b'{"error":"No card matching your query was found in the database."}')

    server.route(f"{API}/cardinfo.php", cardinfo)


def _ids(dest: Path) -> list[str]:
    return sorted(r.external_id for u in source.discover([dest]) for r in source.read(u))


def test_full_card_list_and_set_list(server: UpstreamServer, tmp_path: Path):
    _serve(server)
    result = fetch_source("ygoprodeck", dest_dir=tmp_path, base_url=server.url)

    assert sorted(result.written) == [tmp_path / "cardinfo.json", tmp_path / "cardsets.json"]
    assert result.requests == 3
    assert [u.key for u in source.discover([tmp_path])] == ["cardinfo.json"]
    assert len(_ids(tmp_path)) == 3
    assert {s.code for s in source.sets([tmp_path])} == {"GENF", "LART", "SP02"}


def test_same_database_version_skips_the_card_list(server: UpstreamServer, tmp_path: Path):
    _serve(server)
    fetch_source("ygoprodeck", dest_dir=tmp_path, base_url=server.url)

    again = fetch_source("ygoprodeck", dest_dir=tmp_path, base_url=server.url)

    # cardsets.php answered 304 to If-None-Match; cardinfo.php was not asked at all
    assert again.not_modified == 2 and again.written == []
    assert server.hits(f"{API}/cardsets.php")[-1].headers["if-none-match"] == 'W/"sets-1"'
    assert len(server.hits(f"{API}/cardinfo.php")) == 1
    assert again.requests == 2


def test_a_failing_version_check_only_skips_the_shortcut(server: UpstreamServer, tmp_path: Path):
    _serve(server)
    server.route(f"{API}/checkDBVer.php", Reply(404, b'{"error":"gone"}'))
    result = fetch_source("ygoprodeck", dest_dir=tmp_path, base_url=server.url)
    assert tmp_path / "cardinfo.json" in result.written


def test_one_set_at_a_time(server: UpstreamServer, tmp_path: Path):
    _serve(server)
    result = fetch_source("ygoprodeck", dest_dir=tmp_path, base_url=server.url, cardsets=[GENF])

    target = tmp_path / "cardsets" / "generation-force-sneak-peek-participation-card.json"
    assert target in result.written
    assert server.hits(f"{API}/cardinfo.php")[0].query == {"cardset": GENF}
    assert _ids(tmp_path) == ["96457619"]


def test_an_unknown_set_fails_with_the_url_and_status(server: UpstreamServer, tmp_path: Path):
    _serve(server)
    with pytest.raises(FetchError) as caught:
        fetch_source(
            "ygoprodeck",
            dest_dir=tmp_path,
            base_url=server.url,
            cardsets=["No Such Set"],
            retry=FAST_RETRY,
        )
    error = caught.value
    assert error.status == 400
    assert error.url == f"{server.url}{API}/cardinfo.php?cardset=No+Such+Set"
    assert "No card matching your query" in str(error)
    assert len(server.hits(f"{API}/cardinfo.php")) == 1
