"""`images sync` mirrors a catalog's images from a local server on both image stores: renditions
and blurhash recorded on the prints, outbox rows written, and a re-run transfers nothing."""

from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image

from images.fetch import Fetcher, HostLimits
from images.renditions import RENDITIONS
from images.sync import SyncOptions, sync
from tests.integration.images.conftest import engine_for, make_catalog, rows
from tests.integration.images.upstream import Served, card_image

pytestmark = pytest.mark.integration


def fast_fetcher() -> Fetcher:
    return Fetcher(HostLimits(concurrency=2, rate=200.0), backoff=0.01)


def test_a_catalog_is_mirrored_and_a_rerun_transfers_nothing(request, store, upstream):
    # the embedded pair (folder, SQLite) and the production pair (S3 server, PostgreSQL)
    url = request.getfixturevalue("sqlite_url" if store.name == "folder" else "pg_url")
    engine = engine_for(url)
    ids = make_catalog(engine, upstream)
    served = ids["served"]

    stats = sync(SyncOptions(workers=3), engine=engine, store=store, fetcher=fast_fetcher())

    assert (stats.checked, stats.mirrored, stats.missing, stats.failed) == (6, 5, 1, 0)
    assert stats.done
    assert stats.uploads == 5 * (1 + len(RENDITIONS))
    assert upstream.count(200) == 5
    assert upstream.count(200, "/small/0.jpg") == 0  # the largest upstream image is mirrored
    prints = {
        r.id: r
        for r in rows(
            engine,
            "SELECT id, image_mirror_url, image_mirror_srcset, image_blurhash FROM prints",
        )
    }
    for print_id in served:
        row = prints[print_id]
        assert row.image_blurhash and len(row.image_blurhash) == 28
        assert len(row.image_mirror_srcset.split(", ")) == len(RENDITIONS)
        assert row.image_mirror_url in row.image_mirror_srcset
        key = row.image_mirror_url.rsplit("/", 3)[-3:]
        data = store.get("/".join(key))
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "WEBP"
            assert image.width == RENDITIONS["normal"]
    for print_id in ids["gone"] + ids["none"]:
        assert prints[print_id].image_mirror_url is None
    state = {
        r.print_id: r
        for r in rows(engine, "SELECT print_id, status, etag, sha256, renditions FROM print_images")
    }
    assert set(state) == set(served) | set(ids["gone"])
    assert state[ids["gone"][0]].status == "missing"
    assert all(state[i].status == "ok" and state[i].sha256 for i in served)
    assert state[served[3]].etag is None  # that file is served without an ETag
    outbox = rows(engine, "SELECT print_id FROM index_outbox WHERE reason = 'images'")
    assert sorted(r.print_id for r in outbox) == sorted(served)
    if store.name == "s3":  # the mirrored URL is public: anonymous GET from the bucket
        resp = httpx.get(prints[served[0]].image_mirror_url)
        assert resp.status_code == 200 and resp.content[:4] == b"RIFF"

    # a re-run has nothing pending: no request at all
    upstream.reset_counts()
    uploads = store.uploads
    again = sync(SyncOptions(), engine=engine, store=store, fetcher=fast_fetcher())
    assert (again.checked, again.downloaded, again.uploads) == (0, 0, 0)
    assert upstream.count(200) == upstream.count(304) == 0

    # a refresh revalidates: 304s (ETag, or Last-Modified for the one without), nothing stored
    fresh = sync(SyncOptions(refresh=True), engine=engine, store=store, fetcher=fast_fetcher())
    assert fresh.not_modified == 5 and fresh.mirrored == 0
    assert upstream.count(200) == 0 and upstream.count(304) == 5
    assert store.uploads == uploads
    assert len(rows(engine, "SELECT 1 FROM index_outbox WHERE reason = 'images'")) == 5

    # one image changes upstream: a refresh downloads and stores only that one
    upstream.reset_counts()
    upstream.files["/img/0.jpg"] = Served(card_image(500), "image/jpeg")
    changed = sync(SyncOptions(refresh=True), engine=engine, store=store, fetcher=fast_fetcher())
    assert (changed.mirrored, changed.not_modified, changed.downloaded) == (1, 4, 1)
    assert upstream.count(200) == 1 and upstream.count(200, "/img/0.jpg") == 1
    assert store.uploads == uploads + changed.uploads and changed.uploads >= 2
    new_url = rows(engine, "SELECT image_mirror_url FROM prints WHERE id = :i", i=served[0])
    assert new_url[0][0] != prints[served[0]].image_mirror_url
    assert len(rows(engine, "SELECT 1 FROM index_outbox WHERE reason = 'images'")) == 6


def test_a_server_without_validators_is_downloaded_but_nothing_is_stored_again(
    sqlite_url, upstream, tmp_path
):
    from images.storage import FolderStore

    engine = engine_for(sqlite_url)
    make_catalog(engine, upstream, n=2)
    for served in upstream.files.values():
        served.etag = served.last_modified = False
    store = FolderStore(tmp_path / "images")
    sync(SyncOptions(), engine=engine, store=store, fetcher=fast_fetcher())
    before = store.uploads
    stats = sync(SyncOptions(refresh=True), engine=engine, store=store, fetcher=fast_fetcher())
    assert (stats.downloaded, stats.unchanged, stats.mirrored) == (2, 2, 0)
    assert store.uploads == before


