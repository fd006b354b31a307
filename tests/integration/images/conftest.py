"""Fixtures of the image mirror's tests: the local upstream image server, a migrated catalog
database (SQLite file or a fresh PostgreSQL database), and the two image stores (a folder, and a
bucket of the real S3 server that `make services` runs)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from images.storage import FolderStore, ImageStore, S3Store
from models import migrate
from models.db import make_engine
from tests.conftest import service_missing
from tests.factories import catalog as f
from tests.integration.images.upstream import ImageServer, Served, card_image, start_server

#: The object store scripts/services.sh starts (scripts/lib/objectstore.sh): its defaults, or
#: what `services.sh env` exported.
S3_ENDPOINT = os.environ.get("TEST_S3_ENDPOINT") or os.environ.get(
    "SIDEDECKED_S3_ENDPOINT", "http://127.0.0.1:8333"
)
S3_ACCESS_KEY = os.environ.get("SIDEDECKED_S3_ACCESS_KEY", "sidedecked")
S3_SECRET_KEY = os.environ.get("SIDEDECKED_S3_SECRET_KEY", "sidedecked-dev-secret")


@pytest.fixture
def upstream() -> Iterator[ImageServer]:
    state = ImageServer()
    server = start_server(state)
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'catalog.db'}"
    migrate.upgrade(url=url)
    return url


@pytest.fixture
def pg_url(empty_database_url: str) -> str:
    migrate.upgrade(url=empty_database_url)
    return empty_database_url


def engine_for(url: str) -> Engine:
    return make_engine(url)


def make_catalog(engine: Engine, upstream: ImageServer, n: int = 5) -> dict[str, list[int]]:
    """`n` prints with an image on the server (JPEG and PNG, one without validators), one whose
    image is gone (404) and one without any image."""
    ids: dict[str, list[int]] = {"served": [], "gone": [], "none": []}
    with Session(engine) as session:
        card_set = f.card_set(session, code="IMG")
        for i in range(n):
            card = f.card(session, name=f"Mirror Card {i}")
            path = f"/img/{i}.{'png' if i % 2 else 'jpg'}"
            fmt = "PNG" if i % 2 else "JPEG"
            upstream.files[path] = Served(
                card_image(i + 1, fmt=fmt), f"image/{fmt.lower()}", etag=i != 3
            )
            images = {"small": upstream.url(f"/small/{i}.jpg"), "large": upstream.url(path)}
            row = f.print_(
                session, card=card, card_set=card_set, collector_number=str(i + 1), images=images
            )
            ids["served"].append(row.id)
        gone = f.print_(
            session,
            card=f.card(session, name="Gone"),
            card_set=card_set,
            collector_number="90",
            images={"large": upstream.url("/img/gone.jpg")},
        )
        bare = f.print_(
            session,
            card=f.card(session, name="Bare"),
            card_set=card_set,
            collector_number="91",
            images={},
        )
        ids["gone"].append(gone.id)
        ids["none"].append(bare.id)
        session.commit()
    return ids


def _s3_reachable() -> None:
    try:
        httpx.get(S3_ENDPOINT, timeout=5)
    except httpx.HTTPError as exc:
        service_missing("The S3 object store", S3_ENDPOINT, exc)


def s3_store(bucket: str) -> S3Store:
    _s3_reachable()
    store = S3Store(S3_ENDPOINT, bucket, access_key=S3_ACCESS_KEY, secret_key=S3_SECRET_KEY)
    store.ensure_bucket(public_read=True)
    return store


def empty_bucket(store: S3Store, keys: list[str]) -> None:
    for key in keys:
        store._request("DELETE", store._object_url(key))
    store._request("DELETE", f"{store._object_url()}?policy")
    store._request("DELETE", store._object_url())
    store.close()


@pytest.fixture(params=["folder", "s3"])
def store(request, tmp_path) -> Iterator[ImageStore]:
    """Each back end, empty: a folder, or a new bucket on the S3 server."""
    if request.param == "folder":
        yield FolderStore(tmp_path / "images", "/media")
        return
    bucket = f"test-images-{uuid.uuid4().hex[:12]}"
    s3 = s3_store(bucket)
    written: list[str] = []
    put = s3.put

    def recording_put(key: str, data: bytes, content_type: str) -> None:
        put(key, data, content_type)
        written.append(key)

    s3.put = recording_put  # type: ignore[method-assign]
    yield s3
    empty_bucket(s3, written)


def rows(engine: Engine, sql: str, **params) -> list[sa.Row]:
    with engine.connect() as conn:
        return list(conn.execute(sa.text(sql), params))
