"""The demo's Pokémon sample: a few whole sets of pokemon-tcg-data, with their set entries."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

POKEMON_SETS = ("base1", "base2", "bw3", "sv1", "sv2", "sv3pt5", "swsh12pt5")


def sample(shared: Path, out: Path) -> Path:
    root = shared / "pokemon-tcg-data"
    (out / "cards" / "en").mkdir(parents=True)
    (out / "sets").mkdir()
    sets = json.loads((root / "sets" / "en.json").read_text(encoding="utf-8"))
    wanted = [s for s in sets if s["id"] in POKEMON_SETS]
    (out / "sets" / "en.json").write_text(json.dumps(wanted), encoding="utf-8")
    for set_id in POKEMON_SETS:
        shutil.copy(root / "cards" / "en" / f"{set_id}.json", out / "cards" / "en")
    return out
