"""Index definitions as versioned data (`opensearch/<index>/vN.json`) and index naming.

The application only talks to an alias (`<prefix>-prints`); each rebuild creates a concrete
index `<alias>-v<version>-<UTC timestamp>` from the newest definition, with the set-code
synonyms generated from the catalog inlined in its settings.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

DEFINITIONS_DIR = Path(__file__).resolve().parent.parent / "opensearch"
INDEX_NAME = "prints"
#: The names index (autocomplete: one entry per card name and game), rebuilt beside the prints.
NAMES_INDEX = "names"
SYNONYM_FILTER = "set_code_synonyms"
#: A rule that never matches, for a catalog without any set alias (the filter needs one rule).
NOOP_SYNONYM = "__no_set_aliases__ => __no_set_aliases__"
_VERSION_RE = re.compile(r"^v(\d+)\.json$")


def available_versions(index: str = INDEX_NAME) -> list[int]:
    folder = DEFINITIONS_DIR / index
    versions = [int(m.group(1)) for p in folder.glob("v*.json") if (m := _VERSION_RE.match(p.name))]
    return sorted(versions)


def current_version(index: str = INDEX_NAME) -> int:
    versions = available_versions(index)
    if not versions:
        raise FileNotFoundError(f"no index definition under {DEFINITIONS_DIR / index}")
    return versions[-1]


@cache
def _load(index: str, version: int) -> dict[str, Any]:
    path = DEFINITIONS_DIR / index / f"v{version}.json"
    definition: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return definition


def load_definition(
    *, index: str = INDEX_NAME, version: int | None = None, synonyms: list[str] | None = None
) -> dict[str, Any]:
    """Settings and mappings of `index` at `version` (newest by default), synonyms inlined."""
    body = copy.deepcopy(_load(index, version or current_version(index)))
    filters = body["settings"]["analysis"]["filter"]
    if SYNONYM_FILTER in filters:
        filters[SYNONYM_FILTER]["synonyms"] = list(synonyms or ()) or [NOOP_SYNONYM]
    return body


def alias_name(prefix: str, index: str = INDEX_NAME) -> str:
    return f"{prefix}-{index}"


def new_index_name(alias: str, version: int, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d%H%M%S%f")
    return f"{alias}-v{version}-{stamp}"


def companion_index_name(index_name: str, alias: str, version: int) -> str:
    """The index a rebuild creates for `alias` beside its new `index_name` (same timestamp)."""
    return f"{alias}-v{version}-{index_name.rsplit('-', 1)[-1]}"


def version_of(index_name: str) -> int | None:
    match = re.search(r"-v(\d+)-\d{14,20}$", index_name)
    return int(match.group(1)) if match else None
