"""Silver preparation (pure Python, no database): one `NormalizedCard` to checked rows.

Every value is checked against its column (`etl.validate.RowChecker`) so SQLite and PostgreSQL
accept and refuse the same records, SKU components are validated with `models.sku.SkuParts`,
and each row gets a content hash (its normalised fields plus natural keys). `etl.silver`
writes what this prepares. See docs/etl.md, *Silver*.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import sqlalchemy as sa

from etl.records import NormalizedCard, PrintRecord, SetRecord
from etl.validate import RecordError, RowChecker
from models.card_fields import attribute_name, columns_of
from models.catalog import Card, CardSet, Print
from models.sku import SkuError, SkuParts, encode_token

CARDS: sa.Table = Card.__table__  # type: ignore[assignment]
PRINTS: sa.Table = Print.__table__  # type: ignore[assignment]
SETS: sa.Table = CardSet.__table__  # type: ignore[assignment]

#: Card columns written from `NormalizedCard` (column key -> attribute): the declared card
#: columns (`models.card_fields`) but the identity, and the normalised name and game data.
CARD_FIELDS: dict[str, str] = {
    "name": "name",
    "normalized_name": "normalized_name",
    **{c: attribute_name(c) for c in columns_of("cards") if c not in ("oracle_key", "name")},
    "game_data": "game_data",
}
#: Print columns copied from `PrintRecord` as they are.
PRINT_FIELDS: tuple[str, ...] = (
    "collector_number",
    "number_sort",
    "sku_number",
    "language",
    "rarity",
    "rarity_code",
    "artist",
    "finishes",
    "variation",
    "frame",
    "is_promo",
    "is_digital",
    "released_at",
    "printed_name",
    "flavor_text",
    "images",
    "legalities",
    "tcgplayer_id",
    "cardmarket_id",
    "scryfall_id",
    "pokemon_tcg_id",
    "ygoprodeck_id",
    "game_data",
)
SET_FIELDS: tuple[str, ...] = (
    "name",
    "set_type",
    "series",
    "released_at",
    "card_count",
    "printed_total",
    "aliases",
    "external_ids",
    "images",
    "game_data",
)

CARD_CHECK = RowChecker(CARDS, ["oracle_key", *CARD_FIELDS], label="card")
PRINT_CHECK = RowChecker(PRINTS, ["print_key", "sku_set", *PRINT_FIELDS], label="print")
SET_CHECK = RowChecker(SETS, ["code", *SET_FIELDS], label="set")
CHECKS = {"card": CARD_CHECK, "print": PRINT_CHECK}
_MEMO_SIZE = 50_000


class SkuSpec(NamedTuple):
    """What a print's SKUs are made of (validated with `models.sku.SkuParts`)."""

    set_token: str
    number: str
    language: str
    finishes: tuple[str, ...]


@dataclass(slots=True)
class PreparedSet:
    code: str
    row: dict[str, Any]
    content_hash: str
    token: str  # the SKU set token


@dataclass(slots=True)
class PreparedPrint:
    print_key: str
    row: dict[str, Any]
    content_hash: str
    set: PreparedSet
    skus: SkuSpec


@dataclass(slots=True)
class PreparedCard:
    """One record's checked rows: its card and the prints (with SKUs) it describes."""

    oracle_key: str
    row: dict[str, Any]
    content_hash: str
    prints: list[PreparedPrint]


def prepare_set(record: SetRecord, game: str) -> PreparedSet:
    if not isinstance(record, SetRecord):
        raise RecordError(f"expected a SetRecord, got {type(record).__name__}")
    if record.game != game:
        raise RecordError(f"set {record.code!r} is of game {record.game!r}, expected {game!r}")
    if not record.code or not isinstance(record.code, str):
        raise RecordError("set code is empty")
    if not record.name:
        raise RecordError(f"set {record.code!r} has no name")
    row = {"code": record.code}
    for name in SET_FIELDS:
        row[name] = getattr(record, name)
    digest = SET_CHECK.check(row, {"game": game})
    try:
        token = encode_token(record.code)
    except SkuError as exc:
        raise RecordError(f"set {record.code!r}: {exc}") from None
    return PreparedSet(record.code, row, digest, token)


