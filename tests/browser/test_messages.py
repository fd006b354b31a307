"""Messages for people in the pages: a key is checked when it is entered (a bogus key is shown
in red and not kept, a valid one says its role), and a file over the upload limit the API
publishes is refused in the browser, with the limit in MB, before anything is sent."""

from __future__ import annotations

import httpx
import pytest

from tests.browser.conftest import Server, screenshot

pytestmark = pytest.mark.xdist_group("browser")

SAVED_KEY = "sessionStorage.getItem('sidedecked.apiKey')"


def _enter_key(page, key: str) -> None:
    page.fill("#api-key", key)
    page.click("#key-form button[type=submit]")


def test_a_bogus_key_is_shown_in_red_and_not_kept(page, server: Server) -> None:
    page.goto("/vendor")
    _enter_key(page, "sdk_not-a-real-key")
    status = page.locator("#key-status.bad", has_text="not valid")
    status.wait_for()
    assert "Key saved" not in status.inner_text()
    assert page.evaluate(SAVED_KEY) is None
    assert page.locator("#api-key").get_attribute("aria-invalid") == "true"
    _enter_key(page, "hello")  # not even shaped like a key
    page.locator("#key-status.bad", has_text="keys start with 'sdk_'").wait_for()
    assert page.evaluate(SAVED_KEY) is None
    screenshot(page, "vendor-bad-key")


def test_a_valid_key_is_kept_with_its_role(page, server: Server) -> None:
    page.goto("/vendor")
    _enter_key(page, server.vendor_key)
    saved = page.locator("#key-status.ok")
    saved.wait_for()
    assert saved.inner_text() == (
        f"Key saved for this tab: a vendor key for seller {server.seller_id}."
    )
    assert page.evaluate(SAVED_KEY) == server.vendor_key
    page.reload()  # a saved key is checked again when the page opens
    page.locator("#key-status.ok", has_text="Using the key saved in this tab").wait_for()


def test_the_review_console_refuses_a_vendor_key(page, server: Server) -> None:
    page.goto("/admin/review")
    _enter_key(page, server.vendor_key)
    refused = page.locator("#key-status.bad")
    refused.wait_for()
    assert "this page needs an admin key" in refused.inner_text()
    assert page.evaluate(SAVED_KEY) is None


def test_a_too_large_file_is_refused_before_it_is_sent(page, server: Server, tmp_path) -> None:
    limits = httpx.get(f"{server.base}/api/matching/limits").json()
    big = tmp_path / "inventory.csv"
    with big.open("wb") as out:  # a sparse file just over the limit
        out.write(b"Count,Name,Edition\n")
        out.truncate(limits["max_upload_bytes"] + 100 * 1024)
    uploads: list[str] = []
    page.on("request", lambda r: uploads.append(r.url) if r.method == "POST" else None)
    page.goto("/vendor")
    _enter_key(page, server.vendor_key)
    page.locator("#key-status.ok").wait_for()
    page.set_input_files("#file", str(big))
    error = page.locator("#upload-error")
    error.wait_for(state="visible")
    text = error.inner_text()
    assert f"the largest file a matching job accepts is {limits['max_upload']}" in text
    assert " MB" in text and str(limits["max_upload_bytes"]) not in text
    page.click("#upload-btn")  # pressing upload anyway sends nothing
    page.wait_for_timeout(300)
    assert error.is_visible() and "File too large" in error.inner_text()
    assert not uploads, uploads
    screenshot(page, "vendor-file-too-large")
