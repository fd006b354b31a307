"""A real HTTP server on 127.0.0.1 serving recorded upstream responses with scripted behaviour.

    with UpstreamServer() as server:
        server.route("/bulk-data", Reply(body=server.fixture("scryfall/bulk-data.json")))
        server.route("/x", Reply(status=503), Reply(body=b"[]"))  # a 503, then success
        fetch_source("scryfall", dest_dir=..., base_url=server.url)
        server.requests  # what the client sent

A route is a sequence of replies (the last one repeats) or a function of the request. A reply
with an `etag`/`last_modified` answers 304 to a request carrying the matching validator; with
`gzip=True` it is sent gzip content-encoded to a client that accepts it; with `truncate=True`
the connection closes half-way through the announced body. Nothing here mocks httpx: the
client under test talks to this server over TCP.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "upstream"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    gzip: bool = False
    truncate: bool = False


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    at: float  # time.monotonic() when it arrived


Route = list[Reply] | Callable[[Request], Reply]


class UpstreamServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server._handle(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def fixture(self, name: str) -> bytes:
        """A recorded response with `{base}` replaced by this server's URL."""
        return (FIXTURES / name).read_bytes().replace(b"{base}", self.url.encode())

    def route(self, path: str, *replies: Reply | Callable[[Request], Reply]) -> None:
        if len(replies) == 1 and callable(replies[0]):
            self.routes[path] = replies[0]
        else:
            self.routes[path] = list(replies)  # type: ignore[arg-type]

    def hits(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def __enter__(self) -> UpstreamServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    # -- serving ------------------------------------------------------------------------------

    def _next_reply(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            route = self.routes.get(request.path)
            if route is None:
                return Reply(404, b'{"object":"error","status":404,"details":"no such route"}')
            if callable(route):
                return route(request)
            return route.pop(0) if len(route) > 1 else route[0]

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        request = Request(
            method=handler.command,
            path=parts.path,
            query={k: v[-1] for k, v in parse_qs(parts.query).items()},
            headers={k.lower(): v for k, v in handler.headers.items()},
            at=time.monotonic(),
        )
        reply = self._next_reply(request)
        headers = dict(reply.headers)
        if reply.etag:
            headers["ETag"] = reply.etag
        if reply.last_modified:
            headers["Last-Modified"] = reply.last_modified
        status, body = reply.status, reply.body
        if status == 200 and _not_modified(request, reply):
            status, body = 304, b""
        if body and reply.gzip and "gzip" in request.headers.get("accept-encoding", ""):
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        handler.send_response(status)
        headers.setdefault("Content-Type", "application/json; charset=utf-8")
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        if reply.truncate:
            handler.send_header("Connection", "close")
            handler.close_connection = True
        handler.end_headers()
        if status != 304:
            handler.wfile.write(body[: len(body) // 2] if reply.truncate else body)
        handler.wfile.flush()


def _not_modified(request: Request, reply: Reply) -> bool:
    if reply.etag and request.headers.get("if-none-match") == reply.etag:
        return True
    return bool(
        reply.last_modified
        and "if-none-match" not in request.headers
        and request.headers.get("if-modified-since") == reply.last_modified
    )
