"""The export formats: how each tool's columns map to `ParsedListing`.

A `FormatSpec` names the tool's *signature* (header columns that must all be present for the
format to be detected) and a column map from listing fields to the tool's column names. The
shared `map_row` reads those columns with the vocabulary of the spec's tool
(`vocab.TOOL_VOCABULARIES`: its condition, language and finish words; blank foil meaning non-foil,
default game); a per-format `hook` handles what is peculiar to one tool
(Cardmarket's integer languages, CollX's sports cards, Dragon Shield's Yu-Gi-Oh! rows...).

Header names are compared by `header_key`: lower-case letters and digits only, so `Folder
Name`, `FolderName` and `FOLDER NAME` are one column.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from matching.parsing import vocab
from matching.parsing.listing import ParsedListing
from matching.parsing.title import parse_title
from matching.parsing.values import (
    parse_int_id,
    parse_price,
    parse_quantity,
    parse_uuid,
    split_name_variant,
    split_number,
)

_HEADER_DROP = re.compile(r"[^a-z0-9]+")


def header_key(name: str) -> str:
    """`Folder Name` -> `foldername`, `ID #` -> `id`, `\ufeffCount` -> `count`."""
    return _HEADER_DROP.sub("", name.lower())


class Row:
    """One record, addressed by header key; values are stripped, blank -> None."""

    def __init__(self, values: Mapping[str, str | None]) -> None:
        self._values = values

    def get(self, *keys: str) -> str | None:
        for key in keys:
            value = self._values.get(key)
            if value is not None and value.strip():
                return value.strip()
        return None

    def has(self, key: str) -> bool:
        return key in self._values


Hook = Callable[[ParsedListing, Row], str | None]  # returns an error message or None

#: Listing fields a column map may name (besides `note:<label>` and `id:<name>`).
FIELDS = (
    "name", "name_variant", "title", "set_code", "set_name", "number", "printed_total",
    "condition", "printing", "foil", "finish", "edition", "language", "quantity", "price",
    "currency", "rarity", "scryfall_id", "tcgplayer_id", "tcgplayer_sku_id", "cardmarket_id",
    "ygoprodeck_id", "game", "grade", "grader",
)  # fmt: skip


@dataclass(frozen=True)
class FormatSpec:
    name: str
    tool: str  # human description
    signature: frozenset[str]  # header keys that must all be present
    columns: dict[str, tuple[str, ...]]  # field -> header keys, first non-blank wins
    game: str | None = None  # the game of every row (MTG-only tools)
    vocabulary: str = "tcgplayer"  # the tool whose words the columns hold (TOOL_VOCABULARIES)
    blank_foil_is_normal: bool = False  # an empty foil column means non-foil
    currency: str | None = None  # currency of price columns that carry no symbol
    hook: Hook | None = None
    container: str = "csv"  # "csv" | "json"
    notes: tuple[str, ...] = field(default_factory=tuple)

    def matches(self, keys: set[str]) -> bool:
        return self.signature <= keys


def _k(*names: str) -> tuple[str, ...]:
    return tuple(header_key(n) for n in names)


def _spec(
    name: str, tool: str, signature: tuple[str, ...], columns: dict[str, tuple[str, ...]], **kw
) -> FormatSpec:
    keyed = {fld: _k(*cols) for fld, cols in columns.items()}
    unknown = [f for f in keyed if f not in FIELDS and not f.startswith(("note:", "id:"))]
    if unknown:
        raise ValueError(f"{name}: unknown fields {unknown}")
    return FormatSpec(name, tool, frozenset(_k(*signature)), keyed, **kw)


# --------------------------------------------------------------------------- row mapping


def _apply_printing(listing: ParsedListing, printing: vocab.Printing) -> None:
    if printing.finish and listing.finish is None:
        listing.finish = printing.finish
    if printing.first_edition is not None and listing.is_first_edition is None:
        listing.is_first_edition = printing.first_edition
    if printing.detail:
        listing.add_variant(printing.detail)


def map_row(spec: FormatSpec, row: Row, listing: ParsedListing) -> str | None:
    """Fill `listing` from `row` by the spec's column map; returns an error or None."""
    cols = spec.columns

    def get(fld: str) -> str | None:
        return row.get(*cols[fld]) if fld in cols else None

    error: str | None = None
    if (title := get("title")) is not None:
        parsed = parse_title(title, game_hint=spec.game)
        for attr in (f.name for f in dataclasses.fields(ParsedListing)):
            if attr not in ("raw", "quantity", "price", "currency"):
                setattr(listing, attr, getattr(parsed, attr))
        if parsed.quantity != 1:
            listing.quantity = parsed.quantity
    listing.game = listing.game or spec.game
    if (game_text := get("game")) is not None:
        game = vocab.parse_game(game_text)
        if game is None:
            error = f"not a supported game ({game_text!r})"
        listing.game = game
        if "japan" in game_text.lower():
            listing.language = "JP"

    name = get("name")
    full_name = get("name_variant")
    if full_name:
        base, tag = split_name_variant(full_name)
        if tag:
            listing.add_variant(tag)
        name = name or base
    if name:
        listing.name = name
    listing.set_code = get("set_code") or listing.set_code
    listing.set_name = get("set_name") or listing.set_name
    number, total = split_number(get("number"))
    if number:
        listing.number, listing.printed_total = number, total or get("printed_total")
    listing.rarity = get("rarity") or listing.rarity

    condition_text = get("condition")
    if condition_text:
        reading = vocab.parse_condition_text(condition_text, tool=spec.vocabulary)
        listing.condition = reading.condition
        if reading.condition is None:
            listing.warn(f"unknown condition {condition_text!r}")
            listing.mark_unread("condition", condition_text)
        elif reading.detail:
            listing.warn(f"condition {condition_text!r}: {reading.detail!r} not understood")
        if reading.finish:
            listing.finish = reading.finish
        if reading.first_edition is not None:
            listing.is_first_edition = reading.first_edition
        if reading.language:
            listing.language = reading.language

    for fld in ("printing", "finish", "foil", "edition"):
        if fld not in cols:
            continue
        text = get(fld)
        if text is None:
            blank_column = any(row.has(key) for key in cols[fld])  # not a column the file lacks
            if fld in ("foil", "finish") and spec.blank_foil_is_normal and blank_column:
                listing.finish = listing.finish or vocab.NORMAL
            continue
        printing = vocab.parse_printing(text, tool=spec.vocabulary)
        if printing is None and fld == "foil":
            flag = vocab.parse_flag(text)
            printing = (
                vocab.Printing({True: vocab.FOIL, False: vocab.NORMAL}[flag])
                if (flag is not None)
                else None
            )
        if printing is None:
            listing.warn(f"unknown {fld} {text!r}")
            listing.mark_unread("finish", text)
            continue
        _apply_printing(listing, printing)

    language_text = get("language")
    if language_text:
        language = vocab.parse_language(language_text, tool=spec.vocabulary)
        if language is None:
            listing.warn(f"unknown language {language_text!r}")
            listing.mark_unread("language", language_text)
        else:
            listing.language = language

    if "quantity" in cols:
        quantity = parse_quantity(get("quantity"))
        if quantity.error:
            error = quantity.error
        elif quantity.quantity is not None:
            listing.quantity = quantity.quantity
        if quantity.warning:
            listing.warn(quantity.warning)

    price_text = get("price")
    if price_text:
        price = parse_price(price_text, currency=get("currency") or spec.currency)
        if price.amount:  # 0.00 is "no price set" in every tool that writes it
            listing.price, listing.currency = price.amount, price.currency
        if price.warning:
            listing.warn(price.warning)

    if (grade_text := get("grade")) is not None:
        _read_grade_columns(listing, grade_text, get("grader"))

    scryfall = get("scryfall_id")
    if scryfall:
        listing.scryfall_id = parse_uuid(scryfall)
        if listing.scryfall_id is None:
            listing.warn(f"malformed Scryfall id {scryfall!r}")
    for fld in ("tcgplayer_id", "tcgplayer_sku_id", "cardmarket_id", "ygoprodeck_id"):
        if (value := get(fld)) is not None:
            setattr(listing, fld, parse_int_id(value))
    for fld, keys in cols.items():
        if fld.startswith("id:") and (value := row.get(*keys)):
            listing.extra_ids[fld[3:]] = value
        elif fld.startswith("note:") and (value := row.get(*keys)):
            listing.note(f"{fld[5:]}: {value}")

    if spec.hook is not None:
        error = spec.hook(listing, row) or error
    if error is None and not _identifiable(listing) and "title" not in cols:
        error = "no card name or identifier"
    return error


