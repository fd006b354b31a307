"""`FetchContext`: what a source's fetch function works with (client, folder, metadata)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ijson

from etl.fetch.base import UNCHANGED, FetchedFile, FetchProgress, FetchResult
from etl.fetch.cache_meta import CacheMeta
from etl.fetch.http import HttpClient
from etl.sources.files import open_binary

_SCALAR_EVENTS = ("number", "string", "boolean", "null")


@dataclass(slots=True)
class FetchContext:
    source: str
    base_url: str  # without a trailing slash
    dest_dir: Path
    client: HttpClient
    meta: CacheMeta
    result: FetchResult
    progress: FetchProgress
    api_key: str | None = None

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def skipped(self, dest: Path, url: str, why: str) -> FetchedFile:
        """Record a download skipped because a version check says the file is current."""
        fetched = FetchedFile(dest, url, UNCHANGED, dest.stat().st_size, not_modified=True)
        self.result.files.append(fetched)
        self.result.not_modified += 1
        self.progress.note(f"{dest.name}: {why}")
        self.progress.file_finished(dest.name, "not modified")
        return fetched

    def remove_stale(self, folder: Path, pattern: str, keep: Iterable[Path]) -> None:
        """Delete files of `folder` matching `pattern` that this run did not produce."""
        kept = {Path(p).resolve() for p in keep}
        for path in sorted(folder.glob(pattern)):
            if path.is_file() and path.resolve() not in kept:
                path.unlink()
                self.meta.forget_file(path)
                self.result.removed.append(path)
                self.progress.note(f"removed stale {path.relative_to(self.dest_dir)}")
        self.meta.save()


def top_level_scalars(path: Path) -> dict[str, Any]:
    """The scalar members of a JSON object file (`totalCount`, `has_more`, ...), streamed."""
    out: dict[str, Any] = {}
    with open_binary(path) as handle:
        for prefix, event, value in ijson.parse(handle, use_float=True):
            if prefix and "." not in prefix and event in _SCALAR_EVENTS:
                out[prefix] = value
    return out
