"""Searching the embedded index: ordering, grouping by card and facets (suggestions come from
the names index, `tantivy_names.py`).

Paging: tantivy collects the top `offset + size` documents in sort order (every sort key is
unique per document, so the order is total); the cursor is that offset. With unique=cards the
ordered documents are grouped by card_id keeping each card's first (best) print, exactly what
OpenSearch's collapse does; the total counts those cards exactly (indexer/grain.py), and the
total and facet counts of a request are remembered per index generation.
Facets run the aggregation once per distinct filter set (a facet ignores its own selection).
"""

from __future__ import annotations

from collections.abc import Hashable, MutableMapping
from typing import Any, cast

import tantivy
from tantivy import Order, Query

from indexer.cursor import InvalidCursorError, decode_cursor, encode_cursor, page_offset
from indexer.documents import result_document
from indexer.engines.tantivy_query import QueryCompiler, filtered
from indexer.engines.tantivy_schema import NUMERIC_SORTS, load_source
from indexer.fields import FACET_FIELDS, FACET_SIZE
from indexer.grain import (
    CARD_HEAD_FIELD,
    MAX_CARD_BUCKETS,
    facet_counts_card_heads,
    request_is_card_level,
)
from indexer.query import SearchHit, SearchRequest, SearchResult

Hit = tuple[float | None, tantivy.DocAddress]
#: The total and the facet counts of a search (what `TantivySearch.counts` remembers).
Counts = tuple[int, dict[str, list[tuple[str, int]]]]


def hit_count(result: tantivy.SearchResult) -> int:
    """The total of a search run with `count=True` (tantivy's stub omits `SearchResult.count`)."""
    count: int = result.count  # type: ignore[attr-defined]
    return count


def count_key(request: SearchRequest) -> Hashable:
    """What the total and the facet counts of a request depend on (not paging or sort)."""
    filters = tuple(sorted((name, tuple(values)) for name, values in request.filters.items()))
    return (
        request.query,
        filters,
        request.price_min,
        request.price_max,
        request.unique,
        request.facets,
    )


