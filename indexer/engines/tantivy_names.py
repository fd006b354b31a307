"""The embedded names index (autocomplete, see `indexer/names.py`): a tantivy folder
`names-v<schema>-<timestamp>/` created by each rebuild beside its prints folder (same
timestamp) and named in `current.json` under `names_index`, so one `os.replace` swaps both.

Suggestions rank exactly as on OpenSearch (`_score`, then `sort_key`): one scored query finds
the best `limit` entries; tantivy breaks score ties by index order, so when the list is full the
tier of its last entry is fetched again in `sort_key` order to fill the rest.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tantivy
from tantivy import Occur, Order, Query

from indexer import relevance as rel
from indexer.engines.tantivy_query import QueryCompiler, all_of, const
from indexer.engines.tantivy_schema import KEYWORD, WORDS, register_tokenizers
from indexer.fields import normalize_keyword
from indexer.query import Suggestion
from indexer.suggest import suggestion

SCHEMA_VERSION = 1
#: More than any name is shared by: the entries `find` may return.
FIND_MAX = 100_000


def build_names_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("game", tokenizer_name=KEYWORD, index_option="basic")
    sb.add_unsigned_field("card_ids", indexed=True)
    sb.add_text_field("keys", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("words", tokenizer_name=WORDS, index_option="basic")
    sb.add_text_field("sort_key", fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_bytes_field("_source", stored=True)
    return sb.build()


class TantivyNames:
    """Creating, writing and searching names folders (the engine owns the live one)."""

    def __init__(self) -> None:
        self.schema = build_names_schema()
        self.compiler = QueryCompiler(self.schema)

    def create(self, path: Path) -> None:
        path.mkdir(parents=True)
        register_tokenizers(tantivy.Index(self.schema, path=str(path), reuse=False))

    def open(self, path: Path) -> tantivy.Index:
        index = tantivy.Index.open(str(path))
        register_tokenizers(index)
        return index

    # writes -----------------------------------------------------------------------------
    def document(self, entry: dict[str, Any]) -> tantivy.Document:
        fields = {name: entry[name] for name in ("id", "game", "card_ids", "keys", "words")}
        fields["sort_key"] = entry["sort_key"]
        fields["_source"] = json.dumps(entry, separators=(",", ":")).encode()
        return tantivy.Document.from_dict(fields, self.schema)

    def add(self, writer: Any, entries: Iterable[dict[str, Any]]) -> int:
        count = 0
        for entry in entries:
            writer.add_document(self.document(entry))
            count += 1
        return count

    def replace(
        self, writer: Any, entries: Iterable[dict[str, Any]], delete_ids: Iterable[str]
    ) -> int:
        batch = list(entries)
        ids = sorted({*delete_ids, *(entry["id"] for entry in batch)})
        if ids:
            writer.delete_documents_by_query(Query.term_set_query(self.schema, "id", ids))
        return self.add(writer, batch)

    # reads ------------------------------------------------------------------------------
    def entry(self, searcher: tantivy.Searcher, addr: tantivy.DocAddress) -> dict[str, Any]:
        entry: dict[str, Any] = json.loads(searcher.doc(addr)["_source"][0])
        return entry

    def find(
        self, searcher: tantivy.Searcher, ids: Iterable[str], card_ids: Iterable[int]
    ) -> list[dict[str, Any]]:
        ids, card_ids = sorted(set(ids)), sorted(set(card_ids))
        clauses = []
        if ids:
            clauses.append(Query.term_set_query(self.schema, "id", ids))
        if card_ids:
            clauses.append(Query.term_set_query(self.schema, "card_ids", card_ids))
        if not clauses:
            return []
        query = Query.boolean_query([(Occur.Should, clause) for clause in clauses])
        hits = searcher.search(query, FIND_MAX).hits
        return [self.entry(searcher, addr) for _, addr in hits]

    def suggest(
        self, searcher: tantivy.Searcher, plan: rel.TextPlan, game: str | None, limit: int
    ) -> list[Suggestion]:
        base = self.compiler.name_words(plan, "words")
        if game:
            base = all_of([base, self.compiler.term("game", normalize_keyword(game))])
        tiers = [
            (score, self.compiler.name_condition(condition, plan, keys="keys", words="words"))
            for score, condition in rel.suggest_tiers(plan)
        ]
        best_tier = Query.disjunction_max_query([const(query, score) for score, query in tiers])
        scored = Query.boolean_query([(Occur.Must, const(base, 0.0)), (Occur.Should, best_tier)])
        hits = searcher.search(scored, limit).hits
        ranked = [(float(score), self.entry(searcher, addr)) for score, addr in hits]
        if len(ranked) == limit:  # the last tier may be cut short in index order: refill it
            last = ranked[-1][0]
            above = [(score, entry) for score, entry in ranked if score > last]
            tier = next((query for score, query in tiers if score == last), None)
            query = base if tier is None else all_of([base, tier])
            taken = {entry["id"] for _, entry in above}
            again = searcher.search(query, limit, order_by_field="sort_key", order=Order.Asc).hits
            fill = [self.entry(searcher, addr) for _, addr in again]
            fill = [entry for entry in fill if entry["id"] not in taken][: limit - len(above)]
            ranked = above + [(last, entry) for entry in fill]
        ranked.sort(key=lambda scored_entry: (-scored_entry[0], scored_entry[1]["sort_key"]))
        return [suggestion(entry) for _, entry in ranked[:limit]]
