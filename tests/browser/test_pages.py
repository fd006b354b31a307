"""The pages in headless Chromium against a real server on the demo catalog."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from tests.browser.conftest import Server, screenshot

#: one xdist worker should run them all (one server, one browser); pytest 9 + xdist 3.8 ignore
#: the group (xdist renames `item._nodeid`, which pytest 9 no longer reads), so each worker
#: may start its own server: correct, only slower
pytestmark = pytest.mark.xdist_group("browser")

EXPORT = Path("mtgcsvhelper") / "Tests" / "manabox-real-export.csv"
POKEMON_TITLES = Path("ebay-pokemon-titles-usmanismail677") / "ebay_pokemon_cards.csv"
#: listing titles that the demo catalog sends to review (one candidate or a few)
#: Titles that go to review whatever the catalog holds: each names two finishes, so the SKU's
#: finish cannot be read (the whole-SKU rule never guesses it into an accepted match).
REVIEW_TITLES = [
    f"{name} Holo/Reverse Holo" for name in ("Charizard", "Venusaur", "Blastoise", "Alakazam")
]


def _total(tab) -> int:
    text = tab.locator("#summary").inner_text()
    match = re.match(r"([\d,]+) (card|print)", text)
    assert match, text
    return int(match.group(1).replace(",", ""))


def _facet_count(tab, facet: str, value: str) -> int:
    return int(tab.locator(f'[data-count-for="{facet}:{value}"]').inner_text().replace(",", ""))


def test_search_typo_then_pick_a_suggestion_with_the_keyboard(
    page, server: Server, shared_data: Path
) -> None:
    # the demo sample cut from the shared data (the small fixtures hold too few cards)
    page.goto("/")
    page.wait_for_selector("#results .result")
    assert _total(page) > 1000  # the demo catalog: all four games
    games = [g for g in page.locator("#game-tabs .n").all_inner_texts() if g]
    assert len(games) == 4 and "(0)" not in games, games  # all four games have cards
    screenshot(page, "search")
    box = page.locator("#q")
    box.click()
    box.press_sequentially("charzard", delay=30)  # a typo
    page.locator('#suggestions[data-for="charzard"] li').first.wait_for()
    names = page.locator("#suggestions li .name").all_inner_texts()
    assert "Charizard" in names, names
    screenshot(page, "search-suggestions")
    index = names.index("Charizard")
    for _ in range(index + 1):
        box.press("ArrowDown")
    assert page.locator("#suggestions li[aria-selected=true]").inner_text().startswith("Charizard")
    box.press("Enter")
    page.wait_for_function("document.querySelector('#q').value.startsWith('!')")
    # the new results replace the old ones asynchronously: wait for them, not for any result
    page.wait_for_function(
        "[...document.querySelectorAll('#results .result h3')]"
        ".every(h => h.textContent.trim() === 'Charizard')"
        " && document.querySelectorAll('#results .result h3').length > 0"
    )
    titles = page.locator("#results .result h3").all_inner_texts()
    assert titles and all(t == "Charizard" for t in titles), titles
    assert "q=" in page.url
    # the image cannot load here: the card frame shows the name, set and number
    placeholder = page.locator("#results .result .placeholder").first
    assert "Charizard" in placeholder.inner_text()
    assert re.search(r"#\d+", placeholder.inner_text())


def test_two_facets_change_the_counts(page, server: Server) -> None:
    page.goto("/?game=pokemon")
    page.wait_for_selector('#facets [data-facet="set"] input')
    before = _total(page)
    set_value = page.locator('#facets input[data-facet="set"]').first.get_attribute("value")
    set_count = _facet_count(page, "set", set_value)
    assert 0 < set_count < before
    finish_before = {
        v: _facet_count(page, "finish", v)
        for v in page.locator('#facets input[data-facet="finish"]').evaluate_all(
            "els => els.map(e => e.value)"
        )
    }
    page.locator(f'#facets input[data-facet="set"][value="{set_value}"]').check()
    page.wait_for_function(
        f"document.querySelector('#summary').textContent.startsWith('{set_count:,} ')"
    )
    page.wait_for_selector(f'#facets input[data-facet="set"][value="{set_value}"]:checked')
    assert _total(page) == set_count
    finish_after = {
        v: _facet_count(page, "finish", v)
        for v in page.locator('#facets input[data-facet="finish"]').evaluate_all(
            "els => els.map(e => e.value)"
        )
    }
    assert finish_after != finish_before
    # the second facet (another group): multi-select narrows further and is kept in the URL
    finish_value = max(
        finish_after, key=lambda v: (0 < finish_after[v] < set_count, finish_after[v])
    )
    expected = finish_after[finish_value]
    page.locator(f'#facets input[data-facet="finish"][value="{finish_value}"]').check()
    page.wait_for_function(
        f"document.querySelector('#summary').textContent.startsWith('{expected:,} ')"
    )
    assert _total(page) == expected
    assert f"set={set_value}" in page.url and f"finish={finish_value}" in page.url
    assert page.locator("#facets input[type=checkbox]:checked").count() == 2
    screenshot(page, "search-facets")


def test_bad_query_shows_the_api_message(page, server: Server) -> None:
    page.goto("/")
    page.wait_for_selector("#results .result")
    page.fill("#q", "t:creature (bolt")
    page.press("#q", "Enter")
    error = page.locator("#error")
    error.wait_for(state="visible")
    body = httpx.get(f"{server.base}/api/catalog/search", params={"q": "t:creature (bolt"}).json()
    assert body["code"] == "bad_query"
    assert body["details"] in error.inner_text()
    assert "^" in error.inner_text()  # the caret under the position
    assert page.locator("#results .result").count() == 0
    screenshot(page, "search-bad-query")


def test_search_page_on_a_phone(page, server: Server) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/?q=dragon")
    page.wait_for_selector("#results .result")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    screenshot(page, "search-mobile")


def test_card_page_lists_prints_and_skus(page, server: Server) -> None:
    page.goto('/?q=!"Charizard"')
    page.locator("#results .result h3 a").first.click()
    page.wait_for_url(re.compile(r"/cards/\d+$"))
    page.wait_for_selector("#prints .result")
    assert page.locator("#card-name").inner_text() == "Charizard"
    page.wait_for_selector("#skus tbody td.mono")
    skus = page.locator("#skus tbody td.mono").all_inner_texts()
    assert skus and all(s.startswith("POKEMON-") for s in skus)
    screenshot(page, "card", full_page=True)


def test_vendor_uploads_a_real_export_and_browses_results(
    page, server: Server, shared_data: Path
) -> None:
    export = shared_data / "seller-exports" / EXPORT
    page.goto("/vendor")
    page.fill("#api-key", server.vendor_key)
    page.click("#key-form button[type=submit]")
    page.set_input_files("#file", str(export))
    page.click("#upload-btn")
    page.wait_for_selector("#job[data-status=succeeded]", timeout=60_000)
    assert page.locator("#job-progress").evaluate("e => e.value") == 100
    counts = {
        k: int(page.locator(f'[data-count="{k}"]').inner_text())
        for k in ("auto", "review", "none", "error")
    }
    rows = sum(1 for line in export.read_text(encoding="utf-8").splitlines()[1:] if line.strip())
    assert sum(counts.values()) == rows, counts
    page.wait_for_selector("#rows tbody tr[data-status]")
    assert page.locator("#rows tbody tr[data-status]").count() == min(rows, 50)
    screenshot(page, "vendor")
    page.click('#status-tabs [data-status="none"]')
    page.wait_for_function(
        "[...document.querySelectorAll('#rows tbody tr[data-status]')]"
        ".every(r => r.dataset.status === 'none')"
    )
    assert page.locator("#rows tbody tr[data-status=none]").count() == min(counts["none"], 50)
    with page.expect_download() as download:
        page.click("#download")
    csv = Path(download.value.path()).read_text(encoding="utf-8")
    assert csv.count("\n") >= counts["none"]  # a header and the 'none' rows
    # a second upload from another real export: the Pokémon eBay titles
    page.set_input_files("#file", str(shared_data / "seller-exports" / POKEMON_TITLES))
    page.click("#upload-btn")
    page.locator("#job-title", has_text="ebay_pokemon_cards.csv").wait_for()
    page.wait_for_selector("#job[data-status=succeeded]", timeout=60_000)
    page.wait_for_function("document.querySelectorAll('#jobs li').length >= 2")


def test_vendor_page_refuses_a_bad_key(page, server: Server) -> None:
    page.goto("/vendor")
    page.fill("#api-key", "sdk_not-a-real-key")
    page.click("#key-form button[type=submit]")
    page.locator("#key-status.bad", has_text="not valid").wait_for()  # checked, not kept
    assert page.locator("#jobs li").count() == 0


def _seed_review(server: Server) -> list[int]:
    ids = []
    with httpx.Client(
        base_url=server.base, headers={"Authorization": f"Bearer {server.admin_key}"}
    ) as client:
        for i, title in enumerate(REVIEW_TITLES):
            answer = client.post(
                "/api/matching/match",
                json={"title": title, "seller_id": "console-seller", "product_ref": f"console-{i}"},
            )
            answer.raise_for_status()
            body = answer.json()
            assert body["decision"] == "review", (title, body["decision"])
            ids.append(body["match_id"])
    return ids


def test_admin_console_verifies_rejects_and_shows_conflicts(
    page, server: Server, shared_data: Path
) -> None:
    # the review titles name Base Set holos, which the demo sample of the shared data holds
    ids = _seed_review(server)
    page.goto("/admin/review")
    page.fill("#f-seller", "console-seller")
    page.fill("#api-key", server.admin_key)
    page.click("#key-form button[type=submit]")
    page.wait_for_selector(f'#queue [data-match-id="{ids[0]}"]')
    assert page.locator("#queue .item").count() == len(ids)
    first = page.locator(f'#queue [data-match-id="{ids[0]}"]')
    assert REVIEW_TITLES[0] in first.locator("blockquote").inner_text()
    assert first.locator(".cand").count() >= 1
    screenshot(page, "admin-review", full_page=True)

    # keyboard: approve the first (a), then reject the second (r)
    first.focus()
    page.keyboard.press("a")
    first.locator(".status-line", has_text="Approved").wait_for()
    page.keyboard.press("r")
    page.locator("#confirm").wait_for(state="visible")  # reject asks first
    page.keyboard.press("y")
    second = page.locator(f'#queue [data-match-id="{ids[1]}"]')
    second.locator(".status-line", has_text="Rejected").wait_for()

    # pick another SKU through the catalog search, then approve it
    third = page.locator(f'#queue [data-match-id="{ids[2]}"]')
    third.locator("details.other summary").click()
    third.locator('.sku-search input[name="q"]').fill('!"Charizard"')
    third.locator(".sku-search button").click()
    third.locator(".sku-results li button").first.click()
    third.locator(".sku-results li button", has_text="-LP-").first.click()
    assert "-LP-" in third.locator(".custom-pick").inner_text()
    third.locator('[data-action="approve"]').click()
    third.locator(".status-line", has_text="Reassigned").wait_for()
    assert "-LP-" in third.locator(".status-line").inner_text()

    # someone else acts on the fourth first: the console shows the 409 conflict
    fourth_id = ids[3]
    taken = httpx.post(
        f"{server.base}/api/matching/matches/{fourth_id}/reject",
        headers={"Authorization": f"Bearer {server.admin_key}"},
        json={"note": "another reviewer"},
    )
    assert taken.status_code == 200
    page.locator(f'#queue [data-match-id="{fourth_id}"] [data-action="approve"]').click()
    flash = page.locator("#flash")
    flash.wait_for(state="visible")
    page.wait_for_function("document.querySelector('#flash').textContent.includes('Conflict')")
    assert "rejected" in flash.inner_text()
    conflict = page.locator(f'#queue [data-match-id="{fourth_id}"] .status-line')
    assert "409 conflict" in conflict.inner_text()
    conflict.scroll_into_view_if_needed()
    screenshot(page, "admin-review-conflict")

    with httpx.Client(headers={"Authorization": f"Bearer {server.admin_key}"}) as client:
        states = [
            client.get(f"{server.base}/api/matching/matches/{i}").json()["status"] for i in ids
        ]
    assert states[1] == "rejected" and states[3] == "rejected"
    assert states[0] != "pending" and states[2] != "pending", states


@pytest.mark.parametrize("path", ["/admin/review", "/vendor"])
def test_key_pages_ask_for_a_key(page, server: Server, path: str) -> None:
    page.goto(path)
    assert "No key" in page.locator("#key-status").inner_text()
