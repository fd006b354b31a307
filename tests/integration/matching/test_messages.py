"""The matching API's messages for people on real keys and uploads: whoami for a key being
entered, an image renamed .csv, a spreadsheet, an over-size file in MB, a role that does not fit."""

from __future__ import annotations

import gzip

import pytest

from models.settings import get_settings
from tests.integration.matching.conftest import bearer

pytestmark = [pytest.mark.integration, pytest.mark.shared_data]

GOOD = b"Count,Name,Edition\n1,Sol Ring,c19\n2,Lightning Bolt,m10\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256))


def _upload(client, key: str, content: bytes, name: str = "export.csv"):
    return client.post(
        "/api/matching/jobs", files={"file": (name, content, "text/csv")}, headers=bearer(key)
    )


def test_whoami_answers_the_role_and_seller_of_a_key(client, keys) -> None:
    vendor = client.get("/api/matching/whoami", headers=bearer(keys.vendor))
    assert vendor.status_code == 200
    assert vendor.json() | {"key_id": 0} == {
        "role": "vendor",
        "seller_id": keys.seller,
        "name": "vendor",
        "key_id": 0,
    }
    admin = client.get("/api/matching/whoami", headers=bearer(keys.admin)).json()
    assert admin["role"] == "admin" and admin["seller_id"] is None


def test_whoami_refuses_a_bogus_key_with_a_sentence(client, keys) -> None:
    bogus = client.get("/api/matching/whoami", headers=bearer("sdk_not-a-real-key"))
    assert bogus.status_code == 401 and bogus.json()["code"] == "unauthorized"
    assert bogus.json()["details"].startswith("This API key is not valid")


def test_a_vendor_key_on_an_admin_route_names_both_roles(client, keys) -> None:
    answer = client.get("/api/matching/review", headers=bearer(keys.vendor))
    assert answer.status_code == 403 and answer.json()["code"] == "forbidden"
    assert answer.json()["details"] == "This needs an admin key; yours is a vendor key."
    assert answer.json()["role"] == "vendor"


def test_an_image_renamed_csv_is_called_an_image(client, keys) -> None:
    answer = _upload(client, keys.vendor, PNG, name="cards.csv")
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "unknown_format" and body["looks_like"] == "png"
    assert body["details"].startswith("This looks like a PNG image, not a CSV or JSON export")
    assert "PNG]" not in body["details"] and "\\x89" not in answer.text


def test_a_compressed_export_is_told_to_be_decompressed(client, keys) -> None:
    answer = _upload(client, keys.vendor, gzip.compress(GOOD), name="export.csv.gz")
    assert answer.status_code == 422 and answer.json()["looks_like"] == "gzip"
    assert "Decompress it" in answer.json()["details"]


def test_an_over_size_upload_says_the_limit_in_mb(client, keys, monkeypatch) -> None:
    monkeypatch.setenv("SIDEDECKED_MATCH_MAX_UPLOAD_BYTES", str(1024 * 1024))
    get_settings.cache_clear()
    try:
        big = _upload(client, keys.vendor, GOOD + b"1,Island,m10\n" * 100_000)
        declared_small = client.post(
            "/api/matching/jobs",
            content=b"x" * 10,
            headers={**bearer(keys.vendor), "Content-Length": str(40 * 1024 * 1024)},
        )
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert big.status_code == 413 and big.json()["code"] == "upload_too_large"
    assert big.json()["details"].startswith("This file is 1.3 MB; the largest file")
    assert "is 1 MB" in big.json()["details"] and big.json()["max_mb"] == 1.0
    assert declared_small.status_code == 413
    assert declared_small.json()["details"].startswith("This file is 40 MB")


def test_unknown_jobs_and_bad_thresholds_are_sentences(client, keys) -> None:
    missing = client.get("/api/matching/jobs/987654321", headers=bearer(keys.admin))
    assert missing.status_code == 404 and missing.json()["details"] == "There is no job 987654321."
    crossed = client.put(
        f"/api/matching/sellers/{keys.seller}/settings",
        json={"auto_threshold": 0.4, "review_threshold": 0.8},
        headers=bearer(keys.admin),
    )
    assert crossed.status_code == 422 and crossed.json()["code"] == "invalid_thresholds"
    assert crossed.json()["details"].startswith("The review threshold must be between 0 and")
    out_of_range = client.put(
        f"/api/matching/sellers/{keys.seller}/settings",
        json={"auto_threshold": 2},
        headers=bearer(keys.admin),
    )
    assert out_of_range.status_code == 422
    assert out_of_range.json()["details"] == (
        "field auto_threshold: input should be less than or equal to 1."
    )
