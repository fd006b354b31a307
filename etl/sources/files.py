"""File helpers shared by the sources: discovery with content hashes, gzip sniffing, streaming
the objects of a JSON array or of a `{"data": [...]}` response."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import ijson

from etl.records import InputUnit

JSON_SUFFIXES = (".json", ".json.gz")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def open_binary(path: Path) -> IO[bytes]:
    """Open a file for binary reading, transparently un-gzipping it."""
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def discover_files(paths: list[Path], suffixes: tuple[str, ...] = JSON_SUFFIXES) -> list[InputUnit]:
    """Files as given, folders expanded recursively (sorted) to files with a JSON suffix."""
    units: list[InputUnit] = []
    seen: set[Path] = set()
    for root in paths:
        root = Path(root)
        if root.is_dir():
            found = sorted(
                (p for p in root.rglob("*") if p.is_file() and p.name.lower().endswith(suffixes)),
                key=lambda p: p.relative_to(root).as_posix(),
            )
            pairs = [(p, p.relative_to(root).as_posix()) for p in found]
        else:
            pairs = [(root, root.name)]
        for path, key in pairs:
            resolved = path.resolve()
            if resolved in seen:
                continue
            seen.add(resolved)
            units.append(InputUnit(key=key, path=path, content_hash=file_sha256(path)))
    return units


def first_byte(path: Path) -> bytes:
    """The first non-blank byte of a (possibly gzipped) file, b"" when it is empty."""
    with open_binary(path) as handle:
        while True:
            chunk = handle.read(1)
            if not chunk or not chunk.isspace():
                return chunk


def iter_json_items(path: Path) -> Iterator[dict[str, Any]]:
    """Stream the objects of a JSON array or of the `data` array of a response object."""
    first = first_byte(path)
    if first not in (b"[", b"{"):
        return
    prefix = "item" if first == b"[" else "data.item"
    with open_binary(path) as handle:
        for item in ijson.items(handle, prefix, use_float=True):
            if isinstance(item, dict):
                yield item
