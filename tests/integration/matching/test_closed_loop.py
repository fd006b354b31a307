"""The closed loop of a bulk job (issue 13 item 1): a row shows its current state after an
admin verifies, reassigns or rejects its match, or the seller decides it; one row identity
(the file's line) on both pages, in the API and the CSV; a seller decides only their own rows."""

from __future__ import annotations

import csv
import io
import json
import uuid

import pytest
import sqlalchemy as sa

from tests.integration.matching.conftest import bearer, wait_for_job

pytestmark = [pytest.mark.integration, pytest.mark.shared_data]

#: A quoted note spanning two lines: the second record starts on line 4, not 3, so the
#: record index (0, 1, ...) and the line the seller sees differ.
EXPORT = (
    b"Card;Edition;No;Qty;Notes\n"
    b'Lightning Bolt;M11;;1;"first copy\nsigned"\n'
    b"Counterspell;7ED;;1;\n"
    b"Sol Ring;C19;221;1;\n"
    b"Lightning Bolt;M11;;3;\n"
)
MAPPING = {"name": "Card", "set_code": "Edition", "number": "No", "quantity": "Qty"}
LINES = [2, 4, 5, 6]


def _job(client, keys, *, auto: float, review: float) -> int:
    """The export matched for the vendor's seller under these thresholds."""
    settings = client.put(
        f"/api/matching/sellers/{keys.seller}/settings",
        json={"auto_threshold": auto, "review_threshold": review},
        headers=bearer(keys.admin),
    )
    assert settings.status_code == 200, settings.text
    created = client.post(
        "/api/matching/jobs",
        files={"file": ("shop.csv", EXPORT, "text/csv")},
        data={"mapping": json.dumps(MAPPING)},
        headers=bearer(keys.vendor),
    )
    assert created.status_code == 202, created.text
    job = wait_for_job(client, keys.vendor, created.json()["id"])
    assert job["status"] == "succeeded", job
    return int(job["id"])


def _rows(client, key: str, job_id: int, **params) -> dict:
    response = client.get(
        f"/api/matching/jobs/{job_id}/results", params=params, headers=bearer(key)
    )
    assert response.status_code == 200, response.text
    return response.json()


def _csv(client, key: str, job_id: int, **params) -> list[dict[str, str]]:
    response = client.get(
        f"/api/matching/jobs/{job_id}/results",
        params={"format": "csv", **params},
        headers=bearer(key),
    )
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.text)))


