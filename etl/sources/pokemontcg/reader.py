"""pokemontcg.io v2 (Pokémon TCG): repository data files and API pages.

Inputs, plain or gzipped:

* `<root>/cards/<lang>/<set id>.json`: a JSON array of card objects WITHOUT a `set` block; the
  set is looked up in `<root>/sets/<lang>.json` (found by walking up from the card file) and
  passed in `RawRecord.context["set"]`; a `<lang>` folder naming another language than
  `en` (`ja`, or a vocabulary code such as `de`, `zht`) makes its prints that language
  (`RawRecord.context["language"]`), keyed `<LANG>:<id>` beside the English `<id>`;
* API pages `{"data": [...], "page": 1, "pageSize": 250, "count": ..., "totalCount": ...}`
  whose cards carry their own `set` (and `tcgplayer`/`cardmarket`) blocks.

`sets(paths)` yields every set of the `sets/*.json` files next to the given paths. Files in a
folder named `sets` are set lists, never card input, so `discover` leaves them out.
See docs/sources-mtg-pokemon.md for the identity, finish and SKU choices.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import ijson

from etl.records import InputUnit, NormalizedCard, RawRecord, SetRecord
from etl.sources.files import discover_files, first_byte, open_binary
from etl.sources.pokemontcg.normalize import FOLDER_LANGUAGES, normalize_card, set_record_from

_SUFFIXES = (".json", ".json.gz")


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".gz", ".json"):
        name = name.removesuffix(suffix)
    return name


def find_sets_file(card_file: Path) -> Path | None:
    """`<root>/sets/<lang>.json` for `<root>/cards/<lang>/<set>.json` (any depth above)."""
    lang = card_file.parent.name
    for folder in card_file.resolve().parents:
        for name in (f"{lang}.json", f"{lang}.json.gz", "en.json", "en.json.gz"):
            candidate = folder / "sets" / name
            if candidate.is_file():
                return candidate
    return None


@lru_cache(maxsize=16)
def _load_sets(path: Path, mtime_ns: int) -> dict[str, dict[str, Any]]:
    return {str(s["id"]): s for s in iter_set_objects(path)}


def sets_by_id(path: Path) -> dict[str, dict[str, Any]]:
    return _load_sets(path, path.stat().st_mtime_ns)


def iter_set_objects(path: Path) -> Iterator[dict[str, Any]]:
    """The set objects of a sets file (an array, or an API page `{"data": [...]}`)."""
    prefix = "item" if first_byte(path) == b"[" else "data.item"
    with open_binary(path) as handle:
        for item in ijson.items(handle, prefix, use_float=True):
            if isinstance(item, dict) and item.get("id"):
                yield item


class PokemonTcgSource:
    name = "pokemontcg"
    game = "POKEMON"

    def discover(self, paths: list[Path]) -> list[InputUnit]:
        return [u for u in discover_files(paths, _SUFFIXES) if u.path.parent.name != "sets"]

    def read(self, unit: InputUnit) -> Iterator[RawRecord]:
        first = first_byte(unit.path)
        if not first:
            return
        context: dict[str, Any] = {}
        if first == b"[":
            prefix = "item"
            sets_file = find_sets_file(unit.path)
            known = sets_by_id(sets_file) if sets_file else {}
            stem = _stem(unit.path)
            context = {"set": known.get(stem) or {"id": stem}}
            language = FOLDER_LANGUAGES.get(unit.path.parent.name.lower())
            if language and unit.path.parent.parent.name == "cards":
                context["language"] = language
        else:
            prefix = "data.item"
        with open_binary(unit.path) as handle:
            for payload in ijson.items(handle, prefix, use_float=True):
                if not isinstance(payload, dict):
                    continue
                yield RawRecord(
                    source=self.name,
                    external_id=str(payload.get("id") or ""),
                    payload=payload,
                    source_file=unit.key,
                    context=dict(context),
                )

    def sets(self, paths: list[Path]) -> Iterator[SetRecord]:
        seen: set[str] = set()
        for sets_file in _sets_files(paths):
            for obj in iter_set_objects(sets_file):
                set_id = str(obj["id"])
                if set_id in seen:
                    continue
                seen.add(set_id)
                yield set_record_from(obj)

    def normalize(self, raw: RawRecord) -> NormalizedCard:
        language = raw.context.get("language")
        if isinstance(language, str) and language in FOLDER_LANGUAGES.values():
            return normalize_card(raw.payload, raw.context.get("set"), language)
        return normalize_card(raw.payload, raw.context.get("set"))


def _sets_files(paths: list[Path]) -> list[Path]:
    found: dict[Path, None] = {}
    for path in map(Path, paths):
        if path.is_file():
            candidate = path if path.parent.name == "sets" else find_sets_file(path)
            if candidate:
                found[candidate.resolve()] = None
            continue
        inside = sorted(p for p in path.rglob("*") if p.parent.name == "sets" and p.is_file())
        for candidate in inside:
            if candidate.name.endswith(_SUFFIXES):
                found[candidate.resolve()] = None
        if not inside:  # a folder below the data root, e.g. <root>/cards/en
            for folder in [path.resolve(), *path.resolve().parents]:
                candidate = folder / "sets" / "en.json"
                if candidate.is_file():
                    found[candidate] = None
                    break
    return list(found)


source = PokemonTcgSource()
