"""`/api/catalog`: search, autocomplete and lookups of cards, prints and SKUs (docs/search-api.md)."""
