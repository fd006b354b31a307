"""The matcher: a `ParsedListing` in, a decision, the best SKU and up to 5 candidates out.

    matcher = Matcher(index_cache.get(engine))
    result = matcher.match(listing, thresholds=default_thresholds())

Steps: a learned alias of the seller (exact), else candidates (`candidates.py`), per-field
scores and ranking (`scoring.py`), the calibrated confidence of each (`calibration.py`), the
SKU of the best print for the listing's condition, finish and language, and the decision
(`decisions.py`). Results that do not depend on the copy (condition, quantity, price) are
cached per listing identity, so repeated rows cost a dictionary lookup.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from matching.calibration import Calibration, load_calibration
from matching.candidates import CandidateGenerator, Query, query_from_listing
from matching.decisions import AUTO, NONE, REVIEW, Thresholds, decide
from matching.index import CatalogIndex, catalog_number_key
from matching.parsing.listing import (
    KIND_CHOICE,
    KIND_LOT,
    KIND_SEALED,
    ParsedListing,
    name_key,
)
from matching.scoring import Scored, features, pick_finish, score_candidates
from models.sku import SkuParts, format_sku

MAX_CANDIDATES = 5
#: An external id hit is exact unless the listing's own name or set contradicts it.
ID_CONFIDENCE = 0.999
ID_MIN_NAME = 0.85
_CACHE_SIZE = 50_000


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

    def as_dict(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "best": self.best.as_dict() if self.best else None,
            "candidates": [c.as_dict() for c in self.candidates],
            "reason": self.reason,
            "source_text": self.source_text,
            "warnings": self.warnings,
        }


@dataclass(slots=True)
class _Ranked:
    """What the cache keeps: the scored top candidates, independent of the copy."""

    top: list[Scored]
    reason: str | None


# -- identity of a listing --------------------------------------------------------------------


def source_text(listing: ParsedListing) -> str:
    """What the seller wrote, for humans: the title, or `name | set | number | language`."""
    if isinstance(listing.raw, str):
        return listing.raw
    parts = [
        listing.name or "",
        listing.set_code or listing.set_name or "",
        listing.number or "",
        listing.language or "",
    ]
    return " | ".join(parts).strip(" |")


def source_key(listing: ParsedListing) -> str | None:
    """Normalised identity of the seller's text (without copy details such as condition)."""
    if isinstance(listing.raw, str):
        key = name_key(listing.raw)
        return f"t:{key}"[:255] if key else None
    if not (listing.name or listing.number):
        return None
    number = catalog_number_key(listing.game, listing.number) if listing.number else ""
    parts = [
        listing.game or "",
        listing.name_key or "",
        (listing.set_code or "").lower(),
        name_key(listing.set_name) if listing.set_name else "",
        number,
        listing.language or "",
    ]
    return ("f:" + "|".join(parts))[:255]


def listing_kind_reason(listing: ParsedListing) -> str | None:
    if listing.kind == KIND_LOT:
        return "not a single card: lot of several cards"
    if listing.kind == KIND_SEALED:
        return "not a single card: sealed product"
    if listing.kind == KIND_CHOICE:
        return "not a single card: multi-variation listing (buyer chooses)"
    return None


