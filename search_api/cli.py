"""The `sidedecked` command: one typer app assembling each domain's commands."""

from __future__ import annotations

import typer

from etl.cli import app as etl_app
from matching.cli import app as match_app
from matching.cli import keys_app
from models.cli import app as db_app

app = typer.Typer(
    help="SideDecked Catalog: card catalog, ETL, search index and matching.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(db_app, name="db")
app.add_typer(etl_app, name="etl")
app.add_typer(match_app, name="match")
app.add_typer(keys_app, name="keys")


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to bind."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, help="Worker processes."),
    reload: bool = typer.Option(False, help="Reload on code changes (development)."),
) -> None:
    """Serve the API (and pages) with uvicorn."""
    import uvicorn

    uvicorn.run(
        "search_api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
    )


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
