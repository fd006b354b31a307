"""Pure normalisation of one Scryfall card object (see docs/sources-mtg-pokemon.md)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from etl.records import NormalizedCard, PrintRecord, QuarantineError, SetRecord
from etl.sources.values import as_dict, as_int, as_list, as_str_list, as_text
from models.sku import LANGUAGES, SkuError, encode_token, number_token

GAME = "MTG"

#: Scryfall `lang` -> SKU language. `px` is the code Scryfall used for Phyrexian before `ph`.
LANGUAGE_MAP = {
    "en": "EN",
    "ja": "JP",
    "de": "DE",
    "fr": "FR",
    "it": "IT",
    "es": "ES",
    "pt": "PT",
    "ko": "KO",
    "ru": "RU",
    "zhs": "ZHS",
    "zht": "ZHT",
    "he": "HE",
    "la": "LA",
    "grc": "GRC",
    "ar": "AR",
    "sa": "SA",
    "ph": "PH",
    "px": "PH",
}
assert set(LANGUAGE_MAP.values()) <= set(LANGUAGES)

FINISH_MAP = {"nonfoil": "NORMAL", "foil": "FOIL", "etched": "ETCHED", "glossy": "GLOSSY"}
_FINISH_ORDER = ("NORMAL", "FOIL", "ETCHED", "GLOSSY")

#: Words of the type line before the dash that are supertypes (CR 205.4, plus the historic
#: Elite/Ongoing and Scryfall's "Token" prefix).
SUPERTYPES = frozenset({"Basic", "Legendary", "Snow", "World", "Ongoing", "Elite", "Token"})

RARITY_CODES = {
    "common": "C",
    "uncommon": "U",
    "rare": "R",
    "mythic": "M",
    "special": "S",
    "bonus": "B",
}

#: Oracle (card-level) keys kept from each face for per-face search.
_FACE_ORACLE_KEYS = (
    "name",
    "mana_cost",
    "type_line",
    "oracle_text",
    "colors",
    "color_indicator",
    "power",
    "toughness",
    "loyalty",
    "defense",
    "oracle_id",
    "cmc",
)
#: Printing keys kept from each face in the print's game_data.
_FACE_PRINT_KEYS = (
    "name",
    "printed_name",
    "printed_type_line",
    "printed_text",
    "flavor_text",
    "artist",
    "illustration_id",
    "watermark",
    "image_uris",
)
_CARD_EXTRA_KEYS = (
    "layout",
    "reserved",
    "color_indicator",
    "produced_mana",
    "hand_modifier",
    "life_modifier",
)
_PRINT_EXTRA_KEYS = (
    "prices",
    "promo_types",
    "frame_effects",
    "frame_effect",
    "border_color",
    "full_art",
    "textless",
    "oversized",
    "games",
    "watermark",
    "variation",
    "variation_of",
    "booster",
    "security_stamp",
    "illustration_id",
    "multiverse_ids",
    "mtgo_id",
    "mtgo_foil_id",
    "arena_id",
    "tcgplayer_etched_id",
    "printed_type_line",
    "printed_text",
    "set_id",
    "set_type",
    "story_spotlight",
    "reprint",
)

_MAX_MANA_VALUE = Decimal(100_000)  # cards.mana_value is Numeric(6, 1)
_INT_RE = re.compile(r"^-?\d+$")
_DIGITS_RE = re.compile(r"\d+")


def normalize_card(card: dict[str, Any]) -> NormalizedCard:
    """One Scryfall card object to a normalised card with its single print."""
    if not isinstance(card, dict):
        raise QuarantineError("record is not a JSON object")
    scryfall_id = as_text(card.get("id"))
    if not scryfall_id:
        raise QuarantineError("missing id")
    name = as_text(card.get("name"))
    if not name:
        raise QuarantineError("missing name")
    faces = [f for f in as_list(card.get("card_faces")) if isinstance(f, dict)]
    first = faces[0] if faces else {}

    oracle_id = as_text(card.get("oracle_id")) or as_text(first.get("oracle_id"))
    if not oracle_id:
        raise QuarantineError("missing oracle_id (neither on the card nor on its first face)")

    type_line = as_text(card.get("type_line")) or (
        " // ".join(t for f in faces if (t := as_text(f.get("type_line")))) or None
    )
    supertypes, types, subtypes = parse_type_line(type_line or "")

    if faces:
        rules_text: str | None = "\n//\n".join(as_text(f.get("oracle_text")) or "" for f in faces)
    else:
        rules_text = as_text(card.get("oracle_text"))
    power_text = _top_or_first(card, first, "power")
    toughness_text = _top_or_first(card, first, "toughness")

    set_record = _set_record(card)
    print_record = _print_record(card, faces, set_record, scryfall_id)

    face_names = list(dict.fromkeys(n for f in faces if (n := as_text(f.get("name")))))
    game_data: dict[str, Any] = {"oracle_id": oracle_id}
    mana_value = _decimal(card.get("cmc", first.get("cmc")))
    if mana_value is not None and abs(mana_value) >= _MAX_MANA_VALUE:
        game_data["cmc"] = card.get("cmc")  # Gleemax: 1,000,000 does not fit Numeric(6, 1)
        mana_value = None
    for key in _CARD_EXTRA_KEYS:
        if card.get(key) is not None:
            game_data[key] = card[key]
    if faces:
        game_data["card_faces"] = [
            {k: f[k] for k in _FACE_ORACLE_KEYS if f.get(k) is not None} for f in faces
        ]

    return NormalizedCard(
        game=GAME,
        oracle_key=oracle_id,
        name=name,
        prints=[print_record],
        face_names=face_names,
        type_line=type_line,
        supertypes=supertypes,
        types=types,
        subtypes=subtypes,
        rules_text=rules_text,
        keywords=as_str_list(card.get("keywords")),
        power=_int_or_none(power_text),
        defense=_int_or_none(toughness_text),
        mana_cost=_top_or_first(card, first, "mana_cost"),
        mana_value=mana_value,
        colors=as_str_list(card.get("colors", first.get("colors"))),
        color_identity=as_str_list(card.get("color_identity")),
        power_text=power_text,
        toughness_text=toughness_text,
        loyalty=_top_or_first(card, first, "loyalty"),
        game_data=game_data,
    )


def parse_type_line(type_line: str) -> tuple[list[str], list[str], list[str]]:
    """Supertypes, types and subtypes of every face: `Legendary Creature — Elf Druid`."""
    supertypes: dict[str, None] = {}
    types: dict[str, None] = {}
    subtypes: dict[str, None] = {}
    for face in type_line.split("//"):
        left, _, right = face.partition("—")
        words = left.split()
        for word in words:
            (supertypes if word in SUPERTYPES else types)[word] = None
        right = right.strip()
        if not right:
            continue
        if "Plane" in words:  # planar types are multi-word names ("Bolas's Meditation Realm")
            subtypes[right] = None
        else:
            for word in right.split():
                subtypes[word] = None
    return list(supertypes), list(types), list(subtypes)


def finishes_of(card: dict[str, Any]) -> list[str]:
    """SKU finishes: `finishes` when given, else the old `foil`/`nonfoil` flags; [] if digital."""
    if card.get("digital"):
        return []
    found: set[str] = set()
    if isinstance(card.get("finishes"), list):
        found = {FINISH_MAP[f] for f in card["finishes"] if isinstance(f, str) and f in FINISH_MAP}
    else:
        if card.get("nonfoil"):
            found.add("NORMAL")
        if card.get("foil"):
            found.add("FOIL")
    if not found:  # paper print with no finish information: assume the ordinary one
        found.add("NORMAL")
    return [f for f in _FINISH_ORDER if f in found]


def _set_record(card: dict[str, Any]) -> SetRecord:
    code = as_text(card.get("set"))
    if not code:
        raise QuarantineError("missing set code")
    external_ids: dict[str, Any] = {}
    set_uri = as_text(card.get("set_uri"))
    set_id = as_text(card.get("set_id")) or (
        set_uri.rstrip("/").rsplit("/", 1)[-1] if set_uri else None
    )
    if set_id:
        external_ids["scryfall"] = set_id
    return SetRecord(
        game=GAME,
        code=code.upper(),
        name=as_text(card.get("set_name")) or code.upper(),
        set_type=as_text(card.get("set_type")),
        released_at=_date(card.get("released_at")),
        external_ids=external_ids,
    )


def _print_record(
    card: dict[str, Any], faces: list[dict[str, Any]], set_record: SetRecord, scryfall_id: str
) -> PrintRecord:
    first = faces[0] if faces else {}
    lang = as_text(card.get("lang")) or "en"
    language = LANGUAGE_MAP.get(lang)
    if language is None:
        raise QuarantineError(f"unsupported language {lang!r}")
    collector_number = as_text(card.get("collector_number"))
    if not collector_number:
        raise QuarantineError("missing collector_number")
    try:
        sku_number = number_token(collector_number, pad=3)
    except SkuError as exc:
        raise QuarantineError(f"cannot form a SKU number: {exc}") from None
    if len(sku_number) > 40 or len(encode_token(set_record.code)) > 40:
        raise QuarantineError(
            f"set code or collector number too long for a SKU: "
            f"{set_record.code!r} {collector_number!r}"
        )

    images = card.get("image_uris") or first.get("image_uris") or {}
    game_data: dict[str, Any] = {}
    for key in _PRINT_EXTRA_KEYS:
        if card.get(key) is not None:
            game_data[key] = card[key]
    if faces:
        game_data["card_faces"] = [
            {k: f[k] for k in _FACE_PRINT_KEYS if f.get(k) is not None} for f in faces
        ]
    printed_name = as_text(card.get("printed_name")) or (
        " // ".join(p for f in faces if (p := as_text(f.get("printed_name")))) or None
    )
    rarity = as_text(card.get("rarity"))
    digits = _DIGITS_RE.search(collector_number)
    return PrintRecord(
        print_key=scryfall_id,
        set=set_record,
        collector_number=collector_number,
        sku_number=sku_number,
        language=language,
        finishes=finishes_of(card),
        number_sort=int(digits.group()) if digits else None,
        rarity=rarity,
        rarity_code=RARITY_CODES.get(rarity or ""),
        artist=_top_or_first(card, first, "artist"),
        frame=as_text(card.get("frame")),
        is_promo=bool(card.get("promo")),
        is_digital=bool(card.get("digital")),
        released_at=_date(card.get("released_at")),
        printed_name=printed_name,
        flavor_text=card.get("flavor_text")
        or next((f["flavor_text"] for f in faces if f.get("flavor_text")), None),
        images=as_dict(images),
        legalities=as_dict(card.get("legalities")),
        tcgplayer_id=as_int(card.get("tcgplayer_id")),
        cardmarket_id=as_int(card.get("cardmarket_id")),
        scryfall_id=scryfall_id,
        game_data=game_data,
    )


def _top_or_first(card: dict[str, Any], first: dict[str, Any], key: str) -> str | None:
    value = card.get(key)
    if value is None:
        value = first.get(key)
    return None if value is None else str(value)


def _int_or_none(text: str | None) -> int | None:
    return int(text) if text is not None and _INT_RE.match(text) else None


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
