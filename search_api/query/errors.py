"""The one exception the query parser raises for anything a user can type."""

from __future__ import annotations


class QuerySyntaxError(ValueError):
    """The query cannot be parsed. The API answers 400 `bad_query`.

    `position` is the 0-based index (in Unicode code points, i.e. Python `str` indices) of the
    character the problem is at; it may equal `len(query)` when something is missing at the end.
    """

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at position {position})")
        self.message = message
        self.position = position

    def as_details(self) -> dict[str, object]:
        """The body of the API's 400 answer: `{"code", "details", "position"}`."""
        return {"code": "bad_query", "details": self.message, "position": self.position}
