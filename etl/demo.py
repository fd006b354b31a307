"""Demo data: a sample of real cards from all four games, for `make demo`.

With the shared data beside the clone (`SIDEDECKED_SHARED_DATA`), a few hundred real cards per
game are cut from it into `<dest>/<source>/` in each upstream's own layout; without it, the
small fixtures committed under `tests/fixtures/<source>/` are used. What each source's sample
holds is declared in its folder (`etl/sources/<name>/demo.py`). Either way the files are then
loaded by the normal ETL pipeline, so the demo exercises the same code as production.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from etl.registry import SOURCES
from models.settings import REPO_ROOT, get_settings

FIXTURES = REPO_ROOT / "tests" / "fixtures"


@dataclass(frozen=True, slots=True)
class DemoInput:
    source: str
    path: Path
    from_shared_data: bool


def prepare_demo_inputs(*, dest: Path, shared_data: Path | None = None) -> list[DemoInput]:
    """Write (or point at) one input folder per source (its entry's `demo_sample`); returns
    them in load order (the registry's)."""
    shared = shared_data if shared_data is not None else get_settings().sidedecked_shared_data
    if not (shared / "MANIFEST.md").exists():
        return [DemoInput(name, FIXTURES / name, False) for name in SOURCES]
    if dest.exists():
        shutil.rmtree(dest)
    return [
        DemoInput(name, entry.demo_sample(shared, dest / name), True)
        for name, entry in SOURCES.items()
    ]