def _read_grade_columns(listing: ParsedListing, grade_text: str, grader: str | None) -> None:
    """A grade column (`PSA 10`, `BGS 9.5`), or a grade (`10`) beside a grader column (`PSA`).
    A grade the SKU cannot carry (another grader, no grader) is recorded as unread."""
    if vocab.vocab_key(grade_text) in vocab.UNGRADED_WORDS:
        return
    text = f"{grader} {grade_text}" if grader and grader not in grade_text else grade_text
    reading = vocab.parse_grade(text)
    if reading and reading.grade:
        listing.grade = reading.grade
        return
    listing.warn(f"grade {text!r} not usable")
    listing.mark_unread("grade", text)


def _identifiable(listing: ParsedListing) -> bool:
    return bool(
        listing.name
        or listing.scryfall_id
        or listing.tcgplayer_id
        or listing.tcgplayer_sku_id
        or listing.cardmarket_id
        or listing.ygoprodeck_id
        or (listing.number and (listing.set_code or listing.set_name))
    )


# --------------------------------------------------------------------------- game inference

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
    if listing.rarity and vocab.vocab_key(listing.rarity) in _MTG_RARITIES:
        return "MTG"
    return None


# --------------------------------------------------------------------------- per-tool hooks


def _hook_tcgplayer_app(listing: ParsedListing, row: Row) -> None:
    if listing.game is None:
        listing.game = infer_game(listing)
        if listing.game is None and listing.finish in ("NORMAL", "FOIL"):
            # Normal/Foil with a plain number: Pokémon numbers carry a total, Yu-Gi-Oh! rows an
            # edition, One Piece numbers a set prefix, so this is a Magic row.
            listing.game = "MTG"
        if listing.game:
            listing.note("game inferred from number/printing/rarity (no game column)")
    return None


