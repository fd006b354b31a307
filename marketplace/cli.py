"""`sidedecked events consume|publish-sample|dead-letters`: the marketplace event stream."""

from __future__ import annotations

import json
import signal
import threading

import typer
from rich.console import Console

app = typer.Typer(help="Marketplace events: the Redis stream consumer.", no_args_is_help=True)
console = Console()


@app.command("consume")
def consume(
    batch_size: int = typer.Option(500, min=1, max=5000, help="Events per transaction."),
    block_ms: int = typer.Option(1000, min=1, help="XREADGROUP block time."),
    min_idle_ms: int = typer.Option(30_000, min=1, help="Reclaim others' messages idle this long."),
    max_attempts: int = typer.Option(5, min=1, help="Deliveries before dead-lettering."),
    consumer: str | None = typer.Option(None, help="Consumer name (default host-pid-random)."),
    stream: str = typer.Option("sidedecked:events", help="Stream key."),
    group: str = typer.Option("catalog", help="Consumer group."),
    drain: bool = typer.Option(True, help="Drain the index outbox after each batch."),
    seconds: float | None = typer.Option(None, help="Stop after this long."),
    idle_exit: float | None = typer.Option(None, help="Stop after this long without events."),
) -> None:
    """Consume the event stream until interrupted (SIGINT/SIGTERM finish the current batch)."""
    from marketplace.tasks import make_consumer

    kwargs = {
        "batch_size": batch_size,
        "block_ms": block_ms,
        "min_idle_ms": min_idle_ms,
        "max_attempts": max_attempts,
        "stream": stream,
        "group": group,
    }
    if consumer:
        kwargs["consumer"] = consumer
    worker = make_consumer(drain=drain, **kwargs)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    console.print(f"consuming {worker.stream} as {worker.consumer}", highlight=False)
    report = worker.run(stop=stop, max_seconds=seconds, idle_exit_s=idle_exit)
    typer.echo(json.dumps({n: getattr(report, n) for n in report.__slots__}))


@app.command("publish-sample")
def publish_sample(
    count: int = typer.Option(100, min=1, help="Events to publish."),
    seed: int = typer.Option(0, help="Random seed (same seed, same events and ids)."),
    limit_skus: int = typer.Option(200, min=1, help="Spread over the first N catalog SKUs."),
    stream: str = typer.Option("sidedecked:events", help="Stream key."),
) -> None:
    """Publish a seeded random marketplace stream over existing catalog SKUs."""
    import sqlalchemy as sa

    from marketplace.samples import random_stream
    from marketplace.stream import publish
    from models import CatalogSku
    from models.db import get_engine
    from models.redis_clients import redis_client

    client = redis_client(profile="worker")
    if client is None:
        raise typer.BadParameter("REDIS_URL is not set")
    with get_engine().connect() as conn:
        stmt = sa.select(CatalogSku.sku).order_by(CatalogSku.id).limit(limit_skus)
        skus = list(conn.execute(stmt).scalars())
    if not skus:
        raise typer.BadParameter("the catalog has no SKUs")
    ids = publish(client, random_stream(skus, count, seed=seed), stream=stream)
    console.print(f"published {len(ids)} events over {len(skus)} SKUs", highlight=False)


@app.command("dead-letters")
def dead_letters(limit: int = typer.Option(20, min=1)) -> None:
    """Show the latest dead letters (reason and event id)."""
    import sqlalchemy as sa

    from marketplace.models import EventDeadLetter
    from models.db import get_engine

    with get_engine().connect() as conn:
        stmt = sa.select(EventDeadLetter).order_by(EventDeadLetter.id.desc()).limit(limit)
        for row in conn.execute(stmt):
            console.print(
                f"{row.created_at:%Y-%m-%d %H:%M:%S} {row.source} {row.event_id}: {row.reason}",
                highlight=False,
            )
