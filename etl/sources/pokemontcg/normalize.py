"""Pure normalisation of one pokemontcg.io v2 card object (see docs/sources-mtg-pokemon.md)."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from typing import Any

from etl.records import NormalizedCard, PrintRecord, QuarantineError, SetRecord
from etl.sources.pokemontcg.finishes import finishes_for
from etl.sources.values import as_dict, as_int, as_list, as_str_list, as_text
from models.sku import SkuError, encode_token, number_token
from models.text import fold
from models.vocabulary import LANGUAGE_CODES

GAME = "POKEMON"
LANGUAGE = "EN"
#: `cards/<folder>/` language folder -> SKU language (the vocabulary's code in lower case,
#: or `ja`); pokemontcg.io itself publishes only `en`.
FOLDER_LANGUAGES = {"ja": "JP", **{code.lower(): code for code in LANGUAGE_CODES}}

_DIGITS_RE = re.compile(r"\d+")
_SPACES_RE = re.compile(r"\s+")

#: Card-level (oracle) keys copied into NormalizedCard.game_data when present.
_CARD_EXTRA = {
    "nationalPokedexNumbers": "national_pokedex_numbers",
    "evolvesTo": "evolves_to",
    "attacks": "attacks",
    "abilities": "abilities",
    "weaknesses": "weaknesses",
    "resistances": "resistances",
    "retreatCost": "retreat_cost",
    "rules": "rules",
    "ancientTrait": "ancient_trait",
    "level": "level",
}
#: Printing keys copied into PrintRecord.game_data when present.
_PRINT_EXTRA = {
    "regulationMark": "regulation_mark",
    "tcgplayer": "tcgplayer",
    "cardmarket": "cardmarket",
}


def normalize_card(
    card: dict[str, Any], context_set: dict[str, Any] | None, language: str = LANGUAGE
) -> NormalizedCard:
    """One card object (+ the set of its file when the card has no `set`) to a card; a
    non-English print (from a `cards/<language>/` folder) is keyed `<LANG>:<id>`."""
    if not isinstance(card, dict):
        raise QuarantineError("record is not a JSON object")
    card_id = as_text(card.get("id"))
    if not card_id:
        raise QuarantineError("missing id")
    name = as_text(card.get("name"))
    if not name:
        raise QuarantineError("missing name")
    number = as_text(card.get("number"))
    if not number:
        raise QuarantineError("missing number")
    set_obj = card.get("set") if isinstance(card.get("set"), dict) else context_set
    if not isinstance(set_obj, dict) or not as_text(set_obj.get("id")):
        raise QuarantineError("missing set (no `set` block and no set given by the file)")
    set_record = set_record_from(set_obj)

    supertype = as_text(card.get("supertype"))
    subtypes = as_str_list(card.get("subtypes"))
    energy_types = as_str_list(card.get("types"))
    type_line = supertype
    if supertype and subtypes:
        type_line = f"{supertype} — {' '.join(subtypes)}"

    game_data: dict[str, Any] = {}
    for key, target in _CARD_EXTRA.items():
        if card.get(key) not in (None, [], {}):
            game_data[target] = card[key]

    return NormalizedCard(
        game=GAME,
        oracle_key=oracle_key(card),
        name=name,
        prints=[_print_record(card, card_id, number, set_record, set_obj, language)],
        type_line=type_line,
        supertypes=[supertype] if supertype else [],
        subtypes=subtypes,
        rules_text=rules_text(card),
        hp=as_int(card.get("hp")),
        retreat_cost=retreat_cost(card),
        energy_types=energy_types,
        evolves_from=as_text(card.get("evolvesFrom")),
        game_data=game_data,
    )


def retreat_cost(card: dict[str, Any]) -> int | None:
    """How many Energy a Pokémon's retreat costs: the length of `retreatCost`, else
    `convertedRetreatCost`; a Pokémon with neither retreats for free (0, as printed: no Energy
    symbol). Trainer and Energy cards have no retreat cost (None)."""
    if fold(as_text(card.get("supertype")) or "") != "pokemon":
        return None
    symbols = card.get("retreatCost")
    if isinstance(symbols, list):
        return len(symbols)
    converted = as_int(card.get("convertedRetreatCost"))
    return converted if converted is not None and converted >= 0 else 0


def oracle_key(card: dict[str, Any]) -> str:
    """sha256 of what makes two prints the same card (see the docs).

    Pokémon: name, types, stats and the text of abilities, attacks and rules, so reprints with
    identical text are one card and same-named different cards are not. Trainer and Energy
    cards: name (and ACE SPEC-ness), as the game itself treats same-named Trainer/Energy
    cards as one card whatever the wording of the printing.
    """

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return _SPACES_RE.sub(" ", value.replace("’", "'")).strip()
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    def pick(items: Any, keys: tuple[str, ...]) -> list[dict[str, Any]]:
        if not isinstance(items, list):
            return []
        return [{k: clean(i.get(k)) for k in keys} for i in items if isinstance(i, dict)]

    supertype = clean(card.get("supertype"))
    if supertype in ("Trainer", "Energy"):
        identity: dict[str, Any] = {
            "name": clean(card.get("name")),
            "supertype": supertype,
            "aceSpec": "ACE SPEC" in as_str_list(card.get("subtypes")),
        }
        return _digest(identity)
    ancient = card.get("ancientTrait")
    identity = {
        "name": clean(card.get("name")),
        "supertype": supertype,
        "subtypes": sorted(as_str_list(card.get("subtypes"))),
        "hp": clean(card.get("hp")),
        "types": clean(as_str_list(card.get("types"))),
        "evolvesFrom": clean(card.get("evolvesFrom")),
        "abilities": pick(card.get("abilities"), ("name", "text", "type")),
        "attacks": pick(card.get("attacks"), ("name", "cost", "damage", "text")),
        "rules": clean(as_str_list(card.get("rules"))),
        "ancientTrait": pick([ancient], ("name", "text")) if isinstance(ancient, dict) else [],
        "weaknesses": pick(card.get("weaknesses"), ("type", "value")),
        "resistances": pick(card.get("resistances"), ("type", "value")),
        "retreatCost": clean(as_str_list(card.get("retreatCost"))),
    }
    return _digest(identity)


def _digest(identity: dict[str, Any]) -> str:
    data = json.dumps(identity, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "ptcg:" + hashlib.sha256(data.encode("utf-8")).hexdigest()


def rules_text(card: dict[str, Any]) -> str | None:
    """Readable card text: rules, ancient trait, abilities, then attacks."""
    lines: list[str] = [r for r in as_str_list(card.get("rules")) if r.strip()]
    ancient = card.get("ancientTrait")
    if isinstance(ancient, dict) and ancient.get("name"):
        lines.append(_labelled(f"Ancient Trait: {ancient['name']}", ancient.get("text")))
    for ability in as_list(card.get("abilities")):
        if isinstance(ability, dict) and ability.get("name"):
            label = f"{ability.get('type') or 'Ability'}: {ability['name']}"
            lines.append(_labelled(label, ability.get("text")))
    for attack in as_list(card.get("attacks")):
        if not isinstance(attack, dict) or not attack.get("name"):
            continue
        cost = " ".join(as_str_list(attack.get("cost")))
        label = f"[{cost}] {attack['name']}" if cost else attack["name"]
        if attack.get("damage"):
            label += f" {attack['damage']}"
        lines.append(_labelled(label, attack.get("text")))
    return "\n".join(lines) or None


def set_record_from(set_obj: dict[str, Any]) -> SetRecord:
    """A SetRecord from a sets/en.json entry or an API card's `set` block."""
    set_id = as_text(set_obj.get("id"))
    if not set_id:
        raise QuarantineError("set without id")
    if len(encode_token(set_id)) > 40:
        raise QuarantineError(f"set id too long for a SKU: {set_id!r}")
    ptcgo = as_text(set_obj.get("ptcgoCode"))
    external_ids: dict[str, Any] = {"pokemon_tcg": set_id}
    if ptcgo:
        external_ids["ptcgo"] = ptcgo
    game_data = {
        k: set_obj[k] for k in ("legalities", "updatedAt") if set_obj.get(k) not in (None, {})
    }
    return SetRecord(
        game=GAME,
        code=set_id.upper(),
        name=as_text(set_obj.get("name")) or set_id,
        series=as_text(set_obj.get("series")),
        released_at=_date(set_obj.get("releaseDate")),
        card_count=as_int(set_obj.get("total")),
        printed_total=as_int(set_obj.get("printedTotal")),
        aliases=[ptcgo] if ptcgo else [],
        external_ids=external_ids,
        images=as_dict(set_obj.get("images")),
        game_data=game_data,
    )


