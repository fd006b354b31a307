"""Game inference for rows of multi-game tools without a game column: the shape of a collector
number, then finishes only one game uses, then Magic rarities."""

from __future__ import annotations

import re

from matching.parsing.listing import ParsedListing
from models.text import spelling_key

#: `LOB-EN001`, `L5DD-ENC14`, `SDY-E001`. Without the region letters (`LOB-032`, the first North
#: American prints) the shape is the same as Magic's The List numbers (`C16-177`), so the
#: region-less form is only trusted where no Magic card can be (`regionless=True`).
YUGIOH_NUMBER = re.compile(
    r"^[A-Z0-9]{2,5}-(?:EN|E|AE|DE|G|FR|F|IT|I|SP|S|PT|P|JP|J|JA|KR|K|TC|SC)[A-Z]?\d{2,3}$",
    re.IGNORECASE,
)
YUGIOH_NUMBER_REGIONLESS = re.compile(r"^[A-Z][A-Z0-9]{1,4}-\d{3}$", re.IGNORECASE)
OPTCG_NUMBER = re.compile(r"^(?:(?:OP|ST|EB|PRB)\d{2}|P)-\d{3}$", re.IGNORECASE)
POKEMON_PROMO = re.compile(r"^(?:SWSH|SM|XY|BW|DP|HGSS|SVP|SV)\d{2,3}$", re.IGNORECASE)


def game_from_number(
    number: str | None, printed_total: str | None = None, *, regionless: bool = False
) -> str | None:
    """The game a collector number's shape implies, when only one game prints it."""
    if not number:
        return None
    if OPTCG_NUMBER.match(number):
        return "OPTCG"
    if any(ch.isalpha() for ch in number.split("-")[0]) and (
        YUGIOH_NUMBER.match(number) or (regionless and YUGIOH_NUMBER_REGIONLESS.match(number))
    ):
        return "YUGIOH"
    if printed_total or POKEMON_PROMO.match(number):
        return "POKEMON"
    return None


_MTG_RARITIES = {"mythic", "mythicrare", "land", "basicland", "token", "timeshifted"}


def infer_game(listing: ParsedListing) -> str | None:
    """Best guess for rows of multi-game tools without a game column (TCGplayer app export,
    Cardmarket): number shape, then finishes only one game uses, then MTG rarities."""
    game = game_from_number(listing.number, listing.printed_total)
    if game:
        return game
    if listing.finish in ("HOLO", "REVERSE_HOLO", "1ST_HOLO", "UNLIMITED_HOLO"):
        return "POKEMON"
    if listing.finish in ("ETCHED", "GLOSSY"):
        return "MTG"
    if listing.rarity and spelling_key(listing.rarity) in _MTG_RARITIES:
        return "MTG"
    return None
