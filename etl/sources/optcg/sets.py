"""One Piece Card Game products, sets and SKU numbers (see docs/sources-ygo-optcg.md).

A card number `OP01-001` is the card (its prefix `OP01` is the set it was first printed in);
`image_name` (`OP01-001`, `OP01-001_p1`, `OP01-001_r1`) is the artwork variant; `card_sets` is
the product the variant was released in, e.g. `-ROMANCE DAWN- [OP-01]`,
`-ONE PIECE CARD THE BEST- [PRB-01]` or `Tournament Pack Vol.1` (no code).

Catalog set of a print: the product's code when the product has one (`[PRB-01]` -> `PRB01`) and
the card number's prefix is not among its codes (a reprint in another product); otherwise the
card number's prefix (its own booster/deck, and products without a code: promos, event
packs, prizes). SKU number: the number after the prefix plus the variant (`001`, `001P1`); for
a reprint in another product, the whole card number plus the variant (`OP05-001_p1` in PRB-01
-> `OP05-001P1`, token `OP05.001P1`), so it never collides with that set's own numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.sku import encode_token

GAME = "OPTCG"

_BRACKET_RE = re.compile(r"\[([A-Za-z0-9-]+)\]\s*$")
_PRODUCT_KIND_RE = re.compile(
    r"^(?:BOOSTER PACK|STARTER DECK(?: EX)?|EXTRA BOOSTER|PREMIUM BOOSTER)\s*-(.+)-$", re.IGNORECASE
)
_CODE_PART_RE = re.compile(r"([A-Za-z]+)-?(\d+)")
_CARD_NUMBER_RE = re.compile(r"^([A-Z]+[0-9]*)-([0-9]+[A-Z]?)$")
_VARIANT_RE = re.compile(r"^([a-z]+)(\d+)$")

FOIL_RARITIES = frozenset({"L", "R", "SR", "SEC", "SP CARD", "TR"})
_SET_TYPES = (
    ("PRB", "premium booster"),
    ("OP", "booster"),
    ("ST", "starter deck"),
    ("EB", "extra booster"),
)
#: Names for sets that are card-number prefixes only (no product text names them).
STATIC_SET_NAMES = {"P": "Promotion Cards"}
_VARIANT_NAMES = {"p": "parallel", "r": "reprint"}


@dataclass(frozen=True, slots=True)
class Product:
    """`-ROMANCE DAWN- [OP-01]` -> name `ROMANCE DAWN`, codes `("OP01",)`."""

    text: str
    name: str
    codes: tuple[str, ...]


def parse_product(text: str | None) -> Product:
    text = (text or "").strip()
    codes: tuple[str, ...] = ()
    name = text
    if match := _BRACKET_RE.search(text):
        codes = tuple(
            f"{letters.upper()}{digits.zfill(2)}"
            for letters, digits in _CODE_PART_RE.findall(match.group(1))
        )
        name = text[: match.start()].strip()
    if match := _PRODUCT_KIND_RE.match(name):
        name = match.group(1).strip()
    if len(name) > 2 and name.startswith("-") and name.endswith("-"):
        name = name[1:-1].strip()
    return Product(text=text, name=name, codes=codes)


@dataclass(frozen=True, slots=True)
class CardNumber:
    raw: str  # "OP01-001"
    prefix: str  # "OP01"
    number: str  # "001"


def parse_card_number(raw: str | None) -> CardNumber | None:
    text = (raw or "").strip().upper()
    match = _CARD_NUMBER_RE.match(text)
    if not match:
        return None
    return CardNumber(raw=text, prefix=match.group(1), number=match.group(2))


def variant_of(image_name: str, card_number: CardNumber) -> str:
    """`OP01-001_p1` -> `p1`; `` for the base artwork."""
    base, _, variant = image_name.strip().partition("_")
    return variant.lower() if base.upper() == card_number.raw and variant else ""


def variation_name(variant: str) -> str | None:
    match = _VARIANT_RE.match(variant)
    if not match:
        return variant or None
    kind = _VARIANT_NAMES.get(match.group(1), match.group(1))
    return f"{kind} {match.group(2)}"


def set_code_for(card_number: CardNumber, product: Product) -> str:
    if product.codes and card_number.prefix not in product.codes:
        return product.codes[0]
    return card_number.prefix


def set_name_for(code: str, product: Product) -> str:
    """The print-level set name (the richer names come from `sets()`)."""
    if product.codes and product.codes[0] == code and product.name:
        return product.name
    return STATIC_SET_NAMES.get(code, code)


def set_type_for(code: str) -> str:
    if code == "P":
        return "promo"
    for prefix, kind in _SET_TYPES:
        if re.fullmatch(rf"{prefix}\d+", code):
            return kind
    return "product"


def sku_number(card_number: CardNumber, variant: str, set_code: str) -> str:
    own = set_code == card_number.prefix
    return encode_token(f"{card_number.number if own else card_number.raw}{variant}")


def finishes_for(rarity: str, variant: str) -> list[str]:
    """FOIL for L/R/SR/SEC/SP CARD/TR and parallel arts, NORMAL for C/UC/P base arts."""
    if rarity in FOIL_RARITIES or variant.startswith("p"):
        return ["FOIL"]
    return ["NORMAL"]
