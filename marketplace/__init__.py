"""Marketplace events: listings, sales and sellers of the commerce backend folded into the
catalog's SKU aggregates, exactly once in effect (see docs/events.md)."""
