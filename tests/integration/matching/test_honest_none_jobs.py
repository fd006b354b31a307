"""Honest non-matches end to end: REAL exports uploaded as bulk jobs through the API. No `none`
row carries a SKU, every `none` row has a declared reason, and the job's counts per reason add
up to its `none` count; the reason filter picks exactly a reason's rows (docs/matching.md), in
the API's JSON and CSV as in SQL, and an unknown reason is refused naming the known ones."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from matching.jobs.reason_counts import has_reason, reason_counts
from matching.models import MatchJobRow
from matching.reasons import BY_CODE
from models.db import make_engine
from models.errors import InvalidInput
from tests.integration.matching.conftest import bearer, wait_for_job

pytestmark = [pytest.mark.integration, pytest.mark.shared_data]

EXPORTS = [
    "mtgcsvhelper/Tests/tcgplayer-real-export.csv",
    "mtgcsvhelper/Tests/moxfield-real-export.csv",
    "ebay-pokemon-titles-usmanismail677/ebay_pokemon_cards.csv",
]


def _matched_export(client, keys, shared_data: Path, export: str) -> dict:
    """The real export uploaded by the vendor as a job, once it has succeeded."""
    path = shared_data / "seller-exports" / export
    if not path.exists():
        pytest.skip(f"{export} is not in ../shared/data")
    created = client.post(
        "/api/matching/jobs",
        files={"file": (Path(export).name, path.read_bytes(), "text/csv")},
        headers=bearer(keys.vendor),
    )
    assert created.status_code == 202, created.text
    job = wait_for_job(client, keys.vendor, created.json()["id"])
    assert job["status"] == "succeeded", job
    return job


@pytest.mark.parametrize("export", EXPORTS)
def test_a_real_jobs_none_rows_carry_no_sku_and_a_declared_reason(
    client, keys, shared_data, matching_db, export
) -> None:
    job = _matched_export(client, keys, shared_data, export)
    response = client.get(
        f"/api/matching/jobs/{job['id']}/results",
        params={"status": "none", "limit": 10_000},
        headers=bearer(keys.vendor),
    )
    assert response.status_code == 200, response.text
    nones = response.json()["items"]
    assert len(nones) == job["counts"]["none"] > 0
    for row in nones:
        assert row["sku"] is None, row  # candidates are suggestions, never the row's SKU
        assert row["reason_code"] in BY_CODE and BY_CODE[row["reason_code"]].cap == "none", row
        assert row["reason"], row

    engine = make_engine(matching_db)
    try:
        with Session(engine) as session:
            counts = reason_counts(session, job["id"])
            assert sum(counts["none"].values()) == job["counts"]["none"], counts
            assert "unspecified" not in counts["none"], counts
            for code, rows in counts["none"].items():
                filtered = session.scalar(
                    sa.select(sa.func.count())
                    .select_from(MatchJobRow)
                    .where(MatchJobRow.job_id == job["id"], has_reason(code))
                )
                assert filtered == sum(c.get(code, 0) for c in counts.values())
                assert rows == sum(1 for r in nones if r["reason_code"] == code)
            with pytest.raises(InvalidInput, match="unknown reason"):
                has_reason("no_such_reason")
    finally:
        engine.dispose()


@pytest.mark.parametrize("export", EXPORTS[:1])
def test_the_results_api_filters_and_counts_rows_by_reason(
    client, keys, shared_data, export
) -> None:
    job_id = _matched_export(client, keys, shared_data, export)["id"]
    url = f"/api/matching/jobs/{job_id}/results"

    summary = client.get(f"/api/matching/jobs/{job_id}", headers=bearer(keys.vendor)).json()
    nones = summary["reasons"]["none"]
    assert sum(nones.values()) == summary["counts"]["none"] > 0, summary
    counted = {code for by_code in summary["reasons"].values() for code in by_code}
    assert summary["reason_labels"] == {c: BY_CODE[c].label for c in counted}, summary

    for code, rows in nones.items():
        every = sum(by_code.get(code, 0) for by_code in summary["reasons"].values())
        page = client.get(
            url, params={"reason": code, "limit": 10_000}, headers=bearer(keys.vendor)
        ).json()
        assert page["total"] == len(page["items"]) == every, (code, page["total"])
        assert {r["reason_code"] for r in page["items"]} == {code}
        assert page["reasons"] == summary["reasons"]
        only_none = client.get(
            url, params={"reason": code, "status": "none"}, headers=bearer(keys.vendor)
        ).json()
        assert only_none["total"] == rows
        exported = client.get(
            url, params={"reason": code, "format": "csv"}, headers=bearer(keys.vendor)
        )
        assert exported.status_code == 200, exported.text
        table = list(csv.DictReader(io.StringIO(exported.text)))
        assert len(table) == every and {r["reason_code"] for r in table} == {code}

    for fmt in ("json", "csv"):
        refused = client.get(
            url, params={"reason": "no_such_reason", "format": fmt}, headers=bearer(keys.vendor)
        )
        assert refused.status_code == 422, refused.text
        body = refused.json()
        assert body["code"] == "unknown_reason" and body["reasons"] == list(BY_CODE)
        assert "set_not_in_catalog" in body["details"] and "no_such_reason" in body["details"]
