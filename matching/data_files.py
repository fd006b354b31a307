"""The matcher's two reviewable data files, which widen what the catalog answers to:
`matching/data/set_aliases.csv` (set names as TCGplayer, Cardmarket and the collection apps
write them -> catalog set codes) and `matching/data/rarity_synonyms.csv` (another source's
rarity name -> the catalog's, optionally only in some sets). Each row says where it came from;
`load_set_aliases` / `load_rarity_synonyms` validate them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from models.games import GAME_IDS
from models.text import listing_key, spelling_key

DATA_DIR = Path(__file__).with_name("data")
SET_ALIASES_FILE = DATA_DIR / "set_aliases.csv"
RARITY_SYNONYMS_FILE = DATA_DIR / "rarity_synonyms.csv"


@dataclass(frozen=True, slots=True)
class SetAlias:
    """A set name as a tool writes it, standing for one or more catalog sets of a game."""

    game: str
    alias: str
    set_codes: tuple[str, ...]
    source: str
    comment: str


@dataclass(frozen=True, slots=True)
class RaritySynonym:
    """Another source's rarity name for the catalog's `catalog_rarity` (in `sets` only, when
    given)."""

    game: str
    rarity: str
    catalog_rarity: str
    sets: frozenset[str]
    source: str
    comment: str


def _data_rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or ())]
        if missing:
            raise ValueError(f"{path.name}: missing columns {', '.join(missing)}")
        rows = []
        for line, row in enumerate(reader, start=2):
            values = {c: (row.get(c) or "").strip() for c in columns}
            if not any(values.values()):
                continue
            if values["game"] not in GAME_IDS:
                raise ValueError(f"{path.name}:{line}: unknown game {values['game']!r}")
            if not values["source"] or not values["comment"]:
                raise ValueError(f"{path.name}:{line}: every row says where it came from")
            rows.append((line, values))
        return rows


def load_set_aliases(path: Path = SET_ALIASES_FILE) -> list[SetAlias]:
    """The set-name aliases of `path` (columns game, alias, set_codes, source, comment)."""
    out = []
    columns = ("game", "alias", "set_codes", "source", "comment")
    for line, row in _data_rows(path, columns):
        codes = tuple(code.upper() for code in row["set_codes"].split())
        if not row["alias"] or not codes or not listing_key(row["alias"]):
            raise ValueError(f"{path.name}:{line}: an alias needs a name and set codes")
        out.append(SetAlias(row["game"], row["alias"], codes, row["source"], row["comment"]))
    return out


def load_rarity_synonyms(path: Path = RARITY_SYNONYMS_FILE) -> list[RaritySynonym]:
    """The rarity synonyms of `path` (columns game, rarity, catalog_rarity, sets, source,
    comment; `sets` is blank for every set of the game)."""
    out = []
    columns = ("game", "rarity", "catalog_rarity", "sets", "source", "comment")
    for line, row in _data_rows(path, columns):
        if not spelling_key(row["rarity"]) or not spelling_key(row["catalog_rarity"]):
            raise ValueError(f"{path.name}:{line}: a synonym needs both rarity names")
        if spelling_key(row["rarity"]) == spelling_key(row["catalog_rarity"]):
            raise ValueError(f"{path.name}:{line}: {row['rarity']!r} is already the same name")
        out.append(
            RaritySynonym(
                row["game"],
                row["rarity"],
                row["catalog_rarity"],
                frozenset(code.upper() for code in row["sets"].split()),
                row["source"],
                row["comment"],
            )
        )
    return out
