"""`sidedecked images ...`: mirror the prints' upstream images into the image store."""

from __future__ import annotations

import json

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

from images.storage import StoreError
from images.sync import BATCH_SIZE, SyncBusyError, SyncOptions, count_candidates, sync
from models.db import get_engine
from models.games import resolve_game

app = typer.Typer(help="Image mirror: prints' images in our own storage.", no_args_is_help=True)
console = Console(stderr=True)


@app.command("sync")
def sync_command(
    game: str | None = typer.Option(None, help="Only this game's prints (MTG, POKEMON, ...)."),
    limit: int | None = typer.Option(
        None, min=1, help="Stop after this many prints (the next run continues there)."
    ),
    refresh: bool = typer.Option(
        False, help="Revalidate every mirrored image (conditional requests), not only new ones."
    ),
    restart: bool = typer.Option(False, help="Ignore an interrupted run's place; start over."),
    workers: int = typer.Option(4, min=1, max=32, help="Downloads at once (all hosts)."),
    batch_size: int = typer.Option(
        BATCH_SIZE, min=1, max=1000, help="Prints read (and checkpointed) per batch."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
) -> None:
    """Download each print's image (conditionally), store renditions and blurhash, reindex."""
    code = None
    if game is not None:
        code = resolve_game(game)
        if code is None:
            raise typer.BadParameter(f"unknown game {game!r}", param_hint="--game")
    options = SyncOptions(
        game=code,
        limit=limit,
        refresh=refresh,
        restart=restart,
        workers=workers,
        batch_size=batch_size,
    )
    engine = get_engine()
    total = count_candidates(engine, options)
    if limit is not None:
        total = min(total, limit)
    columns = (
        SpinnerColumn(),
        TextColumn("[bold]images[/] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    try:
        with Progress(*columns, console=console, transient=as_json) as bar:
            task = bar.add_task(options.scope, total=total)
            stats = sync(options, engine=engine, progress=lambda n: bar.advance(task, n))
    except StoreError as exc:
        console.print(f"[red]image store: {exc}[/]")
        raise typer.Exit(1) from exc
    except SyncBusyError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(stats.as_dict()))
        return
    console.print(
        f"{stats.checked} checked: {stats.mirrored} mirrored, {stats.not_modified} not modified, "
        f"{stats.unchanged} unchanged, {stats.missing} missing, {stats.failed} failed; "
        f"{stats.downloaded} downloaded, {stats.uploads} objects stored, "
        f"{stats.reindexed} queued for reindexing"
        + ("" if stats.done else " (not done: run again to continue)")
    )
    for line in stats.errors:
        console.print(f"  [yellow]{line}[/]")
