"""Benchmark: load the whole of ../shared/data (all four games) into a fresh database.

    .venv/bin/python -m bench.etl.bench_etl [--sqlite/--no-sqlite] [--write-docs]

For PostgreSQL (a fresh database `sidedecked_bench_etl` on the server of --admin-url) and, with
--sqlite, a fresh SQLite file, three phases, each in its own process (so its peak RSS is its
own):

1. **first load** of every source from an empty (migrated) catalog;
2. **unchanged re-run**: the same command again; every file is skipped by its checkpoint;
3. **--force unchanged re-run**: every record read, normalised and compared again; must report
   0 created, 0 updated and 0 new bronze rows.

Prints a Markdown table of wall time and peak RSS per phase and the per-game catalog counts
after the load; --write-docs replaces the "## ETL (bench/etl)" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.catalog import INPUTS
from models.databases import recreate_database

REPO = Path(__file__).resolve().parents[2]
DEFAULT_ADMIN_URL = os.environ.get(
    "BENCH_ADMIN_URL", "postgresql+psycopg://sidedecked:sidedecked@127.0.0.1:5432/sidedecked"
)
BENCH_DB = "sidedecked_bench_etl"
PHASES = ("first load", "unchanged re-run", "--force unchanged re-run")
COMMAND = ".venv/bin/python -m bench.etl.bench_etl --write-docs"


def peak_rss_mb() -> float:
    """Peak resident set size of this process (VmHWM), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(url: str, data: Path, force: bool) -> dict[str, Any]:
    """One phase: every source loaded in this process; returns timings and counts."""
    from etl.pipeline import load
    from models.db import make_engine

    engine = make_engine(url)
    started = time.perf_counter()
    per_source = {}
    for source, folders in INPUTS.items():
        t0 = time.perf_counter()
        result = load(source, [data / f for f in folders], engine=engine, force=force)
        per_source[source] = {
            "status": result.status,
            "seconds": round(time.perf_counter() - t0, 2),
            **result.counts.columns(),
            "units_skipped": result.counts.units_skipped,
            "tables": result.counts.stats()["tables"],
        }
    seconds = time.perf_counter() - started
    engine.dispose()
    return {"seconds": seconds, "rss_mb": peak_rss_mb(), "sources": per_source}


def phase(url: str, data: Path, force: bool) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.etl.bench_etl", "--child", url, "--data", str(data)]
    if force:
        cmd.append("--force")
    started = time.perf_counter()
    out = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if out.returncode != 0:
        raise SystemExit(f"phase failed:\n{out.stdout}\n{out.stderr}")
    report = json.loads(out.stdout.strip().splitlines()[-1])
    report["wall"] = wall  # including interpreter start-up and imports
    return report


def game_counts(url: str) -> dict[str, dict[str, int]]:
    from models.db import make_engine

    engine = make_engine(url)
    out: dict[str, dict[str, int]] = {}
    with engine.connect() as conn:
        for code, gid in conn.execute(sa.text("SELECT code, id FROM games ORDER BY id")):
            q = lambda sql, **p: conn.execute(sa.text(sql), p).scalar_one()  # noqa: E731
            out[code] = {
                "cards": q("SELECT count(*) FROM cards WHERE game_id = :g", g=gid),
                "sets": q("SELECT count(*) FROM card_sets WHERE game_id = :g", g=gid),
                "prints": q("SELECT count(*) FROM prints WHERE game_id = :g", g=gid),
                "skus": q("SELECT count(*) FROM catalog_skus WHERE game_code = :c", c=code),
            }
        out["bronze"] = {"records": q("SELECT count(*) FROM bronze_records")}
    engine.dispose()
    return out


