"""Source name -> the module implementing it (`etl/sources/<name>.py`, attribute `source`)."""

from __future__ import annotations

import importlib

from etl.records import Source

#: Every source the loader knows, with the module that implements it.
SOURCES: dict[str, str] = {
    "scryfall": "etl.sources.scryfall",
    "pokemontcg": "etl.sources.pokemontcg",
    "ygoprodeck": "etl.sources.ygoprodeck",
    "optcg": "etl.sources.optcg",
}


class UnknownSourceError(LookupError):
    """The name is not a source we know."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"unknown source {name!r}; expected one of {', '.join(SOURCES)}")


def source_names() -> list[str]:
    return list(SOURCES)


def get_source(name: str) -> Source:
    """The `source` object of the named source's module."""
    module_name = SOURCES.get(name)
    if module_name is None:
        raise UnknownSourceError(name)
    module = importlib.import_module(module_name)
    return module.source