class Matcher:
    """Matches listings against one `CatalogIndex` with one calibration."""

    def __init__(
        self,
        index: CatalogIndex,
        calibration: Calibration | None = None,
        *,
        cache_size: int = _CACHE_SIZE,
    ) -> None:
        self.index = index
        self.calibration = calibration or load_calibration()
        self.generator = CandidateGenerator(index, cache=cache_size > 0)
        self.cache_size = cache_size
        self._cache: OrderedDict[tuple, _Ranked] = OrderedDict()

    # -- the pipeline ---------------------------------------------------------------------------

    def rank(self, query: Query) -> _Ranked:
        key = query.cache_key()
        cached = self._cache.get(key) if self.cache_size else None
        if cached is not None:
            return cached
        if query.is_title:
            query = self.generator.split_title(query)
        found = self.generator.generate(query)
        if not found.prints:
            ranked = _Ranked([], "no catalog candidate")
        else:
            scored = score_candidates(query, found, self.index)
            top = scored[: MAX_CANDIDATES + 1]
            ties = sum(1 for s in scored if abs(s.rank - scored[0].rank) <= 1e-6)
            for position, candidate in enumerate(top[:MAX_CANDIDATES]):
                if position == 0:
                    runner_up = top[1].rank if len(top) > 1 else None
                else:
                    runner_up = top[0].rank
                confidence = self._confidence(candidate, query, runner_up)
                if abs(candidate.rank - scored[0].rank) <= 1e-6 and ties > 1:
                    # distinct prints nothing tells apart: at best one in `ties` is right
                    confidence = min(confidence, round(1.0 / ties, 4))
                candidate.confidence = confidence
            ranked = _Ranked(top[:MAX_CANDIDATES], None)
        if self.cache_size:
            self._cache[key] = ranked
            if len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return ranked

    def _confidence(self, candidate: Scored, query: Query, runner_up: float | None) -> float:
        fields = candidate.fields
        if "id" in fields:
            name_ok = fields.get("name", 1.0) >= ID_MIN_NAME
            set_ok = fields.get("set", 1.0) > 0.0
            if name_ok and set_ok:
                return ID_CONFIDENCE
        x = features(candidate, query, runner_up)
        return round(self.calibration.predict(x), 4)

    def match(
        self,
        listing: ParsedListing,
        *,
        thresholds: Thresholds,
        aliases: Mapping[str, tuple[int, str]] | None = None,
        use_ids: bool = True,
        error: str | None = None,
    ) -> MatchResult:
        """Match one listing. `aliases`: the seller's learned `source_key -> (print_id, sku)`."""
        text = source_text(listing)
        key = source_key(listing)
        warnings = list(listing.warnings)
        if error:
            return MatchResult("error", None, [], error, text, key, listing.game, warnings)
        reason = listing_kind_reason(listing)
        if reason:
            return MatchResult(NONE, None, [], reason, text, key, listing.game, warnings)
        if aliases and key and key in aliases:
            learned = self._from_alias(listing, *aliases[key])
            if learned is not None:
                return MatchResult(
                    AUTO, learned, [learned], None, text, key, learned.game, warnings
                )
        query = query_from_listing(listing, use_ids=use_ids)
        if not (query.name_key or query.number or query.has_ids or query.ygoprodeck_id):
            return MatchResult(
                NONE, None, [], "no card name or identifier", text, key, listing.game, warnings
            )
        ranked = self.rank(query)
        if not ranked.top:
            return MatchResult(NONE, None, [], ranked.reason, text, key, listing.game, warnings)
        condition = listing.condition or "NM"
        candidates = [self._candidate(s, condition) for s in ranked.top]
        best = candidates[0]
        decision = decide(best.confidence, thresholds)
        reason = None
        if decision == NONE:
            reason = f"best candidate confidence {best.confidence:.2f} is below review"
        elif decision == REVIEW:
            reason = f"confidence {best.confidence:.2f} is below auto-accept"
        return MatchResult(decision, best, candidates, reason, text, key, best.game, warnings)

    # -- SKUs -------------------------------------------------------------------------------------

    def _candidate(self, scored: Scored, condition: str) -> MatchCandidate:
        entry = self.index.prints[scored.print_id]
        card_set = self.index.sets[entry.set_id]
        card = self.index.cards[entry.card_id]
        finish = scored.finish or (entry.finishes[0] if entry.finishes else "NORMAL")
        fields = scored.fields
        exact = "id" in fields or (
            fields.get("set", 0.0) >= 0.999
            and fields.get("number", 0.0) == 1.0
            and fields.get("name", 1.0) >= 0.9
        )
        return MatchCandidate(
            sku=format_sku(
                SkuParts(
                    entry.game, entry.sku_set, entry.sku_number, entry.language, condition, finish
                )
            ),
            print_id=entry.id,
            confidence=scored.confidence,
            matched_fields=dict(fields),
            match_method="exact" if exact else "fuzzy",
            game=entry.game,
            name=card.name,
            set_code=card_set.code,
            set_name=card_set.name,
            number=entry.collector_number,
            language=entry.language,
            condition=condition,
            finish=finish,
            rarity=entry.rarity,
            variation=entry.variation,
        )

    def _from_alias(self, listing: ParsedListing, print_id: int, sku: str) -> MatchCandidate | None:
        entry = self.index.prints.get(print_id)
        if entry is None:
            return None
        from models.sku import SkuError, parse_sku

        try:
            learned = parse_sku(sku)
        except SkuError:
            learned = None
        finish = learned.finish if learned else None
        if listing.finish:
            finish, _ = pick_finish(listing.finish, entry.finishes)
        if finish is None:
            finish, _ = pick_finish(None, entry.finishes)
        scored = Scored(entry.id, 0.0, {"learned": 1.0}, finish, confidence=1.0)
        candidate = self._candidate(scored, listing.condition or "NM")
        candidate.match_method = "exact"
        return candidate

    def sku_for(self, print_id: int, *, condition: str = "NM", finish: str | None = None) -> str:
        entry = self.index.prints[print_id]
        chosen, _ = pick_finish(finish, entry.finishes)
        return format_sku(
            SkuParts(entry.game, entry.sku_set, entry.sku_number, entry.language, condition, chosen)
        )


_shared: dict[str, Matcher] = {}


def shared_matcher(engine=None) -> Matcher:
    """The process's matcher over the current catalog index (rebuilt with the index)."""
    from matching.index import index_cache
    from models.db import get_engine

    engine = engine or get_engine()
    index = index_cache.get(engine)
    key = engine.url.render_as_string(hide_password=False)
    matcher = _shared.get(key)
    if matcher is None or matcher.index is not index:
        matcher = Matcher(index)
        _shared[key] = matcher
    return matcher
