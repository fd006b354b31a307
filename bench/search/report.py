"""The benchmark's markdown: a table per workload, per category, the engine's serial cost
(default request against the bare ranked query) and the API's memory."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.search.engines import Cost
from bench.search.stats import Stats
from bench.search.wrk import WrkResult


@dataclass(frozen=True, slots=True)
class ApiCell:
    engine: str
    database: str
    workload: str
    clients: int
    result: WrkResult


@dataclass(frozen=True, slots=True)
class EngineCell:
    """The engine alone on a workload's captured requests."""

    engine: str
    workload: str
    clients: int
    rate: float
    all: Stats
    categories: dict[str, Stats] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SerialRow:
    engine: str
    what: str
    #: HTTP requests per logical request (None in-process).
    requests_each: float | None
    costs: list[Cost]


def num(value: float | None, digits: int = 1) -> str:
    if value is None or math.isnan(value):
        return ""
    return f"{value:,.{digits}f}"


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or math.isnan(a) or math.isnan(b) or b <= 0:
        return ""
    return f"{a / b:.2f}"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right_from: int = 0) -> str:
    align = ["---" if i < right_from else "---:" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _engine_cell(cells: Sequence[EngineCell], cell: ApiCell) -> EngineCell | None:
    key = (cell.engine, cell.workload, cell.clients)
    return next((e for e in cells if (e.engine, e.workload, e.clients) == key), None)


def _latencies(stats: Stats) -> list[str]:
    return [num(stats.p50), num(stats.p95), num(stats.p99)]


def workload_table(api: Sequence[ApiCell], engine: Sequence[EngineCell]) -> str:
    headers = (
        "engine|database|clients|req/s|p50 ms|p95 ms|p99 ms|errors|engine req/s|engine p50"
        "|engine p95|API/engine p50|API/engine p95"
    ).split("|")
    rows = []
    for cell in api:
        r, alone = cell.result, _engine_cell(engine, cell)
        e50, e95 = (alone.all.p50, alone.all.p95) if alone else (None, None)
        row = [cell.engine, cell.database, str(cell.clients), num(r.rate, 0), *_latencies(r.all)]
        row += [str(r.errors), num(alone.rate, 0) if alone else "", num(e50), num(e95)]
        rows.append([*row, ratio(r.all.p50, e50), ratio(r.all.p95, e95)])
    return table(headers, rows, right_from=2)


def category_table(api: Sequence[ApiCell], engine: Sequence[EngineCell]) -> str:
    headers = (
        "engine|database|clients|category|requests|p50 ms|p95 ms|p99 ms|errors|engine p50"
        "|engine p95"
    ).split("|")
    rows = []
    for cell in api:
        alone = _engine_cell(engine, cell)
        for name, stats in cell.result.categories.items():
            e = alone.categories.get(name) if alone else None
            row = [cell.engine, cell.database, str(cell.clients), name, f"{stats.n:,}"]
            row += [*_latencies(stats), str(stats.errors)]
            rows.append(row + ([num(e.p50), num(e.p95)] if e else ["", ""]))
    return table(headers, rows, right_from=4)


def serial_table(rows: Sequence[SerialRow]) -> str:
    headers = (
        "engine|logical request|HTTP requests each|n|took mean ms|took p50|took p95"
        "|wall mean ms|wall p50|wall p95"
    ).split("|")
    out = []
    for row in rows:
        took = [c.took_ms for c in row.costs if c.took_ms is not None]
        t = Stats.of(took) if took else None
        w = Stats.of([c.wall_ms for c in row.costs])
        line = [row.engine, row.what, num(row.requests_each, 2), f"{w.n:,}"]
        line += [num(t.mean), num(t.p50), num(t.p95)] if t else ["", "", ""]
        out.append([*line, num(w.mean), num(w.p50), num(w.p95)])
    return table(headers, out, right_from=2)


def default_vs_bare(default: SerialRow, bare: SerialRow) -> str:
    """One line: the default request's engine cost over the bare ranked query's (same queries,
    measured back to back): `took` on OpenSearch, in-process wall time on tantivy."""
    took = all(c.took_ms is not None for c in default.costs + bare.costs)

    def cost(row: SerialRow) -> Stats:
        return Stats.of([(c.took_ms if took else c.wall_ms) or 0.0 for c in row.costs])

    d, b = cost(default), cost(bare)
    measure = "server-side took" if took else "in-process wall time"
    return (
        f"{default.engine}: default / bare = {ratio(d.mean, b.mean)} (mean), "
        f"{ratio(d.p50, b.p50)} (p50), {ratio(d.p95, b.p95)} (p95) of the {measure} "
        f"over {d.n:,} searches (target <= 1.5)"
    )


@dataclass(frozen=True, slots=True)
class Memory:
    """Resident memory of the API's process tree after its cells."""

    engine: str
    database: str
    rss_mb: float
    processes: int


@dataclass(frozen=True, slots=True)
class Context:
    command: str
    machine: str
    load: tuple[tuple[float, ...], tuple[float, ...]]
    revision: str
    server: str
    args: dict
    sizes: dict[str, int]
    when: str


TITLES = {
    "search": "search: `GET /api/catalog/search?q=...` with the API's defaults",
    "autocomplete": "autocomplete: `GET /api/catalog/autocomplete?q=...`",
    "lookups": "lookups: by-sku, prints/{id}, cards/{id}, sets/{game}/{set}/{number}",
    "health": "health: `GET /health` (the API's own floor)",
}


def _load(values: tuple[float, ...]) -> str:
    return "/".join(f"{v:.1f}" for v in values)


def render(
    context: Context,
    api: Sequence[ApiCell],
    engine: Sequence[EngineCell],
    serial: Sequence[SerialRow],
    memory: Sequence[Memory],
) -> str:
    args = context.args
    sizes = ", ".join(f"{name} {n:,}" for name, n in context.sizes.items())
    out = [
        f"## Search API benchmark, run of {context.when}",
        "",
        f"`{context.command}`",
        "",
        f"{context.machine}; load average (1/5/15 min) {_load(context.load[0])} before, "
        f"{_load(context.load[1])} after; revision {context.revision}. API: `{context.server}` "
        f"({args['api_workers']} worker process(es)); lookup cache: "
        f"{args['redis_url'] or 'none'}. wrk, one connection per client, {args['seconds']:g} s "
        f"per cell; entries per workload: {sizes}. Latencies in ms per logical request; "
        "API/engine = API latency over the engine alone on the same requests and clients.",
    ]
    for workload in dict.fromkeys(cell.workload for cell in api):
        cells = [cell for cell in api if cell.workload == workload]
        out += ["", f"### {TITLES.get(workload, workload)}", "", workload_table(cells, engine)]
        failed = [e for e in engine if e.workload == workload and e.all.errors]
        out += [
            f"\nThe engine alone failed {e.all.errors} of {e.all.n:,} requests ({e.engine}, "
            f"{e.clients} clients)."
            for e in failed
        ]
        if any(len(cell.result.categories) > 1 for cell in cells):
            out += ["", "By category:", "", category_table(cells, engine)]
    if serial:
        out += ["", "### The engine alone, serially: cost per logical request", ""]
        out.append(serial_table(serial))
        for kind in dict.fromkeys(row.engine for row in serial):
            rows = {row.what: row for row in serial if row.engine == kind}
            default, bare = rows.get("search, default"), rows.get("search, bare ranked query")
            if default and bare:
                out += ["", default_vs_bare(default, bare)]
    if memory:
        out += ["", "### API memory after its cells", ""]
        rows = [[m.engine, m.database, str(m.processes), num(m.rss_mb, 0)] for m in memory]
        out.append(table(["engine", "database", "processes", "RSS MB (sum)"], rows, right_from=2))
    return "\n".join(out) + "\n"
