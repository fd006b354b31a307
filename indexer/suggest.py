"""Autocomplete ranking, shared by both engines.

Each engine fetches up to `CANDIDATES` distinct cards matching the prefix (names only, the last
word a typo-tolerant prefix; see `indexer.relevance.plan_text(suggest=True)`), best score first.
They are then ordered here, the same way for both engines: names that start with the typed text
first, then by how few edits separate the typed text from the start of the name, then by score
(which carries popularity), then by name. One suggestion per name and game: cards that share
a name (a Pokémon card reprinted in many sets is a card per set) show once, as the best one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rapidfuzz.distance import OSA

from indexer.analysis import name_key
from indexer.query import Suggestion

CANDIDATES = 100
#: Fields a candidate document needs.
FIELDS = ["name", "face_names", "card_id", "game", "name_sort", "print_id"]


def _closeness(typed: str, doc: dict[str, Any]) -> tuple[bool, int]:
    best = (True, len(typed) + 1)
    for name in (doc["name"], *(doc.get("face_names") or ())):
        key = name_key(name)
        best = min(best, (not key.startswith(typed), OSA.distance(typed, key[: len(typed)])))
    return best


def rank_suggestions(
    prefix: str, candidates: Iterable[tuple[float, dict[str, Any]]], limit: int
) -> list[Suggestion]:
    typed = name_key(prefix)
    ordered = sorted(
        candidates,
        key=lambda c: (*_closeness(typed, c[1]), -c[0], c[1]["name_sort"], c[1]["print_id"]),
    )
    out: dict[tuple[str, str], Suggestion] = {}
    for _, doc in ordered:
        key = (doc["game"], name_key(doc["name"]))  # one line per name (Pokémon reprints)
        if key not in out:
            out[key] = Suggestion(doc["name"], doc["card_id"], doc["game"])
            if len(out) == limit:
                break
    return list(out.values())
