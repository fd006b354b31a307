"""Dropping the cached SKU lookups that marketplace events make stale."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from models.lookup_cache import cache_key
from models.redis_clients import redis_client

log = logging.getLogger(__name__)

#: Keys per Redis DEL.
DELETE_CHUNK = 1000


def invalidate_lookups(sku_codes: Iterable[str]) -> None:
    """After a commit: drop the cached `GET /api/catalog/by-sku/{sku}` answers of these SKUs
    (the lookup cache, `models.lookup_cache`, lives in Redis when `REDIS_URL` is set), so
    the new market data shows at once. Never raises."""
    codes = sorted(set(sku_codes))
    if not codes:
        return
    client = redis_client(profile="cache")
    if client is None:
        return
    try:
        for start in range(0, len(codes), DELETE_CHUNK):
            client.delete(*[cache_key("sku", c) for c in codes[start : start + DELETE_CHUNK]])
    except Exception as exc:  # noqa: BLE001 - entries expire on their own (TTL)
        log.warning("could not invalidate %d cached SKU lookups: %s", len(codes), exc)
