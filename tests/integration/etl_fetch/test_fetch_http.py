"""etl/fetch/http.py (with limits.py, cache_meta.py) against a real local server: rate limit,
429 + Retry-After, 5xx backoff, failing fast on other 4xx, truncated bodies, non-JSON bodies,
identical content."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from etl.fetch.base import FetchError, FetchResult
from etl.fetch.cache_meta import CacheMeta
from etl.fetch.http import HttpClient
from etl.fetch.limits import RateLimiter, RetryPolicy
from tests.integration.etl_fetch.conftest import FAST_RETRY
from tests.integration.etl_fetch.upstream_server import Reply, UpstreamServer

CARDS = b'[{"id": 1}, {"id": 2}]'


def _client(rate: float | None = None, retry: RetryPolicy = FAST_RETRY) -> HttpClient:
    result = FetchResult(source="test", dest_dir=Path())
    return HttpClient(result=result, limiter=RateLimiter(rate), retry=retry)


def test_six_requests_at_twenty_per_second_take_a_quarter_second(server: UpstreamServer):
    server.route("/r", Reply(body=b"{}"))
    with _client(rate=20) as client:
        started = time.monotonic()
        for _ in range(6):
            client.get_json(server.url + "/r")
        elapsed = time.monotonic() - started
    assert elapsed >= 0.25  # 5 gaps of 1/20 s; the first request goes at once
    assert len(server.hits("/r")) == 6


def test_429_honours_retry_after(server: UpstreamServer, tmp_path: Path):
    server.route(
        "/slow",
        Reply(429, b'{"details":"slow down"}', headers={"Retry-After": "1"}),
        Reply(body=CARDS),
    )
    with _client() as client:
        fetched = client.download(server.url + "/slow", tmp_path / "a.json", meta=None)
    first, second = server.hits("/slow")
    assert second.at - first.at >= 0.95
    assert fetched.status == "written" and (tmp_path / "a.json").read_bytes() == CARDS
    assert (client.result.requests, client.result.retries) == (2, 1)


def test_retry_after_longer_than_the_limit_fails(server: UpstreamServer, tmp_path: Path):
    server.route("/later", Reply(429, headers={"Retry-After": "3600"}))
    with _client() as client, pytest.raises(FetchError, match="retry after 3600s") as caught:
        client.download(server.url + "/later", tmp_path / "a.json", meta=None)
    assert caught.value.status == 429 and len(server.requests) == 1


def test_5xx_then_success(server: UpstreamServer, tmp_path: Path):
    server.route("/flaky", Reply(503), Reply(502), Reply(body=CARDS))
    with _client() as client:
        fetched = client.download(server.url + "/flaky", tmp_path / "a.json", meta=None)
    assert fetched.status == "written"
    assert (client.result.requests, client.result.retries) == (3, 2)


def test_5xx_until_attempts_run_out(server: UpstreamServer, tmp_path: Path):
    server.route("/down", Reply(503))
    with _client() as client, pytest.raises(FetchError, match="gave up after 4 attempts") as e:
        client.download(server.url + "/down", tmp_path / "a.json", meta=None)
    assert (e.value.status, e.value.url) == (503, server.url + "/down")
    assert len(server.requests) == 4 and not list(tmp_path.iterdir())


def test_other_4xx_fails_at_once_with_the_message(server: UpstreamServer):
    server.route("/missing", Reply(404, b'{"object":"error","details":"No card found."}'))
    with _client() as client, pytest.raises(FetchError) as caught:
        client.get_json(server.url + "/missing", params={"q": "x"})
    assert caught.value.status == 404
    assert caught.value.url == server.url + "/missing?q=x"
    assert str(caught.value) == f"HTTP 404 from {server.url}/missing?q=x: No card found."
    assert len(server.requests) == 1


def test_a_truncated_body_is_retried_and_never_left_half_written(
    server: UpstreamServer, tmp_path: Path
):
    server.route("/cut", Reply(body=CARDS * 100, truncate=True), Reply(body=CARDS))
    with _client() as client:
        client.download(server.url + "/cut", tmp_path / "a.json", meta=None)
    assert (tmp_path / "a.json").read_bytes() == CARDS
    assert client.result.retries == 1
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_connection_refused_is_retried_then_fails(tmp_path: Path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    with _client() as client, pytest.raises(FetchError, match="ConnectError") as caught:
        client.download(f"http://127.0.0.1:{port}/x.json", tmp_path / "a.json", meta=None)
    assert caught.value.status is None and client.result.requests == 4


def test_a_non_json_body_is_refused(server: UpstreamServer, tmp_path: Path):
    server.route(
        "/html", Reply(body=b"<html>maintenance</html>", headers={"Content-Type": "text/html"})
    )
    with _client() as client, pytest.raises(FetchError, match="expected a JSON document"):
        client.download(server.url + "/html", tmp_path / "a.json", meta=None)
    assert not list(tmp_path.iterdir())


def test_identical_content_without_validators_keeps_the_file(
    server: UpstreamServer, tmp_path: Path
):
    server.route("/same", Reply(body=CARDS))
    meta = CacheMeta(tmp_path)
    with _client() as client:
        client.download(server.url + "/same", tmp_path / "a.json", meta=meta)
        before = (tmp_path / "a.json").stat().st_mtime_ns
        time.sleep(0.01)
        again = client.download(server.url + "/same", tmp_path / "a.json", meta=meta)
    assert again.status == "unchanged" and not again.not_modified
    assert (tmp_path / "a.json").stat().st_mtime_ns == before
    assert client.result.not_modified == 0


def test_last_modified_validator_gives_304(server: UpstreamServer, tmp_path: Path):
    stamp = "Wed, 21 Oct 2015 07:28:00 GMT"
    server.route("/lm", Reply(body=CARDS, last_modified=stamp))
    meta = CacheMeta(tmp_path)
    with _client() as client:
        client.download(server.url + "/lm", tmp_path / "a.json", meta=meta)
        again = client.download(server.url + "/lm", tmp_path / "a.json", meta=meta)
    assert server.requests[-1].headers["if-modified-since"] == stamp
    assert again.not_modified and client.result.not_modified == 1
    assert CacheMeta(tmp_path).urls[server.url + "/lm"]["last_modified"] == stamp