def _hook_tcgplayer_pricing(listing: ParsedListing, row: Row) -> None:
    # Pokémon product names end with the number: "Charizard ex - 199/165".
    if listing.name and " - " in listing.name:
        base, _, tail = listing.name.rpartition(" - ")
        if tail.split("/")[0].strip() == (listing.number or "").strip():
            listing.name = base.strip()
    if listing.game is None:
        listing.game = infer_game(listing)
    if listing.game == "YUGIOH" and listing.number and listing.set_code is None:
        listing.set_code = listing.number.split("-")[0]
    return None


def _hook_moxfield(listing: ParsedListing, row: Row) -> None:
    if vocab.parse_flag(row.get("alter")):
        listing.add_variant("altered")
    if vocab.parse_flag(row.get("proxy")):
        listing.add_variant("proxy")
        listing.warn("marked as a proxy")
    return None


_DECKBOX_FLAGS = ("signed", "artistproof", "alteredart", "misprint", "promo", "textless")


def _hook_deckbox(listing: ParsedListing, row: Row) -> None:
    for flag in _DECKBOX_FLAGS:
        if vocab.parse_flag(row.get(flag)):
            listing.add_variant(
                {"alteredart": "altered", "artistproof": "artist proof"}.get(flag, flag)
            )
    if listing.set_code and listing.set_code.lower().startswith("ex_"):
        listing.note(f"Deckbox-internal set code {listing.set_code!r} (extras/tokens)")
    return None


def _hook_dragonshield(listing: ParsedListing, row: Row) -> None:
    number = listing.number or ""
    if YUGIOH_NUMBER.match(number) or (row.has("rarity") and listing.is_first_edition is not None):
        listing.game = "YUGIOH"
        if listing.set_code is None and "-" in number:
            listing.set_code = number.split("-")[0]
    if listing.game == "YUGIOH" and listing.finish in ("NORMAL", "FOIL"):
        listing.finish = (
            None  # Yu-Gi-Oh! rows carry the edition in Printing; "Normal" is no edition
        )
    return None


