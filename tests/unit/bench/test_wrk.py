"""The wrk script: generation, output parsing, and one real run against a local server."""

from __future__ import annotations

import math
import os
import re
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.search import wrk
from bench.search.workload import Entry, Request, get

PAIR = Entry(
    "pair",
    (
        Request("POST", "/echo", '{"q": "café \\"x\\""}\n', "application/x-ndjson"),
        Request("GET", "/ok"),
    ),
)


def lua_bytes(literal: str) -> bytes:
    """Decode the literal `lua_string` writes (printable ASCII and decimal escapes)."""
    assert literal[0] == literal[-1] == '"'
    parts = re.split(r"\\(\d{3})", literal[1:-1])
    return b"".join(p.encode() if i % 2 == 0 else bytes([int(p)]) for i, p in enumerate(parts))


@pytest.mark.parametrize("text", ["plain", 'quo"te\\back', "line\nnext\r\t", "Pokémon ♦ 東京", ""])
def test_lua_strings_round_trip_as_utf8_bytes(text: str) -> None:
    literal = wrk.lua_string(text)
    assert lua_bytes(literal) == text.encode("utf-8")
    assert all(32 <= ord(c) < 127 for c in literal)


def test_script_lists_each_entry_with_its_category_and_requests() -> None:
    entries = [get("name", "/api/catalog/search?q=a"), PAIR, get("name", "/b")]
    script = wrk.lua_script(entries, connections=8)
    assert "CONNECTIONS = 8" in script
    assert 'categories = {"name", "pair"}' in script
    rows = [line.strip() for line in script.splitlines() if line.startswith("  {")]
    assert len(rows) == 3
    assert rows[0] == '{1, {{"GET", "/api/catalog/search?q=a", nil, nil}}},'
    assert rows[1].startswith('{2, {{"POST", "/echo", "{\\034q\\034: \\034caf\\195\\169')
    assert rows[1].endswith('"application/x-ndjson"}, {"GET", "/ok", nil, nil}}},')
    for hook in ("function setup(", "function init(", "function request(", "function response("):
        assert hook in script
    assert "function done(summary, latency, requests)" in script


@pytest.mark.parametrize("bad", [[], [get("Not-an-identifier", "/")]])
def test_script_refuses_empty_workloads_and_odd_category_names(bad) -> None:
    with pytest.raises(ValueError):
        wrk.lua_script(bad, connections=1)


def test_output_parsing_reads_the_result_line() -> None:
    line = (
        'BENCH_RESULT {"duration_s": 2.0, "http_requests": 90, "status_errors": 3, '
        '"socket_errors": {"connect": 1, "read": 0, "write": 0, "timeout": 2}, '
        '"all": {"n": 60, "errors": 3, "p50": 4.5, "p95": 9.0, "p99": 12.25}, '
        '"categories": {"a": {"n": 60, "errors": 3, "p50": 4.5, "p95": 9.0, "p99": 12.25}, '
        '"b": {"n": 0, "errors": 0, "p50": null, "p95": null, "p99": null}}}'
    )
    result = wrk.parse_output(f"Running 2s test\n  Latency 4ms\n{line}\n")
    assert result.rate == 30
    assert result.errors == 6
    assert result.socket_errors == 3
    assert result.all.p99 == 12.25
    assert result.categories["a"].n == 60
    assert result.categories["b"].n == 0 and math.isnan(result.categories["b"].p95)
    with pytest.raises(ValueError, match="BENCH_RESULT"):
        wrk.parse_output("Running 2s test\nRequests/sec: 10\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._answer(404 if self.path == "/missing" else 200, b"{}")

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        ok = self.headers["Content-Type"] == "application/x-ndjson" and "café".encode() in body
        self._answer(200 if ok else 400, body)

    def log_message(self, *args) -> None:
        pass


@pytest.mark.skipif(
    shutil.which("wrk") is None and os.environ.get("CI") != "true",
    reason="wrk is not installed (scripts/test.sh installs it; in CI its absence fails)",
)
def test_a_real_wrk_run_times_entries_and_counts_failed_ones() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        entries = [get("ok", "/ok"), get("bad", "/missing"), PAIR]
        base = f"http://127.0.0.1:{server.server_address[1]}"
        result = wrk.run_wrk(base, entries, connections=2, seconds=1)
    finally:
        server.shutdown()
    cats = result.categories
    assert set(cats) == {"ok", "bad", "pair"}
    assert cats["ok"].n > 0 and cats["ok"].errors == 0
    assert cats["bad"].errors == cats["bad"].n > 0
    assert cats["pair"].n > 0 and cats["pair"].errors == 0  # the POST body arrived intact
    # each connection cycles through the entries in order: the counts differ by at most 2
    assert max(c.n for c in cats.values()) - min(c.n for c in cats.values()) <= 2
    assert result.http_requests >= result.all.n + cats["pair"].n
