"""Latency summaries, computed the same way in Python and in the wrk script (nearest rank)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

PERCENTILES = (50, 95, 99)


def percentile(ordered: Sequence[float], p: float) -> float:
    """The nearest-rank `p`th percentile of already sorted values (NaN when there are none)."""
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True, slots=True)
class Stats:
    """Logical requests (a search may be several HTTP requests) and their latencies in ms."""

    n: int
    errors: int
    p50: float
    p95: float
    p99: float
    mean: float = math.nan

    @classmethod
    def of(cls, latencies_ms: Sequence[float], errors: int = 0) -> Stats:
        ordered = sorted(latencies_ms)
        mean = sum(ordered) / len(ordered) if ordered else math.nan
        p50, p95, p99 = (percentile(ordered, p) for p in PERCENTILES)
        return cls(n=len(ordered), errors=errors, p50=p50, p95=p95, p99=p99, mean=mean)
