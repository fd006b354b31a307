"""What a fetch produces and reports: `FetchResult`, `FetchError` and the progress protocol."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from etl.fetch.limits import RateRule

FileStatus = Literal["written", "unchanged"]
WRITTEN: FileStatus = "written"
UNCHANGED: FileStatus = "unchanged"


class FetchError(RuntimeError):
    """A request failed for good: a 4xx other than 429, retries exhausted, a bad response.

    `url` is the URL requested and `status` the last HTTP status (None for a connection error).
    """

    def __init__(self, url: str, status: int | None, message: str) -> None:
        self.url = url
        self.status = status
        self.reason = message
        where = f"HTTP {status}" if status is not None else "no response"
        super().__init__(f"{where} from {url}: {message}")


@dataclass(frozen=True, slots=True)
class FetchedFile:
    """One file of the destination folder this run produced or confirmed."""

    path: Path
    url: str
    status: FileStatus  # "written": new content on disk; "unchanged": kept as it was
    bytes: int  # size of the file on disk
    not_modified: bool = False  # the server answered 304 Not Modified (or a version check)


@dataclass(slots=True)
class FetchResult:
    source: str
    dest_dir: Path
    files: list[FetchedFile] = field(default_factory=list)
    #: stale files of an earlier run this run deleted (e.g. pages past the new last page)
    removed: list[Path] = field(default_factory=list)
    requests: int = 0  # HTTP requests sent, retries included
    retries: int = 0  # requests that were repeated after a 429/5xx/connection error
    not_modified: int = 0  # 304 answers (and version checks that skipped a download)
    bytes_downloaded: int = 0  # bytes received on the wire (compressed when gzip-encoded)
    seconds: float = 0.0

    @property
    def written(self) -> list[Path]:
        return [f.path for f in self.files if f.status == WRITTEN]

    @property
    def unchanged(self) -> list[Path]:
        return [f.path for f in self.files if f.status == UNCHANGED]

    @property
    def bytes(self) -> int:
        """Bytes written to disk by this run (new files only)."""
        return sum(f.bytes for f in self.files if f.status == WRITTEN)

    @property
    def changed(self) -> bool:
        """True when the destination folder differs from before the run."""
        return bool(self.written or self.removed)

    def summary(self) -> str:
        return (
            f"{self.source}: {len(self.written)} written, {len(self.unchanged)} unchanged, "
            f"{len(self.removed)} removed; {self.requests} requests ({self.retries} retried, "
            f"{self.not_modified} not modified), {self.bytes_downloaded:,} bytes downloaded, "
            f"{self.bytes:,} bytes written in {self.seconds:.1f}s"
        )


class FetchProgress(Protocol):
    """Receives what a fetch is doing; the CLI renders it with rich."""

    def file_started(self, label: str, total: int | None) -> None:
        """A download starts; `total` is the Content-Length when known (wire bytes)."""

    def advance(self, nbytes: int) -> None:
        """`nbytes` more wire bytes of the current download arrived."""

    def file_finished(self, label: str, status: str) -> None:
        """The download ended: `written`, `unchanged` or `not modified`."""

    def note(self, message: str) -> None:
        """Something worth telling: a retry, a wait, a version check that skipped work."""


class NullProgress:
    def file_started(self, label: str, total: int | None) -> None:
        pass

    def advance(self, nbytes: int) -> None:
        pass

    def file_finished(self, label: str, status: str) -> None:
        pass

    def note(self, message: str) -> None:
        pass


class Fetcher(Protocol):
    """What a source's fetch module (`etl/sources/<name>/fetch.py`) provides."""

    DEFAULT_BASE_URL: str
    OPTIONS: frozenset[str]  # the `fetch_source` options it takes (`query`, `languages`, ...)
    RETRY_AFTER_429: float | None  # the wait after a 429 without Retry-After (None: backoff)
    API_KEY_ENV: str | None  # the environment variable holding its API key, if it takes one
    fetch: Callable[..., None]  # fetch(ctx: FetchContext, **options)

    def default_rate(self, api_key: str | None) -> float:
        """Requests per second per host when the caller gives none."""
        ...

    def rate_rules(self, rate: float) -> list[RateRule]:
        """Slower limits for some paths (Scryfall's search endpoints)."""
        ...
