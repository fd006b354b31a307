"""`SourceEntry`: everything the ETL knows about one upstream source, declared once.

Each source is a folder `etl/sources/<name>/` (its reader and normaliser, its fetcher, its
demo sample) whose `__init__.py` exposes one `SOURCE = SourceEntry(...)`; `etl.registry` lists
the entries, and the CLI choices, the fetchers, the beat schedule and the demo derive from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from celery.schedules import crontab

from etl.fetch.base import Fetcher
from etl.records import Source

#: (shared data folder, output folder) -> the folder to load: cuts a small sample of the
#: source's real data, in the upstream's own layout, for `make demo`.
DemoSample = Callable[[Path, Path], Path]


@dataclass(frozen=True, slots=True)
class SourceEntry:
    name: str  # the source name of the CLI, the jobs and the bronze rows ("scryfall")
    game: str  # the game its cards belong to ("MTG")
    reader: Source  # discover / read / sets / normalize (etl.records.Source)
    fetcher: Fetcher  # downloads the upstream into files the reader reads
    sync_at: crontab  # when the beat scheduler runs `etl.sync` for it (UTC)
    demo_sample: DemoSample  # the demo's cut of the shared data

    def __post_init__(self) -> None:
        if self.reader.name != self.name or self.reader.game != self.game:
            raise ValueError(f"source {self.name}: its reader names {self.reader.name}")
