"""What the API asks of its engine, captured for the engine-alone replays.

Each search or autocomplete entry goes through the real application in-process (FastAPI's
TestClient) with the engine dependency replaced by a recorder around the real engine: that gives
the calls the route made (`engine.search(SearchRequest)`, `engine.suggest(...)`) and, on
OpenSearch, the exact HTTP requests the engine class sent for them (method, path with its
parameters, body), recorded at the opensearch-py connection. Nothing is re-derived from the
query builders, so a search the engine splits into several requests is replayed as it is sent.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from opensearchpy import OpenSearch, Urllib3HttpConnection

from bench.search.workload import Entry, Request
from indexer.engine import SearchEngine, get_engine
from indexer.engines.opensearch_client import opensearch_client
from indexer.query import SearchRequest


@dataclass(frozen=True, slots=True)
class EngineCall:
    """One call a route made on the engine."""

    method: str  # "search" | "suggest"
    args: tuple[Any, ...]
    kwargs: tuple[tuple[str, Any], ...] = ()

    def run(self, engine: SearchEngine) -> Any:
        return getattr(engine, self.method)(*self.args, **dict(self.kwargs))

    def bare(self) -> EngineCall | None:
        """The same ranked query without facets and print lists (None for a suggest)."""
        if self.method != "search":
            return None
        request: SearchRequest = self.args[0]
        return EngineCall("search", (dataclasses.replace(request, facets=(), prints_per_card=0),))


@dataclass(frozen=True, slots=True)
class Captured:
    entry: Entry
    calls: tuple[EngineCall, ...]
    #: The HTTP requests the engine sent for `calls` (OpenSearch; empty in-process).
    http: tuple[Request, ...]


class RecordingEngine:
    """The engine, recording the search and suggest calls made on it."""

    def __init__(self, engine: SearchEngine) -> None:
        self.engine = engine
        self.calls: list[EngineCall] = []

    def search(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append(EngineCall("search", args, tuple(kwargs.items())))
        return self.engine.search(*args, **kwargs)

    def suggest(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append(EngineCall("suggest", args, tuple(kwargs.items())))
        return self.engine.suggest(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.engine, name)


def _text(body: bytes | str | None) -> str | None:
    return body.decode("utf-8") if isinstance(body, bytes) else body


def recording_client(url: str, sink: list[Request]) -> OpenSearch:
    """An opensearch-py client that appends every request it sends to `sink`."""

    class RecordingConnection(Urllib3HttpConnection):
        def perform_request(self, method, url, params=None, body=None, *args, **kwargs):
            target = self.url_prefix + url + (f"?{urlencode(params)}" if params else "")
            extra = kwargs.get("headers") or (args[2] if len(args) > 2 else None) or {}
            headers = {**self.headers, **{k.lower(): v for k, v in extra.items()}}
            content_type = headers.get("content-type") if body is not None else None
            sink.append(Request(method, target, _text(body), content_type))
            return super().perform_request(method, url, params, body, *args, **kwargs)

    return opensearch_client(url, connection_class=RecordingConnection)


class Capturer:
    """The application in-process, answering through a recorder around `engine`."""

    def __init__(self, engine: SearchEngine, sink: list[Request] | None = None) -> None:
        from fastapi.testclient import TestClient

        from search_api.app import create_app

        self.engine = engine
        self.recorder = RecordingEngine(engine)
        self.sink = sink if sink is not None else []
        app = create_app()
        app.dependency_overrides[get_engine] = lambda: self.recorder
        self.client = TestClient(app)

    def get(self, target: str) -> tuple[int, Any]:
        response = self.client.get(target)
        return response.status_code, response.json()

    def capture(self, entries: Iterable[Entry]) -> list[Captured]:
        """Each entry with the engine calls and requests it caused; an entry the API does not
        answer with 200 is left out and named on stderr."""
        out = []
        for entry in entries:
            self.recorder.calls.clear()
            self.sink.clear()
            status, body = self.get(entry.target)
            if status != 200:
                print(f"  left out (HTTP {status}): {entry.target} {body}", file=sys.stderr)
                continue
            if not self.recorder.calls:
                raise RuntimeError(f"{entry.target} made no engine call: is get_engine still used?")
            out.append(Captured(entry, tuple(self.recorder.calls), tuple(self.sink)))
        return out

    def http_of(self, calls: Sequence[EngineCall]) -> tuple[Request, ...]:
        """The requests the engine sends for `calls` (made directly, not through the API)."""
        self.sink.clear()
        for call in calls:
            call.run(self.engine)
        return tuple(self.sink)

    def close(self) -> None:
        self.client.close()