def _hook_cardmarket(listing: ParsedListing, row: Row) -> str | None:
    language_id = row.get("idlanguage")
    if language_id:
        listing.language = vocab.CARDMARKET_LANGUAGES.get(language_id)
        if listing.language is None:
            listing.warn(f"unknown Cardmarket idLanguage {language_id!r}")
    foil = vocab.parse_flag(row.get("isfoil"))
    reverse = vocab.parse_flag(row.get("isreverseholo"))
    first = vocab.parse_flag(row.get("isfirsted"))
    listing.finish = "REVERSE_HOLO" if reverse else "FOIL" if foil else "NORMAL"
    if first:
        listing.is_first_edition = True
        listing.finish = vocab.combine_finish(listing.finish, vocab.FIRST)
    for flag, tag in (("issigned", "signed"), ("isaltered", "altered"), ("isfullart", "full art")):
        if vocab.parse_flag(row.get(flag)):
            listing.add_variant(tag)
    if vocab.parse_flag(row.get("isplayset")):
        listing.quantity *= 4
        listing.note("playset: quantity is groupCount x 4")
    if listing.game is None and reverse:
        listing.game = "POKEMON"
    return None


def _hook_mtgo(listing: ParsedListing, row: Row) -> None:
    premium = vocab.parse_flag(row.get("premium"))
    if premium is not None:
        listing.finish = vocab.FOIL if premium else vocab.NORMAL
    if listing.set_code:
        listing.note("MTGO set code (may differ from Scryfall's, e.g. MI = MIR)")
    return None


def _hook_mtggoldfish(listing: ParsedListing, row: Row) -> None:
    if (variation := row.get("variation")) is not None:
        listing.add_variant(f"variation {variation}")
    return None


_YEAR_SET = re.compile(r"^(?:19|20)\d{2}\b")
_POKEMON_SET = re.compile(
    r"^(?:SV|SWSH|SM|XY|BW|DP|HGSS)\d*\s*(?::|-|\s)|pok[eé]mon|trick or trade|mcdonald's promos \d",
    re.IGNORECASE,
)
_POKEMON_RARITIES = {
    "holorare", "rareholo", "doublerare", "ultrarare", "secretrare", "illustrationrare",
    "specialillustrationrare", "radiantrare", "amazingrare", "hyperrare", "aceSpec".lower(),
}  # fmt: skip
_MTG_FLAGS = {
    "common", "uncommon", "rare", "mythic", "mythicrare", "land", "basicland", "special", "token",
    "promo", "timeshifted",
}  # fmt: skip
_YUGIOH_FLAGS = {"commonshortprint", "shortprint", "superrare", "secretrare", "ultrarare"}
_SPORTS_FLAGS = {"rc", "au", "mem", "sp", "ssp", "ref", "sn"}


def collx_game(row: Row, listing: ParsedListing) -> tuple[str | None, str | None]:
    """(game, reason it is not a TCG card) for a CollX row, which has no game column.

    Signals, strongest first: a team or brand (sports cards) or a set named with a year
    ("1990 Pro Set") -> not TCG; a Yu-Gi-Oh!/One Piece number shape; a Pokémon number
    (`66/82`, `SWSH010`), set name (`SV03: ...`, `SM - ...`) or rarity (`Holo Rare`);
    finally a Magic rarity flag (`Common`, `Uncommon`, `Rare`, `Mythic`, `Land`...)."""
    team, brand, set_name = row.get("team"), row.get("brand"), row.get("set") or ""
    flags = vocab.vocab_key(row.get("flags") or "")
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


def _hook_collx(listing: ParsedListing, row: Row) -> str | None:
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