class TantivySearch:
    #: The print-list window for a page's cards: `prints_per_card * cards * FACTOR + SLACK`
    #: ordered prints; counts come from the window unless it was full.
    PRINT_WINDOW_FACTOR = 4
    PRINT_WINDOW_SLACK = 100

    def __init__(
        self,
        searcher: tantivy.Searcher,
        schema: tantivy.Schema,
        memo: MutableMapping[Hashable, Counts] | None = None,
    ) -> None:
        self.searcher = searcher
        self.compiler = QueryCompiler(schema)
        #: Counts already worked out on this index generation (the engine owns and clears it).
        self.memo = memo

    # ordering ---------------------------------------------------------------------------
    def ordered(self, query: Query, request: SearchRequest, limit: int) -> list[Hit]:
        """The first `limit` matches in the request's sort order."""
        if limit <= 0:
            return []
        if request.sort == "relevance":
            hits = self.searcher.search(query, limit, weight_by_field="rank_boost").hits
            return [(float(score), addr) for score, addr in hits]
        if request.sort == "name":
            field = "sk_name"
        elif request.sort == "set":
            field = f"sk_set_{request.direction}"
        elif request.sort in NUMERIC_SORTS:
            field = f"sk_{request.sort}_{request.direction}"
        else:
            raise ValueError(f"unknown sort {request.sort!r}")
        order = Order.Asc if request.direction == "asc" else Order.Desc
        hits = self.searcher.search(query, limit, order_by_field=field, order=order).hits
        return [(None, addr) for _, addr in hits]

    def card_ids(self, addresses: list[tantivy.DocAddress]) -> list[int]:
        """The `card_id` of each document (a fast field every document has)."""
        return cast(list[int], self.searcher.fast_field_values("card_id", addresses))

    def grouped(self, query: Query, request: SearchRequest, needed: int) -> list[list[Hit]]:
        """The first `needed` cards in sort order, each as its matching prints (best first)."""
        limit = max(needed * 3, 100)
        while True:
            hits = self.ordered(query, request, limit)
            card_ids = self.card_ids([a for _, a in hits])
            groups: dict[int, list[Hit]] = {}
            for hit, card_id in zip(hits, card_ids, strict=True):
                groups.setdefault(card_id, []).append(hit)
            if len(groups) >= needed or len(hits) < limit:
                return list(groups.values())[:needed]
            limit *= 4

    # search -----------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResult:
        cursor = decode_cursor(request)
        if cursor is not None and cursor.after is not None:
            raise InvalidCursorError("not a cursor of the embedded engine")
        offset = page_offset(request, cursor)
        main = self.compiler.compile(request.query)
        price = self.compiler.price(request)
        selections = {f: self.compiler.selection(f, v) for f, v in request.filters.items() if v}
        base = [price] if price is not None else []
        query = filtered(main, [*base, *selections.values()])
        end = offset + request.page_size
        if request.unique == "cards":
            groups = self.grouped(query, request, end)[offset:end]
            page = [group[0] for group in groups]
            prints, totals = self._inner_prints(query, request, groups, request.prints_per_card)
        else:
            page = self.ordered(query, request, end)[offset:end]
            prints = [[] for _ in page]
            totals = [None for _ in page]
        total, facets = self.counts(request, main, base, selections, query)
        hits = [
            SearchHit(document=self.document(addr), score=score, prints=inner, prints_total=n)
            for (score, addr), inner, n in zip(page, prints, totals, strict=True)
        ]
        more = offset + len(hits) < total and len(hits) == request.page_size
        return SearchResult(
            total=total,
            hits=hits,
            facets=facets,
            next_cursor=encode_cursor(request, offset=offset + len(hits)) if more else None,
        )

    def document(self, addr: tantivy.DocAddress) -> dict[str, Any]:
        """The `RESULT_FIELDS` of a stored document (what OpenSearch's source filter returns)."""
        return result_document(load_source(self.searcher.doc(addr)))

    def counts(
        self,
        request: SearchRequest,
        main: Query,
        base: list[Query],
        selections: dict[str, Query],
        query: Query,
    ) -> Counts:
        """The total and the facet counts, remembered per index generation (`self.memo`):
        the in-process counterpart of OpenSearch's shard request cache."""
        key = count_key(request)
        remembered = self.memo.get(key) if self.memo is not None else None
        if remembered is not None:
            return remembered
        if request.unique == "cards":
            total = self.card_count(request, query)
        else:
            total = hit_count(self.searcher.search(query, 1, count=True))
        counted = (total, self.facets(request, main, base, selections))
        if self.memo is not None:
            self.memo[key] = counted
        return counted

    def card_count(self, request: SearchRequest, query: Query) -> int:
        """Matching cards, exactly: card heads when every condition is card-level (a filter),
        else the distinct card ids of the matches (see indexer/grain.py)."""
        if request_is_card_level(request):
            heads = filtered(query, [self.compiler.term(CARD_HEAD_FIELD, 1)])
            return hit_count(self.searcher.search(heads, 1, count=True))
        buckets = {"terms": {"field": "card_id", "size": MAX_CARD_BUCKETS}}
        result = self.searcher.aggregate(query, {"cards": buckets})
        return len(result.get("cards", {}).get("buckets", []))

    def _inner_prints(
        self, query: Query, request: SearchRequest, groups: list[list[Hit]], size: int
    ) -> tuple[list[list[dict[str, Any]]], list[int | None]]:
        """Each group's card's first `size` matching prints and how many match in all."""
        if not size or not groups:
            return [[] for _ in groups], [None for _ in groups]
        # The window may have cut a card's prints short: ask again for just these cards.
        ids = self.card_ids([g[0][1] for g in groups])
        only = filtered(query, [Query.term_set_query(self.compiler.schema, "card_id", ids)])
        window = size * len(groups) * self.PRINT_WINDOW_FACTOR + self.PRINT_WINDOW_SLACK
        hits = self.ordered(only, request, window)
        by_card: dict[int, list[dict[str, Any]]] = {card_id: [] for card_id in ids}
        counted = dict.fromkeys(ids, 0)
        card_ids = self.card_ids([a for _, a in hits])
        for (_, addr), card_id in zip(hits, card_ids, strict=True):
            counted[card_id] += 1
            if len(by_card[card_id]) < size:
                by_card[card_id].append(self.document(addr))
        if len(hits) >= window:  # the window was full: count the rest with one aggregation
            counted = self._count_by_card(only, ids)
        return [by_card[c] for c in ids], [counted.get(c, 0) for c in ids]

    def _count_by_card(self, query: Query, ids: list[int]) -> dict[int, int]:
        by_card = {"terms": {"field": "card_id", "size": len(ids)}}
        result = self.searcher.aggregate(query, {"cards": by_card})
        buckets = result.get("cards", {}).get("buckets", [])
        return {int(b["key"]): int(b["doc_count"]) for b in buckets}

    # facets -----------------------------------------------------------------------------
    def facets(
        self,
        request: SearchRequest,
        main: Query,
        base: list[Query],
        selections: dict[str, Query],
    ) -> dict[str, list[tuple[str, int]]]:
        # one aggregation per distinct scope: (the selections applied, card heads only)
        by_scope: dict[tuple[frozenset[str], bool], list[str]] = {}
        for facet in request.facets:
            applied = frozenset(name for name in selections if name != facet)
            heads = facet_counts_card_heads(request, facet)
            by_scope.setdefault((applied, heads), []).append(facet)
        out: dict[str, list[tuple[str, int]]] = {}
        for (applied, heads), facets in by_scope.items():
            scope = [*base, *(selections[name] for name in sorted(applied))]
            if heads:  # one document per card: doc counts are card counts
                scope.append(self.compiler.term(CARD_HEAD_FIELD, 1))
            aggs = {}
            for facet in facets:
                terms: dict[str, Any] = {
                    "terms": {"field": FACET_FIELDS[facet], "size": FACET_SIZE}
                }
                if request.unique == "cards" and not heads:
                    terms["aggs"] = {"cards": {"cardinality": {"field": "card_id"}}}
                aggs[facet] = terms
            result = self.searcher.aggregate(filtered(main, scope), aggs)
            for facet in facets:
                buckets = result.get(facet, {}).get("buckets", [])
                counts = [
                    (str(b["key"]), round(b["cards"]["value"]) if "cards" in b else b["doc_count"])
                    for b in buckets
                ]
                out[facet] = sorted(counts, key=lambda kv: (-kv[1], kv[0]))
        return {facet: out[facet] for facet in request.facets}