class Preparer:
    """Prepares the records of one game, remembering the sets and SKU specs already checked."""

    def __init__(self, game: str) -> None:
        self.game = game
        self._set_memo: dict[str, PreparedSet] = {}
        self._valid_skus: set[SkuSpec] = set()

    def prepare(self, card: NormalizedCard) -> PreparedCard:
        """Check one normalised card and build its rows; `RecordError` if unusable."""
        game = self.game
        if not isinstance(card, NormalizedCard):
            raise RecordError(f"normalize returned a {type(card).__name__}")
        if card.game != game:
            raise RecordError(f"card is of game {card.game!r}, expected {game!r}")
        if not card.oracle_key or not isinstance(card.oracle_key, str):
            raise RecordError("card has no oracle_key")
        if not card.name or not isinstance(card.name, str):
            raise RecordError("card has no name")
        row: dict[str, Any] = {"oracle_key": card.oracle_key}
        for key, attr in CARD_FIELDS.items():
            row[key] = getattr(card, attr)
        digest = CARD_CHECK.check(row, {"game": game})
        prints: list[PreparedPrint] = []
        owners: dict[tuple[str, str, str], str] = {}
        for record in card.prints:
            prepared = self._prepare_print(record, card.oracle_key)
            spec = prepared.skus
            other = owners.setdefault(spec[:3], prepared.print_key)
            if other != prepared.print_key:
                raise RecordError(
                    f"prints {other!r} and {prepared.print_key!r} share set, number and "
                    f"language ({spec.set_token} {spec.number} {spec.language})"
                )
            prints.append(prepared)
        return PreparedCard(card.oracle_key, row, digest, prints)

    def _prepare_print(self, record: PrintRecord, oracle_key: str) -> PreparedPrint:
        game = self.game
        if not isinstance(record, PrintRecord):
            raise RecordError(f"expected a PrintRecord, got {type(record).__name__}")
        if not record.print_key or not isinstance(record.print_key, str):
            raise RecordError("print has no print_key")
        if not isinstance(record.set, SetRecord):
            raise RecordError(f"print {record.print_key!r} has no set")
        prepared_set = self._prepare_set(record.set)
        if not record.collector_number:
            raise RecordError(f"print {record.print_key!r} has no collector number")
        if not isinstance(record.finishes, list | tuple):
            raise RecordError(f"print {record.print_key!r}: finishes must be a list")
        set_token = prepared_set.token
        row: dict[str, Any] = {"print_key": record.print_key, "sku_set": set_token}
        for name in PRINT_FIELDS:
            row[name] = getattr(record, name)
        row["finishes"] = finishes = list(dict.fromkeys(record.finishes))
        digest = PRINT_CHECK.check(
            row, {"game": game, "oracle_key": oracle_key, "set": record.set.code}
        )
        spec = SkuSpec(set_token, record.sku_number, record.language, tuple(finishes))
        if spec not in self._valid_skus:
            try:
                for finish in finishes:
                    SkuParts(game, set_token, record.sku_number, record.language, "NM", finish)
            except SkuError as exc:
                raise RecordError(f"print {record.print_key!r}: {exc}") from None
            if len(self._valid_skus) > _MEMO_SIZE:
                self._valid_skus.clear()
            self._valid_skus.add(spec)
        return PreparedPrint(record.print_key, row, digest, prepared_set, spec)

    def _prepare_set(self, record: SetRecord) -> PreparedSet:
        """`prepare_set`, remembered: the prints of a set mostly carry equal set records."""
        if not isinstance(record, SetRecord):
            raise RecordError(f"expected a SetRecord, got {type(record).__name__}")
        memo_key = repr(record)
        prepared = self._set_memo.get(memo_key)
        if prepared is None:
            prepared = prepare_set(record, self.game)
            if len(self._set_memo) > _MEMO_SIZE:
                self._set_memo.clear()
            self._set_memo[memo_key] = prepared
        return prepared
