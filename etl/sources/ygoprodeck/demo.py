"""The demo's Yu-Gi-Oh! sample: three set files of ygoprodeck-cardsets, with the set list."""

from __future__ import annotations

import shutil
from pathlib import Path

YUGIOH_SET_FILES = (
    "legend of blue eyes white dragon.json",
    "metal raiders.json",
    "phantom nightmare.json",
)


def sample(shared: Path, out: Path) -> Path:
    root = shared / "ygoprodeck-cardsets" / "data"
    (out / "data" / "cardsets").mkdir(parents=True)
    for name in YUGIOH_SET_FILES:
        shutil.copy(root / "cardsets" / name, out / "data" / "cardsets" / name)
    shutil.copy(root / "cardsets.json", out / "data" / "cardsets.json")
    return out
