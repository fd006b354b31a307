"""`ParsedListing`: what one seller listing (a title or an export row) says about the card.

Every field is optional except `quantity`: a parser fills what it can read and leaves the rest
`None`; the candidate/scoring stage decides what to do with the gaps. Values are already mapped
to the universal SKU vocabulary (`models.sku`): `game` is one of `GAMES`, `condition` one of
`CONDITIONS`, `finish` one of `FINISHES`, `language` one of `LANGUAGES`, `grade` a `Grade`.

Upstream spellings are kept where they are identities: `number` is the collector number as
printed (`"199"` of `199/165`, `"LOB-EN001"`, `"OP01-024"`, `"TG05"`, `"123a"`), `set_code` the
code as the tool wrote it (`"ltr"`, `"LOB"`, `"sv9a"`), `rarity` the tool's own rarity string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from models.sku import Grade
from models.text import fold, listing_key

#: What kind of listing a title describes (`ParsedListing.kind`).
KIND_SINGLE = "single"  # one card (possibly several copies of it: `quantity`)
KIND_LOT = "lot"  # several different cards sold together ("50x Pokemon Card Bundle")
KIND_CHOICE = "choice"  # a multi-variation listing: the buyer picks a card ("Choose Your Card!")
KIND_SEALED = "sealed"  # not a single card: booster, pack, box, code card, sealed product
KINDS = (KIND_SINGLE, KIND_LOT, KIND_CHOICE, KIND_SEALED)


@dataclass(slots=True)
class ParsedListing:
    """The structured reading of one listing; see the module docstring for the conventions."""

    game: str | None = None  # MTG | POKEMON | YUGIOH | OPTCG
    name: str | None = None  # card name as written (accents kept); see `normalized_name`
    set_code: str | None = None
    set_name: str | None = None
    number: str | None = None  # collector number as printed, without the "/total" part
    printed_total: str | None = None  # "165" of "199/165", "TG30" of "TG05/TG30"
    condition: str | None = None  # NM | LP | MP | HP | DMG
    finish: str | None = None  # models.sku.FINISHES
    language: str | None = None  # models.sku.LANGUAGES
    grade: Grade | None = None
    quantity: int = 1
    price: Decimal | None = None
    currency: str | None = None  # ISO 4217 (USD, EUR, GBP, JPY, ...)
    rarity: str | None = None  # the source's rarity string ("Ultra Rare", "AR", "mythic", "ScR")
    is_first_edition: bool | None = None  # None: the source does not say
    kind: str = KIND_SINGLE  # KINDS
    #: Variant words that narrow the printing: "alt art", "borderless", "showcase", "shadowless",
    #: a Dragon Shield printing such as "Surge Foil", a TCGplayer "(Extended Art)" suffix.
    variant_tags: list[str] = field(default_factory=list)
    #: Further set tokens seen in a title (codes such as "sv9a" and phrases such as
    #: "Battle Partners"); `set_code`/`set_name` hold the best one of each kind.
    set_candidates: list[str] = field(default_factory=list)
    # External identifiers.
    scryfall_id: str | None = None
    tcgplayer_id: int | None = None  # TCGplayer *product* id
    tcgplayer_sku_id: int | None = None  # TCGplayer SKU id (product + condition + printing + lang)
    cardmarket_id: int | None = None  # Cardmarket idProduct
    ygoprodeck_id: int | None = None  # Yu-Gi-Oh! passcode (YGOPRODeck id)
    #: Other ids the source gives (manabox_id, multiverse_id, mtgo_id, collx_id, deckbox_id, url).
    extra_ids: dict[str, str] = field(default_factory=dict)
    #: The original text (titles) or row dict (exports).
    raw: Any = None
    #: Facts kept for humans ("folder: Trade binder", "price is a range").
    notes: list[str] = field(default_factory=list)
    #: Things the parser could not map or found contradictory ("unknown condition 'Klingon'").
    warnings: list[str] = field(default_factory=list)
    #: SKU components the source gave but that could not be read, field -> the text:
    #: `condition` ('Sparkly', or 'NM, LP' when a title gives two), `language`, `finish`,
    #: `grade` ('SGC 9': a grader the SKU cannot carry). The matcher never guesses these into
    #: an auto-accepted SKU (docs/matching.md, the whole-SKU rule).
    unread: dict[str, str] = field(default_factory=dict)
    #: True when the game is only a guess from weak evidence (a title's `199/165` number, a
    #: Pokémon set code or rarity): the matcher may look in the other games too.
    game_is_guess: bool = False

    @property
    def normalized_name(self) -> str | None:
        """Accent- and case-blind name (`models.text.fold`)."""
        return fold(self.name) if self.name else None

    @property
    def name_key(self) -> str | None:
        """Name reduced to lower-case ASCII words for fuzzy comparison (`listing_key`)."""
        return listing_key(self.name) if self.name else None

    @property
    def number_key(self) -> str | None:
        """Collector number with the leading zeros of its numeric part removed (`number_key`)."""
        return number_key(self.number) if self.number else None

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    def mark_unread(self, component: str, text: str) -> None:
        """Record a SKU component the source gave but that could not be read."""
        self.unread.setdefault(component, " ".join(text.split()))

    def add_variant(self, tag: str) -> None:
        tag = " ".join(tag.split()).lower()
        if tag and tag not in self.variant_tags:
            self.variant_tags.append(tag)

    def add_set_candidate(self, token: str) -> None:
        token = " ".join(token.split())
        if token and token.lower() not in (c.lower() for c in self.set_candidates):
            self.set_candidates.append(token)


_LEADING_ZEROS = re.compile(r"^0+(?=\d)")


def number_key(number: str) -> str:
    """Upper-cased collector number with leading zeros dropped from a leading digit run:
    `071` -> `71`, `007a` -> `7A`, `TG05` -> `TG05`, `LOB-EN001` -> `LOB-EN001`."""
    return _LEADING_ZEROS.sub("", number.strip()).upper()
