"""The page shells and their static assets are served by the app itself (no CDN); no browser
needed."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from search_api.app import create_app


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app())


@pytest.mark.parametrize(
    ("path", "script"),
    [
        ("/", "search.js"),
        ("/cards/42", "card.js"),
        ("/vendor", "vendor.js"),
        ("/admin/review", "admin.js"),
    ],
)
def test_pages_are_html_with_local_assets_only(client: TestClient, path: str, script: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    html = answer.text
    assert f"/static/{script}" in html and "/static/app.css" in html
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith(("/", "#", "data:")), url
        if url.startswith("/static/"):
            assert client.get(url).status_code == 200, url


def test_card_page_rejects_a_bad_id_as_json(client: TestClient) -> None:
    answer = client.get("/cards/not-a-number")
    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid_request"


def test_pages_are_not_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/" not in paths and "/vendor" not in paths
