"""`sidedecked etl fetch`: download one upstream with rich progress, then (by default) load it.

Registered by the etl CLI as `app.command("fetch")(fetch_command)`. The download goes to
`--dest` (default `var/upstream/<source>`); with `--load` (the default) the loader of
`etl.pipeline` then loads that folder, so `sidedecked etl fetch --source scryfall` is the whole
refresh. Unchanged upstream files are not downloaded again (conditional requests), and the
loader skips files whose checkpoint matches, so running it again is cheap. See
docs/etl-fetch.md.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)

from etl.fetch.base import FetchError, FetchResult
from etl.fetch.limits import RetryPolicy
from etl.fetch.run import FetchBusyError, fetch_source
from etl.registry import SourceName, get_fetcher
from models.settings import REPO_ROOT

DEFAULT_DEST_ROOT = REPO_ROOT / "var" / "upstream"


def default_dest(source: str) -> Path:
    return DEFAULT_DEST_ROOT / source


class RichFetchProgress:
    """`etl.fetch.FetchProgress` drawn as one rich download bar per file."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None

    def file_started(self, label: str, total: int | None) -> None:
        self.task = self.progress.add_task(label, total=total)

    def advance(self, nbytes: int) -> None:
        if self.task is not None:
            self.progress.advance(self.task, nbytes)

    def file_finished(self, label: str, status: str) -> None:
        if self.task is not None:
            self.progress.remove_task(self.task)
            self.task = None
        style = {"written": "green", "unchanged": "cyan", "not modified": "cyan"}.get(status, "")
        self.progress.console.print(f"  {label}: [{style}]{status}[/]" if style else label)

    def note(self, message: str) -> None:
        self.progress.console.print(f"  [yellow]{message}[/]")


def fetch_command(
    source: SourceName = typer.Option(
        ..., "--source", "-s", case_sensitive=False, help="The upstream to download."
    ),
    dest: Path | None = typer.Option(
        None, "--dest", help="Folder to download into (default: var/upstream/<source>)."
    ),
    base_url: str | None = typer.Option(
        None,
        "--base-url",
        help="Base URL of the upstream or of a mirror (optcg: a folder holding "
        "<lang>/cards.json, or one .json file).",
    ),
    api_key: str | None = typer.Option(
        None,
        "--api-key",
        help="pokemontcg.io API key, sent as X-Api-Key (default: $POKEMONTCG_API_KEY).",
    ),
    load: bool = typer.Option(
        True, "--load/--no-load", help="Load the downloaded folder into the catalog afterwards."
    ),
    bulk_type: str | None = typer.Option(
        None,
        "--bulk-type",
        help="scryfall: the bulk file (default_cards, all_cards, oracle_cards, unique_artwork).",
    ),
    query: str | None = typer.Option(
        None,
        "--query",
        "-q",
        help="scryfall: a card search instead of a bulk file; pokemontcg: the `q` filter.",
    ),
    cardset: list[str] | None = typer.Option(
        None,
        "--cardset",
        help="ygoprodeck: fetch this set (by name) instead of the full card list; repeatable.",
    ),
    language: list[str] | None = typer.Option(
        None, "--language", help="optcg: en and/or jp (default: both); repeatable."
    ),
    rate: float | None = typer.Option(
        None,
        "--rate",
        min=0.001,
        help="Requests per second per host (default: the source's limit).",
    ),
    max_attempts: int = typer.Option(
        5, "--max-attempts", min=1, help="Tries per request on 429, 5xx and connection errors."
    ),
    force: bool = typer.Option(
        False, "--force", help="Load every file, even those already loaded unchanged."
    ),
) -> None:
    """Download SOURCE's upstream data (rate-limited, retried, conditional), then load it."""
    name = source.value
    folder = dest or default_dest(name)
    console = Console()
    console.print(f"[bold]Fetching {name}[/] into {folder}")
    columns = (
        TextColumn("  {task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeElapsedColumn(),
    )
    try:
        with Progress(*columns, console=console, transient=True) as bars:
            result = fetch_source(
                name,
                dest_dir=folder,
                base_url=base_url,
                api_key=api_key,
                progress=RichFetchProgress(bars),
                rate=rate,
                retry=_retry_policy(name, max_attempts),
                bulk_type=bulk_type,
                query=query,
                cardsets=cardset or None,
                languages=language or None,
            )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    except (FetchError, FetchBusyError) as exc:
        console.print(f"[red]fetch failed:[/] {exc}")
        raise typer.Exit(1) from None
    console.print(_summary(result))
    if not load:
        console.print(f"Not loading (--no-load); load later with the etl load command on {folder}")
        return
    raise typer.Exit(run_loader(name, folder, force=force, console=console))


def _retry_policy(source: str, max_attempts: int) -> RetryPolicy:
    return RetryPolicy(
        max_attempts=max_attempts, default_retry_after=get_fetcher(source).RETRY_AFTER_429
    )


def _summary(result: FetchResult) -> str:
    return (
        f"[bold]{result.source}[/]: {len(result.written)} written, "
        f"{len(result.unchanged)} unchanged, {len(result.removed)} removed; "
        f"{result.requests} requests ({result.retries} retried, {result.not_modified} not "
        f"modified); {result.bytes_downloaded:,} bytes downloaded in {result.seconds:.1f}s"
    )


def run_loader(source: str, folder: Path, *, force: bool, console: Console) -> int:
    """Load the fetched `folder` with the ETL pipeline; the exit code (0 ok, 1 failed)."""
    from etl import cli as etl_cli
    from etl.load_result import LoadBusyError, LoadInputError
    from etl.pipeline import load

    console.print(f"[bold]Loading {source}[/] from {folder}")
    try:
        with etl_cli.RichProgress(console) as progress:
            result = load(source, [folder], force=force, progress=progress, handle_signals=True)
    except (LoadInputError, LoadBusyError) as exc:
        console.print(f"[red]load failed:[/] {exc}")
        return 1
    etl_cli.print_summary(result, console=console)
    return 0 if result.ok else 1
