"""The benchmark's tables: ratios of the API to the engine, and of the default to the bare query."""

from __future__ import annotations

from bench.search import report
from bench.search.engines import Cost
from bench.search.stats import Stats
from bench.search.wrk import WrkResult


def wrk_result(p50: float, p95: float, n: int = 100) -> WrkResult:
    stats = Stats(n=n, errors=1, p50=p50, p95=p95, p99=p95 * 2)
    return WrkResult(seconds=10, http_requests=n, socket_errors=0, all=stats, categories={})


def test_workload_rows_put_the_api_against_the_engine_at_the_same_clients() -> None:
    api = [report.ApiCell("opensearch", "postgresql", "search", 8, wrk_result(30, 60))]
    engine = [
        report.EngineCell("opensearch", "search", 1, 90.0, Stats.of([1.0])),
        report.EngineCell("opensearch", "search", 8, 120.0, Stats(10, 0, 20, 50, 70)),
    ]
    row = report.workload_table(api, engine).splitlines()[2]
    assert row == (
        "| opensearch | postgresql | 8 | 10 | 30.0 | 60.0 | 120.0 | 1 | 120 | 20.0 | 50.0 "
        "| 1.50 | 1.20 |"
    )


def test_default_against_bare_uses_took_when_the_engine_reports_it() -> None:
    default = report.SerialRow(
        "opensearch", "search, default", 1.0, [Cost(50, 30), Cost(70, 30), Cost(40, 60)]
    )
    bare = report.SerialRow(
        "opensearch", "search, bare", 1.0, [Cost(20, 10), Cost(30, 20), Cost(25, 30)]
    )
    line = report.default_vs_bare(default, bare)
    assert line.startswith("opensearch: default / bare = 2.00 (mean), 1.50 (p50), 2.00 (p95)")
    assert "server-side took over 3 searches" in line
    in_process = report.default_vs_bare(
        report.SerialRow("tantivy", "d", None, [Cost(9)]),
        report.SerialRow("tantivy", "b", None, [Cost(3)]),
    )
    assert in_process.startswith("tantivy: default / bare = 3.00 (mean)")
    assert "in-process wall time" in in_process
