"""`sidedecked demo load`: the sample `make demo` serves, loaded by the ETL and indexed.

It drives two domains (the ETL's sample cut and load pipeline, then the indexer's rebuild), and
the ETL and the indexer do not import each other, so it lives here at the top. What the sample
holds is the ETL's (`etl/demo.py`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def load_demo(*, dest: Path, console: Any = None) -> None:
    """Prepare the sample, load it with the ETL pipeline, rebuild the search index."""
    from rich.console import Console

    from etl.cli import RichProgress
    from etl.demo import prepare_demo_inputs
    from etl.pipeline import load

    console = console or Console()
    inputs = prepare_demo_inputs(dest=dest)
    origin = "shared data" if inputs[0].from_shared_data else "committed fixtures"
    console.print(f"[bold]demo[/]: loading sample cards of all four games from the {origin}")
    for item in inputs:
        with RichProgress(console) as progress:
            result = load(item.source, [item.path], progress=progress)
        counts = result.counts
        console.print(
            f"  {item.source:<11} {result.status}: {counts.records_read} records, "
            f"{counts.created} created, {counts.updated} updated, {counts.quarantined} quarantined"
        )
        if not result.ok:
            raise RuntimeError(f"demo load of {item.source} failed: {result.error}")
    _rebuild_index(console)


def _rebuild_index(console: Any) -> None:
    from indexer.engine import get_engine
    from indexer.locks import lease_for
    from indexer.rebuild import rebuild
    from models.db import get_engine as get_db_engine

    report = rebuild(engine=get_engine(), db=get_db_engine(), lease=lease_for())
    console.print(f"  search index {report.index}: {report.documents} documents")
