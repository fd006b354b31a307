"""`/api/events`: the HTTP side of the marketplace events (signed batches); the domain is the
top-level `marketplace` package."""
