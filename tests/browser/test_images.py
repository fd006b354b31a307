"""Mirrored images in the pages: while a result's image loads, its blurhash is painted into the
card frame (static/blurhash.js), then the image replaces it; the image asks for its renditions
through srcset. The search API's answer is given mirrored-image fields on the way to the page
(the API side is tested in tests/integration/images/test_results.py), and the image requests
are held until the test lets them through."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from images.renditions import process
from tests.browser.conftest import Server, screenshot
from tests.integration.images.upstream import card_image

pytestmark = pytest.mark.xdist_group("browser")


def _webp(seed: int) -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(card_image(seed))).resize((400, 557)).save(out, "WEBP")
    return out.getvalue()


def test_results_show_the_blurhash_until_the_mirrored_image_loads(page, server: Server) -> None:
    blurhash = process(card_image(42)).blurhash
    held = []

    def mirrored(route) -> None:
        response = route.fetch()
        body = response.json()
        for i, item in enumerate(body["data"]):
            item["image"] = f"/media/test/{i}-400.webp"
            item["image_srcset"] = ", ".join(
                f"/media/test/{i}-{w}.webp {w}w" for w in (176, 400, 560)
            )
            item["image_blurhash"] = blurhash
        route.fulfill(response=response, json=body)

    page.route("**/api/catalog/search?*", mirrored)
    page.route("**/media/test/**", lambda route: held.append(route))
    page.goto("/?q=charizard")
    page.wait_for_selector("#results .result")
    results = page.locator("#results .result").count()
    frames = page.locator("#results .result .art canvas.blurhash")
    frames.first.wait_for()
    assert frames.count() == results
    # the canvas holds the hash's colours (green, like the picture it was made from)
    green = page.evaluate(
        """() => { const c = document.querySelector('#results canvas.blurhash');
                   const [r, g, b] = c.getContext('2d').getImageData(0, 0, 1, 1).data;
                   return g > r && g > b; }"""
    )
    assert green
    img_requests = [r.request.url for r in held]
    assert img_requests and all("/media/test/" in u for u in img_requests)
    # the browser picked a rendition from the srcset (any of the three widths)
    assert all(u.endswith(("-176.webp", "-400.webp", "-560.webp")) for u in img_requests)
    screenshot(page, "search-blurhash-loading")

    for route in list(held):
        route.fulfill(status=200, content_type="image/webp", body=_webp(7))
    first = page.locator("#results .result").first
    first.locator(".art img").wait_for()
    assert first.locator("canvas.blurhash").count() == 0
    assert first.locator(".placeholder").count() == 0
    screenshot(page, "search-blurhash-loaded")
