"""Scryfall (Magic: The Gathering) card objects: bulk arrays, JSON lines and search pages.

`read` accepts, plain or gzipped (detected by the gzip magic bytes, not the file name):

* a JSON array of card objects (the `default-cards`/`all-cards` bulk files),
* a search page object `{"object": "list", "data": [...]}` (pretty-printed or on one line),
* JSON lines, one card object per line (a line may also be a one-line search page).

The first non-blank byte decides: `[` is an array; `{` is JSON lines when the first line is
a complete JSON value on its own, else one (pretty-printed) page object. See
docs/sources-mtg-pokemon.md for the identity, language, finish and SKU choices.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import ijson

from etl.records import InputUnit, NormalizedCard, RawRecord, SetRecord
from etl.sources.files import discover_files, open_binary
from etl.sources.scryfall.normalize import normalize_card

_SUFFIXES = (".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz")
_FIRST_LINE_LIMIT = 4 * 1024 * 1024  # a longer first line is parsed as one streamed document


def _first_significant_byte(handle: IO[bytes]) -> bytes:
    while True:
        chunk = handle.read(1)
        if not chunk or not chunk.isspace():
            return chunk


def iter_json_objects(path: Path) -> Iterator[dict[str, Any]]:
    """Stream the card objects of an array, a `{"data": [...]}` page or a JSON-lines file."""
    with open_binary(path) as handle:
        first = _first_significant_byte(handle)
    if not first:
        return
    if first == b"[":
        with open_binary(path) as handle:
            yield from _dicts(ijson.items(handle, "item", use_float=True))
        return
    with open_binary(path) as handle:
        line = handle.readline(_FIRST_LINE_LIMIT)
        while line and not line.strip():
            line = handle.readline(_FIRST_LINE_LIMIT)
        try:
            json.loads(line)
            is_lines = line.endswith(b"\n") or not handle.read(1)
        except ValueError:
            is_lines = False
    if is_lines:
        yield from _iter_lines(path)
    else:
        with open_binary(path) as handle:
            yield from _dicts(ijson.items(handle, "data.item", use_float=True))


def _iter_lines(path: Path) -> Iterator[dict[str, Any]]:
    with open_binary(path) as handle:
        for line in handle:
            if not line.strip():
                continue
            obj = json.loads(line)
            if isinstance(obj, dict) and obj.get("object") == "list":
                yield from _dicts(obj.get("data") or [])
            elif isinstance(obj, dict):
                yield obj


def _dicts(items: Any) -> Iterator[dict[str, Any]]:
    for item in items:
        if isinstance(item, dict):
            yield item


class ScryfallSource:
    name = "scryfall"
    game = "MTG"

    def discover(self, paths: list[Path]) -> list[InputUnit]:
        return discover_files(paths, _SUFFIXES)

    def read(self, unit: InputUnit) -> Iterator[RawRecord]:
        for payload in iter_json_objects(unit.path):
            yield RawRecord(
                source=self.name,
                external_id=str(payload.get("id") or ""),
                payload=payload,
                source_file=unit.key,
            )

    def sets(self, paths: list[Path]) -> Iterator[SetRecord]:
        """Scryfall card objects carry their set; no separate set file is read."""
        return iter(())

    def normalize(self, raw: RawRecord) -> NormalizedCard:
        return normalize_card(raw.payload)


source = ScryfallSource()
