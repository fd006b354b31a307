"""Bulk jobs end to end on real exports: upload, background run, progress, every row in the
results, CSV export, resuming after a crash, limits and access."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from matching.formats import read_inventory
from tests.integration.matching.conftest import bearer, wait_for_job

pytestmark = [pytest.mark.integration, pytest.mark.shared_data]

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "matching"


def _upload(
    client,
    key: str,
    path: Path | None = None,
    *,
    content: bytes | None = None,
    name: str = "export.csv",
    **form,
):
    data = content if content is not None else path.read_bytes()
    return client.post(
        "/api/matching/jobs",
        files={"file": (path.name if path else name, data, "text/csv")},
        data={k: v for k, v in form.items() if v is not None},
        headers=bearer(key),
    )


def _results(client, key: str, job_id: int, **params) -> dict:
    response = client.get(
        f"/api/matching/jobs/{job_id}/results", params=params, headers=bearer(key)
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(
    ("export", "expected_format"),
    [
        ("seller-exports/mtgcsvhelper/Collection/tcgplayer-collection-old.csv", "tcgplayer"),
        ("seller-exports/mtgcsvhelper/Tests/manabox-real-export.csv", "manabox"),
        ("seller-exports/dragonshield-ygo-MadisK2/all-folders.csv", "dragonshield"),
        ("seller-exports/ygo-collection-PepeFranco/collection.json", "ygo_collection"),
    ],
)
def test_bulk_job_returns_every_row(client, keys, shared_data, export, expected_format) -> None:
    path = shared_data / export
    expected = [(r.line_number, r.error) for r in read_inventory(path)]
    created = _upload(client, keys.vendor, path)
    assert created.status_code == 202, created.text
    job = created.json()
    assert job["format"] == expected_format
    assert job["total_rows"] == len(expected)
    job = wait_for_job(client, keys.vendor, job["id"])
    assert job["status"] == "succeeded", job
    assert job["processed_rows"] == len(expected)
    assert job["progress"] == 1.0
    assert sum(job["counts"].values()) == len(expected)

    rows = []
    offset = 0
    while True:
        page = _results(client, keys.vendor, job["id"], limit=1000, offset=offset)
        rows.extend(page["items"])
        offset += 1000
        if offset >= page["total"]:
            break
    assert [r["line_number"] for r in rows] == [line for line, _ in expected]
    for row, (_, error) in zip(rows, expected, strict=True):
        assert row["status"] in ("auto", "review", "none", "error")
        if error:
            assert row["status"] == "error"
            assert row["reason"] == error
        if row["status"] in ("auto", "review"):
            assert row["sku"] and 0 <= row["confidence"] <= 1 and row["match_id"]
        if row["status"] in ("none", "error"):
            assert row["reason"]
    by_status = _results(client, keys.vendor, job["id"], status="auto", limit=10_000)
    assert by_status["total"] == job["counts"]["auto"]

    exported = client.get(
        f"/api/matching/jobs/{job['id']}/results",
        params={"format": "csv"},
        headers=bearer(keys.vendor),
    )
    assert exported.status_code == 200
    table = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(table) == len(expected)
    assert [int(r["line_number"]) for r in table] == [line for line, _ in expected]


def test_tcgplayer_collection_is_mostly_auto(client, keys, shared_data) -> None:
    """Old cards with name + set + number: nearly all in the subset catalog, auto-accepted."""
    path = shared_data / "seller-exports/mtgcsvhelper/Collection/tcgplayer-collection-old.csv"
    job = _upload(client, keys.vendor, path).json()
    job = wait_for_job(client, keys.vendor, job["id"])
    auto = _results(client, keys.vendor, job["id"], status="auto", limit=10_000)["items"]
    assert auto, job
    assert all(r["sku"].startswith("MTG-") for r in auto)
    # the matches of auto/review rows are recorded for the seller
    matches = client.get(
        "/api/matching/matches",
        params={"job_id": job["id"], "limit": 500},
        headers=bearer(keys.vendor),
    ).json()["items"]
    assert matches and all(m["seller_id"] == keys.seller for m in matches)


@pytest.mark.parametrize(
    "fixture",
    ["moxfield-bom.csv", "dragonshield-cp1252.csv", "dragonshield-sep-semicolon.csv"],
)
def test_encodings_and_separators(client, keys, fixture) -> None:
    path = FIXTURES / fixture
    records = list(read_inventory(path))
    job = _upload(client, keys.vendor, path).json()
    job = wait_for_job(client, keys.vendor, job["id"])
    assert job["status"] == "succeeded"
    assert job["processed_rows"] == len(records)
    assert job["encoding"] == read_inventory(path).encoding


def test_generic_csv_with_mapping_and_formula_injection(client, keys) -> None:
    content = (
        b"Card;Edition;No;Qty\n"
        b"Lightning Bolt;M10;146;2\n"
        b'"=HYPERLINK(""http://evil.example"",""x"")";M10;1;1\n'
        b"+cmd|' /C calc'!A0;ZZZ;@SUM(1);-3\n"
    )
    mapping = json.dumps({"name": "Card", "set_code": "Edition", "number": "No", "quantity": "Qty"})
    created = _upload(client, keys.vendor, content=content, mapping=mapping, name="shop.csv")
    assert created.status_code == 202, created.text
    assert created.json()["format"] == "generic"
    job = wait_for_job(client, keys.vendor, created.json()["id"])
    rows = _results(client, keys.vendor, job["id"])["items"]
    assert rows[0]["status"] == "auto"
    assert rows[0]["sku"] == "MTG-M10-146-EN-NM-NORMAL" and rows[0]["quantity"] == 2
    assert rows[2]["status"] == "error"  # negative quantity: kept, with its reason
    exported = client.get(
        f"/api/matching/jobs/{job['id']}/results",
        params={"format": "csv"},
        headers=bearer(keys.vendor),
    ).text
    table = list(csv.reader(io.StringIO(exported)))
    header, body = table[0], table[1:]
    assert "input:Card" in header and len(body) == 3
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "@")), row
            if cell.startswith("-"):
                assert cell.lstrip("-").replace(".", "").isdigit(), row
    card = header.index("input:Card")
    assert body[1][card].startswith("'=HYPERLINK")
    assert body[2][card].startswith("'+cmd")


def test_upload_limits_and_bad_uploads(client, keys, monkeypatch) -> None:

    good = b"Count,Name,Edition\n1,Sol Ring,c19\n2,Lightning Bolt,m10\n"
    _limit(monkeypatch, max_bytes=20)
    too_big = _upload(client, keys.vendor, content=good)
    assert too_big.status_code == 413
    assert too_big.json()["code"] == "upload_too_large"
    _limit(monkeypatch, max_bytes=10_000, max_rows=1)
    too_long = _upload(client, keys.vendor, content=good)
    assert too_long.status_code == 413
    assert too_long.json()["code"] == "too_many_rows"
    _limit(monkeypatch, max_rows=100)
    unknown = _upload(client, keys.vendor, content=b"foo,bar\n1,2\n")
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_format"
    empty = _upload(client, keys.vendor, content=b"")
    assert empty.status_code == 422 and empty.json()["code"] == "empty_upload"
    header_only = _upload(client, keys.vendor, content=b"Count,Name,Edition\n")
    assert header_only.status_code == 422 and header_only.json()["code"] == "no_rows"
    bad_format = _upload(client, keys.vendor, content=good, format="nope")
    assert bad_format.status_code == 422 and bad_format.json()["code"] == "unknown_format"
    bad_mapping = _upload(client, keys.vendor, content=good, mapping="[1]")
    assert bad_mapping.status_code == 422 and bad_mapping.json()["code"] == "invalid_mapping"
    missing_column = _upload(
        client, keys.vendor, content=good, mapping=json.dumps({"name": "Nope"})
    )
    assert missing_column.status_code == 422


def test_job_access(client, keys, shared_data) -> None:
    path = shared_data / "seller-exports/mtgcsvhelper/Collection/mtgo-collection.csv"
    assert _upload(client, "sdk_wrong", path).status_code == 401
    # an admin must say for whom; a vendor may not upload for another seller
    assert _upload(client, keys.admin, path).status_code == 422
    assert _upload(client, keys.vendor, path, seller_id=keys.other_seller).status_code == 403
    job = _upload(client, keys.vendor, path).json()
    wait_for_job(client, keys.vendor, job["id"])
    for url in (f"/api/matching/jobs/{job['id']}", f"/api/matching/jobs/{job['id']}/results"):
        assert client.get(url, headers=bearer(keys.other_vendor)).status_code == 403
        assert client.get(url, headers=bearer(keys.admin)).status_code == 200
    theirs = client.get("/api/matching/jobs", headers=bearer(keys.other_vendor)).json()["items"]
    assert all(j["seller_id"] == keys.other_seller for j in theirs)
    everyone = client.get(
        "/api/matching/jobs", params={"seller_id": keys.seller}, headers=bearer(keys.admin)
    ).json()["items"]
    assert job["id"] in {j["id"] for j in everyone}
    assert client.get("/api/matching/jobs/999999999", headers=bearer(keys.admin)).status_code == 404


def test_job_resumes_after_a_crash(matching_db, keys, shared_data) -> None:
    """A worker dies after two chunks: the next run continues from processed_rows, and the
    results hold every row exactly once."""
    from matching.jobs.intake import create_job
    from matching.jobs.lock import job_lease
    from matching.jobs.runner import run_job
    from matching.models import MatchJob, ProductCatalogMatch
    from models.db import get_engine, session_scope

    path = shared_data / "seller-exports/mtgcsvhelper/Collection/tcgplayer-collection-old.csv"
    with session_scope() as session:
        job = create_job(session, seller_id=keys.seller, content=path.read_bytes())
        job_id, total = job.id, job.total_rows
    assert run_job(job_id, chunk_size=100, max_chunks=2) == "running"
    engine = get_engine()
    with engine.connect() as conn:
        assert (
            conn.execute(
                sa.select(MatchJob.processed_rows).where(MatchJob.id == job_id)
            ).scalar_one()
            == 200
        )
    # while a live worker holds the job, another run leaves it alone
    lease = job_lease(engine, job_id)
    token = lease.acquire()
    assert token is not None
    try:
        assert run_job(job_id) == "busy"
    finally:
        lease.release(token)
    assert run_job(job_id, chunk_size=500) == "succeeded"
    with engine.connect() as conn:
        indexes = _row_indexes(conn, job_id)
        job_row = conn.execute(sa.select(MatchJob).where(MatchJob.id == job_id)).one()
        matches = conn.execute(
            sa.select(sa.func.count())
            .select_from(ProductCatalogMatch)
            .where(ProductCatalogMatch.job_id == job_id)
        ).scalar_one()
    assert indexes == list(range(total))
    assert job_row.processed_rows == total and job_row.attempts == 2
    assert (
        job_row.count_auto + job_row.count_review + job_row.count_none + job_row.count_error
        == total
    )
    assert matches == job_row.count_auto + job_row.count_review


def test_job_survives_a_killed_worker(matching_db, keys, shared_data) -> None:
    """A worker process is SIGKILLed mid-job; its advisory lock goes with its connection and
    the next run finishes the job with every row exactly once."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from matching.jobs.intake import create_job
    from matching.jobs.runner import run_job
    from matching.models import MatchJob
    from models.db import get_engine, session_scope

    path = shared_data / "seller-exports/dragonshield-ygo-MadisK2/all-folders.csv"
    with session_scope() as session:
        job = create_job(session, seller_id=keys.seller, content=path.read_bytes())
        job_id, total = job.id, job.total_rows
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from matching.jobs.runner import run_job; run_job({job_id}, chunk_size=20)",
        ],
        env={**os.environ, "DATABASE_URL": matching_db},
    )
    engine = get_engine()
    deadline = time.monotonic() + 60
    processed = 0
    try:
        while processed < 100 and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.05)
            with engine.connect() as conn:
                processed = conn.execute(
                    sa.select(MatchJob.processed_rows).where(MatchJob.id == job_id)
                ).scalar_one()
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert 0 < processed < total, "the worker should die mid-job"
    for _ in range(50):  # the server drops the dead connection (and its lock) promptly
        status = run_job(job_id, chunk_size=200)
        if status != "busy":
            break
        time.sleep(0.1)
    assert status == "succeeded"
    with engine.connect() as conn:
        indexes = _row_indexes(conn, job_id)
        done = conn.execute(sa.select(MatchJob).where(MatchJob.id == job_id)).one()
    assert indexes == list(range(total))
    assert done.status == "succeeded" and done.attempts == 2


