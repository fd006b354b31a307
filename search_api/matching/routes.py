"""`/api/matching`: the matching API's router, made of one module per kind of route: single
match (`listing.py`), bulk jobs (`jobs.py`), a job's rows and the seller's decisions on them
(`job_rows.py`), the review queue and verification (`review.py`),
seller settings (`sellers.py`), who a key is and the upload limits (`client_info.py`).

Every route needs an API key (`Authorization: Bearer sdk_...`, see `search_api/matching/auth.py`
and `matching/auth.py`): admins see everything; vendor keys only their seller's jobs and
matches. Domain errors (`models.errors`) raised by the routes are answered by `search_api.errors`.
"""

from __future__ import annotations

from fastapi import APIRouter

from matching.tasks import resume_stale_jobs
from search_api.matching import client_info, job_rows, jobs, listing, review, sellers

router = APIRouter(prefix="/api/matching", tags=["matching"], on_startup=[resume_stale_jobs])
for part in (listing, jobs, job_rows, review, sellers, client_info):
    router.include_router(part.router)
