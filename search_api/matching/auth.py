"""API keys over HTTP: the `Authorization: Bearer <key>` header and the role dependencies.

A missing, malformed, unknown or revoked key is 401; a key whose role or seller does not fit
the request is 403. Routes declare what they need with the `Annotated` aliases `AdminKey` and
`AnyKey` (`require_role(...)`). The keys themselves (hashing, roles, seller scope) are
`matching/auth.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from matching.auth import Principal, authenticate
from models.errors import Forbidden, Unauthorized


def get_session() -> Iterator[Session]:
    """A session on the configured database for one request."""
    from models.db import session_factory

    session = session_factory()()
    try:
        yield session
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]


def current_principal(request: Request, session: SessionDep) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        raise Unauthorized("missing API key: send 'Authorization: Bearer <key>'")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("malformed Authorization header: expected 'Bearer <key>'")
    principal = authenticate(session, token.strip())
    if principal is None:
        raise Unauthorized("unknown or revoked API key")
    return principal


def require_role(*roles: str) -> Callable[[Principal], Principal]:
    """A dependency that admits keys with one of `roles` (401 without a valid key, else 403)."""

    def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if principal.role not in roles:
            raise Forbidden(f"this needs a key with role {' or '.join(roles)}")
        return principal

    return dependency


AdminKey = Annotated[Principal, Depends(require_role("admin"))]
AnyKey = Annotated[Principal, Depends(require_role("admin", "vendor"))]
