"""The demo's Magic sample: English cards of a few sets of the 2019 snapshot, plus the fixtures."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

#: set -> how many English cards (None: the whole set). The whole sets carry famous, split,
#: double-faced and accented cards that the judged ranking queries
#: (tests/integration/search_api/ranking) use.
SCRYFALL_SETS: dict[str, int | None] = {
    "eld": 120,
    "war": 100,
    "m20": 100,
    "m10": None,
    "isd": None,
    "mm3": None,
    "csp": None,
    "uma": None,
    "dgm": None,
    "me1": None,
}


def sample(shared: Path, out: Path) -> Path:
    out.mkdir(parents=True)
    taken = dict.fromkeys(SCRYFALL_SETS, 0)
    snapshot = shared / "scryfall-2019-snapshot" / "scryfall_cards_2019-10.jsonl.gz"
    with (
        gzip.open(snapshot, "rt", encoding="utf-8") as src,
        (out / "sample.jsonl").open("w", encoding="utf-8") as dst,
    ):
        for line in src:
            card = json.loads(line)
            code = card.get("set")
            if code not in taken or card.get("lang") != "en":
                continue
            limit = SCRYFALL_SETS[code]
            if limit is None or taken[code] < limit:
                taken[code] += 1
                dst.write(line if line.endswith("\n") else line + "\n")
    shutil.copytree(shared / "scryfall-fixtures", out / "modern")
    return out
