"""The SKUs a source's prints make, as the source tests check them."""

from __future__ import annotations

from collections.abc import Sequence

from etl.records import PrintRecord
from models.sku import SkuParts, encode_token, format_sku, parse_sku


def print_sku_parts(game: str, p: PrintRecord, condition: str, finish: str) -> SkuParts:
    """The SKU parts of print `p` in `condition` and `finish`."""
    return SkuParts(game, encode_token(p.set.code), p.sku_number, p.language, condition, finish)


def assert_skus_round_trip(game: str, p: PrintRecord, conditions: Sequence[str] = ("NM",)) -> None:
    """Each SKU of `p` (its finishes x `conditions`) is well formed and parses back to its parts."""
    for finish in p.finishes:
        for condition in conditions:
            parts = print_sku_parts(game, p, condition, finish)
            assert parse_sku(format_sku(parts)) == parts
