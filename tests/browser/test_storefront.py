"""The storefront's details: price inputs that fit, true print counts, a failed query that
leaves nothing stale, a page past the last, and a short way by keyboard to the results."""

from __future__ import annotations

import math
import re
from urllib.parse import urlencode

import httpx
import pytest

from tests.browser.conftest import Server, screenshot

pytestmark = pytest.mark.xdist_group("browser")

PAGE_SIZE = 24  # search.js
#: a number input must show a price like 1234.56 (about 7 characters) beside its label
MIN_PRICE_INPUT_WIDTH = 64


def _box(tab, selector: str) -> dict[str, float]:
    box = tab.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not displayed"
    return box


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_price_inputs_fit_side_by_side_and_work(page, server: Server, width, height) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/?q=dragon")
    page.wait_for_selector("#results .result")
    if not page.locator("#filters-panel").evaluate("d => d.open"):
        page.click("#filters-panel > summary")  # collapsed on a phone
    low, high = _box(page, "#price-min"), _box(page, "#price-max")
    assert not _overlap(low, high), (low, high)
    assert min(low["width"], high["width"]) >= MIN_PRICE_INPUT_WIDTH, (low, high)
    panel = _box(page, "#filters-panel")
    for box in (low, high):  # inside the filter panel, not spilling out of it
        assert panel["x"] <= box["x"] and box["x"] + box["width"] <= panel["x"] + panel["width"]
    page.fill("#price-min", "1")
    page.press("#price-min", "Tab")
    page.fill("#price-max", "5")
    page.press("#price-max", "Tab")
    page.wait_for_url(re.compile(r"price_min=1.*price_max=5"))
    page.locator("#price-min").scroll_into_view_if_needed()
    screenshot(page, f"search-price-{width}")


def test_a_result_counts_every_matching_print_of_its_card(page, server: Server) -> None:
    # a card of the demo catalog with more prints than a result's print list holds (10)
    body = httpx.get(
        f"{server.base}/api/catalog/search",
        params={"order": "popularity", "page_size": 175, "prints_per_card": 1},
    ).json()
    card = next(item for item in body["data"] if item["prints_total"] > 10)
    every = httpx.get(f"{server.base}/api/catalog/cards/{card['card_id']}").json()["prints"]
    page.goto("/?" + str(httpx.QueryParams({"q": f'!"{card["name"]}"'})))
    result = page.locator(f'#results .result[data-card-id="{card["card_id"]}"]')
    result.wait_for()
    badges = result.locator(".badge").all_inner_texts()
    assert f"{len(every)} prints" in badges, (badges, len(every))


def test_a_failed_query_leaves_only_the_error(page, server: Server) -> None:
    page.goto("/?game=pokemon")
    page.wait_for_selector('#facets [data-facet="set"] input')
    assert page.locator("#game-tabs .n", has_text="(").count() > 0
    page.fill("#q", "t:creature (bolt")
    page.press("#q", "Enter")
    page.locator("#error").wait_for(state="visible")
    assert page.locator("#results li").count() == 0
    assert page.locator("#facets > *").count() == 0  # no facets of the previous query
    assert [t for t in page.locator("#game-tabs .n").all_inner_texts() if t] == []
    assert page.locator("#filter-count").inner_text() == ""
    assert page.locator("#prev").is_disabled() and page.locator("#next").is_disabled()
    # a good query again brings everything back
    page.fill("#q", "pikachu")
    page.press("#q", "Enter")
    page.locator("#error").wait_for(state="hidden")
    page.wait_for_selector("#results .result")
    page.wait_for_selector("#facets fieldset")


def _query_of_a_few_pages(server: Server, most: int) -> tuple[str, int, int]:
    """A query with more than one page and fewer than `most` on whichever demo catalog the
    server holds (cut from the shared data, or the small fixtures without it)."""
    for q in ("dragon", "game:mtg", ""):
        response = httpx.get(f"{server.base}/api/catalog/search", params={"q": q})
        total = response.json()["total"]
        last = math.ceil(total / PAGE_SIZE)
        if 1 < last < most:
            return q, total, last
    raise AssertionError(f"no query of the demo catalog has between 2 and {most} pages")


@pytest.mark.parametrize("past", [50, 999])  # an empty page; deeper than numbered pages go
def test_a_page_past_the_last_says_so_and_links_back(page, server: Server, past: int) -> None:
    q, total, last = _query_of_a_few_pages(server, most=50)
    page.goto(f"/?{urlencode({'q': q, 'page': past})}")
    summary = page.locator("#summary")
    expected = f"Page {past} is past the last page ({last})."
    page.wait_for_function(
        "t => document.querySelector('#summary').textContent === t", arg=expected
    )
    assert page.locator("#error").is_hidden()
    assert page.locator("#facets fieldset").count() > 0  # the query itself is fine
    screenshot(page, f"search-past-last-{past}")
    page.click("#last-page-link")
    page.wait_for_selector("#results .result")
    assert f"page={last}" in page.url
    assert summary.inner_text().startswith(f"{total:,} cards")
    assert page.locator("#page-label").inner_text() == f"Page {last} of {last}"


def _focused(tab) -> str:
    return tab.evaluate(
        "() => { const e = document.activeElement;"
        " return e.id || e.closest('[data-card-id]')?.dataset.cardId && 'result' || e.tagName; }"
    )


def test_the_first_result_is_a_few_tab_presses_from_the_search_box(page, server: Server) -> None:
    page.goto("/?game=pokemon")
    page.wait_for_selector('#facets [data-facet="set"] input')
    page.wait_for_selector("#results .result")
    first_result = page.locator("#results .result h3 a").first
    # the skip link: Search, Skip to results (visible when focused), Enter, then the first result
    page.focus("#q")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert _focused(page) == "skip-results"
    assert page.locator("#skip-results").bounding_box()["width"] > 0
    screenshot(page, "search-skip-link")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert first_result.evaluate("a => a === document.activeElement")
    # without it: each facet group is one Tab stop, so Tab alone gets there soon too
    page.focus("#q")
    presses = 0
    while not first_result.evaluate("a => a === document.activeElement"):
        page.keyboard.press("Tab")
        presses += 1
        assert presses <= 30, f"still not at the first result after 30 Tabs ({_focused(page)})"
    groups = page.locator("#facets fieldset").count()
    assert groups >= 5
    # arrows move within a facet group, and Space ticks
    page.locator('#facets [data-facet="set"] input').first.focus()
    page.keyboard.press("ArrowDown")
    second = page.locator('#facets input[data-facet="set"]').nth(1)
    assert second.evaluate("b => b === document.activeElement && b.tabIndex === 0")
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"set="))
    page.wait_for_selector('#facets input[data-facet="set"]:checked')
