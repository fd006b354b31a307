"""Errors said for people: validation errors as "field X: ..." sentences (the structured list
kept), a wrong path or method named, the upload limit published, and an over-size upload
refused from its Content-Length before a byte of its body is read."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from models.settings import get_settings
from search_api.app import create_app
from search_api.errors import validation_details


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app())


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("SIDEDECKED_MATCH_MAX_UPLOAD_BYTES", str(3 * 1024 * 1024))
    get_settings.cache_clear()
    yield 3 * 1024 * 1024
    monkeypatch.undo()
    get_settings.cache_clear()


def test_validation_errors_are_sentences_naming_each_field(client: TestClient) -> None:
    response = client.get("/api/catalog/search", params={"page_size": 176, "page": 0})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_request"
    assert body["details"] == (
        "query parameter page: input should be greater than or equal to 1; "
        "query parameter page_size: input should be less than or equal to 175."
    )
    assert [e["loc"] for e in body["errors"]] == [["query", "page"], ["query", "page_size"]]
    assert {e["type"] for e in body["errors"]} == {"greater_than_equal", "less_than_equal"}


def test_body_fields_missing_fields_and_bad_json() -> None:
    details, errors = validation_details(
        [
            {"loc": ("body", "seller_id"), "msg": "Field required", "type": "missing"},
            {"loc": ("body", "fields", "name"), "msg": "Value error, too long", "type": "x"},
            {"loc": ("body",), "msg": "JSON decode error", "type": "json_invalid"},
        ]
    )
    assert details == (
        "field seller_id: this is required; field fields.name: too long; "
        "the request body: the request body is not valid JSON."
    )
    assert errors[0]["message"] == "field seller_id: this is required"
    assert errors[1]["msg"] == "Value error, too long"  # pydantic's own text is kept too


def test_a_wrong_path_or_method_is_named(client: TestClient) -> None:
    missing = client.get("/api/catalog/nothing-here")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert missing.json()["details"] == (
        "There is nothing at /api/catalog/nothing-here: check the address."
    )
    wrong = client.delete("/health")
    assert wrong.status_code == 405 and wrong.json()["code"] == "method_not_allowed"
    assert wrong.json()["details"] == "DELETE is not allowed at /health."


def test_the_upload_limit_is_published(client: TestClient, small_limit: int) -> None:
    assert client.get("/api/matching/limits").json() == {
        "max_upload_bytes": small_limit,
        "max_upload_mb": 3.0,
        "max_upload": "3 MB",
        "max_rows": get_settings().sidedecked_match_max_rows,
    }


def test_a_key_that_is_not_a_key_is_told_so(client: TestClient) -> None:
    response = client.get("/api/matching/whoami", headers={"Authorization": "Bearer hello"})
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"
    assert "keys start with 'sdk_'" in response.json()["details"]
    bare = client.get("/api/matching/whoami")
    assert bare.status_code == 401 and "needs an API key" in bare.json()["details"]


def _post_declaring(length: int) -> tuple[int, dict[str, str], bytes, int]:
    """POST /api/matching/jobs straight to the ASGI app, declaring `length` bytes of body;
    returns the status, headers, body and how many times the app asked for the body."""
    app = create_app()
    asked = 0
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal asked
        asked += 1
        if asked > 1:
            return {"type": "http.disconnect"}
        return {"type": "http.request", "body": b"--xyz--\r\n", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/matching/jobs",
        "raw_path": b"/api/matching/jobs",
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"content-type", b"multipart/form-data; boundary=xyz"),
            (b"content-length", str(length).encode()),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    # In a thread of its own: an earlier test in this worker may have left an event loop running
    # in the main thread, where asyncio.run() refuses to start.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], headers, body, asked


def test_an_over_size_upload_is_refused_before_its_body_is_read(small_limit: int) -> None:
    import json

    status, headers, body, asked = _post_declaring(30 * 1024 * 1024)
    assert status == 413 and asked == 0
    answer = json.loads(body)
    assert answer["code"] == "upload_too_large"
    assert answer["details"].startswith("This file is 30 MB; the largest file a matching job")
    assert "accepts is 3 MB" in answer["details"]
    assert answer["max_mb"] == 3.0 and answer["max_bytes"] == small_limit
    assert headers["content-type"] == "application/json"


def test_a_declared_size_within_the_limit_goes_on_to_the_route(small_limit: int) -> None:
    status, _headers, body, asked = _post_declaring(2 * 1024)
    assert asked > 0  # the form was read: the route, not the length check, answered
    assert status == 401, body  # no key was sent
