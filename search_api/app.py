"""The FastAPI application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from marketplace import popularity
from models.settings import get_settings
from search_api import errors, health
from search_api.catalog.prices import router as prices_router
from search_api.catalog.routes import router as catalog_router
from search_api.catalog.routes import warm_up
from search_api.marketplace.routes import router as events_router
from search_api.matching.routes import router as matching_router
from search_api.media import mount_media
from search_api.pages import STATIC_DIR
from search_api.pages import router as pages_router


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    await anyio.to_thread.run_sync(warm_up)
    flusher = popularity.start_background_flush()  # without Redis: counts flushed in-process
    yield
    if flusher is not None:
        await anyio.to_thread.run_sync(flusher.stop)


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(
        lifespan=_lifespan,
        title="SideDecked Catalog",
        version="0.1.0",
        description="Card catalog search for MTG, Pokémon, Yu-Gi-Oh! and One Piece.",
    )
    if settings.sidedecked_cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.sidedecked_cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["*"],
        )
    errors.install(app)
    app.include_router(health.router)
    app.include_router(matching_router)
    app.include_router(events_router)
    app.include_router(catalog_router)
    app.include_router(prices_router)
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    mount_media(app, settings)
    return app
