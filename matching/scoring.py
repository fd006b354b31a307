"""Per-field scores of a listing against candidate prints, the ranking, and the features the
calibrated confidence model reads.

Each field the listing gives is scored in [0, 1] against a print (`matched_fields`):

| field | score |
|---|---|
| `name` | 1.0 when the name key equals the card's (or a face's / printed name's), else rapidfuzz `max(ratio, token_sort_ratio)`; titles also `0.9 * token_set_ratio` (the name may run into other words) |
| `set` | 1.0 when the print's set is the one the code, an alias or the exact set name gives; the fuzzy set-name score; 0.0 when the listing names another set |
| `number` | 1.0 equal collector numbers (leading zeros and Yu-Gi-Oh! regions ignored), 0.5 same digits with another letter (`123` vs `123a`), else 0.0 |
| `printed_total` | Pokémon `x/TOTAL`: 1.0 when the set's printed total is TOTAL |
| `language` | 1.0 same; 0.5 the catalog has no print of that card in the listing's language; 0.0 it has one and this is another |
| `finish` | 1.0 when the print exists in a finish compatible with the listing's, else 0.0 |
| `rarity` | Yu-Gi-Oh!, Pokémon, One Piece: 1.0 same rarity (short codes and `data/rarity_synonyms.csv` included), else 0.0 |
| `variant` | alternate art / parallel wanted and the print is one (1.0), or not (0.5) |
| `id` | 1.0 found by an external id (Scryfall, TCGplayer, Cardmarket) |

The ranking score is a fixed weighted sum of those (`RANK_WEIGHTS`, the name through the
sharp `name_rank`); the confidence of a
candidate is the calibrated logistic model of `matching/calibration.py` over `features()`.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from matching.candidates import CandidateSet
from matching.index import CatalogIndex, PrintEntry, catalog_number_key
from matching.query import Query
from models.games import GAME_CODES
from models.text import spelling_key

RANK_WEIGHTS = {
    "name": 6.0,
    "set": 3.0,
    "number": 3.0,
    "printed_total": 1.0,
    "language": 1.5,
    "finish": 0.5,
    "rarity": 1.5,
    "variant": 1.0,
    "id": 6.0,
}
DIGITAL_PENALTY = 1.0
#: Tie-break for the print whose collector number is written exactly as the listing's.
EXACT_NUMBER_BONUS = 0.2
#: Rank difference at which the margin feature saturates.
MARGIN_SCALE = 6.0

#: Finishes a listing's finish may be sold as, best first (docs/matching.md).
FINISH_FALLBACK: dict[str, tuple[str, ...]] = {
    "NORMAL": ("NORMAL", "UNLIMITED"),
    "UNLIMITED": ("UNLIMITED", "NORMAL"),
    "FOIL": ("FOIL", "HOLO"),
    "HOLO": ("HOLO", "UNLIMITED_HOLO", "1ST_HOLO", "FOIL"),
    "REVERSE_HOLO": ("REVERSE_HOLO",),
    "ETCHED": ("ETCHED",),
    "GLOSSY": ("GLOSSY",),
    "1ST": ("1ST", "1ST_HOLO"),
    "1ST_HOLO": ("1ST_HOLO", "1ST"),
    "UNLIMITED_HOLO": ("UNLIMITED_HOLO", "HOLO"),
    "LIMITED": ("LIMITED",),
}
_FIRST_EDITION = {"1ST", "1ST_HOLO"}
#: Variant tags that ask for a non-standard printing of the same number.
ALT_TAGS = frozenset({"alt art", "alternate art", "parallel", "manga", "special art"})
#: Games whose rarity tells prints apart: every game but Magic, whose rarity is per card (and
#: tools disagree on it). Not `models.rarity.RARITY_GAMES`, the games with rarity tables.
PRINT_RARITY_GAMES = frozenset(GAME_CODES) - {"MTG"}
#: Short rarity spellings (Yu-Gi-Oh! collection tools) -> the catalog's rarity, as vocab keys.
RARITY_ALIASES = {
    "c": "common",
    "r": "rare",
    "sr": "superrare",
    "ur": "ultrarare",
    "scr": "secretrare",
    "se": "secretrare",
    "utr": "ultimaterare",
    "gr": "ghostrare",
    "str": "starlightrare",
    "stl": "starlightrare",
    "qcscr": "quartercenturysecretrare",
    "qcsr": "quartercenturysecretrare",
    "plscr": "platinumsecretrare",
    "ps": "platinumsecretrare",
    "pscr": "prismaticsecretrare",
    "cr": "collectorsrare",
    "gur": "goldrare",
    "gscr": "goldsecretrare",
    "sfr": "starfoilrare",
    "shr": "shatterfoilrare",
    "msr": "mosaicrare",
    "upr": "ultraparallelrare",
    "npr": "normalparallelrare",
    "sp": "shortprint",
    "ssp": "supershortprint",
}


_ALT_VARIATION = ("parallel", "alt", "manga", "special")


def is_alternate_art(variation: str | None) -> bool:
    """A print variation that is an alternate art (One Piece `parallel 1`), not a reprint."""
    return variation is not None and any(w in variation.lower() for w in _ALT_VARIATION)


def rarity_key(text: str | None) -> str | None:
    if not text:
        return None
    key = spelling_key(text)
    return RARITY_ALIASES.get(key, key) or None


def pick_finish(wanted: str | None, finishes: tuple[str, ...]) -> tuple[str | None, bool | None]:
    """The print's finish to sell for the listing's finish, and whether it fits (None: the
    listing did not say). Without a stated finish: the print's first finish, skipping 1st
    Edition finishes when the print has another (a listing that does not say 1st Edition is
    not one)."""
    if not finishes:
        return wanted, None if wanted is None else False
    if wanted is None:
        for finish in finishes:
            if finish not in _FIRST_EDITION:
                return finish, None
        return finishes[0], None
    for option in FINISH_FALLBACK.get(wanted, (wanted,)):
        if option in finishes:
            return option, True
    return finishes[0], False


def name_rank(similarity: float) -> float:
    """The name's share of the ranking: sharp, so a near name (`Lightning Bolt` vs `Lightning
    Dragon`, 0.73) counts for little against the card of that name in another number."""
    if similarity <= 0.5:
        return 0.0
    return ((similarity - 0.5) / 0.5) ** 2


def name_similarity(query_key: str, keys: tuple[str, ...], *, is_title: bool) -> float:
    best = 0.0
    for key in keys:
        if key == query_key:
            return 1.0
        score = max(fuzz.ratio(query_key, key), fuzz.token_sort_ratio(query_key, key))
        if is_title:
            score = max(score, 0.9 * fuzz.token_set_ratio(query_key, key))
        best = max(best, score)
    return round(best / 100, 4)


def _number_score(query_key: str, entry: PrintEntry) -> float:
    if entry.number_key == query_key:
        return 1.0
    a = query_key.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ★*")
    b = entry.number_key.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ★*")
    if a and a == b:
        return 0.5
    return 0.0


@dataclass(slots=True)
class Scored:
    print_id: int
    rank: float
    fields: dict[str, float]  # the matched_fields breakdown
    finish: str | None  # the finish the SKU will carry
    confidence: float = 0.0


def score_candidates(query: Query, found: CandidateSet, index: CatalogIndex) -> list[Scored]:
    """Score every candidate print; best (highest rank) first."""
    name_cache: dict[int, float] = {}
    number_keys: dict[str, str] = {}
    wanted_rarity = rarity_key(query.rarity)
    wants_alt = any(tag in ALT_TAGS for tag in query.variant_tags)
    raw_number = query.number.strip().upper() if query.number else None
    out: list[Scored] = []
    for print_id in found.prints:
        entry = index.prints[print_id]
        fields: dict[str, float] = {}
        if query.name_key:
            sim = name_cache.get(entry.card_id)
            if sim is None:
                card = index.cards[entry.card_id]
                sim = name_similarity(query.name_key, card.keys, is_title=query.is_title)
                name_cache[entry.card_id] = sim
            fields["name"] = sim
        if query.has_set:
            fields["set"] = found.sets.get(entry.set_id, 0.0)
        if query.number:
            nkey = number_keys.get(entry.game)
            if nkey is None:
                nkey = number_keys[entry.game] = catalog_number_key(entry.game, query.number)
            fields["number"] = _number_score(nkey, entry)
        if query.printed_total and entry.game == "POKEMON":
            total = index.sets[entry.set_id].printed_total
            if total:
                fields["printed_total"] = 1.0 if total == query.printed_total else 0.0
        if query.language:
            if entry.language == query.language:
                fields["language"] = 1.0
            else:
                siblings = index.games[entry.game].by_set_number.get(
                    (entry.set_id, entry.number_key), ()
                )
                has_language = any(
                    index.prints[s].language == query.language for s in siblings if s != print_id
                )
                fields["language"] = 0.0 if has_language else 0.5
        elif entry.language != "EN":
            fields["language"] = 0.5
        finish, fits = pick_finish(query.finish, entry.finishes)
        if fits is not None:
            fields["finish"] = 1.0 if fits else 0.0
        if wanted_rarity and entry.game in PRINT_RARITY_GAMES:
            have = {rarity_key(entry.rarity), rarity_key(entry.rarity_code), *entry.rarity_synonyms}
            fields["rarity"] = 1.0 if wanted_rarity in have else 0.0
        is_alt = is_alternate_art(entry.variation)
        if is_alt or wants_alt:
            fields["variant"] = 1.0 if is_alt == wants_alt else 0.5
        if print_id in found.id_prints:
            fields["id"] = 1.0
        rank = sum(RANK_WEIGHTS[k] * v for k, v in fields.items() if k not in ("name", "variant"))
        if "variant" in fields:  # only ever a penalty: the wrong kind of printing
            rank -= RANK_WEIGHTS["variant"] * (1.0 - fields["variant"])
        if "name" in fields:
            rank += RANK_WEIGHTS["name"] * name_rank(fields["name"])
        if not query.language and "language" in fields:
            rank -= RANK_WEIGHTS["language"]  # no language said: English is the likely one
        if raw_number and entry.collector_number.upper() == raw_number:
            rank += EXACT_NUMBER_BONUS  # LOB-001 over LOB-EN001 when the listing says LOB-001
        if entry.is_digital:
            rank -= DIGITAL_PENALTY
        out.append(Scored(print_id, round(rank, 4), fields, finish))
    out.sort(key=lambda s: (-s.rank, index.prints[s.print_id].is_promo, s.print_id))
    return out


#: Feature names of the confidence model, in order.
FEATURES = (
    "name",
    "name_exact",
    "name_missing",
    "set_match",
    "set_fuzzy",
    "set_miss",
    "set_missing",
    "number_match",
    "number_partial",
    "number_miss",
    "number_missing",
    "total_miss",
    "language_miss",
    "language_unavailable",
    "finish_miss",
    "rarity_miss",
    "rarity_match",
    "variant_miss",
    "margin",
    "tie",
    "title",
)


def features(best: Scored, query: Query, runner_up: float | None) -> dict[str, float]:
    """Model inputs of a candidate: field states and its lead over the next candidate."""
    f = best.fields
    name = f.get("name")
    set_score = f.get("set")
    number = f.get("number")
    language = f.get("language")
    lead = best.rank - runner_up if runner_up is not None else MARGIN_SCALE
    return {
        "name": name if name is not None else 0.0,
        "name_exact": 1.0 if name is not None and name >= 0.999 else 0.0,
        "name_missing": 1.0 if name is None else 0.0,
        "set_match": 1.0 if set_score is not None and set_score >= 0.999 else 0.0,
        "set_fuzzy": set_score if set_score is not None and 0 < set_score < 0.999 else 0.0,
        "set_miss": 1.0 if set_score == 0.0 else 0.0,
        "set_missing": 1.0 if set_score is None else 0.0,
        "number_match": 1.0 if number == 1.0 else 0.0,
        "number_partial": 1.0 if number is not None and 0 < number < 1 else 0.0,
        "number_miss": 1.0 if number == 0.0 else 0.0,
        "number_missing": 1.0 if number is None else 0.0,
        "total_miss": 1.0 if f.get("printed_total") == 0.0 else 0.0,
        "language_miss": 1.0 if language == 0.0 else 0.0,
        "language_unavailable": 1.0 if language == 0.5 else 0.0,
        "finish_miss": 1.0 if f.get("finish") == 0.0 else 0.0,
        "rarity_miss": 1.0 if f.get("rarity") == 0.0 else 0.0,
        "rarity_match": 1.0 if f.get("rarity") == 1.0 else 0.0,
        "variant_miss": 1.0 if f.get("variant") == 0.5 else 0.0,
        "margin": max(0.0, min(lead, MARGIN_SCALE)) / MARGIN_SCALE,
        "tie": 1.0 if runner_up is not None and lead <= 1e-6 else 0.0,
        "title": 1.0 if query.is_title else 0.0,
    }
