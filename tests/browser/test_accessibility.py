"""axe-core on every page (search, card, vendor, review console): no serious or critical
violation, each listed with its elements when there is one."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from tests.browser.axe import describe, serious_violations
from tests.browser.conftest import Server
from tests.browser.test_pages import EXPORT, REVIEW_TITLES

pytestmark = pytest.mark.xdist_group("browser")


def _check(tab) -> None:
    violations = serious_violations(tab)
    assert not violations, f"axe-core on {tab.url}:\n{describe(violations)}"


def test_search_page_with_results_facets_and_suggestions(page, server: Server) -> None:
    page.goto("/?q=dragon")
    page.wait_for_selector("#results .result")
    page.wait_for_selector("#facets fieldset")
    _check(page)
    page.locator("#q").fill("")
    page.locator("#q").press_sequentially("charz", delay=30)
    page.locator("#suggestions li").first.wait_for()
    _check(page)


def test_search_page_with_an_error_and_on_a_phone(page, server: Server) -> None:
    page.goto("/?q=t:creature%20(bolt")
    page.locator("#error").wait_for(state="visible")
    _check(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/?q=dragon")
    page.wait_for_selector("#results .result")
    _check(page)


def test_card_page(page, server: Server) -> None:
    page.goto('/?q=!"Charizard"')
    page.locator("#results .result h3 a").first.click()
    page.wait_for_url(re.compile(r"/cards/\d+$"))
    page.wait_for_selector("#skus tbody tr")
    _check(page)


@pytest.mark.parametrize("path", ["/vendor", "/admin/review"])
def test_key_pages_before_and_after_a_key(page, server: Server, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    _check(page)
    page.fill("#api-key", server.admin_key)
    page.click("#key-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    _check(page)


def test_vendor_page_with_a_finished_job(page, server: Server, shared_data: Path) -> None:
    page.goto("/vendor")
    page.fill("#api-key", server.vendor_key)
    page.click("#key-form button[type=submit]")
    page.set_input_files("#file", str(shared_data / "seller-exports" / EXPORT))
    page.click("#upload-btn")
    page.wait_for_selector("#job[data-status=succeeded]", timeout=60_000)
    page.wait_for_selector("#rows tbody tr[data-status]")
    _check(page)


def test_review_console_with_items(page, server: Server) -> None:
    with httpx.Client(
        base_url=server.base, headers={"Authorization": f"Bearer {server.admin_key}"}
    ) as client:
        for i, title in enumerate(REVIEW_TITLES[:2]):
            client.post(
                "/api/matching/match",
                json={"title": title, "seller_id": "axe-seller", "product_ref": f"axe-{i}"},
            ).raise_for_status()
    page.goto("/admin/review")
    page.fill("#f-seller", "axe-seller")
    page.fill("#api-key", server.admin_key)
    page.click("#key-form button[type=submit]")
    page.wait_for_selector("#queue .item")
    _check(page)


def test_the_check_reports_what_it_finds(page, server: Server) -> None:
    # the check itself: a control without a name and grey-on-grey text are caught and listed
    page.goto("/")
    page.wait_for_selector("#results .result")
    page.evaluate(
        "() => document.querySelector('main').append("
        " Object.assign(document.createElement('button'), {id: 'nameless'}),"
        " Object.assign(document.createElement('p'),"
        "  {id: 'faint', textContent: 'faint text', style: 'color:#bbb;background:#ccc'}))"
    )
    violations = serious_violations(page)
    assert {"button-name", "color-contrast"} <= {v["id"] for v in violations}
    listed = describe(violations)
    assert "#nameless" in listed and "#faint" in listed
