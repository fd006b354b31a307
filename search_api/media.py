"""/media: the embedded image store's folder (`SIDEDECKED_IMAGES_DIR`), served by the API.

Keys are content addresses (images/renditions.py), so a file never changes under its name and
browsers may keep it for a year. With an S3 store the URLs point at the bucket instead, and
this mount only answers 404.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from images.storage import IMMUTABLE
from models.settings import Settings

PREFIX = "/media"


class MediaFiles(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["cache-control"] = IMMUTABLE
        return response


def mount_media(app: FastAPI, settings: Settings) -> None:
    directory = settings.sidedecked_images_dir
    app.mount(PREFIX, MediaFiles(directory=directory, check_dir=False), name="media")
