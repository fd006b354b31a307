"""Bulk matching jobs, intake: an uploaded export is checked (size, format, game, records)
and stored with a queued job.

The job keeps its uploaded file (`match_job_uploads`), so any worker can (re)read it. A file
the job cannot use raises `TooLarge` (more bytes or records than the settings allow) or
`InvalidInput` (empty, unknown format or game, unreadable), each with a `code` naming the
problem. Reading the upload off the wire (its size limit included) is the API route's part.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from sqlalchemy.orm import Session

from matching.formats import UnknownFormatError, read_inventory
from matching.formats.table import FORMATS_BY_NAME
from matching.jobs.upload_checks import looks_like, not_an_export, too_large
from matching.models import MatchJob, MatchJobUpload
from models.base import utcnow
from models.errors import InvalidInput, TooLarge
from models.settings import get_settings
from models.sku import GAMES


def upload_limits() -> tuple[int, int]:
    """(largest upload in bytes, most data rows) from the settings."""
    settings = get_settings()
    return settings.sidedecked_match_max_upload_bytes, settings.sidedecked_match_max_rows


def inspect_upload(
    content: bytes,
    *,
    format: str | None = None,
    mapping: Mapping[str, str] | None = None,
    game: str | None = None,
    max_rows: int | None = None,
) -> tuple[str, str | None, int]:
    """Detect the format and count the records (`detected_format, encoding, rows`); raises
    `TooLarge` or `InvalidInput` (with a `code` naming the problem) for a file that is too big,
    too long, empty or unreadable."""
    max_bytes, default_rows = upload_limits()
    max_rows = max_rows or default_rows
    if len(content) > max_bytes:
        raise too_large(max_bytes, size=len(content))
    if not content.strip(b"\xef\xbb\xbf \t\r\n"):
        raise InvalidInput("This file is empty: there is nothing to match.", code="empty_upload")
    kind = looks_like(content)
    if kind is not None:
        raise not_an_export(kind)
    if format is not None and format != "generic" and format not in FORMATS_BY_NAME:
        known = ", ".join(sorted([*FORMATS_BY_NAME, "generic"]))
        raise InvalidInput(
            f"{format!r} is not a format we know; choose one of: {known}.", code="unknown_format"
        )
    if game is not None and game not in GAMES:
        raise InvalidInput(
            f"{game!r} is not a game of the catalog; choose one of: {', '.join(GAMES)}.",
            code="invalid_game",
        )
    try:
        inventory = read_inventory(content, format=format, mapping=mapping, game=game)
        rows = 0
        for _row in inventory:
            rows += 1
            if rows > max_rows:
                raise TooLarge(
                    f"This file has more than {max_rows:,} rows; a matching job takes at most "
                    f"{max_rows:,}. Split the export into smaller files.",
                    code="too_many_rows",
                    max_rows=max_rows,
                )
    except UnknownFormatError as exc:
        raise InvalidInput(str(exc), code="unknown_format") from None
    except (ValueError, UnicodeError) as exc:
        raise InvalidInput(
            f"This file could not be read: {exc}", code="unreadable_upload"
        ) from None
    if rows == 0:
        raise InvalidInput("This file has a header line but no rows under it.", code="no_rows")
    return inventory.detected_format, inventory.encoding, rows


def create_job(
    session: Session,
    *,
    seller_id: str,
    content: bytes,
    filename: str | None = None,
    format: str | None = None,
    mapping: Mapping[str, str] | None = None,
    game: str | None = None,
    seller_type: str = "business_vendor",
    created_by: str | None = None,
) -> MatchJob:
    """Check the upload, store it and a queued job (committed); returns the job."""
    detected, encoding, rows = inspect_upload(content, format=format, mapping=mapping, game=game)
    job = MatchJob(
        seller_id=seller_id,
        seller_type=seller_type,
        created_by=created_by,
        status="queued",
        format=format,
        detected_format=detected,
        filename=(filename or "")[:255] or None,
        encoding=encoding,
        game=game,
        mapping=dict(mapping) if mapping else None,
        total_rows=rows,
        processed_rows=0,
        created_at=utcnow(),
    )
    session.add(job)
    session.flush()
    session.add(
        MatchJobUpload(
            job_id=job.id,
            content=content,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
    )
    session.commit()
    return job
