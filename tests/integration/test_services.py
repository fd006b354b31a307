"""The real services started by `make services` do what the catalog needs of them."""

from __future__ import annotations

import redis


def test_opensearch_analysis_common_is_installed(opensearch_client) -> None:
    tokens = opensearch_client.indices.analyze(
        body={
            "tokenizer": "standard",
            "filter": ["lowercase", "asciifolding"],
            "text": "Pokégear Lim-Dûl",
        }
    )["tokens"]
    assert [t["token"] for t in tokens] == ["pokegear", "lim", "dul"]


def test_opensearch_index_with_card_analyzers(opensearch_client, opensearch_prefix) -> None:
    index = f"{opensearch_prefix}-analyzers"
    opensearch_client.indices.create(
        index=index,
        body={
            "settings": {
                "analysis": {
                    "filter": {
                        "autocomplete": {"type": "edge_ngram", "min_gram": 2, "max_gram": 15},
                        "codes": {"type": "word_delimiter_graph", "preserve_original": True},
                        "sets": {"type": "synonym_graph", "synonyms": ["pal, sv2"]},
                    },
                    "analyzer": {
                        "folded_prefix": {
                            "tokenizer": "standard",
                            "filter": ["lowercase", "asciifolding", "autocomplete"],
                        },
                        "codes": {"tokenizer": "whitespace", "filter": ["codes", "lowercase"]},
                        "sets": {"tokenizer": "standard", "filter": ["lowercase", "sets"]},
                    },
                }
            }
        },
    )
    prefix = opensearch_client.indices.analyze(
        index=index, body={"analyzer": "folded_prefix", "text": "Pokégear"}
    )
    assert {"po", "pok", "poke", "pokegear"} <= {t["token"] for t in prefix["tokens"]}
    codes = opensearch_client.indices.analyze(
        index=index, body={"analyzer": "codes", "text": "LOB-EN001 199/165"}
    )
    assert {"lob-en001", "lob", "en", "001", "199/165", "199", "165"} <= {
        t["token"] for t in codes["tokens"]
    }
    sets = opensearch_client.indices.analyze(index=index, body={"analyzer": "sets", "text": "PAL"})
    assert {"pal", "sv2"} <= {t["token"] for t in sets["tokens"]}


def test_redis_round_trip(redis_url) -> None:
    client = redis.Redis.from_url(redis_url)
    client.set("sidedecked:test", "ok")
    assert client.get("sidedecked:test") == b"ok"
    client.close()
