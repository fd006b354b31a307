"""JSON errors everywhere: `{"code": ..., "details": ...}`, never an HTML page."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from models.errors import DomainError

#: The HTTP status of each kind of domain error (`models.errors`).
STATUS_OF_KIND: dict[str, int] = {
    "invalid": 422,
    "not_found": 404,
    "conflict": 409,
    "too_large": 413,
    "unauthorized": 401,
    "forbidden": 403,
    "unavailable": 503,
}


class ApiError(Exception):
    """An error answered as JSON with a stable machine-readable code."""

    def __init__(self, status_code: int, code: str, details: object, **extra: object) -> None:
        super().__init__(f"{code}: {details}")
        self.status_code = status_code
        self.code = code
        self.details = details
        self.extra = extra


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(
            {"code": exc.code, "details": exc.details, **exc.extra}, status_code=exc.status_code
        )

    @app.exception_handler(DomainError)
    async def _domain_error(_request: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse(
            {"code": exc.code, "details": exc.details, **exc.extra},
            status_code=STATUS_OF_KIND[exc.kind],
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {"loc": list(err.get("loc", ())), "msg": err.get("msg"), "type": err.get("type")}
            for err in exc.errors()
        ]
        return JSONResponse({"code": "invalid_request", "details": details}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(
            {"code": code, "details": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )
