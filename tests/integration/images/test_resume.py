"""A sync SIGKILLed in the middle resumes: the next run mirrors the rest, and the prints the
killed run had committed are not requested again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from images.models import PrintImage
from images.storage import FolderStore
from images.sync import SyncOptions, sync
from models.base import utcnow
from models.settings import REPO_ROOT
from tests.integration.images.conftest import engine_for, make_catalog, rows
from tests.integration.images.upstream import Served, card_image

pytestmark = pytest.mark.integration

N = 8


def _cli_env(url: str, images_dir) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SIDEDECKED_S3_", "REDIS_"))}
    env.update(DATABASE_URL=url, SIDEDECKED_IMAGES_DIR=str(images_dir))
    return env


def _kill_after(proc: subprocess.Popen, engine, query, count: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else "exited"
        with engine.connect() as conn:
            reached = conn.execute(query).scalar_one() >= count
        if reached:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            return
        time.sleep(0.05)
    proc.kill()
    pytest.fail(f"the sync did not get to {count} prints in {timeout} s")


@pytest.mark.parametrize("refresh", [False, True], ids=["pending", "refresh"])
def test_a_killed_sync_resumes_without_downloading_again(sqlite_url, upstream, tmp_path, refresh):
    engine = engine_for(sqlite_url)
    ids = make_catalog(engine, upstream, n=N)
    images_dir = tmp_path / "images"
    fetcher_opts = ["--workers", "1", "--batch-size", "2"]
    if refresh:  # mirror everything, then change every image upstream and refresh
        sync(SyncOptions(), engine=engine, store=FolderStore(images_dir))
        for i, path in enumerate(sorted(p for p in upstream.files if p.startswith("/img/"))):
            upstream.files[path] = Served(card_image(1000 + i), "image/jpeg")
        fetcher_opts.append("--refresh")
    upstream.reset_counts()
    upstream.delay = 0.3
    started = utcnow()
    done = sa.select(sa.func.count()).where(PrintImage.checked_at >= started)
    if refresh:
        done = done.where(PrintImage.changed_at >= started)
    proc = subprocess.Popen(
        [sys.executable, "-m", "search_api.cli", "images", "sync", *fetcher_opts],
        cwd=REPO_ROOT,
        env=_cli_env(sqlite_url, images_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    _kill_after(proc, engine, done, 3)
    with engine.connect() as conn:
        committed = set(
            conn.execute(
                sa.select(PrintImage.print_id).where(PrintImage.checked_at >= started)
            ).scalars()
        )
    assert 3 <= len(committed) < N
    cursor = rows(engine, "SELECT last_print_id, finished_at FROM image_sync_cursors")
    assert any(r.finished_at is None for r in cursor)  # the killed run's place is kept

    upstream.delay = 0
    resumed = sync(SyncOptions(refresh=refresh), engine=engine, store=FolderStore(images_dir))
    assert resumed.done and resumed.failed == 0

    # every print mirrored, with the bytes the server has now
    state = {
        r.print_id: r for r in rows(engine, "SELECT print_id, status, sha256 FROM print_images")
    }
    for print_id in ids["served"]:
        assert state[print_id].status == "ok"
    paths = {
        print_id: f"/img/{i}.{'png' if i % 2 else 'jpg'}"
        for i, print_id in enumerate(ids["served"])
    }
    # the prints the killed run committed were not requested again; at most the one it was
    # downloading when killed (one worker) was fetched twice
    for print_id in committed & set(paths):
        assert upstream.count(200, paths[print_id]) + upstream.count(304, paths[print_id]) == 1
    assert upstream.count(200) <= N + 1
    assert rows(engine, "SELECT count(*) FROM prints WHERE image_blurhash IS NOT NULL")[0][0] == N
