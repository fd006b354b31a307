"""`CacheMeta`: what the last fetch into a folder downloaded, for conditional requests.

The small JSON file `.fetch-meta` in the destination folder keeps, per URL, the
`ETag`/`Last-Modified` of the last download and the file it went to (name, size, sha256), so
the next run sends `If-None-Match`/`If-Modified-Since` and a 304 keeps the file as it is. Its
name has no `.json` suffix so that no source ever mistakes it for card input.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

META_FILE = ".fetch-meta"
#: Downloads (and the metadata file) are written to `<file>.part`, then renamed over the file.
PART_SUFFIX = ".part"


class CacheMeta:
    """`.fetch-meta` in the destination folder: validators per URL and per-source state."""

    def __init__(self, dest_dir: Path) -> None:
        self.dest_dir = Path(dest_dir)
        self.path = self.dest_dir / META_FILE
        self.data: dict[str, Any] = {"version": 1, "urls": {}, "state": {}}
        if self.path.is_file():
            try:
                loaded = json.loads(self.path.read_text("utf-8"))
            except (OSError, ValueError):
                loaded = None
            if isinstance(loaded, dict) and isinstance(loaded.get("urls"), dict):
                self.data = {"version": 1, "urls": loaded["urls"], "state": {}}
                if isinstance(loaded.get("state"), dict):
                    self.data["state"] = loaded["state"]

    @property
    def urls(self) -> dict[str, dict[str, Any]]:
        urls: dict[str, dict[str, Any]] = self.data["urls"]
        return urls

    def rel(self, file: Path) -> str:
        try:
            return Path(file).resolve().relative_to(self.dest_dir.resolve()).as_posix()
        except ValueError:
            return str(Path(file).resolve())

    def entry_for_file(self, file: Path) -> dict[str, Any] | None:
        """The last recorded download into `file` (whatever its URL), if the file is intact."""
        rel = self.rel(file)
        for entry in self.urls.values():
            if entry.get("file") == rel and intact(file, entry):
                return entry
        return None

    def conditional_headers(self, url: str, file: Path) -> dict[str, str]:
        """Validators for `url` when its last download into `file` is still there, intact."""
        entry = self.urls.get(url)
        if not entry or entry.get("file") != self.rel(file) or not intact(file, entry):
            return {}
        headers = {}
        if entry.get("etag"):
            headers["If-None-Match"] = entry["etag"]
        if entry.get("last_modified"):
            headers["If-Modified-Since"] = entry["last_modified"]
        return headers

    def record(
        self,
        url: str,
        file: Path,
        *,
        etag: str | None,
        last_modified: str | None,
        sha256: str,
        size: int,
    ) -> None:
        rel = self.rel(file)
        for other in [u for u, e in self.urls.items() if e.get("file") == rel and u != url]:
            del self.urls[other]  # the file now comes from `url` (e.g. a new bulk file URI)
        self.urls[url] = {
            "file": rel,
            "etag": etag,
            "last_modified": last_modified,
            "sha256": sha256,
            "bytes": size,
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }

    def touch(self, url: str) -> None:
        entry = self.urls.get(url)
        if entry is not None:
            entry["checked_at"] = datetime.now(UTC).isoformat(timespec="seconds")

    def forget_file(self, file: Path) -> None:
        rel = self.rel(file)
        for url in [u for u, e in self.urls.items() if e.get("file") == rel]:
            del self.urls[url]

    def state(self, key: str) -> dict[str, Any]:
        value = self.data["state"].get(key)
        return value if isinstance(value, dict) else {}

    def set_state(self, key: str, value: dict[str, Any]) -> None:
        self.data["state"][key] = value

    def save(self) -> None:
        self.dest_dir.mkdir(parents=True, exist_ok=True)
        part = self.path.with_name(self.path.name + PART_SUFFIX)
        part.write_text(json.dumps(self.data, indent=2, sort_keys=True) + "\n", "utf-8")
        part.replace(self.path)


def intact(file: Path, entry: Mapping[str, Any]) -> bool:
    try:
        return Path(file).stat().st_size == entry.get("bytes")
    except OSError:
        return False
