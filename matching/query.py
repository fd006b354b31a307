"""What candidate generation searches with: `Query`, built from a `ParsedListing` by
`query_from_listing` (set texts, set code, number, name and external ids), and the keys a set
name is looked up by (`set_name_variants`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matching.index import (
    GAME_WORDS,
    NUMBER_CARRIES_SET,
)
from matching.parsing.listing import ParsedListing
from models.text import listing_key

_NUMBER_SET = re.compile(r"^([A-Za-z0-9]{2,6})-[A-Za-z]{0,2}\d")


PAREN_CODE = re.compile(r"\(([A-Za-z0-9]{2,6})\)")


#: A Pokémon era prefix before a set name (as a name key), when two or more words follow.
_ERA_PREFIX = re.compile(r"^(?:sv|swsh|sm|xy|bw)\d{0,2}\s+(?=\S+\s+\S)")


def set_name_variants(text: str) -> list[str]:
    """Name keys a seller's set name may stand for: as written, the part after a `SV03:` or
    `XY - ` prefix, without a leading game word (`Pokemon 151`) or era (`SWSH Lost Origin`),
    without a trailing `set`."""
    variants: list[str] = []

    def add(value: str) -> None:
        key = listing_key(value)
        if key and key not in variants:
            variants.append(key)

    add(text)
    bare = PAREN_CODE.sub(" ", text).strip()
    if bare and bare != text:
        add(bare)  # "Magic 2015 (M15)" -> "Magic 2015"
    for separator in (":", " - "):
        if separator in text:
            add(text.split(separator, 1)[1])
    for key in list(variants):
        for word in GAME_WORDS:
            if key.startswith(word) and len(key) > len(word):
                add(key[len(word) :])
    for key in list(variants):
        era = _ERA_PREFIX.match(key)
        if era:  # "SWSH Lost Origin", "SV03 Obsidian Flames" as eBay titles write them
            add(key[era.end() :])
    for key in list(variants):
        if key.endswith(" set") and len(key) > 4:
            add(key[:-4])
    return variants


@dataclass(slots=True)
class Query:
    """What candidate generation and scoring read from a listing, normalised once."""

    game: str | None
    name: str | None
    name_key: str | None
    is_title: bool
    set_code: str | None
    set_texts: tuple[str, ...]
    number: str | None
    printed_total: int | None
    language: str | None
    finish: str | None
    rarity: str | None
    variant_tags: tuple[str, ...]
    scryfall_id: str | None = None
    tcgplayer_id: int | None = None
    cardmarket_id: int | None = None
    ygoprodeck_id: int | None = None
    #: `set_code` is the prefix of a One Piece number (the set the card was first printed in):
    #: a set name the listing gives wins over it (reprints keep their first set's number).
    set_code_from_number: bool = False

    @property
    def has_set(self) -> bool:
        return bool(self.set_code or self.set_texts)

    @property
    def has_ids(self) -> bool:
        return bool(self.scryfall_id or self.tcgplayer_id or self.cardmarket_id)

    def cache_key(self) -> tuple[object, ...]:
        return (
            self.game,
            self.name_key,
            self.is_title,
            self.set_code,
            self.set_texts,
            self.number,
            self.printed_total,
            self.language,
            self.finish,
            self.rarity,
            self.variant_tags,
            self.scryfall_id,
            self.tcgplayer_id,
            self.cardmarket_id,
            self.ygoprodeck_id,
            self.set_code_from_number,
        )


def query_from_listing(listing: ParsedListing, *, use_ids: bool = True) -> Query:
    texts: list[str] = []
    for text in (listing.set_name, *listing.set_candidates):
        if text and text not in texts and text != listing.set_code:
            texts.append(text)
    total = listing.printed_total
    set_code = listing.set_code.strip().upper() if listing.set_code else None
    number = listing.number.strip() if listing.number and listing.number.strip() else None
    prefix = _NUMBER_SET.match(number) if number and listing.game in NUMBER_CARRIES_SET else None
    if set_code is None and prefix:  # LOB-005 is a LOB card, OP05-001 an OP05 one
        set_code = prefix.group(1).upper()
    # a One Piece number names the set the card was first printed in, not the reprint's
    from_number = (
        prefix is not None and listing.game == "OPTCG" and set_code == prefix.group(1).upper()
    )
    return Query(
        game=listing.game,
        name=listing.name,
        name_key=listing.name_key or None,
        is_title=isinstance(listing.raw, str),
        set_code=set_code,
        set_texts=tuple(texts),
        number=number,
        printed_total=int(total) if total and total.isdigit() else None,
        language=listing.language,
        finish=listing.finish,
        rarity=listing.rarity,
        variant_tags=tuple(listing.variant_tags),
        scryfall_id=(listing.scryfall_id or "").lower() or None if use_ids else None,
        tcgplayer_id=listing.tcgplayer_id if use_ids else None,
        cardmarket_id=listing.cardmarket_id if use_ids else None,
        ygoprodeck_id=listing.ygoprodeck_id if use_ids else None,
        set_code_from_number=from_number,
    )
