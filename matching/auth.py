"""API keys: `sdk_<random>` tokens, stored as sha256 hashes, with a role and a seller.

* `admin`: the review queue, every job and match, seller settings;
* `vendor`: matching, and only its own seller's jobs and matches.

`authenticate` turns a token into a `Principal` (None when unknown or revoked); `check_seller`
and `resolve_seller` say what a key may act for and raise `Forbidden` / `InvalidInput`. The
HTTP side (the `Authorization: Bearer <key>` header, 401, the role dependencies) belongs to
the API's matching routes.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matching.models import ROLES, ApiKey
from models.base import utcnow
from models.errors import Forbidden, InvalidInput

KEY_PREFIX = "sdk_"
OWN_SELLER_ONLY = "this key may only act for its own seller"


@dataclass(frozen=True, slots=True)
class Principal:
    key_id: int
    name: str
    role: str
    seller_id: str | None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def label(self) -> str:
        return f"{self.name} (key {self.key_id})"


def hash_key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def create_key(
    session: Session, *, name: str, role: str, seller_id: str | None = None
) -> tuple[ApiKey, str]:
    """A new key; returns the row and the token (shown once, never stored)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if role == "vendor" and not seller_id:
        raise ValueError("a vendor key needs a seller id")
    token = new_token()
    row = ApiKey(
        name=name,
        role=role,
        seller_id=seller_id,
        key_prefix=token[:12],
        key_hash=hash_key(token),
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row, token


def revoke_key(session: Session, key_id: int) -> bool:
    row = session.get(ApiKey, key_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    return True


def authenticate(session: Session, token: str) -> Principal | None:
    if not token.startswith(KEY_PREFIX):
        return None
    row = session.scalars(
        sa.select(ApiKey).where(ApiKey.key_hash == hash_key(token), ApiKey.revoked_at.is_(None))
    ).first()
    if row is None:
        return None
    now = utcnow()
    last = row.last_used_at
    if last is None or (now - _aware(last)).total_seconds() > 60:
        row.last_used_at = now  # at most once a minute: keys are read far more than written
        session.commit()
    return Principal(row.id, row.name, row.role, row.seller_id)


def _aware(value: datetime) -> datetime:
    from datetime import UTC

    return value if value.tzinfo else value.replace(tzinfo=UTC)


def check_seller(principal: Principal, seller_id: str | None) -> None:
    """`Forbidden` unless the key may act for `seller_id` (admins may act for anyone)."""
    if principal.is_admin:
        return
    if seller_id is None or seller_id != principal.seller_id:
        raise Forbidden(OWN_SELLER_ONLY)


def listed_seller(principal: Principal, seller_id: str | None) -> str | None:
    """The seller a listing of jobs or matches is limited to: a vendor key's own (asking for
    another seller's is `Forbidden`), the one an admin names, or None (an admin, every seller)."""
    if principal.is_admin:
        return seller_id or None
    check_seller(principal, seller_id or principal.seller_id)
    return principal.seller_id


def resolve_seller(principal: Principal, seller_id: str | None) -> str:
    """The seller a request acts for: the vendor's own, or the one an admin names."""
    if principal.is_admin:
        if not seller_id:
            raise InvalidInput("an admin must name the seller_id")
        return seller_id
    if seller_id and seller_id != principal.seller_id:
        raise Forbidden(OWN_SELLER_ONLY)
    assert principal.seller_id is not None
    return principal.seller_id