def _hook_ygo_collection(listing: ParsedListing, row: Row) -> None:
    code = listing.number
    if code and "-" in code:
        prefix, rest = code.split("-", 1)
        listing.set_code = prefix.upper()
        region = re.match(r"[A-Z]+", rest.upper())
        if region:
            region_code = region.group(0)
            for cut in (2, 1):  # "ENC14" -> EN, "E001" -> E
                if region_code[:cut] in vocab.YUGIOH_REGIONS and len(rest) > cut:
                    listing.language = vocab.YUGIOH_REGIONS[region_code[:cut]]
                    break
    if listing.rarity and "\n" in listing.rarity:
        rarities = [r.strip() for r in listing.rarity.splitlines() if r.strip()]
        listing.rarity = rarities[0] if rarities else None
        listing.note(f"several rarities listed: {', '.join(rarities)}")
    if listing.finish == "NORMAL":
        listing.finish = None
    return None


def _hook_titles(listing: ParsedListing, row: Row) -> str | None:
    if not row.get("title"):
        return "empty title"
    return None


# --------------------------------------------------------------------------- the formats

FORMATS: tuple[FormatSpec, ...] = (
    _spec(
        "tcgplayer",
        "TCGplayer app collection export (old and new share the header; no game column)",
        ("Quantity", "Name", "Simple Name", "Set Code", "Printing", "Product ID"),
        {
            "quantity": ("Quantity",),
            "name": ("Simple Name",),
            "name_variant": ("Name",),
            "set_name": ("Set",),
            "number": ("Card Number",),
            "set_code": ("Set Code",),
            "printing": ("Printing",),
            "condition": ("Condition",),
            "language": ("Language",),
            "rarity": ("Rarity",),
            "tcgplayer_id": ("Product ID",),
            "tcgplayer_sku_id": ("SKU",),
        },  # fmt: skip
        hook=_hook_tcgplayer_app,
    ),
    _spec(
        "tcgplayer_pricing",
        "TCGplayer seller inventory (My Pricing) export; Product Line is the game",
        ("TCGplayer Id", "Product Line", "Product Name"),
        {
            "tcgplayer_sku_id": ("TCGplayer Id",),
            "tcgplayer_id": ("Product ID",),
            "game": ("Product Line",),
            "set_name": ("Set Name",),
            "name_variant": ("Product Name",),
            "number": ("Number",),
            "rarity": ("Rarity",),
            "condition": ("Condition",),
            "printing": ("Printing",),
            "quantity": ("Total Quantity", "Add to Quantity"),
            "price": ("TCG Marketplace Price",),
            "note:title": ("Title",),
        },  # fmt: skip
        currency="USD",
        hook=_hook_tcgplayer_pricing,
    ),
    _spec(
        "manabox",
        "ManaBox collection export (MTG)",
        ("Name", "Set code", "Set name", "Collector number", "Foil", "Quantity"),
        {
            "name": ("Name",),
            "set_code": ("Set code",),
            "set_name": ("Set name",),
            "number": ("Collector number",),
            "foil": ("Foil",),
            "rarity": ("Rarity",),
            "quantity": ("Quantity",),
            "scryfall_id": ("Scryfall ID",),
            "price": ("Purchase price",),
            "currency": ("Purchase price currency",),
            "condition": ("Condition",),
            "language": ("Language",),
            "id:manabox_id": ("ManaBox ID",),
            "note:binder": ("Binder Name",),
        },  # fmt: skip
        game="MTG",
        vocabulary="manabox",
        blank_foil_is_normal=True,
    ),
    _spec(
        "deckbox",
        "Deckbox inventory export (MTG)",
        ("Count", "Name", "Edition", "Edition Code", "Card Number"),
        {
            "quantity": ("Count",),
            "name": ("Name",),
            "set_name": ("Edition",),
            "set_code": ("Edition Code",),
            "number": ("Card Number",),
            "condition": ("Condition",),
            "language": ("Language",),
            "foil": ("Foil",),
            "price": ("My Price",),
            "rarity": ("Rarity",),
            "tcgplayer_id": ("TcgPlayer ID",),
            "scryfall_id": ("Scryfall ID",),
            "id:deckbox_printing_id": ("Printing Id",),
            "note:printing note": ("Printing Note",),
        },  # fmt: skip
        game="MTG",
        vocabulary="deckbox",
        blank_foil_is_normal=True,
        hook=_hook_deckbox,
    ),
    _spec(
        "moxfield",
        "Moxfield collection / binder export (MTG)",
        ("Count", "Name", "Edition"),
        {
            "quantity": ("Count",),
            "name": ("Name",),
            "set_code": ("Edition",),
            "condition": ("Condition",),
            "language": ("Language",),
            "foil": ("Foil",),
            "number": ("Collector Number",),
            "price": ("Purchase Price",),
            "note:tags": ("Tags",),
        },  # fmt: skip
        game="MTG",
        vocabulary="moxfield",
        blank_foil_is_normal=True,
        hook=_hook_moxfield,
    ),
    _spec(
        "dragonshield",
        "Dragon Shield Card Manager export (MTG; Yu-Gi-Oh! when numbers are LOB-EN001-shaped)",
        ("Quantity", "Trade Quantity", "Card Name", "Set Code", "Card Number", "Printing"),
        {
            "quantity": ("Quantity",),
            "name": ("Card Name",),
            "set_code": ("Set Code",),
            "set_name": ("Set Name",),
            "number": ("Card Number",),
            "rarity": ("Rarity",),
            "condition": ("Condition",),
            "printing": ("Printing",),
            "language": ("Language",),
            "price": ("Price Bought",),
            "note:folder": ("Folder Name",),
        },  # fmt: skip
        game="MTG",
        vocabulary="dragonshield",
        hook=_hook_dragonshield,
    ),
    _spec(
        "archidekt",
        "Archidekt collection export (MTG)",
        ("Quantity", "Name", "Finish", "Edition Name", "Edition Code", "Collector Number"),
        {
            "quantity": ("Quantity",),
            "name": ("Name",),
            "finish": ("Finish",),
            "condition": ("Condition",),
            "language": ("Language",),
            "price": ("Purchase Price",),
            "set_name": ("Edition Name",),
            "set_code": ("Edition Code",),
            "scryfall_id": ("Scryfall ID",),
            "number": ("Collector Number",),
            "id:multiverse_id": ("Multiverse Id",),
            "note:tags": ("Tags",),
        },  # fmt: skip
        game="MTG",
        vocabulary="archidekt",
        blank_foil_is_normal=True,
    ),
    _spec(
        "topdecked",
        "TopDecked collection export (MTG)",
        ("QUANTITY", "NAME", "SETCODE", "SETNAME", "COLLECTOR NUMBER", "FINISH", "LANG"),
        {
            "quantity": ("QUANTITY",),
            "name": ("NAME",),
            "set_code": ("SETCODE",),
            "set_name": ("SETNAME",),
            "number": ("COLLECTOR NUMBER",),
            "finish": ("FINISH",),
            "price": ("PRICE SALE", "ACQUIRED PRICE"),
            "rarity": ("RARITY",),
            "scryfall_id": ("ID",),
            "language": ("LANG",),
            "condition": ("CONDITION",),
            "note:notes": ("NOTES",),
            "note:tags": ("TAGS",),
        },  # fmt: skip
        game="MTG",
        vocabulary="topdecked",
        blank_foil_is_normal=True,
    ),
    _spec(
        "mtggoldfish",
        "MTGGoldfish collection export (MTG; the MTG Arena variant has only the first five)",
        ("Card", "Set ID", "Set Name", "Quantity", "Foil"),
        {
            "name": ("Card",),
            "set_code": ("Set ID",),
            "set_name": ("Set Name",),
            "quantity": ("Quantity",),
            "foil": ("Foil",),
            "number": ("Collector Number",),
            "scryfall_id": ("Scryfall ID",),
        },  # fmt: skip
        game="MTG",
        vocabulary="mtggoldfish",
        blank_foil_is_normal=True,
        hook=_hook_mtggoldfish,
    ),
    _spec(
        "mtgo",
        "Magic Online collection export (.csv)",
        ("Card Name", "Quantity", "ID #", "Set", "Premium"),
        {
            "name": ("Card Name",),
            "quantity": ("Quantity",),
            "id:mtgo_id": ("ID #",),
            "rarity": ("Rarity",),
            "set_code": ("Set",),
            "number": ("Collector #",),
        },  # fmt: skip
        game="MTG",
        hook=_hook_mtgo,
    ),
    _spec(
        "cardkingdom",
        "Card Kingdom buylist/deck CSV (MTG)",
        ("title", "edition", "foil", "quantity"),
        {
            "name": ("title",),
            "set_name": ("edition",),
            "foil": ("foil",),
            "quantity": ("quantity",),
        },  # fmt: skip
        game="MTG",
        blank_foil_is_normal=True,
    ),
    _spec(
        "cardmarket",
        "Cardmarket stock export (semicolons; product id only, no name)",
        ("idProduct", "groupCount", "idLanguage", "condition", "isFoil"),
        {
            "cardmarket_id": ("idProduct",),
            "quantity": ("groupCount",),
            "price": ("price",),
            "condition": ("condition",),
        },  # fmt: skip
        vocabulary="cardmarket",
        currency="EUR",
        hook=_hook_cardmarket,
    ),
    _spec(
        "collx",
        "CollX export (mixed sports and TCG cards, no game column)",
        ("collx_id", "name", "team", "brand", "set", "flags"),
        {
            "name": ("name",),
            "number": ("number",),
            "set_name": ("set",),
            "rarity": ("flags",),
            "condition": ("condition",),
            "price": ("asking_price",),
            "id:collx_id": ("collx_id",),
            "note:notes": ("notes",),
        },  # fmt: skip
        vocabulary="collx",
        currency="USD",
        hook=_hook_collx,
    ),
    _spec(
        "ygo_collection",
        "Yu-Gi-Oh! collection JSON (a list of objects with Name, Code, Set, Rarity, Edition, ID)",
        ("Name", "Code", "Set", "Rarity", "Edition"),
        {
            "name": ("Name",),
            "number": ("Code",),
            "set_name": ("Set",),
            "rarity": ("Rarity",),
            "edition": ("Edition",),
            "ygoprodeck_id": ("ID",),
            "price": ("Price",),
            "note:deck": ("In Deck",),
        },  # fmt: skip
        game="YUGIOH",
        hook=_hook_ygo_collection,
        container="json",
    ),
    _spec(
        "titles",
        "Listing titles (eBay search results: Title, Price, Link); each title -> parse_title",
        ("Title",),
        {"title": ("Title",), "price": ("Price",), "id:url": ("Link", "URL")},
        vocabulary="ebay",
        hook=_hook_titles,
    ),
)