def sku_number_source(card_id: str, number: str, set_id: str) -> str:
    """The string the SKU number is made of: the id's part after `<set id>-`, `_` dropped.

    It equals `number` except for a few records whose `number` is not unique in the set
    (cel25c `15_A1`..`15_A4`) or wrong upstream (zsv10pt5-80 says number "60").
    """
    prefix = f"{set_id}-"
    if card_id.lower().startswith(prefix.lower()) and len(card_id) > len(prefix):
        suffix = card_id[len(prefix) :].replace("_", "")
        if suffix:
            return suffix
    return number


def _print_record(
    card: dict[str, Any],
    card_id: str,
    number: str,
    set_record: SetRecord,
    set_obj: dict[str, Any],
    language: str,
) -> PrintRecord:
    set_id = str(set_obj["id"]).strip()
    try:
        sku_number = number_token(sku_number_source(card_id, number, set_id))
    except SkuError as exc:
        raise QuarantineError(f"cannot form a SKU number: {exc}") from None
    if len(sku_number) > 40:
        raise QuarantineError(f"number too long for a SKU: {number!r}")
    rarity = as_text(card.get("rarity"))
    game_data: dict[str, Any] = {}
    for key, target in _PRINT_EXTRA.items():
        if card.get(key) not in (None, {}):
            game_data[target] = card[key]
    digits = _DIGITS_RE.search(number)
    return PrintRecord(
        print_key=card_id if language == LANGUAGE else f"{language}:{card_id}",
        set=set_record,
        collector_number=number,
        sku_number=sku_number,
        language=language,
        finishes=finishes_for(card, set_record),
        number_sort=int(digits.group()) if digits else None,
        rarity=rarity,
        artist=as_text(card.get("artist")),
        is_promo=rarity == "Promo" or "promo" in set_record.name.lower(),
        released_at=set_record.released_at,
        printed_name=as_text(card.get("printedName")),
        flavor_text=as_text(card.get("flavorText")),
        images=as_dict(card.get("images")),
        legalities=as_dict(card.get("legalities")),
        pokemon_tcg_id=card_id,
        game_data=game_data,
    )


def _labelled(label: str, text: Any) -> str:
    text = as_text(text)
    return f"{label} — {text}" if text else label


def _date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip()[:10].replace("/", "-"))
    except ValueError:
        return None