def test_rows_show_the_admins_and_the_sellers_decisions(client, keys) -> None:
    job_id = _job(client, keys, auto=0.999, review=0.0)
    rows = _rows(client, keys.vendor, job_id)["items"]
    assert [r["line_number"] for r in rows] == LINES
    assert [r["state"] for r in rows] == ["review"] * 4
    assert all(r["decided_by"] is None and r["sku"] == r["original_sku"] for r in rows)
    verify, reassign, reject, accept = rows

    # the admin console and the vendor page name a row the same way
    match = client.get(
        f"/api/matching/matches/{reassign['match_id']}", headers=bearer(keys.admin)
    ).json()
    assert match["product_ref"] == f"job:{job_id}:line:4" == reassign["row_ref"]
    assert reassign["row_label"] == match["row_label"] == f"job {job_id} · line 4"

    url = "/api/matching/matches/{}/{}"
    assert client.post(
        url.format(verify["match_id"], "verify"), headers=bearer(keys.admin)
    ).is_success
    target = "MTG-M10-146-EN-LP-NORMAL"
    assert client.post(
        url.format(reassign["match_id"], "verify"),
        json={"sku": target, "note": "the M10 one"},
        headers=bearer(keys.admin),
    ).is_success
    assert client.post(
        url.format(reject["match_id"], "reject"),
        json={"note": "not this card"},
        headers=bearer(keys.admin2),
    ).is_success
    decided = client.post(
        f"/api/matching/jobs/{job_id}/rows/{accept['line_number']}/decision",
        headers=bearer(keys.vendor),
    )
    assert decided.status_code == 200, decided.text

    page = _rows(client, keys.vendor, job_id)
    by_line = {r["line_number"]: r for r in page["items"]}
    assert [by_line[line]["state"] for line in LINES] == [
        "verified",
        "reassigned",
        "rejected",
        "selected",
    ]
    assert by_line[2]["sku"] == verify["sku"] and by_line[2]["decided_by"].startswith("admin one")
    assert by_line[2]["decided_at"]
    assert by_line[4]["sku"] == target and by_line[4]["original_sku"] == reassign["sku"]
    assert by_line[4]["review_note"] == "the M10 one" and by_line[4]["match_method"] == "manual"
    assert by_line[5]["sku"] is None and by_line[5]["original_sku"] == reject["sku"]
    assert by_line[5]["decided_by"].startswith("admin two")
    assert by_line[6]["sku"] == accept["sku"] and by_line[6]["decided_by"].startswith("vendor")
    assert by_line[6]["match_method"] == "consumer_selected"
    assert by_line[6]["status"] == "review"  # what the matcher said stays readable
    assert page["states"]["verified"] == page["states"]["reassigned"] == 1
    assert page["states"]["rejected"] == page["states"]["selected"] == 1
    assert page["states"]["review"] == 0
    only = _rows(client, keys.vendor, job_id, state="reassigned")
    assert only["total"] == 1 and only["items"][0]["line_number"] == 4

    # the CSV says the same, line by line
    table = {int(r["line_number"]): r for r in _csv(client, keys.vendor, job_id)}
    assert [table[line]["state"] for line in LINES] == [
        "verified",
        "reassigned",
        "rejected",
        "selected",
    ]
    assert table[4]["sku"] == target and table[4]["original_sku"] == reassign["sku"]
    assert table[5]["sku"] == "" and table[5]["review_note"] == "not this card"
    assert table[2]["decided_by"].startswith("admin one") and table[2]["decided_at"]
    assert [r["line_number"] for r in _csv(client, keys.vendor, job_id, state="rejected")] == ["5"]
    # the seller's decision left the review queue; the one row decided is one row
    queue = client.get(
        "/api/matching/review", params={"seller_id": keys.seller}, headers=bearer(keys.admin)
    ).json()
    assert queue["total"] == 0
    one = client.get(f"/api/matching/jobs/{job_id}/rows/6", headers=bearer(keys.vendor)).json()
    assert one == by_line[6]


def test_sellers_decide_their_own_review_and_none_rows_only(client, keys) -> None:
    job_id = _job(client, keys, auto=1.0, review=1.0)  # nothing is sure enough: all none
    rows = _rows(client, keys.vendor, job_id)["items"]
    assert [r["state"] for r in rows] == ["none"] * 4
    first = rows[0]
    assert first["candidates"], first
    pick = first["candidates"][-1]["sku"]
    decision = f"/api/matching/jobs/{job_id}/rows/{{}}/decision"

    # another seller's key: 403 with a message, and nothing recorded
    foreign = client.post(decision.format(2), json={"sku": pick}, headers=bearer(keys.other_vendor))
    assert foreign.status_code == 403
    assert foreign.json()["code"] == "forbidden" and "own seller" in foreign.json()["details"]
    assert (
        client.get(
            f"/api/matching/jobs/{job_id}/rows/2", headers=bearer(keys.other_vendor)
        ).status_code
        == 403
    )
    # a SKU the row did not offer, a line the file does not have
    stranger = client.post(
        decision.format(2), json={"sku": "MTG-M10-146-EN-LP-NORMAL"}, headers=bearer(keys.vendor)
    )
    assert stranger.status_code == 422 and stranger.json()["code"] == "not_a_candidate"
    missing = client.post(decision.format(3), json={"sku": pick}, headers=bearer(keys.vendor))
    assert missing.status_code == 404 and "line 3" in missing.json()["details"]

    chosen = client.post(decision.format(2), json={"sku": pick}, headers=bearer(keys.vendor))
    assert chosen.status_code == 200, chosen.text
    row = chosen.json()
    assert (row["state"], row["sku"], row["match_method"]) == (
        "selected",
        pick,
        "consumer_selected",
    )
    assert row["status"] == "none" and row["match_id"]
    match = client.get(f"/api/matching/matches/{row['match_id']}", headers=bearer(keys.vendor))
    assert match.json()["product_ref"] == f"job:{job_id}:line:2"
    assert match.json()["catalog_sku"] == pick and match.json()["status"] == "accepted"
    again = client.post(decision.format(2), json={"sku": pick}, headers=bearer(keys.vendor))
    assert again.status_code == 409 and again.json()["state"] == "selected"

    # an admin may decide for any seller
    other = rows[1]["candidates"][0]["sku"]
    by_admin = client.post(decision.format(4), json={"sku": other}, headers=bearer(keys.admin))
    assert by_admin.status_code == 200 and by_admin.json()["decided_by"].startswith("admin one")
    # and still verify or reject what a seller chose
    assert client.post(
        f"/api/matching/matches/{row['match_id']}/reject", headers=bearer(keys.admin)
    ).is_success
    assert _rows(client, keys.vendor, job_id, state="rejected")["items"][0]["line_number"] == 2


