"""The contract between upstream sources and the loader.

A source module (`etl/sources/<name>.py`) reads its upstream's native format and yields
`RawRecord`s (stored as they are in the bronze layer); its pure `normalize(raw)` turns one raw
record into a `NormalizedCard` (the card's oracle fields plus the prints this record describes,
each naming its set). `normalize` raises `QuarantineError` for a record it cannot use; the
loader quarantines it with the reason and goes on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from models.text import fold


class QuarantineError(ValueError):
    """The record is malformed or unusable; the message is the reason kept in quarantine."""


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One upstream record exactly as published."""

    source: str  # "scryfall" | "pokemontcg" | "ygoprodeck" | "optcg"
    external_id: str  # upstream id (Scryfall id, pokemontcg id, passcode, image_name+lang)
    payload: dict[str, Any]
    source_file: str | None = None
    #: Extra context the upstream gives outside the record (e.g. the set of a pokemontcg
    #: cards/en/<set>.json file, the language of a One Piece file). Not part of the hash.
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        return content_hash(self.payload)


def content_hash(payload: Any) -> str:
    """sha256 of the canonical JSON form (sorted keys, no spaces)."""
    data = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class SetRecord:
    game: str  # MTG | POKEMON | YUGIOH | OPTCG
    code: str  # canonical upper-case code, unique per game (e.g. NEO, SV3PT5, LOB, OP01)
    name: str
    set_type: str | None = None
    series: str | None = None
    released_at: date | None = None
    card_count: int | None = None
    printed_total: int | None = None
    aliases: list[str] = field(default_factory=list)
    external_ids: dict[str, Any] = field(default_factory=dict)
    images: dict[str, Any] = field(default_factory=dict)
    game_data: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class PrintRecord:
    print_key: str  # upstream identity of the printing, unique per game
    set: SetRecord
    collector_number: str  # as printed upstream ("199", "123a", "TG05", "LOB-EN001", "OP01-001")
    sku_number: str  # SKU number token (models.sku), unique per (set, language)
    language: str  # SKU language code (EN, JP, ...)
    finishes: list[str]  # SKU finishes this print exists in (models.sku.FINISHES)
    number_sort: int | None = None
    rarity: str | None = None
    rarity_code: str | None = None
    artist: str | None = None
    variation: str | None = None
    frame: str | None = None
    is_promo: bool = False
    is_digital: bool = False
    released_at: date | None = None
    printed_name: str | None = None
    flavor_text: str | None = None
    images: dict[str, Any] = field(default_factory=dict)
    legalities: dict[str, Any] = field(default_factory=dict)
    tcgplayer_id: int | None = None
    cardmarket_id: int | None = None
    scryfall_id: str | None = None
    pokemon_tcg_id: str | None = None
    ygoprodeck_id: int | None = None
    game_data: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class NormalizedCard:
    """A card's oracle identity and fields, with the prints one raw record describes."""

    game: str
    oracle_key: str
    name: str
    prints: list[PrintRecord]
    face_names: list[str] = field(default_factory=list)
    type_line: str | None = None
    supertypes: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    subtypes: list[str] = field(default_factory=list)
    rules_text: str | None = None
    keywords: list[str] = field(default_factory=list)
    power: int | None = None
    defense: int | None = None
    mana_cost: str | None = None
    mana_value: Decimal | None = None
    colors: list[str] = field(default_factory=list)
    color_identity: list[str] = field(default_factory=list)
    power_text: str | None = None
    toughness_text: str | None = None
    loyalty: str | None = None
    hp: int | None = None
    retreat_cost: int | None = None
    energy_types: list[str] = field(default_factory=list)
    evolves_from: str | None = None
    #: Yu-Gi-Oh! attribute (one), One Piece attributes (one or two: `Slash`, `Strike`).
    attributes: list[str] = field(default_factory=list)
    level: int | None = None
    rank: int | None = None
    link_rating: int | None = None
    atk: int | None = None
    def_: int | None = None
    cost: int | None = None
    counter: int | None = None
    life: int | None = None
    game_data: dict[str, Any] = field(default_factory=dict)

    @property
    def normalized_name(self) -> str:
        return fold(self.name)


@dataclass(frozen=True, slots=True)
class InputUnit:
    """A unit of input committed as a whole and checkpointed (usually one file)."""

    key: str  # stable identity, e.g. the file path relative to the loaded folder
    path: Path
    content_hash: str  # sha256 of the file's bytes


class Source(Protocol):
    """What every `etl/sources/<name>.py` module provides."""

    name: str  # "scryfall" | ...
    game: str  # "MTG" | ...

    def discover(self, paths: list[Path]) -> list[InputUnit]:
        """Expand files and folders into input units, in a deterministic order."""

    def read(self, unit: InputUnit) -> Iterator[RawRecord]:
        """Stream the raw records of one unit without loading it whole into memory."""

    def sets(self, paths: list[Path]) -> Iterator[SetRecord]:
        """Full set metadata the upstream publishes beside the cards (may yield nothing).

        The loader upserts these first; the (possibly thinner) `PrintRecord.set` of a print
        then only creates a set that is still missing and never overwrites richer data.
        """

    def normalize(self, raw: RawRecord) -> NormalizedCard:
        """Pure: one raw record to a normalised card with its prints."""
