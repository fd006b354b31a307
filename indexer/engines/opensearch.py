"""The OpenSearch engine: the application reads and writes the alias `<prefix>-prints`.

Rebuild (warehouse style): create `<alias>-v<N>-<timestamp>` from `opensearch/prints/vN.json`
with the catalog's set-code synonyms inlined, replicas 0 and refresh off; `parallel_bulk`; check
the count; restore the definition's settings and set `SIDEDECKED_INDEX_REPLICAS` replicas (waiting
for them to be active); one `update_aliases` call (remove old + add new); delete the old index.
Each step is safe to repeat (a chunked rebuild's task may run twice): a swap finds the alias on
its target already, and deletion re-reads the alias and never deletes the live index. Any failure deletes the new index and leaves the alias alone. The names
index `<prefix>-names` (autocomplete, `opensearch_names.py`) is rebuilt beside it and swapped by
the same `update_aliases` call.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from opensearchpy import OpenSearch, helpers
from opensearchpy.exceptions import ConnectionError as OSConnectionError
from opensearchpy.exceptions import NotFoundError, RequestError, TransportError

from indexer.cursor import decode_cursor, encode_cursor, page_offset
from indexer.definitions import alias_name, current_version, load_definition, new_index_name
from indexer.documents import compact, result_document
from indexer.engine import (
    EngineStatus,
    EngineUnavailableError,
    NotReadyError,
    RebuildError,
    RebuildTarget,
    SearchEngine,
)
from indexer.engines.opensearch_client import opensearch_client
from indexer.engines.opensearch_names import OpenSearchNames
from indexer.engines.opensearch_query import (
    card_total,
    facets_body,
    hits_body,
    parse_facets,
    prints_body,
)
from indexer.query import SearchHit, SearchRequest, SearchResult, Suggestion
from indexer.suggest import suggest_plan

log = logging.getLogger(__name__)
BULK_CHUNK = 1000
BULK_THREADS = 2
#: Settings while a rebuild loads (restored from the definition before the swap).
LOAD_SETTINGS = {
    "index": {
        "number_of_replicas": 0,
        "refresh_interval": "-1",
        "translog": {"durability": "async"},
    }
}
#: Settings restored from the definition before the swap (replicas come from the settings).
RESTORED_SETTINGS = ("refresh_interval", "translog")
#: Seconds a rebuild waits for its new indices' replicas to be active before the swap.
REPLICA_WAIT_S = 300
#: Seconds `/ready` waits for the cluster's health.
READY_TIMEOUT_S = 2
#: What `_msearch` answers are read for (per-card count buckets left on the server).
MSEARCH_FILTER_PATH = "-responses.aggregations.card_total.cards"
#: An `_msearch` item's error status -> the exception a lone search raises.
TRANSPORT_ERRORS: dict[int, type[TransportError]] = {400: RequestError, 404: NotFoundError}


class OpenSearchEngine(SearchEngine):
    kind = "opensearch"

    def __init__(
        self, *, url: str, prefix: str, client: OpenSearch | None = None, replicas: int = 0
    ) -> None:
        self.url = url
        self.prefix = prefix
        self.alias = alias_name(prefix)
        #: Replicas of each index once a rebuild's bulk load is done (`SIDEDECKED_INDEX_REPLICAS`).
        self.replicas = replicas
        self.client = client or opensearch_client(url)
        self.names = OpenSearchNames(self.client, prefix, replicas=replicas)

    # the live index ---------------------------------------------------------------------------
    def live_indices(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            return []

    def _all_indices(self) -> list[str]:
        found = self.client.indices.get(index=f"{self.alias}-v*", expand_wildcards="all")
        return sorted(found)

    def _ensure_live(self) -> None:
        """Incremental writes before any rebuild: start an empty live index."""
        if self.live_indices():
            return
        target = self.begin_rebuild(synonyms=[])
        self.commit_rebuild(target, expected=0, meta={"bootstrap": True})

    # writes ------------------------------------------------------------------------------------
    def _bulk(self, actions: Iterable[dict[str, Any]]) -> int:
        """Apply index/delete actions; raise EngineUnavailableError unless all were applied.

        A document the index refuses for good (a 4xx other than 429, e.g. a mapping error) is
        logged and skipped: retrying it could never succeed and would block the outbox."""
        ok = 0
        failures = []
        try:
            for success, info in helpers.streaming_bulk(
                self.client,
                actions,
                chunk_size=BULK_CHUNK,
                max_retries=3,
                raise_on_error=False,
                raise_on_exception=True,
            ):
                if success or _is_missing_delete(info):
                    ok += 1
                elif _is_rejected(info):
                    log.error("OpenSearch rejected a document, skipped: %s", info)
                else:
                    failures.append(info)
        except (OSConnectionError, TransportError) as exc:
            raise EngineUnavailableError(f"OpenSearch bulk failed: {exc}") from exc
        if failures:
            raise EngineUnavailableError(f"{len(failures)} bulk actions failed: {failures[:3]}")
        return ok

    def index_documents(self, docs: Iterable[dict[str, Any]]) -> int:
        try:
            self._ensure_live()
        except (OSConnectionError, TransportError) as exc:
            raise EngineUnavailableError(f"OpenSearch unavailable: {exc}") from exc
        return self._bulk(
            {
                "_op_type": "index",
                "_index": self.alias,
                "_id": str(d["print_id"]),
                "_source": compact(d),
            }
            for d in docs
        )

    def delete_documents(self, print_ids: Iterable[int]) -> int:
        ids = list(print_ids)
        try:
            if not ids or not self.live_indices():
                return 0
        except (OSConnectionError, TransportError) as exc:
            raise EngineUnavailableError(f"OpenSearch unavailable: {exc}") from exc
        return self._bulk({"_op_type": "delete", "_index": self.alias, "_id": str(i)} for i in ids)

    # reads -------------------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResult:
        """At most two round trips: `_msearch` of the page of hits and the facet counts, then
        one query for the print lists of the page's cards."""
        cursor = decode_cursor(request)
        searches = [hits_body(request, cursor)]
        facets = facets_body(request)
        if facets is not None:
            searches.append(facets)
        try:
            responses = self._msearch(searches)
        except NotFoundError:
            return SearchResult(total=0, hits=[], facets={f: [] for f in request.facets})
        found, counted = responses[0], responses[-1] if facets is not None else {}
        raw_hits = found["hits"]["hits"]
        aggs = counted.get("aggregations", {})
        if request.unique == "cards":
            total = card_total(aggs)
        else:
            total = int(found["hits"]["total"]["value"])
        prints = self._print_lists(request, raw_hits)
        hits = []
        for h in raw_hits:
            inner, inner_total = prints.get(h["_source"]["card_id"], ([], None))
            hits.append(
                SearchHit(
                    document=result_document(h["_source"]),
                    score=h.get("_score"),
                    prints=inner,
                    prints_total=inner_total,
                )
            )
        next_cursor = None
        if len(hits) == request.page_size:
            if request.unique == "prints":
                next_cursor = encode_cursor(request, after=raw_hits[-1]["sort"])
            elif page_offset(request, cursor) + len(hits) < total:
                next_cursor = encode_cursor(
                    request, offset=page_offset(request, cursor) + len(hits)
                )
        facet_counts = parse_facets(aggs, request.unique)
        return SearchResult(
            total=total,
            hits=hits,
            facets={f: facet_counts.get(f, []) for f in request.facets},
            next_cursor=next_cursor,
        )

    def _msearch(self, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Run `bodies` in one `_msearch` round trip; an item's error is raised as the
        exception a lone search would have raised."""
        lines: list[dict[str, Any]] = []
        for body in bodies:
            lines += [{}, body]
        response = self.client.msearch(
            index=self.alias, body=lines, filter_path=MSEARCH_FILTER_PATH
        )
        items: list[dict[str, Any]] = response["responses"]
        for item in items:
            if "error" in item:
                status = int(item.get("status", 500))
                error = item["error"]
                kind = error.get("type", "error") if isinstance(error, dict) else str(error)
                raise TRANSPORT_ERRORS.get(status, TransportError)(status, kind, error)
        return items

    def _print_lists(
        self, request: SearchRequest, raw_hits: list[dict[str, Any]]
    ) -> dict[int, tuple[list[dict[str, Any]], int]]:
        """card_id -> (its best `prints_per_card` matching prints (documents), how many of
        its prints match in all)."""
        if request.unique != "cards" or not request.prints_per_card or not raw_hits:
            return {}
        card_ids = [h["_source"]["card_id"] for h in raw_hits]
        response = self.client.search(index=self.alias, body=prints_body(request, card_ids))
        return {
            int(bucket["key"]): (
                [result_document(p["_source"]) for p in bucket["top"]["hits"]["hits"]],
                int(bucket["doc_count"]),
            )
            for bucket in response["aggregations"]["by_card"]["buckets"]
        }

    def suggest(self, prefix: str, game: str | None = None, limit: int = 20) -> list[Suggestion]:
        plan = suggest_plan(prefix, limit)
        return [] if plan is None else self.names.suggest(plan, game, limit)

    # the names index ---------------------------------------------------------------------------
    def load_names(self, target: RebuildTarget, entries: Iterable[dict[str, Any]]) -> int:
        return self._load(self.names.actions(entries, index=self.names.index_for(target.name)))

    def find_names(
        self, *, ids: Iterable[str] = (), card_ids: Iterable[int] = ()
    ) -> list[dict[str, Any]]:
        try:
            return self.names.find(ids, card_ids)
        except (OSConnectionError, TransportError) as exc:
            raise EngineUnavailableError(f"OpenSearch unavailable: {exc}") from exc

    def update_names(
        self, entries: Iterable[dict[str, Any]], *, delete_ids: Iterable[str] = ()
    ) -> int:
        batch = list(entries)
        try:
            self._ensure_live()
            self.names.ensure_live(self.live_indices()[0])
        except (OSConnectionError, TransportError) as exc:
            raise EngineUnavailableError(f"OpenSearch unavailable: {exc}") from exc
        self._bulk(self.names.actions(batch, delete_ids=delete_ids))
        return len(batch)

    def count(self) -> int:
        try:
            return int(self.client.count(index=self.alias)["count"])
        except NotFoundError:
            return 0

    # rebuild -----------------------------------------------------------------------------------
    def begin_rebuild(self, *, synonyms: list[str]) -> RebuildTarget:
        live = set(self.live_indices())
        for orphan in set(self._all_indices()) - live:  # left by a crashed rebuild
            self.client.indices.delete(index=orphan, ignore_unavailable=True)
        version = current_version()
        name = new_index_name(self.alias, version)
        body = load_definition(version=version, synonyms=synonyms)
        body["settings"]["index"].update(LOAD_SETTINGS["index"])
        self.client.indices.create(index=name, body=body)
        try:
            self.names.create(name, LOAD_SETTINGS["index"])
        except BaseException:
            self.client.indices.delete(index=name, ignore_unavailable=True)
            raise
        return RebuildTarget(name=name, version=version)

    def load(self, target: RebuildTarget, docs: Iterable[dict[str, Any]]) -> int:
        return self._load(_index_actions(target.name, docs))

    def _load(self, actions: Iterable[dict[str, Any]]) -> int:
        """Bulk-load a rebuild's index actions; raises if any is rejected."""
        ok = 0
        failures: list[Any] = []
        for success, info in helpers.parallel_bulk(
            self.client,
            actions,
            thread_count=BULK_THREADS,
            chunk_size=BULK_CHUNK,
            raise_on_error=False,
            raise_on_exception=True,
        ):
            if success:
                ok += 1
            else:
                failures.append(info)
        if failures:
            raise RebuildError(f"{len(failures)} documents rejected, e.g. {failures[:2]}")
        return ok

    def _restored(self, version: int) -> dict[str, Any]:
        """The settings a loaded index gets back before the swap."""
        definition = load_definition(version=version)["settings"]["index"]
        return {
            **{key: definition[key] for key in RESTORED_SETTINGS},
            "number_of_replicas": self.replicas,
        }

    def swap_in(self, target: RebuildTarget, *, expected: int, meta: dict[str, Any]) -> list[str]:
        live = self.live_indices()
        if live == [target.name]:
            log.info("%s is live already: nothing to swap", target.name)
            return []
        if not self.client.indices.exists(index=target.name):
            raise RebuildError(f"{target.name} does not exist (the rebuild was aborted)")
        self.client.indices.refresh(index=target.name)
        count = int(self.client.count(index=target.name)["count"])
        if count != expected:
            raise RebuildError(f"{target.name} holds {count} documents, expected {expected}")
        restore = self._restored(target.version)
        self.client.indices.put_settings(index=target.name, body={"index": restore})
        full_meta = {**meta, "version": target.version, "doc_count": count}
        self.client.indices.put_mapping(index=target.name, body={"_meta": full_meta})
        names_actions, names_index = self.names.prepare_swap(target.name, self.replicas)
        self._wait_for_replicas([target.name, names_index])
        # a wildcard remove: whatever the alias points at, and nothing fails when a repeated
        # step finds an index already swapped out
        actions = [
            {"remove": {"index": f"{self.alias}-v*", "alias": self.alias}},
            {"add": {"index": target.name, "alias": self.alias}},
        ]
        self.client.indices.update_aliases(body={"actions": [*actions, *names_actions]})
        return live

    def _wait_for_replicas(self, indices: list[str]) -> None:
        """With replicas, wait until every copy of the new indices is active (green)."""
        if self.replicas <= 0:
            return
        health = self.client.cluster.health(
            index=",".join(indices),
            wait_for_status="green",
            timeout=f"{REPLICA_WAIT_S}s",
            # a timed-out wait answers 408 with the health: read it, not raised
            params={"request_timeout": REPLICA_WAIT_S + 30, "ignore": 408},
        )
        if health.get("timed_out"):
            raise RebuildError(
                f"the {self.replicas} replica(s) of {', '.join(indices)} were not active after "
                f"{REPLICA_WAIT_S} s (health {health.get('status')}, "
                f"{health.get('unassigned_shards')} unassigned shards; a cluster needs at least "
                f"replicas + 1 nodes)"
            )

    def remove_old(self, target: RebuildTarget) -> list[str]:
        keep = {target.name, *self.live_indices()}  # read right before deleting
        removed = [name for name in self._all_indices() if name not in keep]
        for name in removed:
            self.client.indices.delete(index=name, ignore_unavailable=True)
        self.names.remove_old(target.name)
        return removed

    def abort_rebuild(self, target: RebuildTarget) -> None:
        if target.name in self.live_indices():
            log.warning("not deleting %s: the alias points at it", target.name)
            return
        self.client.indices.delete(index=target.name, ignore_unavailable=True)
        self.names.abort(target.name)

    def rebuild_state(self, target: RebuildTarget) -> str:
        if target.name in self.live_indices():
            return "live"
        return "pending" if self.client.indices.exists(index=target.name) else "missing"

    def ready(self) -> str:
        health = self.client.cluster.health(params={"request_timeout": READY_TIMEOUT_S})
        status = health["status"]
        if status == "red":
            raise RuntimeError("cluster status is red")
        live = self.live_indices()
        if not live:
            raise NotReadyError(
                f"the alias {self.alias} points at no index (run `sidedecked index rebuild`)"
            )
        return f"opensearch ({status}; {self.alias} -> {live[0]})"

    def status(self) -> EngineStatus:
        try:
            live = self.live_indices()
            others = [name for name in self._all_indices() if name not in live]
            meta = {}
            if live:
                mapping = self.client.indices.get_mapping(index=live[0])[live[0]]["mappings"]
                meta = mapping.get("_meta", {})
            replicas, health = None, None
            if live:
                found = self.client.indices.get_settings(index=live[0], name="*.number_of_replicas")
                replicas = int(found[live[0]]["settings"]["index"]["number_of_replicas"])
                health = self.client.cluster.health(index=live[0])["status"]
            return EngineStatus(
                engine=self.kind,
                alias=self.alias,
                live_index=live[0] if live else None,
                doc_count=self.count() if live else None,
                last_rebuild=meta,
                other_indices=others,
                replicas=replicas,
                health=health,
            )
        except (OSConnectionError, TransportError) as exc:
            return EngineStatus(
                engine=self.kind, alias=self.alias, live_index=None, doc_count=None, error=str(exc)
            )

    def spec(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "url": self.url,
            "prefix": self.prefix,
            "replicas": self.replicas,
        }

    def refresh(self) -> None:
        if self.live_indices():
            self.client.indices.refresh(index=self.alias)
        if self.names.live_indices():
            self.client.indices.refresh(index=self.names.alias)

    def close(self) -> None:
        self.client.close()


def _index_actions(index: str, docs: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for doc in docs:
        yield {"_index": index, "_id": str(doc["print_id"]), "_source": compact(doc)}


def _inner(hit: dict[str, Any]) -> list[dict[str, Any]]:
    inner: list[dict[str, Any]] = (
        hit.get("inner_hits", {}).get("prints", {}).get("hits", {}).get("hits", [])
    )
    return inner


def _is_rejected(info: dict[str, Any]) -> bool:
    result: dict[str, Any] = next(iter(info.values()), {})
    status = int(result.get("status", 0))
    return 400 <= status < 500 and status != 429


def _is_missing_delete(info: dict[str, Any]) -> bool:
    return bool(info.get("delete", {}).get("status") == 404)
