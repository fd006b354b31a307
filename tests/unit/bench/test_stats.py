"""Nearest-rank percentiles, the definition the wrk script uses too."""

from __future__ import annotations

import math

from bench.search.stats import Stats, percentile


def test_nearest_rank_percentiles() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert percentile([7.0], 99) == 7
    assert math.isnan(percentile([], 50))


def test_stats_sort_and_count() -> None:
    stats = Stats.of([30.0, 10.0, 20.0, 40.0], errors=2)
    assert (stats.n, stats.errors, stats.p50, stats.p95, stats.mean) == (4, 2, 20, 40, 25)
