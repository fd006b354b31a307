"""Every upstream source the ETL knows, listed once: name -> its `SourceEntry`.

A source is one folder `etl/sources/<name>/` exposing `SOURCE` (etl/sources/base.py). The
loader (`get_source`), the CLI choices (`SourceName`), the fetcher (`get_fetcher`), the beat
schedule (etl/tasks.py) and the demo all derive from `SOURCES`; adding a source is adding its
folder and its line here.
"""

from __future__ import annotations

from enum import StrEnum

from etl.fetch.base import Fetcher
from etl.records import Source
from etl.sources import optcg, pokemontcg, scryfall, ygoprodeck
from etl.sources.base import SourceEntry

#: In the demo's load order.
SOURCES: dict[str, SourceEntry] = {
    entry.name: entry
    for entry in (scryfall.SOURCE, pokemontcg.SOURCE, ygoprodeck.SOURCE, optcg.SOURCE)
}

#: The `--source` choices of the `sidedecked etl` commands.
SourceName = StrEnum("SourceName", {name: name for name in SOURCES})  # type: ignore[misc]


class UnknownSourceError(LookupError):
    """The name is not a source we know."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"unknown source {name!r}; expected one of {', '.join(SOURCES)}")


def source_names() -> list[str]:
    return list(SOURCES)


def get_entry(name: str) -> SourceEntry:
    entry = SOURCES.get(name)
    if entry is None:
        raise UnknownSourceError(name)
    return entry


def get_source(name: str) -> Source:
    """The named source's reader (discover, read, sets, normalize)."""
    return get_entry(name).reader


def get_fetcher(name: str) -> Fetcher:
    """The named source's fetch module."""
    return get_entry(name).fetcher
