"""`/api/matching`: the HTTP side of matching (routes, API-key dependencies, upload intake)."""
