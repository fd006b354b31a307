"""The matcher: a `ParsedListing` in, a decision, the best SKU and up to 5 candidates out.

    matcher = Matcher(index_cache.get(engine))
    result = matcher.match(listing, thresholds=default_thresholds())

Steps: a learned alias of the seller (exact), else candidates (`candidates.py`), per-field
scores and ranking (`scoring.py`), the calibrated confidence of each (`calibration.py`), the
SKU of the best print for the listing's condition, finish, language and grade, and the decision
(`decisions.py`): from the confidence, then capped by the whole-SKU rule (an accepted SKU is
the seller's in every component; `decisions.whole_sku_reason`). Every answer that is not a
plain `auto` carries a `reason_code` and a sentence. Results that do not depend on the copy
(condition, quantity, price, grade) are cached per listing identity, so repeated rows cost a
dictionary lookup.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa

from matching.calibration import Calibration, load_calibration
from matching.candidates import CandidateGenerator
from matching.decisions import (
    AUTO,
    ERROR,
    NONE,
    REVIEW,
    SkuFacts,
    Thresholds,
    decide,
    whole_sku_reason,
)
from matching.index import CatalogIndex, PrintEntry
from matching.listing_identity import listing_kind_reason, print_sku, source_key, source_text
from matching.match_result import MatchCandidate, MatchResult
from matching.none_reasons import VAGUE, why_none
from matching.parsing.listing import (
    ParsedListing,
)
from matching.query import Query, query_from_listing
from matching.reasons import capped
from matching.scoring import Scored, features, pick_finish, score_candidates
from models.sku import Grade, SkuError, parse_sku

MAX_CANDIDATES = 5
#: Scored fields that are SKU components of the listing rather than evidence for the print.
_SKU_FIELDS = ("language", "finish")
#: An external id hit is exact unless the listing's own name or set contradicts it.
ID_CONFIDENCE = 0.999
ID_MIN_NAME = 0.85
_CACHE_SIZE = 50_000


@dataclass(slots=True)
class _Ranked:
    """What the cache keeps: the scored top candidates, independent of the copy."""

    top: list[Scored]
    reason: str | None
    #: the best print's confidence with the listing's language and finish set aside: how sure
    #: the card is this print, whatever the SKU (what the whole-SKU rule then caps)
    print_confidence: float | None = None
    #: the catalog sets (with prints) the listing's set resolved to, and the set text when it
    #: named one that resolved to none (`none_reasons`)
    named_sets: frozenset[int] = frozenset()
    unknown_set: str | None = None


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
        self._cache: OrderedDict[tuple[object, ...], _Ranked] = OrderedDict()

    # -- the pipeline ---------------------------------------------------------------------------

    def rank(self, query: Query) -> _Ranked:
        key = query.cache_key()
        cached = self._cache.get(key) if self.cache_size else None
        if cached is not None:
            return cached
        if query.is_title:
            query = self.generator.split_title(query)
        found = self.generator.generate(query)
        # a set the catalog lists without any of its cards is not in the catalog either
        named_sets = frozenset(
            s for s in found.sets if self.index.games[self.index.sets[s].game].set_names.get(s)
        )
        unknown_set = None
        if query.has_set and not named_sets:
            unknown_set = query.set_texts[0] if query.set_texts else query.set_code
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
            ranked.print_confidence = self._print_confidence(top, query, ties)
        ranked.named_sets, ranked.unknown_set = named_sets, unknown_set
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
        game = self.index.prints[candidate.print_id].game
        return round(self.calibration.predict(x, game=game), 4)

    def _print_confidence(self, top: list[Scored], query: Query, ties: int) -> float:
        best = top[0]
        fields = best.fields
        if fields.get("language", 1.0) == 1.0 and fields.get("finish", 1.0) == 1.0:
            return best.confidence
        aside = dataclasses.replace(
            best, fields={k: v for k, v in fields.items() if k not in _SKU_FIELDS}
        )
        confidence = self._confidence(aside, query, top[1].rank if len(top) > 1 else None)
        return min(confidence, round(1.0 / ties, 4)) if ties > 1 else confidence

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

        def answer(code: str, reason: str | None, decision: str = NONE) -> MatchResult:
            return MatchResult(
                decision, None, [], reason, text, key, listing.game, warnings, reason_code=code
            )

        if error:
            return answer("unreadable_row", error, ERROR)
        reason = listing_kind_reason(listing)
        if reason:
            return answer("not_single_card", reason)
        if aliases and key and key in aliases:
            learned = self._from_alias(listing, *aliases[key])
            if learned is not None:
                result = MatchResult(
                    AUTO, learned, [learned], None, text, key, learned.game, warnings
                )
                return self._whole_sku(result, listing, None, thresholds)
        query = query_from_listing(listing, use_ids=use_ids)
        if not (query.name_key or query.number or query.has_ids or query.ygoprodeck_id):
            return answer("no_identifier", "no card name or identifier")
        ranked = self.rank(query)
        if listing.game_is_guess and query.game is not None:
            ranked = self._other_games(query, ranked, thresholds)
        if not ranked.top:
            return self._honest_none(answer("no_candidate", ranked.reason), listing, ranked)
        candidates = [self._candidate(s, listing) for s in ranked.top]
        best = candidates[0]
        decision = decide(best.confidence, thresholds)
        reason = code = None
        if decision == NONE:
            code = "below_review"
            reason = f"best candidate confidence {best.confidence:.2f} is below review"
        elif decision == REVIEW:
            code = "below_auto"
            reason = f"confidence {best.confidence:.2f} is below auto-accept"
        result = MatchResult(
            decision, best, candidates, reason, text, key, best.game, warnings, reason_code=code
        )
        result = self._whole_sku(result, listing, ranked.print_confidence, thresholds)
        return self._honest_none(result, listing, ranked)

    def _honest_none(
        self, result: MatchResult, listing: ParsedListing, ranked: _Ranked
    ) -> MatchResult:
        """A `none` names no SKU (its candidates are suggestions only) and says why in the
        seller's terms when the matcher knows more than a low confidence (`none_reasons`)."""
        if result.decision != NONE:
            return result
        result.best = None
        if result.reason_code in VAGUE:
            reason = why_none(
                self.index,
                listing,
                result.candidates,
                named_sets=ranked.named_sets,
                unknown_set=ranked.unknown_set,
            )
            if reason is not None:
                result.reason_code, result.reason = reason.code, reason.text
        return result

    def _other_games(self, query: Query, ranked: _Ranked, thresholds: Thresholds) -> _Ranked:
        """A title whose game is only a guess (`Oko ... 197/269 ... Foil` looks Pokémon): when
        the guessed game gives no sure answer, every game is tried and the surer one kept."""
        best = ranked.top[0].confidence if ranked.top else -1.0
        if best >= thresholds.auto:
            return ranked
        other = self.rank(dataclasses.replace(query, game=None))
        if other.top and other.top[0].confidence > best:
            return other
        return ranked

    # -- the whole-SKU rule ---------------------------------------------------------------------

    def _whole_sku(
        self,
        result: MatchResult,
        listing: ParsedListing,
        print_confidence: float | None,
        thresholds: Thresholds,
    ) -> MatchResult:
        """Cap the decision when the best SKU is not the seller's in every component; record
        the components the answer assumed. When the SKU differs from the listing's language or
        finish, the decision starts from how sure the print is (`print_confidence`) and the
        reason names the component, not a low confidence."""
        best = result.best
        assert best is not None
        entry = self.index.prints[best.print_id]
        if listing.condition is None and "condition" not in listing.unread:
            result.assumed["condition"] = best.condition
        if listing.language is None and "language" not in listing.unread:
            result.assumed["language"] = entry.language
        if listing.finish is None and "finish" not in listing.unread:
            result.assumed["finish"] = best.finish
        basis = result.decision
        if print_confidence is not None:
            basis = decide(print_confidence, thresholds)
        if basis not in (AUTO, REVIEW):
            return result
        reason = whole_sku_reason(self._sku_facts(entry, listing, best))
        if reason is None:
            return result
        decision = capped(basis, reason)
        text = reason.text
        if basis == REVIEW:  # the print's confidence alone also kept it from auto
            text = f"{text} (confidence {print_confidence or best.confidence:.2f})"
        result.decision, result.reason_code, result.reason = decision, reason.code, text
        return result

    def _sku_facts(
        self, entry: PrintEntry, listing: ParsedListing, best: MatchCandidate
    ) -> SkuFacts:
        siblings = self.index.games[entry.game].by_set_number.get(
            (entry.set_id, entry.number_key), [entry.id]
        )
        languages = tuple(
            self.index.prints[s].language
            for s in siblings
            if self.index.prints[s].card_id == entry.card_id
        )
        fits = best.matched_fields.get("finish")
        return SkuFacts(
            card=f"{best.name} ({best.set_code} #{best.number})",
            listing_language=listing.language,
            print_language=entry.language,
            catalog_languages=languages or (entry.language,),
            listing_finish=listing.finish,
            finish_fits=None if fits is None else fits > 0.0,
            print_finishes=entry.finishes,
            unread=listing.unread,
        )

    # -- SKUs -------------------------------------------------------------------------------------

    def _candidate(self, scored: Scored, listing: ParsedListing) -> MatchCandidate:
        """A scored print as a candidate: its SKU for the listing's condition (NM when the
        listing is silent), finish and grade, in the print's language."""
        entry = self.index.prints[scored.print_id]
        card_set = self.index.sets[entry.set_id]
        card = self.index.cards[entry.card_id]
        condition = listing.condition or "NM"
        finish = scored.finish or (entry.finishes[0] if entry.finishes else "NORMAL")
        fields = scored.fields
        exact = "id" in fields or (
            fields.get("set", 0.0) >= 0.999
            and fields.get("number", 0.0) == 1.0
            and fields.get("name", 1.0) >= 0.9
        )
        return MatchCandidate(
            sku=print_sku(entry, condition, finish, listing.grade),
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
        candidate = self._candidate(scored, listing)
        candidate.match_method = "exact"
        return candidate

    def sku_for(
        self,
        print_id: int,
        *,
        condition: str = "NM",
        finish: str | None = None,
        grade: Grade | None = None,
    ) -> str:
        entry = self.index.prints[print_id]
        chosen, _ = pick_finish(finish, entry.finishes)
        return print_sku(entry, condition, chosen or "NORMAL", grade)


_shared: dict[str, Matcher] = {}


def shared_matcher(engine: sa.Engine | None = None) -> Matcher:
    """The process's matcher over the current catalog index (rebuilt with the index)."""
    from matching.index_build import index_cache
    from models.db import get_engine

    engine = engine or get_engine()
    index = index_cache.get(engine)
    key = engine.url.render_as_string(hide_password=False)
    matcher = _shared.get(key)
    if matcher is None or matcher.index is not index:
        matcher = Matcher(index)
        _shared[key] = matcher
    return matcher
