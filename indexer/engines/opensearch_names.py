"""The OpenSearch names index (autocomplete, see `indexer/names.py`): alias `<prefix>-names`.

Each rebuild creates `<prefix>-names-v<N>-<timestamp>` from `opensearch/names/vN.json` beside
its new prints index (same timestamp); the engine swaps both aliases in its one
`update_aliases` call, and a failed rebuild deletes both.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from opensearchpy import OpenSearch
from opensearchpy.exceptions import NotFoundError

from indexer import relevance as rel
from indexer.definitions import (
    NAMES_INDEX,
    alias_name,
    companion_index_name,
    current_version,
    load_definition,
    version_of,
)
from indexer.engine import RebuildError
from indexer.engines.opensearch_query import suggest_body
from indexer.query import Suggestion
from indexer.suggest import suggestion

#: More than any name is shared by: the entries `find` may return.
FIND_MAX = 10_000


class OpenSearchNames:
    def __init__(self, client: OpenSearch, prefix: str, *, replicas: int = 0) -> None:
        self.client = client
        self.alias = alias_name(prefix, NAMES_INDEX)
        self.replicas = replicas

    def index_for(self, prints_index: str) -> str:
        """The names index a rebuild creates beside its new `prints_index`."""
        return companion_index_name(prints_index, self.alias, current_version(NAMES_INDEX))

    def live_indices(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            return []

    def all_indices(self) -> list[str]:
        return sorted(self.client.indices.get(index=f"{self.alias}-v*", expand_wildcards="all"))

    # rebuild -----------------------------------------------------------------------------------
    def create(self, prints_index: str, load_settings: dict[str, Any]) -> str:
        """Create the (empty) names index of a rebuild, tuned for loading; deletes the names
        indices a crashed rebuild left."""
        live = set(self.live_indices())
        for orphan in set(self.all_indices()) - live:
            self.client.indices.delete(index=orphan, ignore_unavailable=True)
        name = self.index_for(prints_index)
        body = load_definition(index=NAMES_INDEX, version=version_of(name))
        body["settings"]["index"].update(load_settings)
        self.client.indices.create(index=name, body=body)
        return name

    def prepare_swap(self, prints_index: str, replicas: int) -> tuple[list[dict[str, Any]], str]:
        """Make the rebuild's names index searchable with its definition's settings and
        `replicas`; returns the alias actions that swap it in (for the engine's one
        `update_aliases` call) and its name."""
        name = self.index_for(prints_index)
        if not self.client.indices.exists(index=name):
            raise RebuildError(f"{prints_index} has no names index {name}")
        self.client.indices.refresh(index=name)
        definition = load_definition(index=NAMES_INDEX, version=version_of(name))
        restore = {
            "refresh_interval": definition["settings"]["index"]["refresh_interval"],
            "translog": definition["settings"]["index"]["translog"],
            "number_of_replicas": replicas,
        }
        self.client.indices.put_settings(index=name, body={"index": restore})
        actions = [
            {"remove": {"index": f"{self.alias}-v*", "alias": self.alias}},
            {"add": {"index": name, "alias": self.alias}},
        ]
        return actions, name

    def remove_old(self, prints_index: str) -> list[str]:
        """Delete the names indices that are neither live (read now) nor `prints_index`'s."""
        keep = {self.index_for(prints_index), *self.live_indices()}
        removed = [name for name in self.all_indices() if name not in keep]
        for name in removed:
            self.client.indices.delete(index=name, ignore_unavailable=True)
        return removed

    def abort(self, prints_index: str) -> None:
        name = self.index_for(prints_index)
        if name not in self.live_indices():
            self.client.indices.delete(index=name, ignore_unavailable=True)

    def ensure_live(self, prints_index: str) -> None:
        """A live prints index built before names existed gets an empty names index."""
        if self.live_indices():
            return
        name = self.index_for(prints_index)
        if not self.client.indices.exists(index=name):
            body = load_definition(index=NAMES_INDEX, version=version_of(name))
            body["settings"]["index"]["number_of_replicas"] = self.replicas
            self.client.indices.create(index=name, body=body)
        self.client.indices.update_aliases(
            body={"actions": [{"add": {"index": name, "alias": self.alias}}]}
        )

    # reads and incremental writes --------------------------------------------------------------
    def actions(
        self,
        entries: Iterable[dict[str, Any]],
        *,
        index: str | None = None,
        delete_ids: Iterable[str] = (),
    ) -> Iterator[dict[str, Any]]:
        target = index or self.alias
        for entry in entries:
            yield {"_op_type": "index", "_index": target, "_id": entry["id"], "_source": entry}
        for entry_id in delete_ids:
            yield {"_op_type": "delete", "_index": target, "_id": entry_id}

    def find(self, ids: Iterable[str], card_ids: Iterable[int]) -> list[dict[str, Any]]:
        """Entries by id (a realtime `mget`) or naming one of `card_ids` (a search)."""
        ids, card_ids = sorted(set(ids)), sorted(set(card_ids))
        found: dict[str, dict[str, Any]] = {}
        try:
            if ids:
                response = self.client.mget(index=self.alias, body={"ids": ids})
                found |= {d["_id"]: d["_source"] for d in response["docs"] if d.get("found")}
            if card_ids:
                body = {"query": {"terms": {"card_ids": card_ids}}, "size": FIND_MAX}
                hits = self.client.search(index=self.alias, body=body)["hits"]["hits"]
                found |= {hit["_id"]: hit["_source"] for hit in hits}
        except NotFoundError:
            return []
        return list(found.values())

    def suggest(self, plan: rel.TextPlan, game: str | None, limit: int) -> list[Suggestion]:
        try:
            response = self.client.search(index=self.alias, body=suggest_body(plan, game, limit))
        except NotFoundError:
            return []
        return [suggestion(hit["_source"]) for hit in response["hits"]["hits"]]