FORMATS_BY_NAME = {spec.name: spec for spec in FORMATS}


def detect_format(header: list[str], *, container: str = "csv") -> FormatSpec | None:
    """The format whose signature the header holds; the largest signature wins (Deckbox's
    holds Moxfield's, Card Kingdom's holds the titles one)."""
    keys = {header_key(h) for h in header}
    found = [s for s in FORMATS if s.container == container and s.matches(keys)]
    return max(found, key=lambda s: len(s.signature), default=None)


def generic_spec(
    mapping: Mapping[str, str],
    *,
    game: str | None = None,
    vocabulary: str = "tcgplayer",
    base: FormatSpec | None = None,
) -> FormatSpec:
    """A spec from a caller's column mapping, `{"name": "Card", "set_code": "Set", ...}`
    (listing field -> header name). On top of `base` when given (its columns are overridden)."""
    columns = dict(base.columns) if base else {}
    for fld, column in mapping.items():
        if fld not in FIELDS and not fld.startswith(("note:", "id:")):
            raise ValueError(
                f"unknown listing field {fld!r} in mapping; known: {', '.join(FIELDS)}"
            )
        columns[fld] = (header_key(column),)
    if base is not None:
        return FormatSpec(
            base.name, base.tool, base.signature, columns, base.game or game,
            base.vocabulary, base.blank_foil_is_normal, base.currency, base.hook,
            base.container,
        )  # fmt: skip
    return FormatSpec(
        "generic",
        "CSV with a caller-supplied column mapping",
        frozenset(),
        columns,
        game=game,
        vocabulary=vocabulary,
        hook=_hook_generic,
    )


def _hook_generic(listing: ParsedListing, row: Row) -> None:
    if listing.game is None:
        listing.game = infer_game(listing)
    if listing.game == "POKEMON" and listing.finish == "FOIL":
        listing.finish = "HOLO"
        listing.note("foil read as holo (Pokémon)")
    return None
