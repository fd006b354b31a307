"""The search API benchmark (`python -m bench.search.run`; docs/benchmarks.md)."""
