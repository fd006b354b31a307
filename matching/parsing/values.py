"""Small value parsers shared by the title parser and the export readers: prices, quantities,
collector numbers, ids."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

#: Currency markers, longest first so `CA$` wins over `$`.
CURRENCY_SYMBOLS = {
    "US$": "USD",
    "CA$": "CAD",
    "C$": "CAD",
    "AU$": "AUD",
    "A$": "AUD",
    "NZ$": "NZD",
    "HK$": "HKD",
    "R$": "BRL",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "￥": "JPY",
    "₩": "KRW",
    "zł": "PLN",
    "kr": "SEK",
    "CHF": "CHF",
}
CURRENCY_CODES = ("USD", "EUR", "GBP", "JPY", "CAD", "AUD", "NZD", "CHF", "SEK", "PLN", "BRL")

_MONEY = re.compile(r"\d[\d.,'\s]*")
_RANGE_SPLIT = re.compile(r"\s+(?:to|-|–|—|bis|à)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PriceReading:
    amount: Decimal | None
    currency: str | None
    warning: str | None = None


_CODES = re.compile(rf"\b({'|'.join(CURRENCY_CODES)})\b", re.IGNORECASE)
_SYMBOLS = sorted(CURRENCY_SYMBOLS, key=len, reverse=True)


def _currency_of(text: str) -> str | None:
    if text.replace(".", "").replace(",", "").strip().isdigit():
        return None  # the common case: a bare amount
    match = _CODES.search(text)
    if match:
        return match.group(1).upper()
    for symbol in _SYMBOLS:
        if symbol in text:
            return CURRENCY_SYMBOLS[symbol]
    return None


def _amount(text: str) -> Decimal | None:
    match = _MONEY.search(text)
    if not match:
        return None
    digits = re.sub(r"[\s']", "", match.group(0)).rstrip(".,")
    if "," in digits and "." in digits:
        # The later separator is the decimal one: 1,234.56 or 1.234,56.
        if digits.rfind(",") > digits.rfind("."):
            digits = digits.replace(".", "").replace(",", ".")
        else:
            digits = digits.replace(",", "")
    elif "," in digits:
        head, _, tail = digits.rpartition(",")
        # 0,50 / 12,5 -> decimal comma; 1,234 -> thousands.
        digits = (
            f"{head.replace(',', '')}.{tail}" if len(tail) in (1, 2) else digits.replace(",", "")
        )
    elif digits.count(".") > 1:
        head, _, tail = digits.rpartition(".")
        digits = head.replace(".", "") + "." + tail
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_price(text: str | None, *, currency: str | None = None) -> PriceReading:
    """`$6.43` -> 6.43 USD, `€0.04` -> 0.04 EUR, `1,50` -> 1.50, `$1.49 to $89.99` -> 1.49 with
    a warning (a range). `currency` is the default when the text names none."""
    if text is None or not text.strip():
        return PriceReading(None, None)
    text = text.strip()
    found = _currency_of(text) or currency
    parts = _RANGE_SPLIT.split(text)
    amount = _amount(parts[0])
    if amount is None:
        return PriceReading(None, found, f"unreadable price {text!r}")
    if len(parts) > 1 and _amount(parts[-1]) is not None:
        return PriceReading(amount, found, f"price is a range ({text}); the lowest is kept")
    return PriceReading(amount, found)


@dataclass(frozen=True, slots=True)
class QuantityReading:
    quantity: int | None
    error: str | None = None
    warning: str | None = None


_QUANTITY = re.compile(r"^\s*[x×]?\s*(-?\d+)(?:\.0+)?\s*[x×]?\s*$", re.IGNORECASE)


def parse_quantity(text: str | None, *, default: int = 1) -> QuantityReading:
    """A quantity column: `1`, `4`, `4x`, `x4`, `2.0`; blank -> `default`.
    Negative or non-numeric -> error; 0 -> warning (some tools list cards they no longer have)."""
    if text is None or not str(text).strip():
        return QuantityReading(default)
    match = _QUANTITY.match(str(text))
    if not match:
        return QuantityReading(None, error=f"invalid quantity {text!r}")
    value = int(match.group(1))
    if value < 0:
        return QuantityReading(None, error=f"negative quantity {text!r}")
    if value == 0:
        return QuantityReading(0, warning="quantity is 0")
    return QuantityReading(value)


def parse_int_id(text: str | None) -> int | None:
    """A numeric id column (`5451`, `5451.0`, ` 743311 `); None when blank, 0 or not numeric."""
    if text is None:
        return None
    text = str(text).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit():
        return None
    value = int(text)
    return value or None


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def parse_uuid(text: str | None) -> str | None:
    """A Scryfall id (UUID), lower-cased; None when blank or malformed."""
    if not text:
        return None
    text = text.strip().lower()
    return text if _UUID.match(text) else None


#: "199/165", "TG05/TG30", "116/350" -> number and printed total.
_FRACTION = re.compile(r"^\s*([^/\s]+)\s*/\s*([^/\s]+)\s*$")


def split_number(text: str | None) -> tuple[str | None, str | None]:
    """Split a collector number column into (number, printed_total): `199/165` ->
    (`199`, `165`); `LOB-EN001` -> (`LOB-EN001`, None); blank -> (None, None)."""
    if text is None or not text.strip():
        return None, None
    match = _FRACTION.match(text)
    if match:
        return match.group(1), match.group(2)
    return text.strip(), None


_PAREN_SUFFIX = re.compile(r"^(?P<name>.*?\S)\s*[\[(](?P<tag>[^\[\]()]+)[\])]\s*$")


def split_name_variant(name: str) -> tuple[str, str | None]:
    """Split a trailing `(Borderless)` / `[Version 2]` tag off a product name: `Aragorn, Hornburg
    Hero (Borderless)` -> (`Aragorn, Hornburg Hero`, `Borderless`)."""
    match = _PAREN_SUFFIX.match(name)
    if not match:
        return name.strip(), None
    return match.group("name").strip(), match.group("tag").strip()
