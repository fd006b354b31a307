"""Dropping the cached lookups that marketplace events make stale."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from models.lookup_cache import cache_key
from models.redis_clients import redis_client

log = logging.getLogger(__name__)

#: Keys per Redis DEL.
DELETE_CHUNK = 1000
#: The cache kinds (`models.lookup_cache.cache_key`) of the price history answers: one hash per
#: SKU code and per print id, a field per window and filter (`lookup_cache.cached_field`).
SKU_PRICES, PRINT_PRICES = "sku-prices", "print-prices"


def invalidate_lookups(sku_codes: Iterable[str], print_ids: Iterable[int] = ()) -> None:
    """After a commit: drop the cached answers these SKUs' new market data makes stale (the
    lookup cache, `models.lookup_cache`, lives in Redis when `REDIS_URL` is set): each SKU's
    `GET /api/catalog/by-sku/{sku}` and price history, and each print's
    `GET /api/catalog/prints/{id}` and price history, so the new data shows at once.
    Never raises."""
    codes = sorted(set(sku_codes))
    prints = sorted(set(print_ids))
    keys = [cache_key(kind, c) for c in codes for kind in ("sku", SKU_PRICES)]
    keys += [cache_key(kind, p) for p in prints for kind in ("print", PRINT_PRICES)]
    if not keys:
        return
    client = redis_client(profile="cache")
    if client is None:
        return
    try:
        for start in range(0, len(keys), DELETE_CHUNK):
            client.delete(*keys[start : start + DELETE_CHUNK])
    except Exception as exc:  # noqa: BLE001 - entries expire on their own (TTL)
        log.warning("could not invalidate %d cached lookups: %s", len(keys), exc)
