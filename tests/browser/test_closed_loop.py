"""The closed loop in the browser (issue 13 item 1): a seller's real export is matched, an admin
approves one of its rows in the review console (which names the row as the vendor page does),
another is rejected, and the seller sees both decisions on the vendor page and in the CSV, then
picks the card of a third row themself."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import time
import uuid
from pathlib import Path

import httpx
import pytest

from tests.browser.conftest import SERVICE_VARS, SIDEDECKED, Server, screenshot

pytestmark = pytest.mark.xdist_group("browser")

EXPORT = Path("mtgcsvhelper") / "Tests" / "manabox-real-export.csv"


def _vendor_key(server: Server, seller: str) -> str:
    """A key of a seller of this test only (its thresholds change nobody else's jobs)."""
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARS}
    env["DATABASE_URL"] = f"sqlite:///{server.workdir / 'catalog.db'}"
    env["SIDEDECKED_INDEX_DIR"] = str(server.workdir / "index")
    done = subprocess.run(
        [str(SIDEDECKED), "keys", "create", "--role", "vendor", "--seller-id", seller],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1].strip()


def _matched_job(server: Server, vendor: str, seller: str, export: Path) -> int:
    """The export uploaded through the API, every row with a candidate sent to review."""
    admin = {"Authorization": f"Bearer {server.admin_key}"}
    httpx.put(
        f"{server.base}/api/matching/sellers/{seller}/settings",
        json={"auto_threshold": 0.999, "review_threshold": 0.0},
        headers=admin,
    ).raise_for_status()
    with httpx.Client(base_url=server.base, headers={"Authorization": f"Bearer {vendor}"}) as api:
        created = api.post("/api/matching/jobs", files={"file": (export.name, export.read_bytes())})
        assert created.status_code == 202, created.text
        job_id = int(created.json()["id"])
        deadline = time.monotonic() + 90
        while api.get(f"/api/matching/jobs/{job_id}").json()["status"] != "succeeded":
            assert time.monotonic() < deadline, "the job did not finish in 90 s"
            time.sleep(0.3)
    return job_id


def test_seller_sees_the_admins_decisions_and_decides_a_row(
    page, server: Server, shared_data: Path
) -> None:
    seller = f"loop-{uuid.uuid4().hex[:8]}"
    vendor = _vendor_key(server, seller)
    job_id = _matched_job(server, vendor, seller, shared_data / "seller-exports" / EXPORT)
    results = httpx.get(
        f"{server.base}/api/matching/jobs/{job_id}/results",
        params={"status": "review", "limit": 50},
        headers={"Authorization": f"Bearer {vendor}"},
    ).json()["items"]
    assert len(results) >= 3, results
    approved, rejected, chosen = results[:3]

    # the admin approves a row in the console, which names it as the vendor page does
    page.goto("/admin/review")
    page.fill("#f-seller", seller)
    page.fill("#api-key", server.admin_key)
    page.click("#key-form button[type=submit]")
    item = page.locator(f'#queue [data-match-id="{approved["match_id"]}"]')
    item.wait_for()
    assert f"job {job_id} · line {approved['line_number']}" in item.inner_text()
    item.locator('[data-action="approve"]').click()
    item.locator(".status-line", has_text="Approved").wait_for()
    httpx.post(
        f"{server.base}/api/matching/matches/{rejected['match_id']}/reject",
        json={"note": "not this printing"},
        headers={"Authorization": f"Bearer {server.admin_key}"},
    ).raise_for_status()

    # the seller opens the job: the states, who decided, and a choice of their own
    page.goto("/vendor")
    page.fill("#api-key", vendor)
    page.click("#key-form button[type=submit]")
    page.locator("#jobs li", has_text=f"#{job_id}").locator("button").click()
    page.click('#status-tabs [data-status="review"]')
    row = page.locator(f'#rows tbody tr[data-line="{approved["line_number"]}"]')
    row.wait_for()
    assert row.get_attribute("data-state") == "verified"
    assert "browser-admin" in row.inner_text()
    gone = page.locator(f'#rows tbody tr[data-line="{rejected["line_number"]}"]')
    assert gone.get_attribute("data-state") == "rejected"
    assert "not this printing" in gone.inner_text()
    mine = page.locator(f'#rows tbody tr[data-line="{chosen["line_number"]}"]')
    pick = chosen["candidates"][-1]["sku"]
    mine.locator("select").select_option(pick)
    mine.locator("button").click()
    page.locator(
        f'#rows tbody tr[data-line="{chosen["line_number"]}"][data-state="selected"]'
    ).wait_for()
    assert pick in page.locator(f'#rows tbody tr[data-line="{chosen["line_number"]}"]').inner_text()
    screenshot(page, "vendor-decisions")

    with page.expect_download() as download:
        page.click("#download")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    table = {int(r["line_number"]): r for r in csv.DictReader(io.StringIO(text))}
    assert table[approved["line_number"]]["state"] == "verified"
    assert table[approved["line_number"]]["decided_by"].startswith("browser-admin")
    assert table[rejected["line_number"]]["state"] == "rejected"
    assert table[rejected["line_number"]]["sku"] == ""
    assert table[rejected["line_number"]]["original_sku"] == rejected["sku"]
    assert table[chosen["line_number"]]["state"] == "selected"
    assert table[chosen["line_number"]]["sku"] == pick
    assert table[chosen["line_number"]]["match_method"] == "consumer_selected"

    # "Why not matched": the rows of one reason, labelled and counted as the API says
    vendor_auth = {"Authorization": f"Bearer {vendor}"}
    summary = httpx.get(f"{server.base}/api/matching/jobs/{job_id}", headers=vendor_auth).json()
    code, label = next(iter(summary["reason_labels"].items()))
    kept = httpx.get(
        f"{server.base}/api/matching/jobs/{job_id}/results",
        params={"reason": code, "limit": 50},
        headers=vendor_auth,
    ).json()
    # The "all rows" answer is held back until the reason's answer has painted: a late answer
    # to an older click must not overwrite the table (CI saw exactly that race).
    held: list = []

    def hold_unfiltered(route) -> None:
        if "reason=" in route.request.url or "format=csv" in route.request.url:
            route.continue_()
        else:
            held.append(route)

    page.route("**/api/matching/jobs/*/results?*", hold_unfiltered)
    page.click('#status-tabs [data-status=""]')
    assert page.locator(f'#reason-filter option[value="{code}"]').inner_text().startswith(label)
    page.select_option("#reason-filter", code)
    shown = min(50, kept["total"])
    page.locator("#rows-label", has_text=f"1–{shown} of {kept['total']}").wait_for()
    assert len(held) == 1
    with page.expect_response(lambda r: "/results?" in r.url and "reason=" not in r.url):
        held.pop().continue_()
    page.unroute("**/api/matching/jobs/*/results?*")
    page.wait_for_timeout(200)  # let the late answer's handler run
    assert page.locator("#rows-label").inner_text() == f"1–{shown} of {kept['total']}"
    lines = page.locator("#rows tbody tr").evaluate_all("rows => rows.map(r => r.dataset.line)")
    assert lines == [str(r["line_number"]) for r in kept["items"]]
    for row in kept["items"]:
        if row["status"] == "none" and row["candidates"]:  # a suggestion, never the match
            cell = page.locator(f'#rows tbody tr[data-line="{row["line_number"]}"] td').nth(3)
            assert cell.inner_text().endswith(
                f"Suggestion: {row['candidates'][0]['name']} "
                f"({row['candidates'][0]['set_code']} "
                f"#{row['candidates'][0]['number']})"
            )
