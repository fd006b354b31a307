"""The embedded engine: on-disk tantivy indices under `SIDEDECKED_INDEX_DIR`.

Layout: one folder per index (`prints-v<schema>-<UTC timestamp>/`) and `current.json`, the
"alias": the name of the live folder plus the `_meta` of its rebuild. A rebuild fills a new
folder and then replaces `current.json` atomically (`os.replace`); searchers notice the new
pointer on their next request and reopen. Writes (incremental updates) go to the live folder;
tantivy allows one writer per folder, and `indexer.locks` keeps our writers from overlapping.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator, MutableMapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import tantivy

from indexer.definitions import NAMES_INDEX, companion_index_name, new_index_name
from indexer.engine import (
    EngineStatus,
    EngineUnavailableError,
    NotReadyError,
    RebuildError,
    RebuildTarget,
    SearchEngine,
)
from indexer.engines.tantivy_names import SCHEMA_VERSION as NAMES_SCHEMA_VERSION
from indexer.engines.tantivy_names import TantivyNames
from indexer.engines.tantivy_schema import (
    SCHEMA_VERSION,
    build_schema,
    register_tokenizers,
    to_tantivy,
)
from indexer.engines.tantivy_search import Counts, TantivySearch
from indexer.query import SearchRequest, SearchResult, Suggestion
from indexer.suggest import suggest_plan

POINTER = "current.json"
#: The key of `current.json` naming the live names folder (beside `index`, the prints folder).
NAMES_POINTER = "names_index"
#: Requests whose counts one index generation remembers.
COUNT_MEMO_SIZE = 2048
INDEX_NAME = "prints"
WRITER_HEAP = 64_000_000
REBUILD_WRITER_HEAP = 256_000_000
#: What a read (`TantivyEngine._read`) returns: whatever its action returns.
_Read = TypeVar("_Read")


class TantivyEngine(SearchEngine):
    kind = "tantivy"

    def __init__(self, *, directory: Path) -> None:
        self.directory = Path(directory)
        self.schema = build_schema()
        self._lock = threading.RLock()
        self._live: tuple[tuple[int, int], str, tantivy.Index] | None = None
        self.names = TantivyNames()
        #: The live names index, by the `current.json` it was read from (like `_live`).
        self._live_names: tuple[tuple[int, int], str, tantivy.Index] | None = None
        self._names_loaded: tuple[str, int, int, int] | None = None
        self._memo = CountMemo(None)
        #: The generation (`_generation`) the live reader last reloaded at.
        self._loaded: tuple[str, int, int, int] | None = None

    # the live index -----------------------------------------------------------------------
    def _pointer_path(self) -> Path:
        return self.directory / POINTER

    def read_pointer(self) -> dict[str, Any] | None:
        try:
            pointer: dict[str, Any] = json.loads(self._pointer_path().read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return pointer

    def _open(self, name: str) -> tantivy.Index:
        index = tantivy.Index.open(str(self.directory / name))
        register_tokenizers(index)
        return index

    def live(self) -> tuple[str, tantivy.Index] | None:
        """The live index (reopened when `current.json` changed), or None before any."""
        try:
            stat = self._pointer_path().stat()
        except FileNotFoundError:
            self._live = None
            return None
        stamp = (stat.st_mtime_ns, stat.st_ino)
        with self._lock:
            if self._live is None or self._live[0] != stamp:
                pointer = self.read_pointer()
                if pointer is None:
                    return None
                self._live = (stamp, pointer["index"], self._open(pointer["index"]))
            return self._live[1], self._live[2]

    def _generation(self, name: str) -> tuple[str, int, int, int] | None:
        """Which commit of index `name` is the newest: every commit, ours or another
        process's, replaces its `meta.json` (a new file, so a new inode)."""
        try:
            stat = (self.directory / name / "meta.json").stat()
        except FileNotFoundError:
            return None
        return (name, stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def _searcher(self) -> tuple[tantivy.Searcher | None, tantivy.Index | None]:
        """A searcher of the newest commit; the reader reloads only when there is one (a
        reload costs about as much as a small search)."""
        live = self.live()
        if live is None:
            return None, None
        generation = self._generation(live[0])
        with self._lock:
            if generation is None or generation != self._loaded:
                live[1].reload()
                self._loaded = generation
        return live[1].searcher(), live[1]

    def _count_memo(self) -> CountMemo | None:
        """The counts memo of the live index's current generation."""
        live = self.live()
        generation = self._generation(live[0]) if live is not None else None
        if generation is None:
            return None
        with self._lock:
            if self._memo.generation != generation:
                self._memo = CountMemo(generation)
            return self._memo

    def _read(
        self, action: Callable[[tantivy.Searcher | None], _Read], *, names: bool = False
    ) -> _Read:
        """Run `action(searcher)` on the prints index (or the names index); retry once if a
        rebuild swapped the index underneath."""
        for attempt in (1, 2):
            try:
                searcher = self._names_searcher() if names else self._searcher()[0]
                return action(searcher)
            except (ValueError, OSError):
                if attempt == 2:
                    raise
                with self._lock:
                    self._live = self._live_names = None
        raise AssertionError("unreachable")  # pragma: no cover

    # reads ------------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResult:
        def run(searcher: tantivy.Searcher | None) -> SearchResult:
            if searcher is None:
                return SearchResult(total=0, hits=[], facets={f: [] for f in request.facets})
            return TantivySearch(searcher, self.schema, self._count_memo()).search(request)

        return self._read(run)

    def suggest(self, prefix: str, game: str | None = None, limit: int = 20) -> list[Suggestion]:
        plan = suggest_plan(prefix, limit)
        if plan is None:
            return []
        return self._read(
            lambda searcher: (
                [] if searcher is None else self.names.suggest(searcher, plan, game, limit)
            ),
            names=True,
        )

    # the names index ----------------------------------------------------------------------
    def _names_folder(self, prints_folder: str) -> str:
        return companion_index_name(prints_folder, NAMES_INDEX, NAMES_SCHEMA_VERSION)

    def _names_index(self) -> tuple[str, tantivy.Index] | None:
        """The live names folder and index (reopened when `current.json` changed), or None."""
        try:
            stat = self._pointer_path().stat()
        except FileNotFoundError:
            return None
        stamp = (stat.st_mtime_ns, stat.st_ino)
        with self._lock:
            if self._live_names is None or self._live_names[0] != stamp:
                name = (self.read_pointer() or {}).get(NAMES_POINTER)
                if name is None:
                    return None
                self._live_names = (stamp, name, self.names.open(self.directory / name))
            return self._live_names[1], self._live_names[2]

    def _names_searcher(self) -> tantivy.Searcher | None:
        """A searcher of the names index's newest commit (reloaded only when there is one)."""
        live = self._names_index()
        if live is None:
            return None
        name, index = live
        generation = self._generation(name)
        with self._lock:
            if generation is None or generation != self._names_loaded:
                index.reload()
                self._names_loaded = generation
        return index.searcher()

    def _ensure_names(self) -> tantivy.Index:
        """The live names index; a live index built before names existed gets an empty one."""
        self._ensure_live()
        live = self._names_index()
        if live is not None:
            return live[1]
        pointer = self.read_pointer() or {}
        name = self._names_folder(pointer["index"])
        if not (self.directory / name).exists():
            self.names.create(self.directory / name)
        meta = {k: v for k, v in pointer.items() if k != "index"}
        self._write_pointer(pointer["index"], {**meta, NAMES_POINTER: name})
        created = self._names_index()
        assert created is not None  # the pointer now names it
        return created[1]

    def load_names(self, target: RebuildTarget, entries: Iterable[dict[str, Any]]) -> int:
        index = self.names.open(self.directory / self._names_folder(target.name))
        return self._write(index, lambda writer: self.names.add(writer, entries))

    def find_names(
        self, *, ids: Iterable[str] = (), card_ids: Iterable[int] = ()
    ) -> list[dict[str, Any]]:
        return self._read(
            lambda searcher: [] if searcher is None else self.names.find(searcher, ids, card_ids),
            names=True,
        )

    def update_names(
        self, entries: Iterable[dict[str, Any]], *, delete_ids: Iterable[str] = ()
    ) -> int:
        with self._lock:
            index = self._ensure_names()
            return self._write(
                index, lambda writer: self.names.replace(writer, entries, delete_ids)
            )

    def count(self) -> int:
        return self._read(lambda searcher: searcher.num_docs if searcher is not None else 0)

    # incremental writes ---------------------------------------------------------------------
    def _ensure_live(self) -> tantivy.Index:
        live = self.live()
        if live is not None:
            return live[1]
        target = self.begin_rebuild(synonyms=[])
        meta = {"built_at": _now(), "bootstrap": True, "doc_count": 0}
        self._write_pointer(target.name, {**meta, NAMES_POINTER: self._names_folder(target.name)})
        created = self.live()
        assert created is not None  # the pointer now names it
        return created[1]

    def _write(
        self,
        index: tantivy.Index,
        action: Callable[[tantivy.IndexWriter], int],
        *,
        heap: int = WRITER_HEAP,
    ) -> int:
        try:
            writer = index.writer(heap, 1)
        except ValueError as exc:  # another process holds tantivy's writer lock
            raise EngineUnavailableError(f"tantivy index is locked: {exc}") from exc
        try:
            count = action(writer)
            writer.commit()
        except BaseException:
            writer.rollback()
            writer.wait_merging_threads()  # consumes the writer: releases tantivy's lock now
            raise
        writer.wait_merging_threads()
        index.reload()
        return count

    def index_documents(self, docs: Iterable[dict[str, Any]]) -> int:
        def upsert(writer: tantivy.IndexWriter) -> int:
            batch = list(docs)
            if batch:
                ids = [doc["print_id"] for doc in batch]
                writer.delete_documents_by_query(self._ids_query(ids))
            for doc in batch:
                writer.add_document(to_tantivy(doc, self.schema))
            return len(batch)

        with self._lock:
            return self._write(self._ensure_live(), upsert)

    def delete_documents(self, print_ids: Iterable[int]) -> int:
        def delete(writer: tantivy.IndexWriter) -> int:
            ids = list(print_ids)
            if ids:
                writer.delete_documents_by_query(self._ids_query(ids))
            return len(ids)

        with self._lock:
            live = self.live()
            return self._write(live[1], delete) if live is not None else 0

    def _ids_query(self, print_ids: list[int]) -> tantivy.Query:
        # (delete_documents_by_term does not match u64 terms given as Python ints)
        return tantivy.Query.term_set_query(self.schema, "print_id", print_ids)

    # rebuild ------------------------------------------------------------------------------
    def begin_rebuild(self, *, synonyms: list[str]) -> RebuildTarget:
        """Set-code aliases reach the embedded index through each document's `set_aliases`."""
        name = new_index_name(INDEX_NAME, SCHEMA_VERSION)
        path = self.directory / name
        path.mkdir(parents=True)
        register_tokenizers(tantivy.Index(self.schema, path=str(path), reuse=False))
        self.names.create(self.directory / self._names_folder(name))
        return RebuildTarget(name=name, version=SCHEMA_VERSION)

    def load(self, target: RebuildTarget, docs: Iterable[dict[str, Any]]) -> int:
        def add(writer: tantivy.IndexWriter) -> int:
            n = 0
            for doc in docs:
                writer.add_document(to_tantivy(doc, self.schema))
                n += 1
            return n

        index = self._open(target.name)
        return self._write(index, add, heap=REBUILD_WRITER_HEAP)

    def swap_in(self, target: RebuildTarget, *, expected: int, meta: dict[str, Any]) -> list[str]:
        pointer = self.read_pointer() or {}
        if pointer.get("index") == target.name:
            return []
        if not (self.directory / target.name).is_dir():
            raise RebuildError(f"{target.name} does not exist (the rebuild was aborted)")
        index = self._open(target.name)
        index.reload()
        count = index.searcher().num_docs
        if count != expected:
            raise RebuildError(f"{target.name} holds {count} documents, expected {expected}")
        names = self._names_folder(target.name)
        if not (self.directory / names).is_dir():
            raise RebuildError(f"{target.name} has no names index {names}")
        full_meta = {**meta, "version": target.version, "doc_count": count, NAMES_POINTER: names}
        self._write_pointer(target.name, full_meta)
        with self._lock:
            self._live = None
            self._live_names = None
        return [pointer["index"]] if pointer.get("index") else []

    def remove_old(self, target: RebuildTarget) -> list[str]:
        pointer = self.read_pointer() or {}  # read right before deleting
        keep = {target.name, pointer.get("index")}
        keep_names = {self._names_folder(target.name), pointer.get(NAMES_POINTER)}
        for other in self._index_folders(NAMES_INDEX):
            if other not in keep_names:
                shutil.rmtree(self.directory / other, ignore_errors=True)
        removed = [other for other in self._index_folders() if other not in keep]
        for other in removed:
            shutil.rmtree(self.directory / other, ignore_errors=True)
        return removed

    def abort_rebuild(self, target: RebuildTarget) -> None:
        if (self.read_pointer() or {}).get("index") == target.name:
            return  # swapped in already: the live index stays
        shutil.rmtree(self.directory / target.name, ignore_errors=True)
        shutil.rmtree(self.directory / self._names_folder(target.name), ignore_errors=True)

    def rebuild_state(self, target: RebuildTarget) -> str:
        if (self.read_pointer() or {}).get("index") == target.name:
            return "live"
        return "pending" if (self.directory / target.name).is_dir() else "missing"

    def ready(self) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        probe = self.directory / ".ready-probe"
        probe.write_text("ok")
        probe.unlink()
        if self.live() is None:
            raise NotReadyError(
                f"the embedded index in {self.directory} has no live index "
                "(run `sidedecked index rebuild`)"
            )
        return f"tantivy ({self.directory})"

    def _write_pointer(self, name: str, meta: dict[str, Any]) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = self._pointer_path().with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"index": name, **meta}, default=str), encoding="utf-8")
        tmp.replace(self._pointer_path())

    def _index_folders(self, index: str = INDEX_NAME) -> list[str]:
        if not self.directory.exists():
            return []
        prefix = f"{index}-v"
        return sorted(
            p.name for p in self.directory.iterdir() if p.is_dir() and p.name.startswith(prefix)
        )

    def status(self) -> EngineStatus:
        pointer = self.read_pointer() or {}
        live = pointer.get("index")
        return EngineStatus(
            engine=self.kind,
            alias=str(self._pointer_path()),
            live_index=live,
            doc_count=self.count() if live else None,
            last_rebuild={k: v for k, v in pointer.items() if k != "index"},
            other_indices=[name for name in self._index_folders() if name != live],
        )

    def refresh(self) -> None:
        live = self.live()
        if live is not None:
            live[1].reload()

    def close(self) -> None:
        with self._lock:
            self._live = None
            self._live_names = None


class CountMemo(MutableMapping[Hashable, Counts]):
    """A small thread-safe LRU of one index generation's totals and facet counts."""

    def __init__(self, generation: Hashable, size: int = COUNT_MEMO_SIZE) -> None:
        self.generation = generation
        self.size = size
        self._items: OrderedDict[Hashable, Counts] = OrderedDict()
        self._lock = threading.Lock()

    def __getitem__(self, key: Hashable) -> Counts:
        with self._lock:
            self._items.move_to_end(key)
            return self._items[key]

    def __setitem__(self, key: Hashable, value: Counts) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __delitem__(self, key: Hashable) -> None:
        with self._lock:
            del self._items[key]

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[Hashable]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)


def _now() -> str:
    return datetime.now(UTC).isoformat()