def test_with_redis_the_job_goes_through_celery(client, keys, shared_data, monkeypatch) -> None:
    """With REDIS_URL, start_job hands the job to the Celery task (eager in this process)."""
    from matching import tasks
    from models.settings import get_settings

    calls = []
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/15")
    get_settings.cache_clear()
    monkeypatch.setattr(
        tasks.run_job_task,
        "delay",
        lambda job_id: calls.append(tasks.run_job_task.apply((job_id,))),
    )
    path = shared_data / "seller-exports/mtgcsvhelper/Collection/mtgo-collection.csv"
    job = _upload(client, keys.vendor, path).json()
    assert len(calls) == 1 and calls[0].get()["status"] == "succeeded"
    assert wait_for_job(client, keys.vendor, job["id"])["status"] == "succeeded"
    assert tasks.resume_stale_jobs() == []  # Celery redelivers; nothing resumed by hand


def _row_indexes(conn: sa.Connection, job_id: int) -> list[int]:
    """The row indexes the job stored, in order."""
    from matching.models import MatchJobRow

    query = sa.select(MatchJobRow.row_index).where(MatchJobRow.job_id == job_id)
    return list(conn.execute(query.order_by(MatchJobRow.row_index)).scalars())


def _limit(monkeypatch, *, max_bytes: int | None = None, max_rows: int | None = None) -> None:
    from models.settings import get_settings

    if max_bytes is not None:
        monkeypatch.setenv("SIDEDECKED_MATCH_MAX_UPLOAD_BYTES", str(max_bytes))
    if max_rows is not None:
        monkeypatch.setenv("SIDEDECKED_MATCH_MAX_ROWS", str(max_rows))
    get_settings.cache_clear()