def test_old_row_refs_are_rewritten_and_still_resolve(postgres_admin_url: str) -> None:
    """A match recorded as `job:J:row:I` (the record index) becomes `job:J:line:L` when the
    database is migrated; a kept old reference still finds its row."""
    from matching.jobs.row_ref import find_job_row, parse_row_ref
    from models import migrate
    from models.db import make_engine
    from tests.integration.conftest import create_database, drop_database

    name = f"sidedecked_test_rowrefs_{uuid.uuid4().hex[:8]}"
    url = create_database(postgres_admin_url, name)
    engine = make_engine(url)
    try:
        migrate.upgrade(url=url, revision="0024_review_queue")
        with engine.begin() as conn:
            job_id = conn.execute(
                sa.text(
                    "INSERT INTO match_jobs (seller_id, seller_type, status, processed_rows,"
                    " count_auto, count_review, count_none, count_error, attempts, created_at)"
                    " VALUES ('s', 'business_vendor', 'succeeded', 2, 0, 2, 0, 0, 1, now())"
                    " RETURNING id"
                )
            ).scalar_one()
            for index, line in ((0, 2), (1, 7)):
                match_id = conn.execute(
                    sa.text(
                        "INSERT INTO product_catalog_matches (seller_id, seller_type,"
                        " product_ref, match_method, confidence_score, matched_fields,"
                        " candidates, decision, status, is_verified, job_id, version,"
                        " created_at, updated_at) VALUES ('s', 'business_vendor', :ref,"
                        " 'fuzzy', 0.5, '{}', '[]', 'review', 'pending', false, :job, 1,"
                        " now(), now()) RETURNING id"
                    ),
                    {"ref": f"job:{job_id}:row:{index}", "job": job_id},
                ).scalar_one()
                conn.execute(
                    sa.text(
                        "INSERT INTO match_job_rows (job_id, row_index, line_number, raw,"
                        " status, match_id) VALUES (:job, :index, :line, '{}', 'review', :m)"
                    ),
                    {"job": job_id, "index": index, "line": line, "m": match_id},
                )
        migrate.upgrade(url=url)
        with engine.connect() as conn:
            refs = conn.execute(
                sa.text("SELECT product_ref FROM product_catalog_matches ORDER BY id")
            ).scalars()
            assert list(refs) == [f"job:{job_id}:line:2", f"job:{job_id}:line:7"]
        from sqlalchemy.orm import Session

        with Session(engine) as session:
            old = find_job_row(session, f"job:{job_id}:row:1")
            new = find_job_row(session, f"job:{job_id}:line:7")
            assert old is not None and new is not None and old.id == new.id
            assert old.line_number == 7
            assert find_job_row(session, "shop-sku-17") is None
        assert parse_row_ref(f"job:{job_id}:row:1").row_index == 1
        migrate.downgrade(url=url, revision="0024_review_queue")
        with engine.connect() as conn:
            refs = conn.execute(
                sa.text("SELECT product_ref FROM product_catalog_matches ORDER BY id")
            ).scalars()
            assert list(refs) == [f"job:{job_id}:row:0", f"job:{job_id}:row:1"]
    finally:
        engine.dispose()
        drop_database(postgres_admin_url, name)