def test_transient_upstream_errors_are_retried_and_a_dead_link_is_not(
    sqlite_url, upstream, tmp_path
):
    from images.storage import FolderStore

    engine = engine_for(sqlite_url)
    make_catalog(engine, upstream, n=1)
    upstream.fail_first["/img/0.jpg"] = 2  # 503 twice, then the image
    stats = sync(
        SyncOptions(), engine=engine, store=FolderStore(tmp_path / "i"), fetcher=fast_fetcher()
    )
    assert (stats.mirrored, stats.missing, stats.failed) == (1, 1, 0)
    assert upstream.count(503) == 2
    assert upstream.count(404, "/img/gone.jpg") == 1


def test_limit_stops_early_and_the_next_run_continues(sqlite_url, upstream, tmp_path):
    from images.storage import FolderStore

    engine = engine_for(sqlite_url)
    make_catalog(engine, upstream, n=5)
    store = FolderStore(tmp_path / "images")
    first = sync(
        SyncOptions(limit=2, batch_size=2), engine=engine, store=store, fetcher=fast_fetcher()
    )
    assert first.checked == 2 and not first.done
    rest = sync(SyncOptions(batch_size=2), engine=engine, store=store, fetcher=fast_fetcher())
    assert rest.checked == 4 and rest.done
    assert upstream.count(200) == 5


def test_the_celery_task_runs_a_sync_with_the_configured_store(
    sqlite_url, upstream, tmp_path, monkeypatch
):
    from images.tasks import sync_task
    from models.db import get_engine
    from models.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("SIDEDECKED_IMAGES_DIR", str(tmp_path / "media"))
    monkeypatch.delenv("SIDEDECKED_S3_ENDPOINT", raising=False)
    get_settings.cache_clear()
    get_engine.cache_clear()
    engine = engine_for(sqlite_url)
    make_catalog(engine, upstream, n=2)

    result = sync_task.apply(kwargs={"game": "MTG"}).get()

    assert (result["mirrored"], result["missing"], result["done"]) == (2, 1, True)
    assert result["scope"] == "pending:MTG"
    url = rows(engine, "SELECT image_mirror_url FROM prints WHERE image_mirror_url IS NOT NULL")
    assert len(url) == 2 and url[0][0].startswith("/media/")
    assert (tmp_path / "media" / url[0][0].removeprefix("/media/")).is_file()


def test_the_s3_server_checks_the_signature():
    """The store's SigV4 signature is what lets it write: a wrong secret is refused, anonymous
    callers may only read."""
    import uuid

    from images.storage import S3Store, StoreError
    from tests.integration.images.conftest import (
        S3_ACCESS_KEY,
        S3_ENDPOINT,
        empty_bucket,
        s3_store,
    )

    good = s3_store(f"test-auth-{uuid.uuid4().hex[:12]}")
    try:
        good.put("aa/bb/object.webp", b"RIFF....WEBP", "image/webp")
        bad = S3Store(S3_ENDPOINT, good.bucket, access_key=S3_ACCESS_KEY, secret_key="wrong")
        with pytest.raises(StoreError):
            bad.put("aa/bb/other.webp", b"RIFF....WEBP", "image/webp")
        bad.close()
        assert httpx.put(good._object_url("aa/bb/anon.webp"), content=b"x").status_code == 403
        public = httpx.get(good.url("aa/bb/object.webp"))
        assert public.status_code == 200 and public.content == b"RIFF....WEBP"
        assert "immutable" in public.headers.get("cache-control", "")
        # a bucket the store creates lets anyone read its objects (MinIO needs the policy)
        policy = good._request("GET", f"{good._object_url()}?policy")
        assert policy.status_code == 200 and "PublicReadImages" in policy.text
    finally:
        empty_bucket(good, ["aa/bb/object.webp"])


def test_a_second_run_of_the_same_scope_is_refused_while_one_runs(pg_url, upstream, tmp_path):
    from images.storage import FolderStore
    from images.sync import SyncBusyError
    from models.locks import AdvisoryLease

    engine = engine_for(pg_url)
    make_catalog(engine, upstream, n=1)
    running = AdvisoryLease(engine, "sidedecked:images:sync:pending:all")
    token = running.try_acquire(what="a run in another process")
    assert token is not None
    try:
        with pytest.raises(SyncBusyError, match="pending:all"):
            sync(SyncOptions(), engine=engine, store=FolderStore(tmp_path / "i"))
        # another scope is free
        other = sync(SyncOptions(game="POKEMON"), engine=engine, store=FolderStore(tmp_path / "i"))
        assert other.checked == 0 and other.done
    finally:
        running.release(token)
    assert sync(SyncOptions(), engine=engine, store=FolderStore(tmp_path / "i")).mirrored == 1
    assert upstream.count(200) == 1
