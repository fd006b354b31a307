"""`sidedecked db ...`: migrations on the configured database."""

from __future__ import annotations

import typer
from rich.console import Console

from models import migrate
from models.settings import get_settings

app = typer.Typer(help="Database migrations.", no_args_is_help=True)
console = Console()


@app.command("upgrade")
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Run migrations up to REVISION (default: head)."""
    url = get_settings().database_url
    migrate.upgrade(url=url, revision=revision)
    console.print(f"database at [bold]{_safe(url)}[/] is at revision {migrate.current(url=url)}")


@app.command("downgrade")
def downgrade(
    revision: str = typer.Argument(..., help="Target revision, e.g. base or -1."),
) -> None:
    """Undo migrations down to REVISION."""
    url = get_settings().database_url
    migrate.downgrade(url=url, revision=revision)
    console.print(f"database at [bold]{_safe(url)}[/] is at revision {migrate.current(url=url)}")


@app.command("current")
def current() -> None:
    """Print the database's current revision."""
    console.print(migrate.current(url=get_settings().database_url) or "(empty database)")


def _safe(url: str) -> str:
    """The URL without its password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
