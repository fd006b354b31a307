"""Why a row has no match, in the seller's terms: `why_none` turns a `none` the confidence
alone explains (`below_review`, `no_candidate`) into what the matcher knows about the row,
judged in this order:

1. no catalog card has its name and the name reads as a product that is no single card
   (sealed, lots, accessories: `not_single_card`);
2. the set it names resolves to no catalog set, or to one the catalog has no cards of yet
   (`set_not_in_catalog`: a newer set, a set name the catalog does not know);
3. no catalog card has its name (`card_not_in_catalog`);
4. the card is known by name but not printed in the set the row names
   (`print_not_in_catalog`);
5. the card is known by name and the catalog has none of its prints in the row's language
   (`language_not_in_catalog`).

Otherwise the row keeps its reason. Only rows that are `none` already are judged: no decision
changes here (codes in `matching/reasons.py`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from matching.decisions import Reason
from matching.index import CatalogIndex
from matching.listing_identity import listing_kind_reason
from matching.match_result import MatchCandidate
from matching.parsing import parse_title
from matching.parsing.listing import ParsedListing
from models.games import GAME_LABELS
from models.vocabulary import LANGUAGE_DISPLAY

#: a candidate whose name scores this much is the listing's card by name
NAME_KNOWN = 0.9
#: the reasons `why_none` may replace: they say only that the confidence is low
VAGUE = ("below_review", "no_candidate")
#: card accessories, which the title grammar (about sealed product and lots) does not know
_ACCESSORY = re.compile(
    r"\b(?:sleeves?|play\s?mats?|binders?|deck\s?box(?:es)?|top\s?loaders?|portfolios?"
    r"|card\s+savers?|storage\s+box(?:es)?)\b",
    re.IGNORECASE,
)


def _game(game: str | None) -> str:
    return f"{GAME_LABELS.get(game, game)} " if game else ""


def not_single_card(listing: ParsedListing) -> str | None:
    """Why a row's name is a product rather than a card (sealed, lot, accessory), or None."""
    name = listing.name
    if not name:
        return None
    if _ACCESSORY.search(name):
        return "not a single card: accessory"
    if isinstance(listing.raw, str):
        return None  # a title's kind was read with the title
    return listing_kind_reason(parse_title(name, game_hint=listing.game))


def why_none(
    index: CatalogIndex,
    listing: ParsedListing,
    candidates: Sequence[MatchCandidate],
    *,
    named_sets: frozenset[int] = frozenset(),
    unknown_set: str | None = None,
) -> Reason | None:
    """The seller's reason for a `none` row (see the module), or None to keep its own.
    `named_sets`: the catalog sets (with prints) the listing's set resolved to;
    `unknown_set`: the set text it named when that resolved to none."""
    game = listing.game or (candidates[0].game if candidates else None)
    named = [c for c in candidates if c.matched_fields.get("name", 0.0) >= NAME_KNOWN]
    product = not_single_card(listing) if listing.name_key and not named else None
    if product:
        return Reason("not_single_card", product)
    if unknown_set:
        return Reason(
            "set_not_in_catalog",
            f"The catalog has no {_game(game)}set “{unknown_set}” (it may be newer than the "
            "catalog, or named differently there); the card is not matched to another set's "
            "print.",
        )
    if listing.name_key and not named:
        return Reason(
            "card_not_in_catalog",
            f"The catalog has no {_game(game)}card named “{listing.name or listing.name_key}”.",
        )
    if named and named_sets:
        in_set = [c for c in named if index.prints[c.print_id].set_id in named_sets]
        if not in_set:
            sets = " or ".join(sorted({index.sets[s].name for s in named_sets}))
            return Reason(
                "print_not_in_catalog",
                f"The catalog has {named[0].name}, but no print of it in {sets}; the card is not "
                "matched to another set's print.",
            )
    wanted = listing.language
    if wanted and named:
        card = index.cards[index.prints[named[0].print_id].card_id]
        have = sorted({index.prints[p].language for p in card.print_ids})
        if wanted not in have:
            name = LANGUAGE_DISPLAY.get(wanted, wanted)
            others = ", ".join(LANGUAGE_DISPLAY.get(c, c) for c in have)
            return Reason(
                "language_not_in_catalog",
                f"The catalog has no {name} printing of {card.name}, only {others}; a {name} "
                "card is not sold under another language's SKU.",
            )
    return None
