"""YGOProDeck v7 (Yu-Gi-Oh!): `cardinfo.php` responses and the `cardsets.php` set list.

Inputs, plain or gzipped: files holding a JSON array of card objects or a `cardinfo.php`
response `{"data": [...]}` (one per set in the shared data; the same card appears in every
file of a set it was printed in, each time with ALL its `card_sets`). Files named
`cardsets.json` are the set list (`cardsets.php`): `discover` leaves them out and `sets`
reads them.

Identity: the card is YGOProDeck's card (`ygoprodeck_url` ends in its id, shared by the
alternate-artwork passcodes of one card); the raw record is the passcode. A printing is one
`(set_code, set_rarity)`; see etl/sources/ygoprodeck/prints.py and docs/sources-ygo-optcg.md.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from datetime import date
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
from etl.sources.values import as_int
from etl.sources.ygoprodeck import prints as yp

GAME = yp.GAME
_SUFFIXES = (".json", ".json.gz")
_SETS_FILE_NAMES = ("cardsets.json", "cardsets.json.gz")
_URL_ID_RE = re.compile(r"-(\d+)/?$")
#: YGOProDeck's ATK/DEF for a printed `?`.
UNKNOWN_STAT = -1


def oracle_key(card: dict[str, Any], passcode: int) -> str:
    """`ygoprodeck:<card id>` from `ygoprodeck_url`, or `passcode:<id>` without a URL."""
    match = _URL_ID_RE.search(str(card.get("ygoprodeck_url") or ""))
    return f"ygoprodeck:{match.group(1)}" if match else f"passcode:{passcode}"


def _image(card: dict[str, Any], passcode: int) -> dict[str, Any]:
    images = [i for i in card.get("card_images") or [] if isinstance(i, dict)]
    chosen = next((i for i in images if i.get("id") == passcode), images[0] if images else None)
    if not chosen:
        return {}
    out = {
        "large": chosen.get("image_url"),
        "small": chosen.get("image_url_small"),
        "cropped": chosen.get("image_url_cropped"),
    }
    return {k: v for k, v in out.items() if v}


def _types(card: dict[str, Any]) -> tuple[list[str], list[str]]:
    kind = str(card.get("type") or "")
    race = card.get("race") or None
    if "Monster" in kind:
        typeline = card.get("typeline")
        if isinstance(typeline, list) and typeline:
            subtypes = [str(t) for t in typeline]
        else:
            words = [w if w != "XYZ" else "Xyz" for w in kind.split() if w != "Monster"]
            subtypes = ([race] if race else []) + words
        return ["Monster"], subtypes
    if kind in ("Spell Card", "Trap Card"):
        return [kind.split()[0]], [race] if race else []
    if kind == "Skill Card":
        return ["Skill"], []
    if kind:
        return [kind], [race] if race else []
    return [], []


def _prints(card: dict[str, Any], passcode: int) -> tuple[list[PrintRecord], list[str]]:
    entries = [e for e in card.get("card_sets") or [] if isinstance(e, dict)]
    entries.sort(
        key=lambda e: tuple(
            str(e.get(k) or "")
            for k in ("set_code", "set_rarity", "set_name", "set_rarity_code", "set_price")
        )
    )
    images = _image(card, passcode)
    prints: dict[str, PrintRecord] = {}
    invalid: list[str] = []
    for entry in entries:
        raw_code = str(entry.get("set_code") or "")
        parsed = yp.parse_set_code(raw_code)
        set_name = str(entry.get("set_name") or "").strip()
        if parsed is None or not set_name:
            invalid.append(raw_code)
            continue
        key = yp.print_key(entry)
        if key in prints:
            continue
        rarity = str(entry.get("set_rarity") or "") or None
        rcode = yp.rarity_code(rarity or "", entry.get("set_rarity_code"))
        prints[key] = PrintRecord(
            print_key=key,
            set=SetRecord(game=GAME, code=parsed.prefix, name=set_name),
            collector_number=parsed.raw,
            sku_number=yp.sku_number(parsed, rcode),
            language=parsed.language,
            finishes=yp.finishes_for(set_name),
            number_sort=yp.number_sort(parsed.number),
            rarity=rarity,
            rarity_code=rcode,
            is_promo=yp.is_promo(set_name),
            images=dict(images),
            ygoprodeck_id=passcode,
            game_data={
                "set_name": set_name,
                "set_price": entry.get("set_price"),
                "set_rarity_code": entry.get("set_rarity_code"),
                "region": parsed.region,
                "ygoprodeck_url": card.get("ygoprodeck_url"),
            },
        )
    return list(prints.values()), sorted(set(invalid))


def _type_line(card: dict[str, Any], kind: str | None, types: list[str]) -> str | None:
    """`Normal Monster — Dragon`: a monster's type line names its race (the card's printed
    `[Dragon / Normal]`), so `t:dragon` finds it; spells and traps carry theirs already."""
    base = card.get("humanReadableCardType") or kind or None
    race = card.get("race")
    if base and race and "Monster" in types and race not in base:
        return f"{base} — {race}"
    return base


def battle_stat(value: Any) -> int | None:
    """ATK or DEF: YGOProDeck writes a printed `?` as -1, which is no number (None), so that
    `atk<1000` does not find the `?` monsters."""
    number = as_int(value)
    return None if number == UNKNOWN_STAT else number


def normalize_card(card: dict[str, Any]) -> NormalizedCard:
    passcode = as_int(card.get("id"))
    if passcode is None:
        raise QuarantineError("missing or non-integer passcode `id`")
    name = card.get("name")
    if not isinstance(name, str) or not name.strip():
        raise QuarantineError(f"passcode {passcode}: missing `name`")
    kind = str(card.get("type") or "")
    types, subtypes = _types(card)
    level = as_int(card.get("level"))
    rank = link_rating = None
    if "XYZ" in kind.upper().split():
        rank, level = level, None
    if "linkval" in card or kind == "Link Monster":
        link_rating, level = as_int(card.get("linkval")), None
    atk = battle_stat(card.get("atk"))
    def_ = None if link_rating is not None else battle_stat(card.get("def"))
    prints, invalid = _prints(card, passcode)
    prices = card.get("card_prices")
    game_data: dict[str, Any] = {
        "passcode": passcode,
        "type": kind or None,
        "human_readable_type": card.get("humanReadableCardType"),
        "frame_type": card.get("frameType"),
        "race": card.get("race"),
        "archetype": card.get("archetype"),
        "scale": as_int(card.get("scale")),
        "link_markers": card.get("linkmarkers"),
        "pendulum_text": card.get("pend_desc"),
        "monster_text": card.get("monster_desc"),
        "banlist_info": card.get("banlist_info"),
        "card_prices": prices[0] if isinstance(prices, list) and prices else prices,
        "ygoprodeck_url": card.get("ygoprodeck_url"),
    }
    for key in ("atk", "def"):
        if as_int(card.get(key)) == UNKNOWN_STAT and (key == "atk" or link_rating is None):
            game_data[f"{key}_text"] = "?"
    if kind == "Skill Card":
        game_data["character"] = card.get("race")
    if invalid:
        game_data["invalid_set_codes"] = invalid
    return NormalizedCard(
        game=GAME,
        oracle_key=oracle_key(card, passcode),
        name=name.strip(),
        prints=prints,
        type_line=_type_line(card, kind, types),
        types=types,
        subtypes=subtypes,
        rules_text=card.get("desc") or None,
        power=atk,
        defense=def_,
        attributes=[str(card["attribute"])] if card.get("attribute") else [],
        level=level,
        rank=rank,
        link_rating=link_rating,
        atk=atk,
        def_=def_,
        game_data={k: v for k, v in game_data.items() if v is not None},
    )


def _set_record(code: str, entries: list[dict[str, Any]]) -> SetRecord:
    """One catalog set per code; the product with the most cards (then the oldest) names it."""
    entries = sorted(
        entries,
        key=lambda e: (
            -(as_int(e.get("num_of_cards")) or 0),
            e.get("tcg_date") or "9999",
            e["name"],
        ),
    )
    main = entries[0]
    released = None
    with contextlib.suppress(ValueError):
        released = date.fromisoformat(str(main.get("tcg_date") or ""))
    game_data: dict[str, Any] = {}
    if len(entries) > 1:
        game_data["products"] = [
            {k: e.get(k) for k in ("set_name", "tcg_date", "num_of_cards")}
            for e in sorted(entries, key=lambda e: (e.get("tcg_date") or "9999", e["name"]))
        ]
    return SetRecord(
        game=GAME,
        code=code,
        name=main["name"],
        released_at=released,
        card_count=as_int(main.get("num_of_cards")),
        images={"image": main["set_image"]} if main.get("set_image") else {},
        game_data=game_data,
    )


def _sets_files(paths: list[Path]) -> list[Path]:
    found: dict[Path, None] = {}
    for path in map(Path, paths):
        if path.is_file():
            candidates = [path] if path.name in _SETS_FILE_NAMES else []
            candidates += [path.parent / n for n in _SETS_FILE_NAMES]
            candidates += [path.parent.parent / n for n in _SETS_FILE_NAMES]
        elif path.is_dir():
            candidates = sorted(p for n in _SETS_FILE_NAMES for p in path.rglob(n))
            candidates += [path.parent / n for n in _SETS_FILE_NAMES]
        else:
            continue
        for candidate in candidates:
            if candidate.is_file():
                found[candidate.resolve()] = None
                break
    return list(found)


class YgoProDeckSource:
    name = "ygoprodeck"
    game = GAME

    def discover(self, paths: list[Path]) -> list[InputUnit]:
        return [u for u in discover_files(paths, _SUFFIXES) if u.path.name not in _SETS_FILE_NAMES]

    def read(self, unit: InputUnit) -> Iterator[RawRecord]:
        for payload in iter_json_items(unit.path):
            yield RawRecord(
                source=self.name,
                external_id=str(payload.get("id") if payload.get("id") is not None else ""),
                payload=payload,
                source_file=unit.key,
            )

    def sets(self, paths: list[Path]) -> Iterator[SetRecord]:
        groups: dict[str, list[dict[str, Any]]] = {}
        for sets_file in _sets_files(paths):
            for obj in iter_json_items(sets_file):
                code = str(obj.get("set_code") or "").strip().upper()
                name = str(obj.get("set_name") or "").strip()
                if code and name:
                    groups.setdefault(code, []).append({**obj, "name": name})
        for code in sorted(groups):
            yield _set_record(code, groups[code])

    def normalize(self, raw: RawRecord) -> NormalizedCard:
        if not isinstance(raw.payload, dict):
            raise QuarantineError("payload is not a JSON object")
        return normalize_card(raw.payload)


source = YgoProDeckSource()
