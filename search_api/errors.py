"""JSON errors everywhere: `{"code": ..., "details": ...}`, never an HTML page.

`details` is written for a person (a seller, an admin, a shopper): request validation errors
become one sentence naming each field ("field page_size: input should be at most 175") with the
structured list kept beside it in `errors`; a wrong path or method says which.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

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


#: Where a request validation error sits (the first part of its `loc`), as a sentence says it.
PLACES: dict[str, str] = {
    "query": "query parameter",
    "path": "path parameter",
    "header": "header",
    "cookie": "cookie",
}


def _field_sentence(error: Mapping[str, Any]) -> str:
    """One pydantic error as "field X: what is wrong" ("the request body: ..." for the body)."""
    place, *path = [str(part) for part in error.get("loc", ())] or ["body"]
    message = str(error.get("msg") or "is not valid").removeprefix("Value error, ")
    if error.get("type") == "missing":
        message = "this is required"
    elif error.get("type") == "json_invalid":
        message = "the request body is not valid JSON"
    message = message[:1].lower() + message[1:]
    if not path:
        return f"the request {place}: {message}"
    name = ".".join(path)
    where = PLACES.get(place)
    return f"{where} {name}: {message}" if where else f"field {name}: {message}"


def validation_details(errors: Sequence[Mapping[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """The sentence of a request validation error and its structured list (`loc`, `msg`, `type`
    as pydantic gives them, `message` the sentence of each)."""
    sentences = [_field_sentence(err) for err in errors]
    listed = [
        {
            "loc": list(err.get("loc", ())),
            "msg": err.get("msg"),
            "type": err.get("type"),
            "message": sentence,
        }
        for err, sentence in zip(errors, sentences, strict=True)
    ]
    return "; ".join(sentences or ["the request is not valid"]) + ".", listed


def http_error_details(request: Request, status: int, detail: object) -> object:
    """The framework's bare phrases ("Not Found", "Method Not Allowed") said for a person."""
    if status == 404 and detail == "Not Found":
        return f"There is nothing at {request.url.path}: check the address."
    if status == 405 and detail == "Method Not Allowed":
        return f"{request.method} is not allowed at {request.url.path}."
    if status == 400 and detail == "There was an error parsing the body":
        return "The request body could not be read: send the form or JSON the API documents."
    return detail


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
        details, errors = validation_details(exc.errors())
        return JSONResponse(
            {"code": "invalid_request", "details": details, "errors": errors}, status_code=422
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        details = http_error_details(request, exc.status_code, exc.detail)
        return JSONResponse(
            {"code": code, "details": details}, status_code=exc.status_code, headers=exc.headers
        )
