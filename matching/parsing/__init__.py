"""The input side of matching: structured listings, vocabulary tables, the title parser."""

from matching.parsing.listing import (
    KIND_CHOICE,
    KIND_LOT,
    KIND_SEALED,
    KIND_SINGLE,
    KINDS,
    ParsedListing,
    number_key,
)
from matching.parsing.title import parse_title

__all__ = [
    "KINDS",
    "KIND_CHOICE",
    "KIND_LOT",
    "KIND_SEALED",
    "KIND_SINGLE",
    "ParsedListing",
    "number_key",
    "parse_title",
]
