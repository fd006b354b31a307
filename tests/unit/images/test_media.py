"""/media serves the folder store's objects, cacheable forever (their keys are content
addresses)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from images.renditions import process
from images.storage import FolderStore
from models.settings import get_settings
from search_api.app import create_app
from tests.integration.images.upstream import card_image


def test_media_serves_a_stored_rendition(monkeypatch, tmp_path):
    monkeypatch.setenv("SIDEDECKED_IMAGES_DIR", str(tmp_path / "images"))
    get_settings.cache_clear()
    store = FolderStore(tmp_path / "images")
    blob = process(card_image(5)).blobs[2]
    store.put(blob.key, blob.data, blob.content_type)
    client = TestClient(create_app())

    resp = client.get(store.url(blob.key))
    assert resp.status_code == 200
    assert resp.content == blob.data
    assert resp.headers["content-type"] == "image/webp"
    assert "immutable" in resp.headers["cache-control"]
    assert client.get("/media/00/00/missing.webp").status_code == 404
    assert client.get("/media/../pyproject.toml").status_code == 404
