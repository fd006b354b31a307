"""`fetch_command` (sidedecked etl fetch) against the local server: --no-load, --load into a
fresh SQLite catalog with the real loader, errors and the loader-signature adaptation."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from etl.fetch_cli import fetch_command
from tests.integration.etl_fetch.upstream_server import Reply, UpstreamServer

runner = CliRunner()


def _text(result) -> str:
    """The output with rich's line wrapping undone."""
    return " ".join(result.output.split())


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("fetch")(fetch_command)

    @app.command("other")
    def _other() -> None:  # a second command keeps `fetch` a subcommand
        pass

    return app


def _serve_optcg(server: UpstreamServer) -> str:
    for lang in ("en", "jp"):
        body = server.fixture(f"optcg/{lang}/cards.json")
        server.route(f"/op/{lang}/cards.json", Reply(body=body, etag=f'"{lang}-1"'))
    return server.url + "/op"


def test_fetch_without_load(server: UpstreamServer, tmp_path: Path):
    base = _serve_optcg(server)
    result = runner.invoke(
        _app(),
        ["fetch", "--source", "optcg", "--dest", str(tmp_path), "--base-url", base, "--no-load"],
    )
    assert result.exit_code == 0, result.output
    assert "2 written" in _text(result) and "--no-load" in _text(result)
    assert (tmp_path / "en" / "cards.json").is_file() and (tmp_path / "jp" / "cards.json").is_file()


def test_fetch_then_load_into_the_catalog(server: UpstreamServer, tmp_path: Path):
    from models import migrate

    migrate.upgrade()  # the fresh SQLite catalog of tests/conftest.py
    base = _serve_optcg(server)
    args = ["fetch", "-s", "optcg", "--dest", str(tmp_path), "--base-url", base]

    first = runner.invoke(_app(), args)
    assert first.exit_code == 0, first.output
    assert "succeeded" in _text(first) and "records read 5" in _text(first)

    second = runner.invoke(_app(), args)  # 304s, then the loader skips unchanged files
    assert second.exit_code == 0, second.output
    assert "2 not modified" in _text(second) and "2 skipped" in _text(second)


def test_fetch_failure_exits_1(server: UpstreamServer, tmp_path: Path):
    server.route("/op/en/cards.json", Reply(403, b'{"error": "forbidden"}'))
    result = runner.invoke(
        _app(),
        [
            "fetch",
            "-s",
            "optcg",
            "--dest",
            str(tmp_path),
            "--base-url",
            server.url + "/op",
            "--language",
            "en",
        ],
    )
    assert result.exit_code == 1
    assert "fetch failed" in _text(result) and "HTTP 403" in _text(result)


def test_an_option_of_another_source_is_a_usage_error(tmp_path: Path):
    result = runner.invoke(
        _app(), ["fetch", "-s", "scryfall", "--dest", str(tmp_path), "--cardset", "LOB"]
    )
    assert result.exit_code == 2
