"""`sidedecked worker` and `sidedecked beat`: a real Celery worker or beat on
`models.worker:celery_app` with the configured `REDIS_URL` (docs/workers.md).

Without `REDIS_URL` both exit with status 2: jobs then run inline in the process that asks for
them, so no task ever reaches a queue and there is nothing for a worker to do.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from models.settings import get_settings

app = typer.Typer()

NO_REDIS = (
    "REDIS_URL is not set: without a broker every job runs inline in the process that starts it "
    "(the API, the CLI), so a {what} has nothing to work on. Set REDIS_URL (e.g. "
    "redis://127.0.0.1:6379/0, `make services` starts one) and run this again."
)


def _require_redis(what: str) -> None:
    if not get_settings().redis_url:
        typer.echo(NO_REDIS.format(what=what), err=True)
        raise typer.Exit(2)


def worker_argv(
    *, concurrency: int | None, queues: str | None, loglevel: str, hostname: str | None
) -> list[str]:
    """The `celery worker` arguments the command runs with (one place, tested)."""
    argv = ["worker", "--loglevel", loglevel.upper()]
    argv += ["--hostname", hostname or f"sidedecked.{os.getpid()}@%h"]
    if concurrency is not None:
        argv += ["--concurrency", str(concurrency)]
    names = [q.strip() for q in (queues or "").split(",") if q.strip()]
    if names:
        argv += ["--queues", ",".join(names)]
    return argv


@app.command("worker")
def worker(
    concurrency: int | None = typer.Option(
        None, "--concurrency", "-c", min=1, help="Pool processes (default: one a CPU core)."
    ),
    queues: str | None = typer.Option(
        None,
        "--queues",
        "-Q",
        help="Comma-separated queues to consume (default: celery, where every task goes).",
    ),
    loglevel: str = typer.Option("INFO", "--loglevel", "-l", help="DEBUG, INFO, WARNING..."),
    hostname: str | None = typer.Option(
        None, "--hostname", "-n", help="Node name (default: sidedecked.<pid>@<host>)."
    ),
) -> None:
    """Run a Celery worker on REDIS_URL (loads, rebuilds, drains, matching jobs, events)."""
    _require_redis("worker")
    from models.worker import celery_app

    argv = worker_argv(concurrency=concurrency, queues=queues, loglevel=loglevel, hostname=hostname)
    code: int | None = celery_app.start(argv)
    raise typer.Exit(code or 0)


@app.command("beat")
def beat(
    loglevel: str = typer.Option("INFO", "--loglevel", "-l", help="DEBUG, INFO, WARNING..."),
    schedule: Path | None = typer.Option(
        None,
        "--schedule",
        "-s",
        help="Schedule state file (default: var/celery/beat-schedule in the repository).",
    ),
) -> None:
    """Run Celery beat on REDIS_URL: queues the periodic tasks. Run exactly one."""
    _require_redis("beat")
    from models.worker import BEAT_SCHEDULE_FILE, celery_app

    path = schedule or BEAT_SCHEDULE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    code: int | None = celery_app.start(
        ["beat", "--loglevel", loglevel.upper(), "--schedule", str(path)]
    )
    raise typer.Exit(code or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
