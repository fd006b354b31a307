"""Server-rendered page shells (search, card, vendor, admin review) over the JSON API."""

from search_api.pages.routes import STATIC_DIR, router

__all__ = ["STATIC_DIR", "router"]
