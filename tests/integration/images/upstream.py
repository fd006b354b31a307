"""Test helpers of the image mirror: card images made by Pillow, and a local HTTP server that
serves them with ETag / Last-Modified and answers conditional requests with 304, counting what
it answered (so a test can say "a re-run downloaded nothing")."""

from __future__ import annotations

import hashlib
import io
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image, ImageDraw

LAST_MODIFIED = "Wed, 01 Oct 2025 10:00:00 GMT"


def card_image(seed: int, *, fmt: str = "JPEG", size: tuple[int, int] = (672, 936)) -> bytes:
    """A card-shaped picture, different for each seed (real image bytes, not a stub)."""
    image = Image.new("RGB", size, ((seed * 53) % 256, (seed * 97) % 256, (seed * 29) % 256))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle((w // 10, h // 10, w - w // 10, h // 2), fill=(240, 240, 230))
    draw.ellipse((w // 4, h // 5, w // 2 + seed % 100, h // 3 + seed % 50), fill=(30, 60, 160))
    draw.text((w // 8, h - h // 6), f"card {seed}", fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    return out.getvalue()


@dataclass
class Served:
    data: bytes
    content_type: str = "image/jpeg"
    etag: bool = True
    last_modified: bool = True


@dataclass
class ImageServer:
    """What the server holds and how it answered; `delay` slows every image response."""

    files: dict[str, Served] = field(default_factory=dict)
    answers: Counter[tuple[str, int]] = field(default_factory=Counter)
    delay: float = 0.0
    #: path -> how many more times to answer 503 (with Retry-After: 0) before serving it.
    fail_first: dict[str, int] = field(default_factory=dict)
    port: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def count(self, status: int, path: str | None = None) -> int:
        with self.lock:
            return sum(n for (p, s), n in self.answers.items() if s == status and path in (None, p))

    def reset_counts(self) -> None:
        with self.lock:
            self.answers.clear()


def etag_of(data: bytes) -> str:
    return f'"{hashlib.sha256(data).hexdigest()[:20]}"'


def make_handler(state: ImageServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _answer(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None):
            with state.lock:
                state.answers[(self.path, status)] += 1
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        def do_GET(self) -> None:
            served = state.files.get(self.path)
            if served is None:
                self._answer(404)
                return
            with state.lock:
                left = state.fail_first.get(self.path, 0)
                if left:
                    state.fail_first[self.path] = left - 1
            if left:
                self._answer(503, headers={"Retry-After": "0"})
                return
            if state.delay:
                time.sleep(state.delay)
            headers = {"Content-Type": served.content_type}
            tag = etag_of(served.data)
            if served.etag:
                headers["ETag"] = tag
            if served.last_modified:
                headers["Last-Modified"] = LAST_MODIFIED
            if served.etag and self.headers.get("If-None-Match") == tag:
                self._answer(304, headers=headers)
                return
            if (
                not served.etag
                and served.last_modified
                and self.headers.get("If-Modified-Since") == LAST_MODIFIED
            ):
                self._answer(304, headers=headers)
                return
            self._answer(200, served.data, headers)

    return Handler


def start_server(state: ImageServer) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    server.daemon_threads = True
    state.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
