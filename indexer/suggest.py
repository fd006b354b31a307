"""Autocomplete, shared by both engines: which texts are asked, and what a suggestion carries.

Suggestions come from the names index (`indexer/names.py`: one entry per card name and game, so
a name reprinted in many sets shows once). Each engine keeps the entries matching the text
(`relevance.plan_text(..., suggest=True)`: names only, typos allowed, the last word a prefix),
scores each by its best tier (`relevance.suggest_tiers`) and breaks ties by the entry's
`sort_key` (popularity, then the name): a total order, so both engines answer the same list.
"""

from __future__ import annotations

from typing import Any

from indexer import relevance as rel
from indexer.query import Suggestion

#: The entry fields a suggestion is made of (plus the tie-break).
FIELDS = ["name", "card_id", "game", "sort_key"]


def suggest_plan(prefix: str, limit: int) -> rel.TextPlan | None:
    """The plan of a suggestion text, or None when nothing is to be suggested (no limit, no
    words, fewer than `SUGGEST_MIN_CHARS` letters and digits)."""
    plan = rel.plan_text(prefix, suggest=True)
    if limit <= 0 or plan.is_empty or len(plan.folded.replace(" ", "")) < rel.SUGGEST_MIN_CHARS:
        return None
    return plan


def suggestion(entry: dict[str, Any]) -> Suggestion:
    return Suggestion(entry["name"], entry["card_id"], entry["game"])
