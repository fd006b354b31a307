"""The review console at scale in Chromium: an admin filters and sorts the queue, switches to
identical proposals, verifies a group after confirming (a cancelled confirmation changes
nothing), undoes it with the keyboard, confirms a reject key, and picks a print by name, set
and number."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.browser.conftest import Server, screenshot

pytestmark = pytest.mark.xdist_group("browser")

SELLER = "group-seller"
#: each names two finishes, so it goes to review whatever the catalog holds (see test_pages)
GROUP_TITLE = "Charizard Holo/Reverse Holo"
SINGLE_TITLE = "Blastoise Holo/Reverse Holo"


def _seed(server: Server) -> dict[str, list[int]]:
    """Three copies of one listing (one group of identical proposals) and one other listing."""
    ids: dict[str, list[int]] = {GROUP_TITLE: [], SINGLE_TITLE: []}
    with httpx.Client(
        base_url=server.base, headers={"Authorization": f"Bearer {server.admin_key}"}
    ) as client:
        for ref, title in enumerate([GROUP_TITLE] * 3 + [SINGLE_TITLE]):
            answer = client.post(
                "/api/matching/match",
                json={"title": title, "seller_id": SELLER, "product_ref": f"group-{ref}"},
            )
            answer.raise_for_status()
            assert answer.json()["decision"] == "review", answer.json()
            ids[title].append(answer.json()["match_id"])
    return ids


def _statuses(server: Server, ids: list[int]) -> list[str]:
    with httpx.Client(headers={"Authorization": f"Bearer {server.admin_key}"}) as client:
        return [client.get(f"{server.base}/api/matching/matches/{i}").json()["status"] for i in ids]


def test_admin_filters_groups_verifies_a_group_and_undoes(
    page, server: Server, shared_data: Path
) -> None:
    ids = _seed(server)
    page.goto("/admin/review")
    page.fill("#api-key", server.admin_key)
    page.click("#key-form button[type=submit]")
    page.wait_for_selector("#queue .item")

    # filter: the seller, sorted by confidence (highest first)
    page.fill("#f-seller", SELLER)
    page.select_option("#f-sort", "confidence_desc")
    page.click("#filters button[type=submit]")
    page.wait_for_function("document.querySelector('#queue-summary').textContent.startsWith('4 ')")
    assert page.locator("#queue .item").count() == 4
    shown = [
        int(n)
        for n in page.locator("#queue .item").evaluate_all(
            "nodes => nodes.map(n => n.dataset.matchId)"
        )
    ]
    assert set(shown) == set(ids[GROUP_TITLE] + ids[SINGLE_TITLE])

    # the identical proposals: one group of three (the single listing is no group)
    page.click("#view-groups")
    group = page.locator("#groups .item.group")
    group.first.wait_for()
    assert group.count() == 1
    assert group.first.get_attribute("data-count") == "3"
    assert GROUP_TITLE in group.first.locator("blockquote").inner_text()
    assert "1 group of identical proposals" in page.locator("#queue-summary").inner_text()

    # verifying asks first: cancelling changes nothing
    button = group.first.locator('[data-action="verify-group"]')
    assert button.inner_text() == "Verify all 3"
    button.click()
    dialog = page.locator("#confirm")
    dialog.wait_for(state="visible")
    assert "Verify 3 matches at once?" in dialog.inner_text()
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert _statuses(server, ids[GROUP_TITLE]) == ["pending"] * 3

    button.click()
    dialog.wait_for(state="visible")
    screenshot(page, "admin-review-group-confirm")
    page.click("#confirm-ok")
    group.first.locator(".status-line", has_text="3 of 3 verified").wait_for()
    assert _statuses(server, ids[GROUP_TITLE]) == ["verified"] * 3
    undo = page.locator("#undo")
    assert "3 matches verified as a group" in undo.inner_text()
    screenshot(page, "admin-review-groups", full_page=True)

    # undo with the keyboard: the three are pending again, exactly as before
    page.locator("h1").click()
    page.keyboard.press("u")
    page.wait_for_function("document.querySelector('#flash').textContent.includes('Undone')")
    assert "3 matches back" in page.locator("#flash").inner_text()
    assert _statuses(server, ids[GROUP_TITLE]) == ["pending"] * 3
    assert group.first.get_attribute("data-count") == "3"
    # the button now offers the admin's earlier action, if any, never the undone one
    assert undo.is_hidden() or "as a group" not in undo.inner_text()

    # back to the items: a reject key asks to confirm; "n" keeps the match
    page.keyboard.press("g")
    page.wait_for_selector("#queue .item")
    first = page.locator("#queue .item").first
    first_id = int(first.get_attribute("data-match-id"))
    first.focus()
    page.keyboard.press("r")
    dialog.wait_for(state="visible")
    assert f"Reject match {first_id}?" in dialog.inner_text()
    page.keyboard.press("n")
    dialog.wait_for(state="hidden")
    assert _statuses(server, [first_id]) == ["pending"]
    page.keyboard.press("r")
    dialog.wait_for(state="visible")
    page.keyboard.press("y")
    first.locator(".status-line", has_text="Rejected").wait_for()
    assert _statuses(server, [first_id]) == ["rejected"]
    assert f"match {first_id} rejected" in undo.inner_text()
    undo.click()
    page.wait_for_function("document.querySelector('#flash').textContent.includes('Undone')")
    assert _statuses(server, [first_id]) == ["pending"]

    # the SKU picker searches prints by name, set and number and shows the printing
    item = page.locator("#queue .item").first
    item.locator("details.other summary").click()
    item.locator('.sku-search input[name="q"]').fill("Charizard")
    item.locator('.sku-search input[name="set"]').fill("base1")
    item.locator('.sku-search input[name="number"]').fill("4")
    item.locator(".sku-search button").click()
    result = item.locator(".sku-results li.print-result").first
    result.wait_for()
    text = result.inner_text()
    assert "Charizard" in text and "(BASE1) #4" in text and "EN" in text
    assert result.locator(".art").count() == 1
    result.locator("button").click()
    choice = item.locator(".sku-results li.sku-choice button", has_text="POKEMON-BASE1-4-EN-")
    choice.first.wait_for()
    screenshot(page, "admin-review-print-picker")
