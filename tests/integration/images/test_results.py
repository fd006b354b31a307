"""Search results, lookups and pages' data use the mirrored image once a sync's outbox rows are
drained: `image` is the mirrored rendition (served at /media), with its srcset and blurhash."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from images.storage import FolderStore
from images.sync import SyncOptions, sync
from indexer.engine import clear_engine_cache, get_engine
from indexer.locks import lease_for
from indexer.outbox import drain_outbox
from indexer.rebuild import rebuild
from models.db import get_engine as get_db
from models.settings import get_settings
from search_api.app import create_app
from tests.integration.images.conftest import make_catalog

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("engine_kind", ["tantivy", "opensearch"])
def test_results_and_lookups_show_the_mirrored_image(
    request, engine_kind, sqlite_url, upstream, tmp_path, monkeypatch
):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("SIDEDECKED_IMAGES_DIR", str(tmp_path / "media"))
    monkeypatch.setenv("SIDEDECKED_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.delenv("REDIS_URL", raising=False)
    if engine_kind == "opensearch":  # the session's own prefix: its indices go at the end
        monkeypatch.setenv("OPENSEARCH_URL", request.getfixturevalue("opensearch_url"))
        prefix = request.getfixturevalue("opensearch_prefix")
        monkeypatch.setenv("SIDEDECKED_INDEX_PREFIX", f"{prefix}-images")
    else:
        monkeypatch.delenv("OPENSEARCH_URL", raising=False)
    get_settings.cache_clear()
    get_db.cache_clear()
    clear_engine_cache()
    db = get_db()
    ids = make_catalog(db, upstream, n=2)
    search, lease = get_engine(), lease_for()
    rebuild(engine=search, db=db, lease=lease)
    client = TestClient(create_app())
    before = client.get("/api/catalog/search", params={"q": "mirror card"}).json()["data"]
    assert {item["image"] for item in before} == {
        upstream.url("/small/0.jpg"),
        upstream.url("/small/1.jpg"),
    }
    assert all(item["image_blurhash"] is None for item in before)

    sync(SyncOptions(), engine=db, store=FolderStore(tmp_path / "media"))
    report = drain_outbox(engine=search, db=db, lease=lease)
    assert report.indexed == 2
    search.refresh()  # OpenSearch: make the drained documents searchable now

    after = client.get("/api/catalog/search", params={"q": "mirror card"}).json()["data"]
    assert len(after) == 2
    for item in after:
        assert item["image"].startswith("/media/") and item["image"].endswith(".webp")
        assert len(item["image_blurhash"]) == 28
        assert item["image_srcset"].count("w,") == 2 and item["image"] in item["image_srcset"]
        served = client.get(item["image"])
        assert served.status_code == 200 and served.headers["content-type"] == "image/webp"
    detail = client.get(f"/api/catalog/prints/{ids['served'][0]}").json()
    assert detail["print"]["image"].startswith("/media/")
    assert detail["print"]["image_blurhash"]
    card = client.get(f"/api/catalog/cards/{detail['print']['card_id']}").json()
    assert card["prints"][0]["image_srcset"] == detail["print"]["image_srcset"]
    clear_engine_cache()
