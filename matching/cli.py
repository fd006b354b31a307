"""`sidedecked match ...` (match files and titles, evaluate, resume jobs) and `sidedecked keys
...` (API keys), on the configured database."""

from __future__ import annotations

import collections
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

if TYPE_CHECKING:
    from matching.decisions import Thresholds

app = typer.Typer(
    help="Match seller listings and inventories to catalog SKUs.", no_args_is_help=True
)
keys_app = typer.Typer(help="API keys of the matching API.", no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)


def _fail(message: str, code: int = 2) -> None:
    err_console.print(f"[red]error:[/] {message}")
    raise typer.Exit(code)


def _thresholds(seller_id: str | None) -> Thresholds:
    from matching.decisions import default_thresholds, seller_thresholds
    from models.db import session_scope

    if not seller_id:
        return default_thresholds()
    with session_scope() as session:
        return seller_thresholds(session, seller_id)


@app.command("file")
def match_file(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="The export to match."),
    out: Path = typer.Option(..., "--out", "-o", help="Results CSV to write."),
    format: str | None = typer.Option(None, "--format", "-f", help="Force a format."),
    mapping: str | None = typer.Option(
        None, help='Column mapping JSON for the generic format, e.g. {"name": "Card"}.'
    ),
    game: str | None = typer.Option(None, help="Game of every row (MTG, POKEMON, ...)."),
    seller_id: str | None = typer.Option(None, help="Use this seller's thresholds and aliases."),
) -> None:
    """Match every row of an inventory export and write one result row per input row."""
    from matching.formats import UnknownFormatError, read_inventory
    from matching.jobs.export import write_results_csv
    from matching.jobs.runner import load_aliases
    from matching.service import shared_matcher
    from models.db import session_scope

    column_map = json.loads(mapping) if mapping else None
    try:
        inventory = read_inventory(path, format=format, mapping=column_map, game=game)
        total = sum(1 for _ in inventory)
    except (UnknownFormatError, ValueError) as exc:
        _fail(str(exc))
    console.print(
        f"{path.name}: [bold]{inventory.detected_format}[/] ({inventory.tool}), "
        f"{total:,} rows, encoding {inventory.encoding}"
    )
    started = time.perf_counter()
    matcher = shared_matcher()
    thresholds = _thresholds(seller_id)
    aliases = {}
    if seller_id:
        with session_scope() as session:
            aliases = load_aliases(session, seller_id)
    console.print(
        f"catalog index: {matcher.index.stats()['prints']:,} prints "
        f"({time.perf_counter() - started:.1f}s); auto >= {thresholds.auto:.3f}, "
        f"review >= {thresholds.review:.3f}"
    )
    counts: collections.Counter[str] = collections.Counter()

    def views() -> Iterator[dict[str, Any]]:
        for row in inventory:
            result = matcher.match(
                row.listing, thresholds=thresholds, aliases=aliases, error=row.error
            )
            counts[result.decision] += 1
            best = result.best
            yield {
                "line_number": row.line_number,
                "status": result.decision,
                "reason_code": result.reason_code,
                "reason": result.reason,
                "quantity": row.listing.quantity,
                "sku": best.sku if best else None,
                "confidence": best.confidence if best else None,
                "match_method": best.match_method if best else None,
                "matched_fields": best.matched_fields if best else None,
                "candidates": [c.as_dict() for c in result.candidates],
                "input": row.raw,
            }
            progress.advance(task)

    started = time.perf_counter()
    with (
        out.open("w", newline="", encoding="utf-8") as handle,
        Progress(
            TextColumn("[bold]matching"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=err_console,
        ) as progress,
    ):
        task = progress.add_task("rows", total=total)
        write_results_csv(views(), handle)
    seconds = time.perf_counter() - started
    done = sum(counts.values())
    console.print(
        f"{done:,} rows in {seconds:.1f}s ({done / seconds if seconds else 0:,.0f}/s): "
        + ", ".join(f"{k} {counts[k]:,}" for k in ("auto", "review", "none", "error"))
    )
    console.print(f"results: {out}")


@app.command("title")
def match_title(
    title: str = typer.Argument(..., help="A listing title."),
    game: str | None = typer.Option(None, help="Game hint."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Match one free-text title and show the candidates."""
    from matching.parsing import parse_title
    from matching.service import shared_matcher

    listing = parse_title(title, game_hint=game)
    result = shared_matcher().match(listing, thresholds=_thresholds(None))
    if as_json:
        print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        return
    console.print(f"decision: [bold]{result.decision}[/] {result.reason or ''}")
    table = Table("sku", "confidence", "method", "name", "set", "number", "fields")
    for c in result.candidates:
        table.add_row(
            c.sku,
            f"{c.confidence:.3f}",
            c.match_method,
            c.name,
            c.set_code,
            c.number,
            json.dumps(c.matched_fields),
        )
    console.print(table)


@app.command("evaluate")
def evaluate_command(
    paths: list[Path] = typer.Argument(
        None,
        exists=True,
        dir_okay=False,
        help="Labelled exports (rows with Scryfall / TCGplayer ids or passcodes); "
        "default: the gold rows of every game.",
    ),
    games: list[str] = typer.Option(None, "--game", "-g", help="Only this game (repeatable)."),
    shapes: list[str] = typer.Option(
        None, "--shape", help="Only this listing shape: with number, without number, title."
    ),
    split: str = typer.Option("all", help="all, or the calibration's test / train half."),
    as_json: bool = typer.Option(False, "--json", help="Print the numbers as JSON."),
    format: str | None = typer.Option(None, "--format", "-f", help="Format of the PATHS."),
) -> None:
    """Per game and listing shape: accepted rows whose whole SKU is right, in-catalog rows
    accepted, not-in-catalog rows accepted (matched blind: ids removed)."""
    from matching.decisions import default_thresholds
    from matching.gold.labels import labelled_rows
    from matching.gold.report import evaluate_gold, report_markdown
    from matching.gold.rows import SHAPES
    from matching.service import shared_matcher

    shapes = shapes or list(SHAPES)
    unknown = [s for s in shapes if s not in SHAPES]
    if unknown or split not in ("all", "test", "train"):
        _fail(f"unknown shape or split: {', '.join(unknown) or split}")
    matcher = shared_matcher()
    if paths:
        options: dict[str, Any] = {"format": format} if format else {}
        rows = list(labelled_rows(matcher.index, paths, shapes=shapes, **options))
        if not rows:
            _fail("no labelled rows (a Scryfall id, TCGplayer id or passcode) in the files", 1)
    else:
        from matching.gold.data import GoldDataMissing
        from matching.gold.sets import gold_rows
        from models.games import GAME_CODES

        bad = [g for g in games or () if g not in GAME_CODES]
        if bad:
            _fail(f"unknown game {', '.join(bad)}; one of {', '.join(GAME_CODES)}")
        try:
            rows = gold_rows(matcher.index, games=games or GAME_CODES, shapes=shapes)
        except GoldDataMissing as exc:
            _fail(str(exc), 1)
    rows = [r for r in rows if split == "all" or r.split == split]
    if games:
        rows = [r for r in rows if r.game in games]
    started = time.perf_counter()
    report = evaluate_gold(matcher, rows, default_thresholds())
    seconds = time.perf_counter() - started
    if as_json:
        print(json.dumps(report.summary(), indent=2))
        return

    console.print(f"{len(rows):,} gold rows matched in {seconds:.1f}s (blind: ids removed)\n")
    print(report_markdown(report))
    console.print(
        "targets: accepted right >= 99.5%, in-catalog accepted >= 90%, "
        "not-in-catalog accepted < 0.5%"
    )


@app.command("resume")
def resume_command(
    job_id: int | None = typer.Argument(None, help="The job (default: every stale job)."),
) -> None:
    """Run an unfinished bulk job (or every orphaned one) to the end, here and now."""
    from matching.jobs.runner import run_job
    from matching.tasks import stale_jobs

    ids = [job_id] if job_id is not None else stale_jobs()
    if not ids:
        console.print("no unfinished job")
    for one in ids:
        status = run_job(one)
        console.print(f"job {one}: {status}")


# -- keys -----------------------------------------------------------------------------------------


@keys_app.command("create")
def keys_create(
    role: str = typer.Option(..., help="admin or vendor."),
    seller_id: str | None = typer.Option(None, help="The seller of a vendor key."),
    name: str | None = typer.Option(None, help="A label for humans."),
) -> None:
    """Create a key; the key itself is printed once, as the last line."""
    from matching.auth import create_key
    from models.db import session_scope

    try:
        with session_scope() as session:
            row, token = create_key(
                session, name=name or f"{role}:{seller_id or 'all'}", role=role, seller_id=seller_id
            )
            key_id = row.id
    except ValueError as exc:
        _fail(str(exc))
    console.print(f"created {role} key {key_id} ({seller_id or 'all sellers'}); store it now:")
    sys.stdout.flush()
    print(token, flush=True)


@keys_app.command("list")
def keys_list() -> None:
    """Every key (hashes never leave the database)."""
    import sqlalchemy as sa

    from matching.models import ApiKey
    from models.db import session_scope

    table = Table("id", "name", "role", "seller", "prefix", "created", "last used", "revoked")
    with session_scope() as session:
        for row in session.scalars(sa.select(ApiKey).order_by(ApiKey.id)):
            table.add_row(
                str(row.id),
                row.name,
                row.role,
                row.seller_id or "",
                row.key_prefix + "…",
                f"{row.created_at:%Y-%m-%d}",
                f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "",
                f"{row.revoked_at:%Y-%m-%d}" if row.revoked_at else "",
            )
    console.print(table)


@keys_app.command("revoke")
def keys_revoke(key_id: int = typer.Argument(..., help="The key's id.")) -> None:
    """Revoke a key (it answers 401 from then on)."""
    from matching.auth import revoke_key
    from models.db import session_scope

    with session_scope() as session:
        if not revoke_key(session, key_id):
            _fail(f"no active key {key_id}", 1)
    console.print(f"key {key_id} revoked")
