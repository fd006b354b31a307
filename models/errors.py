"""Domain errors: what went wrong, in words a caller can act on, and nothing about transport.

Every domain raises these (or subclasses of them); `search_api.errors` maps each kind to an HTTP
status and the CLI maps them to exit code 2. `code` is a stable machine-readable name, `details`
says the problem to a person, and `extra` carries structured context (for example the columns a
file is missing) that the API returns beside them.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of the domain errors; `kind` names the class of failure the API maps to a status."""

    kind = "invalid"
    default_code = "invalid_request"

    def __init__(self, details: object, *, code: str | None = None, **extra: object) -> None:
        self.code = code or self.default_code
        self.details = details
        self.extra = extra
        super().__init__(f"{self.code}: {details}")


class InvalidInput(DomainError):
    """The request or file cannot be used as given (HTTP 422, CLI exit 2)."""


class NotFound(DomainError):
    kind = "not_found"
    default_code = "not_found"


class Conflict(DomainError):
    """The thing exists but is in a state that refuses the action (finished job, taken lease)."""

    kind = "conflict"
    default_code = "conflict"


class TooLarge(DomainError):
    kind = "too_large"
    default_code = "too_large"


class Unauthorized(DomainError):
    kind = "unauthorized"
    default_code = "unauthorized"


class Forbidden(DomainError):
    kind = "forbidden"
    default_code = "forbidden"


class Unavailable(DomainError):
    """A service the action needs is down or busy; retrying later may work."""

    kind = "unavailable"
    default_code = "unavailable"
