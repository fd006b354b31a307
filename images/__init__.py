"""The image mirror (issue 14 item 1): each print's upstream image copied into our own storage,
with WebP renditions and a blurhash, recorded on the print and reindexed through the outbox.

Layout: `models` (its tables), `renditions` (pure: bytes -> renditions and blurhash),
`storage` (folder and S3 stores), `fetch` (conditional, rate-limited downloads per host),
`sync` (the job), `tasks` and `cli`. See docs/images.md.
"""
