"""Liveness and readiness: `/health` answers while the process runs, `/ready` checks dependencies.

`/ready` answers 503 with the failing checks named (`failing`, `detail`) when the database,
Redis or the search engine cannot be reached, and when the search alias points at no index
(every search would answer nothing)."""

from __future__ import annotations

import os
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from search_api.dependencies import check_dependencies

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(response: Response) -> dict[str, str]:
    """Answered on the event loop (no thread pool); names the worker process that answered."""
    response.headers["X-Worker-Pid"] = str(os.getpid())
    return {"status": "ok"}


@router.get("/ready")
def ready() -> JSONResponse:
    checks = check_dependencies()
    failing = [name for name, check in checks.items() if check["status"] != "ok"]
    body: dict[str, Any] = {"status": "ok" if not failing else "unavailable", "checks": checks}
    if failing:
        body["failing"] = failing
        body["detail"] = "; ".join(f"{name}: {checks[name]['detail']}" for name in failing)
    return JSONResponse(body, status_code=503 if failing else 200)
