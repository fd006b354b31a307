"""Per-tool hooks: what is peculiar to one tool's export, run by `map_row` after the shared
column map (Cardmarket's integer languages, CollX's sports cards, Dragon Shield's Yu-Gi-Oh!
rows...). Each takes the listing and its row and returns an error message or None."""

from __future__ import annotations

import re

from matching.formats.games import YUGIOH_NUMBER, game_from_number, infer_game
from matching.formats.spec import Row
from matching.parsing import spellings, vocab
from matching.parsing.listing import ParsedListing
from matching.parsing.values import split_name_variant
from models.text import spelling_key


def tcgplayer_app(listing: ParsedListing, row: Row) -> None:
    if listing.game is None:
        listing.game = infer_game(listing)
        if listing.game is None and listing.finish in ("NORMAL", "FOIL"):
            # Normal/Foil with a plain number: Pokémon numbers carry a total, Yu-Gi-Oh! rows an
            # edition, One Piece numbers a set prefix, so this is a Magic row.
            listing.game = "MTG"
        if listing.game:
            listing.note("game inferred from number/printing/rarity (no game column)")


def tcgplayer_pricing(listing: ParsedListing, row: Row) -> None:
    # Pokémon product names end with the number: "Charizard ex - 199/165".
    if listing.name and " - " in listing.name:
        base, _, tail = listing.name.rpartition(" - ")
        if tail.split("/")[0].strip() == (listing.number or "").strip():
            listing.name = base.strip()
    if listing.game is None:
        listing.game = infer_game(listing)
    if listing.game == "YUGIOH" and listing.number and listing.set_code is None:
        listing.set_code = listing.number.split("-")[0]


def moxfield(listing: ParsedListing, row: Row) -> None:
    if vocab.parse_flag(row.get("alter")):
        listing.add_variant("altered")
    if vocab.parse_flag(row.get("proxy")):
        listing.add_variant("proxy")
        listing.warn("marked as a proxy")


_DECKBOX_FLAGS = ("signed", "artistproof", "alteredart", "misprint", "promo", "textless")


def deckbox(listing: ParsedListing, row: Row) -> None:
    for flag in _DECKBOX_FLAGS:
        if vocab.parse_flag(row.get(flag)):
            listing.add_variant(
                {"alteredart": "altered", "artistproof": "artist proof"}.get(flag, flag)
            )
    if listing.set_code and listing.set_code.lower().startswith("ex_"):
        listing.note(f"Deckbox-internal set code {listing.set_code!r} (extras/tokens)")


def dragonshield(listing: ParsedListing, row: Row) -> None:
    number = listing.number or ""
    if YUGIOH_NUMBER.match(number) or (row.has("rarity") and listing.is_first_edition is not None):
        listing.game = "YUGIOH"
        if listing.set_code is None and "-" in number:
            listing.set_code = number.split("-")[0]
    if listing.game == "YUGIOH" and listing.finish in ("NORMAL", "FOIL"):
        listing.finish = (
            None  # Yu-Gi-Oh! rows carry the edition in Printing; "Normal" is no edition
        )


def cardmarket(listing: ParsedListing, row: Row) -> str | None:
    language_id = row.get("idlanguage")
    if language_id:
        listing.language = spellings.CARDMARKET_LANGUAGES.get(language_id)
        if listing.language is None:
            listing.warn(f"unknown Cardmarket idLanguage {language_id!r}")
    foil = vocab.parse_flag(row.get("isfoil"))
    reverse = vocab.parse_flag(row.get("isreverseholo"))
    first = vocab.parse_flag(row.get("isfirsted"))
    listing.finish = "REVERSE_HOLO" if reverse else "FOIL" if foil else "NORMAL"
    if first:
        listing.is_first_edition = True
        listing.finish = vocab.combine_finish(listing.finish, spellings.FIRST)
    for flag, tag in (("issigned", "signed"), ("isaltered", "altered"), ("isfullart", "full art")):
        if vocab.parse_flag(row.get(flag)):
            listing.add_variant(tag)
    if vocab.parse_flag(row.get("isplayset")):
        listing.quantity *= 4
        listing.note("playset: quantity is groupCount x 4")
    if listing.game is None and reverse:
        listing.game = "POKEMON"
    return None


def mtgo(listing: ParsedListing, row: Row) -> None:
    premium = vocab.parse_flag(row.get("premium"))
    if premium is not None:
        listing.finish = spellings.FOIL if premium else spellings.NORMAL
    if listing.set_code:
        listing.note("MTGO set code (may differ from Scryfall's, e.g. MI = MIR)")


def mtggoldfish(listing: ParsedListing, row: Row) -> None:
    if (variation := row.get("variation")) is not None:
        listing.add_variant(f"variation {variation}")


