"""The pages: Jinja2 shells whose small vanilla JS (`static/`) calls the same JSON API as the
storefront (`/api/catalog`, `/api/matching`). No data is rendered on the server, so the pages
never disagree with the API; the API key of the vendor and admin pages stays in the browser
(sessionStorage) and is sent as `Authorization: Bearer`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from models.vocabulary import CONDITIONS

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
templates = Jinja2Templates(directory=HERE / "templates")
router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


def _page(request: Request, template: str, **context: object) -> HTMLResponse:
    return templates.TemplateResponse(request, template, {"page": template, **context})


@router.get("/")
def search_page(request: Request) -> HTMLResponse:
    return _page(request, "search.html", title="Search cards")


@router.get("/cards/{card_id}")
def card_page(
    request: Request, card_id: Annotated[int, PathParam(ge=1, le=2**63 - 1)]
) -> HTMLResponse:
    return _page(request, "card.html", title="Card", card_id=card_id, conditions=CONDITIONS)


@router.get("/vendor")
def vendor_page(request: Request) -> HTMLResponse:
    return _page(request, "vendor.html", title="Vendor inventory matching")


@router.get("/admin/review")
def admin_page(request: Request) -> HTMLResponse:
    return _page(request, "admin.html", title="Match review")
