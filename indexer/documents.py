"""The search document: one per print, with its card, set and SKU summary denormalised.

`build_document` is the one pure function from catalog rows to a document; both engines index
exactly what it returns (see docs/indexer.md for the grain decision and every field).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from indexer.analysis import code_tokens
from indexer.query import RESULT_FIELDS
from models.card_fields import DOCUMENT_FIELDS, DocField
from models.games import GAME_CODE_BY_ID
from models.rarity import canonical_rarity
from models.rarity import rarity_rank as shared_rarity_rank
from models.text import fold, join_apostrophes, name_key
from models.vocabulary import FOIL_FINISHES

#: Popularity weights per SKU counter.
POPULARITY_WEIGHTS = {"view_count": 1, "search_count": 1, "sale_count": 5, "wishlist_count": 3}
#: Largest rank boost; engines multiply the score by log2(2 + rank_boost), so at most x1.2.
MAX_RANK_BOOST = 0.3


@dataclass(slots=True)
class SkuSummary:
    """What the SKUs of one print offer (aggregated in SQL, see indexer/catalog.py)."""

    sku_count: int = 0
    #: Conditions and finishes of SKUs with any availability (b2c or c2c).
    conditions: list[str] = field(default_factory=list)
    finishes: list[str] = field(default_factory=list)
    min_price: Decimal | float | None = None  # over available SKUs
    max_price: Decimal | float | None = None  # over available SKUs
    market_price: Decimal | float | None = None  # lowest market price of any SKU
    is_available_b2c: bool = False
    is_available_c2c: bool = False
    total_listings: int = 0
    total_quantity: int = 0
    vendor_count: int = 0
    consumer_seller_count: int = 0
    popularity: int = 0
    currency: str | None = None
    price_updated_at: datetime | None = None


@lru_cache(maxsize=4096)
def rarity_rank(game: str, rarity: str | None) -> int | None:
    """The rank shared by every game (1 common ... 6 bonus); see models/rarity.py."""
    return shared_rarity_rank(game, rarity)


def rank_boost(popularity: int) -> float:
    """A gentle popularity boost in [0, MAX_RANK_BOOST] (log scale, saturating at 10^6)."""
    if popularity <= 0:
        return 0.0
    return round(MAX_RANK_BOOST * min(1.0, math.log10(1 + popularity) / 6), 6)


def _num(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def _int_text(value: str | None) -> int | None:
    """`"4"` -> 4; `"X"`, `"*"`, `"1+*"` -> None."""
    text = (value or "").strip()
    return int(text) if text.lstrip("-").isdigit() else None


def _date(value: date | datetime | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


def _upper(values: list[str] | None) -> list[str]:
    return sorted({v.strip().upper() for v in values or () if v and v.strip()})


def _distinct(values: list[str] | None) -> list[str]:
    """Distinct non-empty values in their first order, spelled as upstream spells them."""
    out: list[str] = []
    for value in values or ():
        value = value.strip() if value else ""
        if value and value not in out:
            out.append(value)
    return out


def _with_folds(names: list[str | None]) -> list[str]:
    """Distinct names plus the `fold`ed form of those that are not ASCII (engines lower-case
    ASCII names themselves; query terms folded by `unidecode` then always meet the index) and
    the form with apostrophes joined of those that have some (`kinemon` finds Kin'emon)."""
    out: list[str] = []
    for name in names:
        if name and name not in out:
            out.append(name)
    for name in list(out):
        folded, joined = fold(name), join_apostrophes(name)
        variants = [] if name.isascii() else [folded]
        if joined != folded:
            variants.append(joined)
        for variant in variants:
            if variant not in out:
                out.append(variant)
    return out


def _codes(print_: Mapping[str, Any], card_set: Mapping[str, Any]) -> list[str]:
    number = print_.get("collector_number") or ""
    raw = [card_set.get("code"), number, print_.get("sku_number")]
    total = card_set.get("printed_total")
    if number and total:
        raw.append(f"{number}/{total}")
    if number and card_set.get("code") and not number.upper().startswith(card_set["code"]):
        raw.append(f"{card_set['code']}-{number}")
    out: list[str] = []
    for value in raw:
        for token in code_tokens(value or ""):
            if token not in out:
                out.append(token)
    return out


#: The card's part of a document: its card-level fields not read from the print, in order.
_CARD_PART = tuple(
    f for f in DOCUMENT_FIELDS if f.level == "card" and not (f.column or "").startswith("prints.")
)


def _copied(field: DocField, value: Any) -> Any:
    """A card column's value as a document holds it (numbers as numbers, lists as lists)."""
    if field.many:
        return list(value or [])
    return _num(value) if field.is_number else value


def card_fields(card: Mapping[str, Any]) -> dict[str, Any]:
    """The card's part of a document (the same in every print of the card): the declared
    card-level fields, copied from the card's columns except those worked out here."""
    faces = list(card.get("face_names") or [])
    colors = _distinct(card.get("colors"))
    color_identity = _distinct(card.get("color_identity"))
    worked_out = {
        "name": card["name"],
        "name_sort": fold(card["name"]),
        "names_exact": sorted({name_key(n) for n in (card["name"], *faces)}),
        "face_names": faces,
        "types": list(card.get("types") or []) or list(card.get("supertypes") or []),
        "colors": colors,
        "colors_count": len(colors),
        "color_identity": color_identity,
        "color_identity_count": len(color_identity),
        "loyalty_value": _int_text(card.get("loyalty")),
        "attributes": _distinct(card.get("attributes")),
        "def": _num(card.get("def_", card.get("def"))),
    }
    return {
        f.name: worked_out[f.name]
        if f.name in worked_out
        else _copied(f, card.get(f.column.partition(".")[2] if f.column else f.name))
        for f in _CARD_PART
    }


def set_fields(card_set: Mapping[str, Any]) -> dict[str, Any]:
    """The set's part of a document."""
    return {
        "set_code": card_set["code"],
        "set_codes": [card_set["code"]],
        "set_aliases": list(card_set.get("aliases") or []),
        "set_name": card_set.get("name"),
        "set_type": card_set.get("set_type"),
        "series": card_set.get("series"),
        "set_released_at": _date(card_set.get("released_at")),
    }


def build_document(
    *,
    print_: Mapping[str, Any],
    card: Mapping[str, Any],
    card_set: Mapping[str, Any],
    skus: SkuSummary | None = None,
    memo: dict[tuple[str, int], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The search document of one print (a JSON-ready dict; `print_id` is its identity).

    `memo` (optional, owned by the caller for one pass over the catalog) keeps the card and set
    parts by id, so a card printed many times is worked out once."""
    if memo is None:
        card_part, set_part = card_fields(card), set_fields(card_set)
    else:
        memo_card = memo.get(("card", print_["card_id"]))
        if memo_card is None:
            memo_card = memo[("card", print_["card_id"])] = card_fields(card)
        memo_set = memo.get(("set", print_["set_id"]))
        if memo_set is None:
            memo_set = memo[("set", print_["set_id"])] = set_fields(card_set)
        card_part, set_part = memo_card, memo_set
    skus = skus or SkuSummary()
    game = GAME_CODE_BY_ID.get(print_["game_id"], str(print_["game_id"]))
    finishes = _upper(print_.get("finishes"))
    available = [
        k for k, on in (("b2c", skus.is_available_b2c), ("c2c", skus.is_available_c2c)) if on
    ]
    min_price = _num(skus.min_price)
    market_price = _num(skus.market_price)
    legalities = print_.get("legalities") or {}
    images = print_.get("images") or {}
    flags = {
        "promo": bool(print_.get("is_promo")),
        "digital": bool(print_.get("is_digital")),
        "foil": bool(FOIL_FINISHES & set(finishes)),
        "nonfoil": "NORMAL" in finishes or not finishes,
        "available": bool(available),
        **dict.fromkeys(available, True),
    }
    released = _date(print_.get("released_at") or card_set.get("released_at"))
    printed_name = print_.get("printed_name")
    return {
        "print_id": print_["id"],
        "card_id": print_["card_id"],
        "set_id": print_["set_id"],
        "game": game,
        # the one print that stands for the card when cards are counted (indexer/grain.py)
        "card_head": bool(print_.get("card_head")),
        **card_part,
        **set_part,
        "names": _with_folds([card["name"], *card_part["face_names"], printed_name]),
        "printed_name": printed_name,
        "flavor_text": print_.get("flavor_text"),
        "collector_number": print_.get("collector_number"),
        "number_sort": _num(print_.get("number_sort")),
        "codes": _codes(print_, card_set),
        "language": (print_.get("language") or "").upper() or None,
        "rarity": print_.get("rarity"),
        "rarity_code": print_.get("rarity_code"),
        "rarity_canonical": canonical_rarity(game, print_.get("rarity")),
        "rarity_rank": rarity_rank(game, print_.get("rarity")),
        "artist": print_.get("artist"),
        "finishes": finishes,
        "variation": print_.get("variation"),
        "frame": print_.get("frame"),
        "is_promo": bool(print_.get("is_promo")),
        "is_digital": bool(print_.get("is_digital")),
        "flags": sorted(k for k, on in flags.items() if on),
        "legal_formats": print_["legal_formats"]
        if print_.get("legal_formats") is not None
        else sorted(f for f, v in legalities.items() if v in ("legal", "restricted")),
        "released_at": released,
        "release_year": int(released[:4]) if released else None,
        # the mirrored rendition (images/) when there is one, else the upstream image
        "image_url": print_.get("image_mirror_url")
        or print_.get("image_url")
        or images.get("small")
        or images.get("normal")
        or images.get("large"),
        "image_srcset": print_.get("image_mirror_srcset"),
        "image_blurhash": print_.get("image_blurhash"),
        "tcgplayer_id": print_.get("tcgplayer_id"),
        "cardmarket_id": print_.get("cardmarket_id"),
        "scryfall_id": print_.get("scryfall_id"),
        # SKU summary
        "sku_count": skus.sku_count,
        "conditions": _upper(skus.conditions),
        "finishes_on_offer": _upper(skus.finishes),
        "price": min_price if min_price is not None else market_price,
        "price_min": min_price,
        "price_max": _num(skus.max_price),
        "market_price": market_price,
        "currency": skus.currency,
        "price_updated_at": skus.price_updated_at.isoformat() if skus.price_updated_at else None,
        "is_available_b2c": skus.is_available_b2c,
        "is_available_c2c": skus.is_available_c2c,
        "available": available,
        "total_listings": skus.total_listings,
        "total_quantity": skus.total_quantity,
        "vendor_count": skus.vendor_count,
        "consumer_seller_count": skus.consumer_seller_count,
        "popularity": skus.popularity,
        "rank_boost": rank_boost(skus.popularity),
    }


def compact(doc: dict[str, Any]) -> dict[str, Any]:
    """The document as stored and sent to an engine: without null values and empty lists
    (smaller to serialise, parse and store); `expand` restores them."""
    return {key: value for key, value in doc.items() if value is not None and value != []}


def expand(stored: dict[str, Any]) -> dict[str, Any]:
    """A stored document with every field present again (None or [] where it was dropped)."""
    return {**_EMPTY, **stored}


def result_document(stored: dict[str, Any]) -> dict[str, Any]:
    """What a search hit shows of a stored document: its `RESULT_FIELDS`, each present."""
    return {name: stored.get(name, _EMPTY[name]) for name in RESULT_FIELDS}


#: Every document field, empty: None, or [] for lists.
_EMPTY: dict[str, Any] = {f.name: [] if f.many else None for f in DOCUMENT_FIELDS}
