"""The vendor page's mapping editor in Chromium: a spreadsheet no tool wrote shows its columns
with a sample, the seller maps them and runs the job (matched rows), and the next upload of the
same header is read with the saved mapping without mapping it again."""

from __future__ import annotations

import pytest

from tests.browser.conftest import Server, screenshot

pytestmark = pytest.mark.xdist_group("browser")

#: German column names: no export format knows them
HEADER = "Kartenname,Serie,Nr,Anzahl,Spiel,Notiz"
MAPPING = {
    "Kartenname": "name",
    "Serie": "set_name",
    "Nr": "number",
    "Anzahl": "quantity",
    "Spiel": "game",
}


def _csv(name: str, rows: list[str], header: str = HEADER) -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": "\n".join([header, *rows]).encode()}


def _choose(page, name: str, rows: list[str], **kwargs) -> None:
    page.set_input_files("#file", _csv(name, rows, **kwargs))


def test_seller_maps_unknown_columns_reruns_and_the_mapping_is_reused(page, server: Server) -> None:
    page.goto("/vendor")
    page.fill("#api-key", server.vendor_key)
    page.click("#key-form button[type=submit]")
    page.locator("#key-status.ok").wait_for()  # the key is checked before it is kept
    _choose(
        page, "shop.csv", ["Charizard,Base,4,2,Pokemon,Ordner 1", "Blastoise,Base,2,1,Pokemon,"]
    )

    summary = page.locator("#mapping-summary")
    summary.filter(has_text="No known format").wait_for()
    assert page.locator("#mapping-table tbody tr").count() == 6
    # each column's select is labelled by the column's name; the sample shows its first values
    assert page.get_by_label("Kartenname").input_value() == ""
    sample = page.locator("#mapping-table tbody tr", has_text="Kartenname").locator(".sample")
    assert sample.inner_text() == "Charizard · Blastoise"

    # uploading as it is is refused: no format knows the columns
    page.click("#upload-btn")
    page.locator("#upload-error", has_text="no known export format").wait_for()

    for column, field in MAPPING.items():
        page.get_by_label(column, exact=True).select_option(field)
    page.get_by_label("Notiz").focus()  # keyboard: the selects are in the tab order
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.dataset.column") == "Spiel"
    page.locator("#mapping-status", has_text="run again").wait_for()
    screenshot(page, "vendor-mapping")
    page.click("#mapping-run")
    page.locator("#job-title", has_text="shop.csv").wait_for()
    page.wait_for_selector("#job[data-status=succeeded]", timeout=60_000)
    page.wait_for_selector("#rows tbody tr[data-status]")
    matched = page.locator("#rows tbody tr[data-status]")
    assert matched.count() == 2
    assert "Charizard" in matched.nth(0).inner_text()
    assert "Blastoise" in matched.nth(1).inner_text()
    assert [page.locator(f'[data-count="{k}"]').inner_text() for k in ("error",)] == ["0"]

    # the same header again (other rows): the saved mapping is applied, nothing to map
    _choose(page, "shop-2.csv", ["Venusaur,Base,15,3,Pokemon,"])
    page.wait_for_selector("#mapping[data-saved=applied]")
    assert "saved mapping" in summary.inner_text()
    assert page.get_by_label("Kartenname").input_value() == "name"
    assert page.get_by_label("Notiz").input_value() == ""
    page.click("#upload-btn")
    page.locator("#job-title", has_text="shop-2.csv").wait_for()
    page.wait_for_selector("#job[data-status=succeeded]", timeout=60_000)
    page.locator("#rows tbody tr[data-status]", has_text="Venusaur").wait_for()
