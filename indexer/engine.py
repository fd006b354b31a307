"""The search engine seam: one small interface, one implementation per engine.

`get_engine()` returns OpenSearch when `OPENSEARCH_URL` is set (one node or a comma-separated
list of a cluster's nodes, `indexer.engines.opensearch_client`), else the embedded tantivy index
under `SIDEDECKED_INDEX_DIR`. The database is configured independently of the engine.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.query import SearchRequest, SearchResult, Suggestion
from models.settings import Settings, get_settings


class EngineUnavailableError(RuntimeError):
    """The engine cannot be reached or refused the operation; outbox rows stay for a retry."""


class RebuildError(RuntimeError):
    """A rebuild step failed (rejected documents, wrong count); the alias is left alone."""


class NotReadyError(RuntimeError):
    """The engine answers but cannot serve searches (the alias points at no index)."""


@dataclass(slots=True)
class RebuildTarget:
    """A new index being filled by a rebuild (serialisable: chunked tasks pass `name`)."""

    name: str
    version: int


@dataclass(slots=True)
class EngineStatus:
    engine: str
    alias: str
    live_index: str | None
    doc_count: int | None
    #: `_meta` of the live index: built_at, version, doc_count, outbox_high_water, took_s.
    last_rebuild: dict[str, Any] = field(default_factory=dict)
    other_indices: list[str] = field(default_factory=list)
    error: str | None = None
    #: Replicas of the live index and its health (green/yellow/red), where the engine has them.
    replicas: int | None = None
    health: str | None = None


class SearchEngine(ABC):
    """Index, delete, search, suggest, count, rebuild and report status."""

    kind: str

    @abstractmethod
    def index_documents(self, docs: Iterable[dict[str, Any]]) -> int:
        """Create or replace documents (by `print_id`) in the live index; returns the count."""

    @abstractmethod
    def delete_documents(self, print_ids: Iterable[int]) -> int:
        """Remove documents by print id from the live index (missing ids are fine)."""

    @abstractmethod
    def search(self, request: SearchRequest) -> SearchResult: ...

    @abstractmethod
    def suggest(self, prefix: str, game: str | None = None, limit: int = 20) -> list[Suggestion]:
        """Up to `limit` card names (one per name and game) whose words start like `prefix`
        (typo tolerant), from the names index, best first (`relevance.suggest_tiers`)."""

    @abstractmethod
    def count(self) -> int:
        """Documents in the live index (0 when there is none)."""

    @abstractmethod
    def begin_rebuild(self, *, synonyms: list[str]) -> RebuildTarget:
        """Create an empty new index, tuned for bulk loading; the live one keeps serving."""

    @abstractmethod
    def load(self, target: RebuildTarget, docs: Iterable[dict[str, Any]]) -> int:
        """Bulk-load documents into `target`; raises if any is rejected. Returns the count."""

    @abstractmethod
    def load_names(self, target: RebuildTarget, entries: Iterable[dict[str, Any]]) -> int:
        """Bulk-load names entries (`indexer.names`) into the names index created beside
        `target`; `commit_rebuild` swaps both. Raises if any is rejected. Returns the count."""

    @abstractmethod
    def find_names(
        self, *, ids: Iterable[str] = (), card_ids: Iterable[int] = ()
    ) -> list[dict[str, Any]]:
        """Live names entries whose id is one of `ids` or that name one of `card_ids`."""

    @abstractmethod
    def update_names(
        self, entries: Iterable[dict[str, Any]], *, delete_ids: Iterable[str] = ()
    ) -> int:
        """Create or replace `entries` (by id) and delete `delete_ids` in the live names index;
        returns the entries written."""

    @abstractmethod
    def swap_in(self, target: RebuildTarget, *, expected: int, meta: dict[str, Any]) -> list[str]:
        """Check the count, restore settings (and wait for the replicas), point the prints and
        names aliases at `target` atomically (together); returns the indices swapped out.
        Raises before the swap if anything is off; the aliases are then untouched. When the
        alias already points at `target` (a repeated step) nothing happens."""

    @abstractmethod
    def remove_old(self, target: RebuildTarget) -> list[str]:
        """Delete the indices of this alias family (prints and names) that are neither live
        (read right before deleting) nor `target`'s; returns the prints indices deleted."""

    def commit_rebuild(
        self, target: RebuildTarget, *, expected: int, meta: dict[str, Any]
    ) -> list[str]:
        """`swap_in`, then `remove_old`: returns the old indices deleted. Safe to repeat."""
        self.swap_in(target, expected=expected, meta=meta)
        return self.remove_old(target)

    @abstractmethod
    def abort_rebuild(self, target: RebuildTarget) -> None:
        """Delete the new indices (prints and names); the aliases are untouched, and an index
        the alias points at (the rebuild was already swapped in) is never deleted."""

    @abstractmethod
    def rebuild_state(self, target: RebuildTarget) -> str:
        """`live` (the alias points at `target`), `pending` (it exists, not live) or `missing`."""

    @abstractmethod
    def ready(self) -> str:
        """A short description when the engine can serve searches; raises otherwise
        (`NotReadyError` when it answers but the alias points at no index)."""

    @abstractmethod
    def status(self) -> EngineStatus: ...

    def spec(self) -> dict[str, Any] | None:
        """How another process re-creates this engine (`engine_from_spec`), when several
        processes may load one rebuild in parallel; None when only one writer may load."""
        return None

    def refresh(self) -> None:  # noqa: B027 - optional hook
        """Make recent writes visible to searches now (tests; both engines do it on their own)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections and readers."""


def make_engine(settings: Settings) -> SearchEngine:
    if settings.opensearch_url:
        from indexer.engines.opensearch import OpenSearchEngine

        return OpenSearchEngine(
            url=settings.opensearch_url,
            prefix=settings.sidedecked_index_prefix,
            replicas=settings.sidedecked_index_replicas,
        )
    from indexer.engines.tantivy_engine import TantivyEngine

    return TantivyEngine(directory=Path(settings.sidedecked_index_dir))


def engine_from_spec(spec: dict[str, Any]) -> SearchEngine:
    if spec["kind"] == "opensearch":
        from indexer.engines.opensearch import OpenSearchEngine

        return OpenSearchEngine(
            url=spec["url"], prefix=spec["prefix"], replicas=spec.get("replicas", 0)
        )
    raise ValueError(f"no engine of kind {spec['kind']!r} can be re-created")


_ENGINES: dict[tuple[str | None, str, str, int], SearchEngine] = {}


def get_engine() -> SearchEngine:
    """The configured engine, one per process and configuration."""
    settings = get_settings()
    key = (
        settings.opensearch_url,
        settings.sidedecked_index_prefix,
        str(settings.sidedecked_index_dir),
        settings.sidedecked_index_replicas,
    )
    if key not in _ENGINES:
        _ENGINES[key] = make_engine(settings)
    return _ENGINES[key]


def clear_engine_cache() -> None:
    """Close and forget every engine (tests, and after settings change)."""
    while _ENGINES:
        _, engine = _ENGINES.popitem()
        engine.close()