def bench(kind: str, url: str, data: Path) -> dict[str, Any]:
    from models import migrate

    t0 = time.perf_counter()
    migrate.upgrade(url=url)
    migration = time.perf_counter() - t0
    results = {
        PHASES[0]: phase(url, data, force=False),
        PHASES[1]: phase(url, data, force=False),
        PHASES[2]: phase(url, data, force=True),
    }
    forced = results[PHASES[2]]["sources"]
    for source, report in forced.items():
        assert report["created"] == report["updated"] == report["bronze_inserted"] == 0, (
            f"{kind}: the --force re-run of {source} changed something: {report}"
        )
    skipped = results[PHASES[1]]["sources"]
    assert all(r["records_read"] == 0 for r in skipped.values()), "re-run did not skip"
    return {"kind": kind, "migration": migration, "phases": results, "games": game_counts(url)}


def markdown(runs: list[dict[str, Any]], data: Path) -> str:
    lines = [
        "## ETL (bench/etl)",
        "",
        f"`{COMMAND}` (add `--no-sqlite` to skip SQLite). Loads all of `../shared/data` "
        "(Scryfall 2019 snapshot + fixtures, pokemon-tcg-data, ygoprodeck-cardsets, One Piece "
        "EN+JP) with `etl.pipeline.load`, batch size 1000, each phase in its own process "
        "(peak RSS = VmHWM of that process; time = the loads, without interpreter start-up). "
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}. Targets: first load < 3 min, unchanged re-run < 1 min, "
        "peak RSS < 600 MB.",
        "",
        "| database | phase | time | peak RSS | records read | created | updated | new bronze |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        for name, report in run["phases"].items():
            sources = report["sources"].values()
            total = {
                k: sum(s[k] for s in sources)
                for k in ("records_read", "created", "updated", "bronze_inserted")
            }
            lines.append(
                f"| {run['kind']} | {name} | {report['seconds']:.1f} s | "
                f"{report['rss_mb']:.0f} MB | {total['records_read']:,} | {total['created']:,} | "
                f"{total['updated']:,} | {total['bronze_inserted']:,} |"
            )
    first = runs[0]
    lines += [
        "",
        f"First load per source ({first['kind']}): "
        + ", ".join(
            f"{name} {r['seconds']:.1f} s"
            for name, r in first["phases"][PHASES[0]]["sources"].items()
        )
        + f". Migrating the empty database took {first['migration']:.1f} s (not counted).",
    ]
    same = all(run["games"] == first["games"] for run in runs)
    for run in [first] if same else runs:
        title = "same on " + " and ".join(r["kind"] for r in runs) if same else run["kind"]
        lines += [
            "",
            f"Catalog after the load ({title}):",
            "",
            "| game | cards | sets | prints | SKUs |",
            "|---|---:|---:|---:|---:|",
        ]
        for game, c in run["games"].items():
            if game != "bronze":
                lines.append(
                    f"| {game} | {c['cards']:,} | {c['sets']:,} | {c['prints']:,} | {c['skus']:,} |"
                )
        lines += ["", f"Bronze records: {run['games']['bronze']['records']:,}."]
    lines.append("")
    return "\n".join(lines)


def write_docs(section: str) -> Path:
    path = REPO / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    pattern = re.compile(r"^## ETL \(bench/etl\)\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--admin-url",
        default=DEFAULT_ADMIN_URL,
        help="A PostgreSQL URL whose role may create databases.",
    )
    parser.add_argument("--data", type=Path, default=None, help="The shared data folder.")
    parser.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--child", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--force", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.data is None:
        from models.settings import get_settings

        args.data = get_settings().sidedecked_shared_data
    if args.child:
        print(json.dumps(run_child(args.child, args.data, args.force)))
        return
    if not (args.data / "MANIFEST.md").exists():
        raise SystemExit(f"shared data not found at {args.data}")
    runs = [bench("PostgreSQL", recreate_database(args.admin_url, BENCH_DB), args.data)]
    if args.sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            runs.append(bench("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}", args.data))
    section = markdown(runs, args.data)
    print(section)
    if args.write_docs:
        print(f"written to {write_docs(section)}")


if __name__ == "__main__":
    main()
