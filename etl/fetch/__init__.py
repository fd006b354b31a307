"""Shared fetch machinery: `run.fetch_source` (one source's download), `http` (rate limits,
retries, conditional and resumable downloads), `context` and `base` (what a source's fetch
module works with and reports). Each source's own fetcher is `etl/sources/<name>/fetch.py`."""
