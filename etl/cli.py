"""`sidedecked etl ...`: load upstream data into the catalog and inspect the runs."""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from sqlalchemy.engine import Engine

from etl import jobs
from etl.load_result import LoadBusyError, LoadInputError, LoadResult
from etl.pipeline import DEFAULT_BATCH_SIZE, load
from etl.records import InputUnit
from etl.registry import SourceName

app = typer.Typer(help="ETL: load upstream card data into the catalog.", no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)


def _register_fetch() -> None:
    """`sidedecked etl fetch` (download an upstream, then load it) lives in etl/fetch_cli.py."""
    try:
        from etl.fetch_cli import fetch_command
    except ModuleNotFoundError as exc:  # pragma: no cover - fetch not installed
        if exc.name and exc.name.startswith("etl.fetch"):
            return
        raise
    app.command("fetch")(fetch_command)


class RichProgress:
    """Two bars: input units (files) and records read."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self.units_task = self.progress.add_task("units", total=None)
        self.records_task = self.progress.add_task("records", total=None)

    def __enter__(self) -> RichProgress:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(*exc)  # type: ignore[arg-type]

    def start(self, units: Sequence[InputUnit]) -> None:
        self.progress.update(self.units_task, total=len(units))

    def unit_started(self, unit: InputUnit, *, skipped: bool) -> None:
        label = f"units ({'skipping unchanged ' if skipped else ''}{unit.key})"
        self.progress.update(self.units_task, description=label)

    def records(self, count: int) -> None:
        self.progress.advance(self.records_task, count)

    def unit_finished(self, unit: InputUnit) -> None:
        self.progress.advance(self.units_task)


def _engine() -> Engine:
    from models.db import get_engine

    engine = get_engine()
    try:
        ready = sa.inspect(engine).has_table("etl_pending_rows")
    except sa.exc.OperationalError as exc:
        err_console.print(f"[red]error:[/] cannot open the database: {exc.orig}")
        raise typer.Exit(2) from None
    if not ready:
        err_console.print(
            "[red]error:[/] the database is not migrated to the latest schema; "
            "run `sidedecked db upgrade` first"
        )
        raise typer.Exit(2)
    return engine


@app.command("load")
def load_command(
    paths: list[Path] = typer.Argument(
        ...,
        help="Files or folders to load (gzip allowed).",
        show_default=False,
        metavar="PATH...",
    ),
    source: SourceName = typer.Option(
        ..., "--source", "-s", help="Upstream format of the input.", case_sensitive=False
    ),
    force: bool = typer.Option(
        False, "--force", help="Reprocess every input unit, even those unchanged since last load."
    ),
    batch_size: int = typer.Option(
        DEFAULT_BATCH_SIZE, "--batch-size", min=1, help="Raw records per transaction."
    ),
) -> None:
    """Load PATH... with a source into bronze and silver (cards, prints, SKUs, sets)."""
    name = source.value if isinstance(source, enum.Enum) else str(source)
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise typer.BadParameter(f"path not found: {', '.join(missing)}", param_hint="PATH")
    engine = _engine()
    try:
        with RichProgress(console) as progress:
            result = load(
                name,
                paths,
                engine=engine,
                force=force,
                batch_size=batch_size,
                progress=progress,
                handle_signals=True,
            )
    except LoadInputError as exc:
        err_console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    except LoadBusyError as exc:
        err_console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err_console.print("[yellow]interrupted[/]: committed batches are kept; run again to resume")
        raise typer.Exit(130) from None
    print_summary(result)
    if not result.ok:
        raise typer.Exit(1)


def print_summary(result: LoadResult, *, console: Console = console) -> None:
    counts = result.counts
    table = Table(title=f"etl job {result.job_id}: {result.source} {result.status}")
    table.add_column("table")
    for column in ("created", "updated", "unchanged", "other"):
        table.add_column(column, justify="right")
    for name, counter in counts.tables.items():
        other = ", ".join(
            f"{k} {v}"
            for k, v in sorted(counter.items())
            if k not in ("created", "updated", "unchanged")
        )
        table.add_row(
            name,
            str(counter["created"]),
            str(counter["updated"]),
            str(counter["unchanged"]),
            other,
        )
    console.print(table)
    console.print(
        f"records read {counts.records_read}, new bronze records {counts.bronze_inserted}, "
        f"quarantined {counts.quarantined}, outbox {counts.outbox}; units "
        f"{counts.units_done} loaded, {counts.units_skipped} skipped, "
        f"{counts.units_failed} failed of {counts.units_total}; {result.seconds:.1f} s"
    )
    if counts.units_skipped:
        console.print(
            f"{counts.units_skipped} input unit(s) unchanged since their last load were skipped "
            "(their records are not counted); use --force to reprocess them"
        )
    if counts.quarantined:
        console.print(
            f"[yellow]{counts.quarantined} record(s) quarantined[/]: "
            f"`sidedecked etl jobs --id {result.job_id}` lists them"
        )
    if result.error:
        console.print(f"[red]{result.error}[/]")


@app.command("jobs")
def jobs_command(
    job_id: int | None = typer.Option(None, "--id", help="Show one run with its quarantine."),
    limit: int = typer.Option(20, "--limit", min=1, help="How many runs (or quarantined rows)."),
    source: SourceName | None = typer.Option(
        None, "--source", "-s", help="Only runs of this source.", case_sensitive=False
    ),
) -> None:
    """List ETL runs, or show one (`--id N`) with its quarantined records and reasons."""
    engine = _engine()
    if job_id is not None:
        _show_job(engine, job_id, limit)
        return
    name = source.value if isinstance(source, enum.Enum) else source
    rows = jobs.list_jobs(engine, limit=limit, source=name)
    table = Table(title="etl jobs")
    for column in ("id", "source", "kind", "status", "started", "duration"):
        table.add_column(column)
    for column in ("read", "bronze", "created", "updated", "unchanged", "quarantined"):
        table.add_column(column, justify="right")
    for job in rows:
        table.add_row(
            str(job["id"]),
            job["source"],
            job["kind"],
            _status(job["status"]),
            _time(job["started_at"]),
            _duration(job),
            str(job["records_read"]),
            str(job["bronze_inserted"]),
            str(job["created"]),
            str(job["updated"]),
            str(job["unchanged"]),
            str(job["quarantined"]),
        )
    console.print(table)


def _show_job(engine: sa.Engine, job_id: int, limit: int) -> None:
    job = jobs.get_job(engine, job_id)
    if job is None:
        err_console.print(f"[red]error:[/] no etl job {job_id}")
        raise typer.Exit(2)
    console.print(
        f"[bold]etl job {job['id']}[/]: {job['source']} {job['kind']} {_status(job['status'])}"
    )
    console.print(f"started {_time(job['started_at'])}, duration {_duration(job)}")
    console.print(f"inputs: {', '.join(job['inputs'] or [])}")
    console.print(
        f"records read {job['records_read']}, bronze inserted {job['bronze_inserted']}, "
        f"created {job['created']}, updated {job['updated']}, unchanged {job['unchanged']}, "
        f"quarantined {job['quarantined']}"
    )
    stats = job.get("stats") or {}
    if stats:
        console.print("stats: " + json.dumps(stats, sort_keys=True))
    if job.get("error"):
        console.print(f"[red]error:[/] {job['error']}")
    rows = jobs.job_quarantine(engine, job_id, limit=limit)
    if not rows:
        console.print("no quarantined records")
        return
    table = Table(title=f"quarantined records ({job['quarantined']})")
    for column in ("external id", "file", "reason"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row["external_id"] or "-", row["source_file"] or "-", row["reason"])
    console.print(table)
    if job["quarantined"] > len(rows):
        console.print(f"(first {len(rows)} shown; --limit N for more)")


def _status(status: str) -> str:
    color = {"succeeded": "green", "failed": "red", "interrupted": "yellow"}.get(status, "cyan")
    return f"[{color}]{status}[/]"


def _time(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else "-"


def _duration(job: dict[str, Any]) -> str:
    seconds = jobs.duration(job)
    if seconds is None:
        return "-"
    suffix = "" if job.get("finished_at") else " (running)"
    return f"{seconds:.1f} s{suffix}"


_register_fetch()
