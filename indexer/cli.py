"""`sidedecked index rebuild|update|status`: the search index from the command line."""

from __future__ import annotations

import json
import time
from functools import partial

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

app = typer.Typer(help="Search index: full rebuild, outbox drain, status.", no_args_is_help=True)
console = Console()
#: Exit status when the index writer lease is held (a rebuild or drain is running).
LOCKED_EXIT = 2


def _refuse_if_locked() -> None:
    """Exit `LOCKED_EXIT`, naming the holder and its expiry, while the writer lease is held."""
    from indexer.locks import lease_for

    holder = lease_for().describe()
    if holder is None:
        return
    console.print(
        f"[red]cannot queue a rebuild[/]: the index writer lease is held by {holder.sentence()}."
        " Wait for it to end"
        + (" or expire" if holder.expires_in_s is not None else "")
        + "; `sidedecked index status` shows it."
    )
    raise typer.Exit(LOCKED_EXIT)


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


@app.command("rebuild")
def rebuild_command(
    queue: bool = typer.Option(
        False, "--queue", help="Queue the chunked Celery chain (needs REDIS_URL) instead of inline."
    ),
    workers: int = typer.Option(
        0, min=0, help="Loading processes (OpenSearch only); 0 = one per two cores."
    ),
) -> None:
    """Rebuild the whole index from the catalog and swap it in atomically."""
    from indexer.engine import get_engine
    from indexer.locks import lease_for
    from indexer.rebuild import RebuildLockedError, default_workers, rebuild
    from models.db import get_engine as get_db_engine

    if queue:
        from indexer.tasks import rebuild_index
        from models.worker import dispatch

        _refuse_if_locked()  # before queueing: the worker would wait, then fail in its log
        result = dispatch(rebuild_index)
        console.print(f"queued rebuild: {getattr(result, 'id', result)}")
        return
    engine = get_engine()
    try:
        with _progress() as bar:
            task = bar.add_task(f"rebuild ({engine.kind})", total=None)
            report = rebuild(
                engine=engine,
                db=get_db_engine(),
                lease=lease_for(),
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                workers=workers or default_workers(engine),
            )
    except RebuildLockedError as exc:
        console.print(f"[red]cannot rebuild[/]: {exc}")
        raise typer.Exit(LOCKED_EXIT) from exc
    rate = report.documents / report.took_s if report.took_s else 0
    console.print(
        f"[green]rebuilt[/] {report.index}: {report.documents} documents in {report.took_s}s "
        f"({rate:,.0f}/s); removed {', '.join(report.removed) or 'nothing'}"
    )
    drained = report.drained.rows if report.drained is not None else 0
    console.print(
        f"outbox: {report.outbox_covered} rows covered by the new index, "
        f"{drained} drained after the swap"
    )


@app.command("update")
def update_command(
    batch_size: int = typer.Option(500, min=1, help="Outbox rows per batch."),
    follow: bool = typer.Option(False, help="Keep draining every --interval seconds."),
    interval: float = typer.Option(2.0, min=0.1, help="Seconds between drains with --follow."),
) -> None:
    """Apply pending catalog changes (the outbox) to the index."""
    from indexer.engine import get_engine
    from indexer.locks import lease_for
    from indexer.outbox import drain_outbox, pending_count
    from models.db import get_engine as get_db_engine

    db = get_db_engine()
    while True:
        pending = pending_count(db)
        with _progress() as bar:
            task = bar.add_task("outbox", total=pending)
            report = drain_outbox(
                engine=get_engine(),
                db=db,
                lease=lease_for(),
                batch_size=batch_size,
                progress=partial(bar.advance, task),
            )
        if report.skipped_locked:
            console.print("[yellow]skipped[/]: a rebuild or another drain holds the writer lease")
        elif report.error:
            console.print(
                f"[red]stopped[/]: {report.error} ({report.rows} rows applied, rest kept)"
            )
        else:
            console.print(
                f"drained {report.rows} rows: {report.indexed} indexed, {report.deleted} deleted"
            )
        if not follow:
            raise typer.Exit(1 if report.error else 0)
        time.sleep(interval)


@app.command("status")
def status_command(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Alias, live index, document count, pending outbox and the last rebuild."""
    from indexer.engine import get_engine
    from indexer.locks import lease_for
    from indexer.outbox import pending_count
    from models.db import get_engine as get_db_engine

    status = get_engine().status()
    try:
        pending: int | str = pending_count(get_db_engine())
    except Exception as exc:  # noqa: BLE001 - status must report, not crash
        pending = f"unknown ({exc.__class__.__name__})"
    holder = None
    try:
        holder = lease_for().describe()
        lease: dict[str, object] | str | None = holder.as_dict() if holder else None
    except Exception as exc:  # noqa: BLE001 - status must report, not crash
        lease = f"unknown ({exc.__class__.__name__}: {exc})"
    data = {
        "engine": status.engine,
        "alias": status.alias,
        "live_index": status.live_index,
        "doc_count": status.doc_count,
        "replicas": status.replicas,
        "health": status.health,
        "pending_outbox": pending,
        "last_rebuild": status.last_rebuild,
        "other_indices": status.other_indices,
        "writer_lease": lease,
        "error": status.error,
    }
    if as_json:
        console.print_json(json.dumps(data, default=str))
        return
    table = Table(show_header=False)
    for key, value in data.items():
        text = json.dumps(value, default=str) if isinstance(value, dict | list) else str(value)
        if key == "writer_lease":
            text = holder.sentence() if holder is not None else str(value or "free")
        table.add_row(key.replace("_", " "), text)
    console.print(table)
