"""The `sidedecked` command: one typer app assembling each domain's commands."""

from __future__ import annotations

from pathlib import Path

import typer

from etl.cli import app as etl_app
from images.cli import app as images_app
from indexer.cli import app as index_app
from marketplace.cli import app as events_app
from matching.cli import app as match_app
from matching.cli import keys_app
from models.cli import app as db_app
from models.settings import REPO_ROOT
from models.worker_cli import app as worker_app

app = typer.Typer(
    help="SideDecked Catalog: card catalog, ETL, search index and matching.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(db_app, name="db")
app.add_typer(etl_app, name="etl")
app.add_typer(index_app, name="index")
app.add_typer(match_app, name="match")
app.add_typer(keys_app, name="keys")
app.add_typer(events_app, name="events")
app.add_typer(images_app, name="images")
app.add_typer(worker_app)  # `sidedecked worker`, `sidedecked beat`


demo_app = typer.Typer(help="The embedded demo (make demo).", no_args_is_help=True)
app.add_typer(demo_app, name="demo")


@demo_app.command("load")
def demo_load(
    dest: Path = typer.Option(
        REPO_ROOT / "var" / "demo" / "sample", help="Where the sample files are written."
    ),
) -> None:
    """Load real sample cards of all four games into the configured catalog and index them."""
    from search_api.demo import load_demo

    load_demo(dest=dest)


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to bind."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(
        1, min=1, help="Worker processes, each on its own SO_REUSEPORT socket (about one a core)."
    ),
    access_log: bool = typer.Option(True, help="Log every request (uvicorn's access log)."),
    reload: bool = typer.Option(False, help="Reload on code changes (development)."),
) -> None:
    """Serve the API (and pages) with uvicorn (search_api/server.py)."""
    from search_api.server import ServeOptions
    from search_api.server import serve as run

    options = ServeOptions(host=host, port=port, access_log=access_log)
    code = run(options, workers=workers, reload=reload)
    if code:
        raise typer.Exit(code)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
