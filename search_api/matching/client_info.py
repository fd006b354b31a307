"""What a client needs to know before it acts: who its key is (`GET /whoami`, so a page can check
a key when it is entered) and the upload limits (`GET /limits`, so a page can refuse a file that
is too large before sending it)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from matching.jobs.intake import upload_limits
from matching.jobs.upload_checks import MEGABYTE, file_size
from search_api.matching.auth import AnyKey

router = APIRouter()


@router.get("/whoami")
def whoami(principal: AnyKey) -> dict[str, Any]:
    """The key's role and seller (401 with the reason for a missing, unknown or revoked key)."""
    return {
        "role": principal.role,
        "seller_id": principal.seller_id,
        "name": principal.name,
        "key_id": principal.key_id,
    }


@router.get("/limits")
def limits() -> dict[str, Any]:
    """The largest upload a matching job accepts and its most rows (no key needed)."""
    max_bytes, max_rows = upload_limits()
    return {
        "max_upload_bytes": max_bytes,
        "max_upload_mb": round(max_bytes / MEGABYTE, 1),
        "max_upload": file_size(max_bytes),
        "max_rows": max_rows,
    }
