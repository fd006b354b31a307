"""A seller's whole loop in the pages: a spreadsheet no tool wrote is uploaded on the vendor page,
its columns mapped in the mapping editor and run again; a row goes to review, an admin verifies
it in the review console, and the seller sees it verified (with who decided) on the vendor page
and in the CSV download."""

from __future__ import annotations

import csv
import io
import re
import uuid
from pathlib import Path

import httpx
import pytest

from tests.browser.conftest import Server, screenshot
from tests.browser.test_closed_loop import _vendor_key
from tests.browser.test_mapping_editor import MAPPING, _choose

pytestmark = pytest.mark.xdist_group("browser")

#: rows without set or number match below the seller's auto threshold: they go to review
ROWS = [
    "Charizard,Base,4,1,Pokemon,Ordner 1",
    "Charizard,,,1,Pokemon,",
    "Blastoise,,,2,Pokemon,",
]


def _sign_in(page, key: str) -> None:
    page.goto("/vendor")
    page.fill("#api-key", key)
    page.click("#key-form button[type=submit]")
    page.locator("#key-status.ok").wait_for()


def test_seller_uploads_maps_and_sees_the_admins_verification(page, server: Server) -> None:
    seller = f"walk-{uuid.uuid4().hex[:8]}"
    vendor = _vendor_key(server, seller)
    # as in the closed loop: every row with a candidate below 0.999 goes to review
    httpx.put(
        f"{server.base}/api/matching/sellers/{seller}/settings",
        json={"auto_threshold": 0.999, "review_threshold": 0.0},
        headers={"Authorization": f"Bearer {server.admin_key}"},
    ).raise_for_status()

    # the seller uploads a spreadsheet no format knows, maps its columns and runs it again
    _sign_in(page, vendor)
    _choose(page, "walk.csv", ROWS)
    page.locator("#mapping-summary", has_text="No known format").wait_for()
    for column, field in MAPPING.items():
        page.get_by_label(column, exact=True).select_option(field)
    page.locator("#mapping-status", has_text="run again").wait_for()
    page.click("#mapping-run")
    title = page.locator("#job-title", has_text="walk.csv")
    title.wait_for()
    page.wait_for_selector("#job[data-status=succeeded]", timeout=90_000)
    page.wait_for_selector("#rows tbody tr[data-status]")
    assert page.locator("#rows tbody tr[data-status]").count() == len(ROWS)
    job_id = int(re.search(r"Job (\d+)", title.inner_text()).group(1))
    review = page.locator("#rows tbody tr[data-status=review]")
    assert review.count() >= 1, page.locator("#rows").inner_text()

    results = httpx.get(
        f"{server.base}/api/matching/jobs/{job_id}/results",
        params={"status": "review", "limit": 50},
        headers={"Authorization": f"Bearer {vendor}"},
    ).json()["items"]
    assert results, "no row of the job went to review"
    target = results[0]
    line = target["line_number"]
    assert page.locator(f'#rows tbody tr[data-line="{line}"][data-status=review]').count() == 1

    # the admin verifies that row in the review console
    page.goto("/admin/review")
    page.fill("#f-seller", seller)
    page.fill("#api-key", server.admin_key)
    page.click("#key-form button[type=submit]")
    item = page.locator(f'#queue [data-match-id="{target["match_id"]}"]')
    item.wait_for()
    assert f"job {job_id} · line {line}" in item.inner_text()
    item.locator('[data-action="approve"]').click()
    dialog = page.locator("#confirm")
    if dialog.is_visible():  # the console asks before some decisions
        page.click("#confirm-ok")
    item.locator(".status-line", has_text="Approved").wait_for()

    # the seller reloads the vendor page: the row is verified, and who decided is shown
    _sign_in(page, vendor)
    page.locator("#jobs li", has_text=f"#{job_id}").locator("button").click()
    page.click('#status-tabs [data-status="review"]')
    row = page.locator(f'#rows tbody tr[data-line="{line}"][data-state="verified"]')
    row.wait_for()
    assert "browser-admin" in row.inner_text()
    screenshot(page, "vendor-seller-walk")

    with page.expect_download() as download:
        page.click("#download")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    table = {int(r["line_number"]): r for r in csv.DictReader(io.StringIO(text))}
    assert table[line]["state"] == "verified"
    assert table[line]["decided_by"].startswith("browser-admin")
