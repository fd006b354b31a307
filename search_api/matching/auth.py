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

from matching.auth import KEY_PREFIX, Principal, authenticate
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
        raise Unauthorized("This needs an API key, sent as 'Authorization: Bearer <key>'.")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("The Authorization header must read 'Bearer <key>'.")
    if not token.strip().startswith(KEY_PREFIX):
        raise Unauthorized(
            f"This is not an API key: keys start with {KEY_PREFIX!r}. Paste the last line "
            "'sidedecked keys create' printed."
        )
    principal = authenticate(session, token.strip())
    if principal is None:
        raise Unauthorized(
            "This API key is not valid: it is unknown or has been revoked. Check that you "
            "copied the whole key, or ask an admin for a new one."
        )
    return principal


def require_role(*roles: str) -> Callable[[Principal], Principal]:
    """A dependency that admits keys with one of `roles` (401 without a valid key, else 403)."""

    def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if principal.role not in roles:
            raise Forbidden(
                f"This needs {_a(' or '.join(roles))} key; yours is {_a(principal.role)} key.",
                role=principal.role,
            )
        return principal

    return dependency


def _a(words: str) -> str:
    return f"{'an' if words[:1] in ('a', 'e', 'i', 'o', 'u') else 'a'} {words}"


AdminKey = Annotated[Principal, Depends(require_role("admin"))]
AnyKey = Annotated[Principal, Depends(require_role("admin", "vendor"))]
