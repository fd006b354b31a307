"""The card page's price history: signed marketplace events on three days, then the page draws
one line per condition and finish of the print as an inline SVG (title and description for
screen readers, a table of the same points), and its controls filter and switch the price."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, time, timedelta

import httpx
import pytest

from marketplace import samples
from search_api.marketplace.routes import sign
from tests.browser.axe import describe, serious_violations
from tests.browser.conftest import EVENTS_SECRET, Server, screenshot

pytestmark = pytest.mark.xdist_group("browser")


def _post(server: Server, events: list[dict]) -> None:
    body = json.dumps({"events": events}).encode()
    headers = {"Content-Type": "application/json", "X-Signature": sign(body, EVENTS_SECRET)}
    response = httpx.post(f"{server.base}/api/events", content=body, headers=headers, timeout=30)
    assert response.status_code == 200, response.text


def _a_print(server: Server) -> tuple[int, int, dict[tuple[str, str], str]]:
    """A Pokémon print of the demo catalog with NM SKUs of two finishes."""
    found = httpx.get(
        f"{server.base}/api/catalog/search", params={"q": '!"Charizard"', "unique": "prints"}
    ).json()
    for item in found["data"]:
        detail = httpx.get(f"{server.base}/api/catalog/prints/{item['print_id']}").json()
        skus = {(s["condition"], s["finish"]): s["sku"] for s in detail["skus"] if not s["grade"]}
        finishes = sorted({f for c, f in skus if c == "NM"})
        if len(finishes) >= 2 and ("LP", finishes[0]) in skus:
            return item["card_id"], item["print_id"], skus
    raise AssertionError("no Charizard print with two finishes in the demo catalog")


def test_the_card_page_draws_the_price_history(page, server: Server) -> None:
    card_id, print_id, skus = _a_print(server)
    finishes = sorted({f for c, f in skus if c == "NM"})[:2]
    nm_a, nm_b, lp_a = (
        skus[("NM", finishes[0])],
        skus[("NM", finishes[1])],
        skus[("LP", finishes[0])],
    )
    today = datetime.now(UTC).date()
    days = [datetime.combine(today - timedelta(days=n), time(12), UTC) for n in (2, 1)]
    days.append(datetime.combine(today, time(0), UTC))  # never in the future
    prices = {nm_a: ("12.00", "11.00", "10.50"), nm_b: ("40.00", "42.00", "45.00")}
    for n, at in enumerate(days):
        events = [
            samples.listed(sku, f"chart-{sku}", price=p[n], quantity=5, at=at)
            for sku, p in prices.items()
        ]
        if n == 1:
            events.append(samples.listed(lp_a, "chart-lp", price="6.00", at=at))
        _post(server, events)

    page.goto(f"/cards/{card_id}")
    page.wait_for_selector("#prints .result")
    page.select_option("#price-print", str(print_id))
    chart = page.locator("#price-chart svg.price-chart-svg")
    chart.wait_for()
    page.wait_for_function(
        "n => document.querySelectorAll('#price-chart g.series').length === n", arg=3
    )
    # one line per SKU with points, each point a circle; the steps are drawn oldest first
    assert sorted(
        page.locator("#price-chart g.series").evaluate_all("gs => gs.map(g => g.dataset.sku)")
    ) == sorted([nm_a, nm_b, lp_a])
    dates = page.locator(f'#price-chart g.series[data-sku="{nm_a}"] circle').evaluate_all(
        "cs => cs.map(c => c.dataset.date)"
    )
    assert dates == [d.date().isoformat() for d in days]
    values = page.locator(f'#price-chart g.series[data-sku="{nm_b}"] circle').evaluate_all(
        "cs => cs.map(c => Number(c.dataset.value))"
    )
    assert values == [40.0, 42.0, 45.0]  # market = the offers' median (no sales)
    # accessible: a named image with a description, a legend, and the table of every point
    title = chart.locator("title").first.text_content()
    assert title == "Market price over the last 30 days"
    desc = chart.locator("desc").text_content() or ""
    assert f"NM · {finishes[1]}: from $40.00" in desc and "to $45.00" in desc
    assert chart.get_attribute("role") == "img"
    legend = page.locator("#price-legend li").all_inner_texts()
    assert sorted(x.strip() for x in legend) == sorted(
        [f"NM · {finishes[0]}", f"NM · {finishes[1]}", f"LP · {finishes[0]}"]
    )
    assert page.locator("#price-table tbody tr").count() == 3 + 3 + 1
    assert re.match(r"Market price of 3 SKUs", page.locator("#price-status").inner_text())
    screenshot(page, "card-price-history", full_page=True)

    # the controls: the lowest price, one condition, one finish
    page.select_option("#price-metric", "lowest")
    page.wait_for_selector('#price-chart svg[data-metric="lowest"]')
    page.select_option("#price-condition", "NM")
    page.wait_for_function("() => document.querySelectorAll('#price-chart g.series').length === 2")
    page.select_option("#price-finish", finishes[1])
    page.wait_for_function("() => document.querySelectorAll('#price-chart g.series').length === 1")
    assert page.locator("#price-table tbody tr").count() == 3
    page.select_option("#price-condition", "DMG")
    page.locator("#price-status", has_text="No price history").wait_for()
    assert page.locator("#price-chart").is_hidden()
    page.select_option("#price-condition", "")
    page.select_option("#price-finish", "")
    page.wait_for_function("() => document.querySelectorAll('#price-chart g.series').length === 3")
    page.locator("#price-table-wrap summary").click()
    violations = serious_violations(page)
    assert not violations, f"axe-core on {page.url}:\n{describe(violations)}"
