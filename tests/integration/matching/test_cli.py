"""`sidedecked keys ...` and `sidedecked match ...` on the real catalog subset."""

from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from matching.formats import read_inventory
from search_api.cli import app
from tests.integration.matching.conftest import bearer

pytestmark = [pytest.mark.integration, pytest.mark.shared_data]

runner = CliRunner()


def test_keys_create_prints_the_key_last(matching_db, client) -> None:
    result = runner.invoke(app, ["keys", "create", "--role", "vendor", "--seller-id", "cli-shop"])
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert key.startswith("sdk_") and len(key) > 30
    response = client.post("/api/matching/match", json={"title": "Sol Ring"}, headers=bearer(key))
    assert response.status_code == 200
    listed = runner.invoke(app, ["keys", "list"])
    assert listed.exit_code == 0 and "cli-shop" in listed.output and key not in listed.output
    refused = runner.invoke(app, ["keys", "create", "--role", "vendor"])
    assert refused.exit_code != 0  # a vendor key needs a seller
    bad_role = runner.invoke(app, ["keys", "create", "--role", "root"])
    assert bad_role.exit_code != 0


def test_keys_revoke(matching_db, client) -> None:
    created = runner.invoke(app, ["keys", "create", "--role", "admin"])
    key = created.output.strip().splitlines()[-1]
    from matching.auth import authenticate
    from models.db import session_scope

    with session_scope() as session:
        key_id = authenticate(session, key).key_id
    assert runner.invoke(app, ["keys", "revoke", str(key_id)]).exit_code == 0
    assert client.get("/api/matching/review", headers=bearer(key)).status_code == 401
    assert runner.invoke(app, ["keys", "revoke", str(key_id)]).exit_code != 0


def test_match_file_writes_one_row_per_record(matching_db, shared_data, tmp_path) -> None:
    path = shared_data / "seller-exports/mtgcsvhelper/Collection/tcgplayer-collection-old.csv"
    out = tmp_path / "results.csv"
    result = runner.invoke(app, ["match", "file", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "tcgplayer" in result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    expected = [r.line_number for r in read_inventory(path)]
    assert [int(r["line_number"]) for r in rows] == expected
    assert {r["status"] for r in rows} <= {"auto", "review", "none", "error"}
    assert sum(r["status"] == "auto" for r in rows[:60]) > 30  # the subset holds these cards
    unknown = runner.invoke(
        app, ["match", "file", str(path), "--format", "nope", "--out", str(out)]
    )
    assert unknown.exit_code == 2 and "unknown format" in unknown.output


def test_match_title_and_evaluate(matching_db, shared_data) -> None:
    title = runner.invoke(app, ["match", "title", "Lightning Bolt [M10] NM", "--json"])
    assert title.exit_code == 0, title.output
    assert '"MTG-M10-146-EN-NM-NORMAL"' in title.output
    labelled = shared_data / "seller-exports/mtgcsvhelper/Collection/tcgplayer-collection-old.csv"
    report = runner.invoke(app, ["match", "evaluate", str(labelled)])
    assert report.exit_code == 0, report.output
    assert "| MTG | with number |" in report.output and "| MTG | title |" in report.output
    assert "accepted right" in report.output and "in-catalog accepted" in report.output
    unlabelled = shared_data / "seller-exports/dragonshield-acquadrod/all-folders.csv"
    assert runner.invoke(app, ["match", "evaluate", str(unlabelled)]).exit_code != 0
