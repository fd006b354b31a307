"""What the matcher answers: `MatchResult` (the decision, the best SKU, up to five
`MatchCandidate`s, the reason) and `split_reason` for a stored reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class MatchCandidate:
    sku: str
    print_id: int
    confidence: float
    matched_fields: dict[str, float]
    match_method: str
    game: str
    name: str
    set_code: str
    set_name: str
    number: str
    language: str
    condition: str
    finish: str
    rarity: str | None = None
    variation: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "sku": self.sku,
            "print_id": self.print_id,
            "confidence": self.confidence,
            "matched_fields": self.matched_fields,
            "match_method": self.match_method,
            "game": self.game,
            "name": self.name,
            "set_code": self.set_code,
            "set_name": self.set_name,
            "number": self.number,
            "language": self.language,
            "condition": self.condition,
            "finish": self.finish,
            "rarity": self.rarity,
            "variation": self.variation,
        }


@dataclass(slots=True)
class MatchResult:
    decision: str  # auto | review | none
    best: MatchCandidate | None
    candidates: list[MatchCandidate]
    reason: str | None
    source_text: str
    source_key: str | None
    game: str | None
    warnings: list[str] = field(default_factory=list)
    #: machine-readable reason (`matching.reasons`); None for a plain `auto`
    reason_code: str | None = None
    #: SKU components the listing did not state and the answer assumed (`condition: NM`)
    assumed: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "best": self.best.as_dict() if self.best else None,
            "candidates": [c.as_dict() for c in self.candidates],
            "reason_code": self.reason_code,
            "reason": self.reason,
            "assumed": self.assumed,
            "source_text": self.source_text,
            "warnings": self.warnings,
        }

    @property
    def stored_reason(self) -> str | None:
        """`code: sentence`, as a job row keeps it (`split_reason` reads it back)."""
        if self.reason_code and self.reason:
            return f"{self.reason_code}: {self.reason}"
        return self.reason


def split_reason(stored: str | None) -> tuple[str | None, str | None]:
    """(reason_code, sentence) of a stored reason (see `MatchResult.stored_reason`)."""
    from matching.reasons import REASON_CODES

    if stored:
        code, sep, text = stored.partition(": ")
        if sep and code in REASON_CODES:
            return code, text
    return None, stored
