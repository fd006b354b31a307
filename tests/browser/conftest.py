"""Browser tests: headless Chromium (Debian's, never downloaded) against a real server.

The server is `sidedecked serve` in a subprocess on a free port, over a catalog made the way
`make demo` makes it (`db upgrade` + `demo load`) in a temporary SQLite database and index,
with an admin and a vendor key from `sidedecked keys create`. Without Playwright or
/usr/bin/chromium the tests are skipped with the reason; under CI=true they fail instead.
Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from models.settings import REPO_ROOT
from tests.conftest import IN_CI

CHROMIUM = os.environ.get("SIDEDECKED_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
SIDEDECKED = REPO_ROOT / ".venv" / "bin" / "sidedecked"
SERVICE_VARS = {"DATABASE_URL", "OPENSEARCH_URL", "REDIS_URL", "SIDEDECKED_INDEX_DIR"}
#: The server's marketplace events secret: tests post signed events (`POST /api/events`).
EVENTS_SECRET = "browser-events-secret"


def _missing(what: str) -> None:
    message = f"browser tests need {what}"
    if IN_CI:
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


@dataclass(frozen=True)
class Server:
    base: str
    admin_key: str
    vendor_key: str
    seller_id: str
    workdir: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(args: list[str], env: dict[str, str], log: Path) -> str:
    done = subprocess.run(
        [str(SIDEDECKED), *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    with log.open("a") as out:
        out.write(f"$ sidedecked {' '.join(args)}\n{done.stdout}{done.stderr}\n")
    assert done.returncode == 0, f"sidedecked {args[0]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    work = tmp_path_factory.mktemp("browser-server")
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARS}
    env["DATABASE_URL"] = f"sqlite:///{work / 'catalog.db'}"
    env["SIDEDECKED_INDEX_DIR"] = str(work / "index")
    env["SIDEDECKED_EVENTS_SECRET"] = EVENTS_SECRET
    log = work / "server.log"
    _run(["db", "upgrade"], env, log)
    _run(["demo", "load", "--dest", str(work / "sample")], env, log)
    seller = "browser-seller"
    admin = _run(["keys", "create", "--role", "admin", "--name", "browser-admin"], env, log)
    vendor = _run(
        ["keys", "create", "--role", "vendor", "--seller-id", seller, "--name", "browser-vendor"],
        env,
        log,
    )
    port = _free_port()
    out = log.open("a")
    proc = subprocess.Popen(
        [str(SIDEDECKED), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO_ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, log.read_text()
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not come up in 60 s"
            time.sleep(0.3)
        yield Server(
            base=base,
            admin_key=admin.strip().splitlines()[-1].strip(),
            vendor_key=vendor.strip().splitlines()[-1].strip(),
            seller_id=seller,
            workdir=work,
        )
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        out.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _missing(f"Playwright for Python ({exc}); install the test extras")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _missing(f"Chromium at {CHROMIUM} (apt-get install chromium; set SIDEDECKED_CHROMIUM)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, server: Server):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=server.base, accept_downloads=True
    )
    # no internet here: fail image requests to other hosts at once (the placeholder shows)
    context.route(
        lambda url: not url.startswith(server.base),
        lambda route: route.abort(),
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def screenshot(tab, name: str, *, full_page: bool = False) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=full_page)
    return path
