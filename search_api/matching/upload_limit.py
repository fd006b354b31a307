"""Upload routes that refuse an over-size body from its `Content-Length`, before reading it.

FastAPI parses a multipart form (spooling the whole file) before it calls the route, so a check
inside the route comes after a 30 MB upload has been received. A router made with
`route_class=UploadLimitedRoute` checks the declared length of every route of it that takes a
file (`File(...)`) first and answers 413 (`upload_too_large`, the limit in MB) without reading a
byte of the body; a body sent without a length is still cut at the limit by the route's read.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response, params
from fastapi.routing import APIRoute

from matching.jobs.intake import upload_limits
from matching.jobs.upload_checks import too_large

#: Room for the multipart envelope (boundaries, part headers, the small form fields).
FORM_OVERHEAD = 64 * 1024


def refuse_declared_oversize(content_length: str | None) -> None:
    """Raise `upload_too_large` when the declared body is over the file limit plus the form's
    envelope (an unparseable or missing length is left to the read's own limit)."""
    max_bytes, _ = upload_limits()
    if content_length is None or not content_length.strip().isdigit():
        return
    declared = int(content_length)
    if declared > max_bytes + FORM_OVERHEAD:
        raise too_large(max_bytes, size=declared)


class UploadLimitedRoute(APIRoute):
    """An `APIRoute` whose handler, when the route takes a file, checks `Content-Length` before
    the body is parsed (other routes are left as they are)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.takes_files = False  # read by get_route_handler, which APIRoute's __init__ calls
        super().__init__(*args, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        self.takes_files = any(
            isinstance(field.field_info, params.File) for field in self.dependant.body_params
        )
        if not self.takes_files:
            return handler

        async def limited(request: Request) -> Response:
            refuse_declared_oversize(request.headers.get("content-length"))
            return await handler(request)

        return limited
