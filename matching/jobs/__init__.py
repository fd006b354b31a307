"""Bulk matching jobs: `intake` (check and store an upload), `runner` (chunked, resumable
processing) with its `lock`, `views` (a job and its rows as the API shows them) and `export`
(the results as CSV). The Celery task that runs a job is `matching/tasks.py`."""