_YEAR_SET = re.compile(r"^(?:19|20)\d{2}\b")
_POKEMON_SET = re.compile(
    r"^(?:SV|SWSH|SM|XY|BW|DP|HGSS)\d*\s*(?::|-|\s)|pok[eé]mon|trick or trade|mcdonald's promos \d",
    re.IGNORECASE,
)
_POKEMON_RARITIES = {
    "holorare",
    "rareholo",
    "doublerare",
    "ultrarare",
    "secretrare",
    "illustrationrare",
    "specialillustrationrare",
    "radiantrare",
    "amazingrare",
    "hyperrare",
    "acespec",
}
_MTG_FLAGS = {
    "common",
    "uncommon",
    "rare",
    "mythic",
    "mythicrare",
    "land",
    "basicland",
    "special",
    "token",
    "promo",
    "timeshifted",
}
_YUGIOH_FLAGS = {"commonshortprint", "shortprint", "superrare", "secretrare", "ultrarare"}
_SPORTS_FLAGS = {"rc", "au", "mem", "sp", "ssp", "ref", "sn"}


def collx_game(row: Row, listing: ParsedListing) -> tuple[str | None, str | None]:
    """(game, reason it is not a TCG card) for a CollX row, which has no game column.

    Signals, strongest first: a team or brand (sports cards) or a set named with a year
    ("1990 Pro Set") -> not TCG; a Yu-Gi-Oh!/One Piece number shape; a Pokémon number
    (`66/82`, `SWSH010`), set name (`SV03: ...`, `SM - ...`) or rarity (`Holo Rare`);
    finally a Magic rarity flag (`Common`, `Uncommon`, `Rare`, `Mythic`, `Land`...)."""
    team, brand, set_name = row.get("team"), row.get("brand"), row.get("set") or ""
    flags = spelling_key(row.get("flags") or "")
    if team:
        return None, f"sports card (team {team!r})"
    if brand:
        return None, f"brand {brand!r}"
    by_number = game_from_number(listing.number, listing.printed_total, regionless=True)
    if by_number in ("YUGIOH", "OPTCG"):  # before the year test: "2022 Tin of the Pharaoh's Gods"
        return by_number, None
    if _YEAR_SET.match(set_name):
        return None, f"dated non-TCG set {set_name!r}"
    if by_number:
        return by_number, None
    if _POKEMON_SET.search(set_name) or flags in _POKEMON_RARITIES:
        return "POKEMON", None
    if flags in _YUGIOH_FLAGS and listing.number and "-" in listing.number:
        return "YUGIOH", None
    if flags in _MTG_FLAGS or flags.startswith("mythic"):
        return "MTG", None
    if flags in _SPORTS_FLAGS or flags.startswith("sn"):
        return None, f"sports card (flags {row.get('flags')!r})"
    return None, "no TCG set, number or rarity"


def collx(listing: ParsedListing, row: Row) -> str | None:
    if not listing.name:
        return "no card name or identifier (an unidentified CollX scan)"
    if listing.number and listing.number.upper() == "NNO":
        listing.number = None  # "no number"
    if listing.name:
        base, tag = split_name_variant(listing.name)
        if tag:
            listing.name = base
            listing.add_variant(tag)
    game, reason = collx_game(row, listing)
    listing.game = game
    if reason:
        return f"not a TCG card: {reason}"
    if game == "YUGIOH" and listing.number:
        listing.set_code = listing.number.split("-")[0]
    return None


def ygo_collection(listing: ParsedListing, row: Row) -> None:
    code = listing.number
    if code and "-" in code:
        prefix, rest = code.split("-", 1)
        listing.set_code = prefix.upper()
        region = re.match(r"[A-Z]+", rest.upper())
        if region:
            region_code = region.group(0)
            for cut in (2, 1):  # "ENC14" -> EN, "E001" -> E
                if region_code[:cut] in spellings.YUGIOH_REGIONS and len(rest) > cut:
                    listing.language = spellings.YUGIOH_REGIONS[region_code[:cut]]
                    break
    if listing.rarity and "\n" in listing.rarity:
        rarities = [r.strip() for r in listing.rarity.splitlines() if r.strip()]
        listing.rarity = rarities[0] if rarities else None
        listing.note(f"several rarities listed: {', '.join(rarities)}")
    if listing.finish == "NORMAL":
        listing.finish = None


def titles(listing: ParsedListing, row: Row) -> str | None:
    if not row.get("title"):
        return "empty title"
    return None


def generic(listing: ParsedListing, row: Row) -> None:
    if listing.game is None:
        listing.game = infer_game(listing)
    if listing.game == "POKEMON" and listing.finish == "FOIL":
        listing.finish = "HOLO"
        listing.note("foil read as holo (Pokémon)")
