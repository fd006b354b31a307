"""One implementation of `indexer.engine.SearchEngine` per engine: OpenSearch and tantivy."""
