"""The in-memory matcher index: the catalog reduced to the keys candidate generation needs.

Built once per process from the catalog tables (about 115k prints load in a few seconds) and
rebuilt when the catalog changes (`catalog_version`: row counts and the latest `updated_at` of
sets, cards and prints). Per game it holds

* external ids -> prints (Scryfall, TCGplayer product, Cardmarket product, YGOPRODeck passcode);
* set codes and aliases -> sets, set-name keys -> sets (plus the list for fuzzy set names),
  Pokémon printed totals -> sets;
* (set, number key) -> prints, and for Yu-Gi-Oh!/One Piece (whose numbers carry the set) the
  number key alone -> prints;
* name keys (card names, face names, printed names) -> cards, card -> prints, set -> names;
* a token/prefix block index over name keys, so a fuzzy name lookup scores a few hundred
  names with rapidfuzz instead of every name of the game.

Two reviewable data files widen what the catalog answers to (`matching/data_files.py`);
`matching/index_build.py` builds the index from the catalog tables and caches it per process.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass, field

from matching.data_files import RaritySynonym, SetAlias, load_rarity_synonyms, load_set_aliases
from matching.parsing.listing import number_key
from models.games import GAME_IDS
from models.text import listing_key, spelling_key

#: Games whose collector numbers carry the set (LOB-EN001, OP01-024): looked up globally.
NUMBER_CARRIES_SET = ("YUGIOH", "OPTCG")
_YGO_NUMBER = re.compile(
    r"^([A-Z0-9]{2,6})-(?:EN|AE|DE|FR|IT|SP|PT|JP|JA|KR|TC|SC|E|G|F|I|S|P|J|K)?([A-Z]{0,2}\d+[A-Z]?)$"
)
#: Magic's legacy two-letter set codes (Gatherer / Magic Online / Deckbox) -> Scryfall codes,
#: used where the legacy code is not itself a set code of the catalog.
MTG_LEGACY_CODES = {
    "1E": "LEA",
    "2E": "LEB",
    "2U": "2ED",
    "3E": "3ED",
    "4E": "4ED",
    "5E": "5ED",
    "6E": "6ED",
    "7E": "7ED",
    "AN": "ARN",
    "AQ": "ATQ",
    "LG": "LEG",
    "DK": "DRK",
    "FE": "FEM",
    "HL": "HML",
    "IA": "ICE",
    "AL": "ALL",
    "CH": "CHR",
    "MI": "MIR",
    "VI": "VIS",
    "WL": "WTH",
    "TE": "TMP",
    "SH": "STH",
    "EX": "EXO",
    "US": "USG",
    "UL": "ULG",
    "UD": "UDS",
    "MM": "MMQ",
    "NE": "NEM",
    "PR": "PCY",
    "IN": "INV",
    "PS": "PLS",
    "AP": "APC",
    "OD": "ODY",
    "TO": "TOR",
    "JU": "JUD",
    "PO": "POR",
    "P2": "P02",
    "PK": "PTK",
}
#: Game words sellers and catalogs put before set names (as name-key prefixes): `Pokemon 151`,
#: One Piece's `ONE PIECE CARD THE BEST`.
GAME_WORDS = tuple(
    f"{words} "
    for words in (
        "pokemon tcg",
        "pokemon",
        "magic the gathering",
        "magic",
        "mtg",
        "yu gi oh",
        "yugioh",
        "one piece card game",
        "one piece card",
        "one piece tcg",
        "one piece",
    )
)
#: Tokens too common to block on (they would pull in thousands of names).
_STOP_TOKENS = frozenset({"the", "of", "a", "an", "and", "to", "in", "s", "de", "la", "le"})
_BLOCK_PREFIX = 4


def catalog_number_key(game: str | None, number: str) -> str:
    """Comparable collector number: leading zeros dropped; Yu-Gi-Oh! without the region
    letters (`LOB-EN001`, `LOB-E001` and `LOB-001` -> `LOB-1`)."""
    key = number_key(number)
    if "*" in key or "★" in key or "☆" in key:
        # Scryfall 2019 writes promo stars first (`*222`), Dragon Shield last (`222★`)
        key = number_key(key.replace("*", "").replace("★", "").replace("☆", "")) + "★"
    if game == "YUGIOH" or (game is None and "-" in key):
        match = _YGO_NUMBER.match(key)
        if match:
            tail = re.sub(r"^([A-Z]*)0+(?=\d)", r"\1", match.group(2))
            return f"{match.group(1)}-{tail}"
    return key


def name_block_keys(key: str) -> set[str]:
    """Blocking keys of a name key: its tokens and their 4-letter prefixes (no stop words)."""
    keys: set[str] = set()
    for token in key.split():
        if token in _STOP_TOKENS or (len(token) < 2 and not token.isdigit()):
            continue
        keys.add(token)
        if len(token) > _BLOCK_PREFIX:
            keys.add(token[:_BLOCK_PREFIX] + "*")
    return keys


@dataclass(slots=True)
class SetEntry:
    id: int
    game: str
    code: str
    name: str
    name_key: str
    aliases: tuple[str, ...]
    printed_total: int | None
    card_count: int | None


@dataclass(slots=True)
class CardEntry:
    id: int
    game: str
    name: str
    name_key: str
    keys: tuple[str, ...]  # name key, face keys, printed-name keys
    print_ids: list[int] = field(default_factory=list)


@dataclass(slots=True)
class PrintEntry:
    id: int
    game: str
    card_id: int
    set_id: int
    collector_number: str
    number_key: str
    sku_set: str
    sku_number: str
    language: str
    finishes: tuple[str, ...]
    rarity: str | None
    rarity_code: str | None
    variation: str | None
    is_promo: bool
    is_digital: bool
    tcgplayer_id: int | None
    cardmarket_id: int | None
    scryfall_id: str | None
    ygoprodeck_id: int | None
    #: Rarity keys other sources use for this print's rarity (`rarity_synonyms.csv`).
    rarity_synonyms: tuple[str, ...] = ()


@dataclass
class GameIndex:
    game: str
    sets_by_code: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    sets_by_name: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    sets_by_total: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    set_name_keys: list[str] = field(default_factory=list)
    set_name_ids: list[list[int]] = field(default_factory=list)
    by_set_number: dict[tuple[int, str], list[int]] = field(
        default_factory=lambda: defaultdict(list)
    )
    by_number: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    cards_by_key: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    #: Distinct name keys of the game (fuzzy choices) and the block index over them.
    name_keys: list[str] = field(default_factory=list)
    name_block: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    #: set id -> distinct name keys of the cards printed in it.
    set_names: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))


class CatalogIndex:
    """Every game's `GameIndex` plus the rows themselves; immutable once built."""

    def __init__(self, version: str = "") -> None:
        self.version = version
        self.built_at = time.time()
        self.sets: dict[int, SetEntry] = {}
        self.cards: dict[int, CardEntry] = {}
        self.prints: dict[int, PrintEntry] = {}
        self.games: dict[str, GameIndex] = {g: GameIndex(g) for g in GAME_IDS}
        self.by_scryfall: dict[str, int] = {}
        self.by_tcgplayer: dict[int, list[int]] = defaultdict(list)
        self.by_cardmarket: dict[int, list[int]] = defaultdict(list)
        self.by_ygoprodeck: dict[int, list[int]] = defaultdict(list)

    # -- building -------------------------------------------------------------------------------

    def add_set(self, entry: SetEntry) -> None:
        self.sets[entry.id] = entry
        gi = self.games[entry.game]
        for code in (entry.code, *entry.aliases):
            if code:
                gi.sets_by_code[code.upper()].append(entry.id)
        if entry.name_key:
            gi.sets_by_name[entry.name_key].append(entry.id)
        if entry.printed_total:
            gi.sets_by_total[entry.printed_total].append(entry.id)

    def add_card(self, entry: CardEntry) -> None:
        self.cards[entry.id] = entry

    def add_print(self, entry: PrintEntry) -> None:
        self.prints[entry.id] = entry
        gi = self.games[entry.game]
        gi.by_set_number[(entry.set_id, entry.number_key)].append(entry.id)
        if entry.game in NUMBER_CARRIES_SET:
            gi.by_number[entry.number_key].append(entry.id)
        card = self.cards.get(entry.card_id)
        if card is not None:
            card.print_ids.append(entry.id)
        if entry.scryfall_id:
            self.by_scryfall[entry.scryfall_id.lower()] = entry.id
        if entry.tcgplayer_id:
            self.by_tcgplayer[entry.tcgplayer_id].append(entry.id)
        if entry.cardmarket_id:
            self.by_cardmarket[entry.cardmarket_id].append(entry.id)
        if entry.ygoprodeck_id:
            self.by_ygoprodeck[entry.ygoprodeck_id].append(entry.id)

    def add_set_aliases(self, aliases: list[SetAlias]) -> None:
        """Each alias's name key resolves to its sets exactly, like the sets' own names (codes
        the catalog does not have are skipped)."""
        for alias in aliases:
            gi = self.games[alias.game]
            key = listing_key(alias.alias)
            for code in alias.set_codes:
                for set_id in gi.sets_by_code.get(code, ()):
                    if self.sets[set_id].code.upper() != code:
                        continue  # a code alias of another set (Pokémon PTCGO codes)
                    known = gi.sets_by_name.setdefault(key, [])
                    if set_id not in known:
                        known.append(set_id)

    def add_rarity_synonyms(self, synonyms: list[RaritySynonym]) -> None:
        """Attach each synonym's rarity key to the prints of its catalog rarity (and sets)."""
        from matching.scoring import rarity_key

        wanted: dict[tuple[str, str], list[RaritySynonym]] = defaultdict(list)
        for synonym in synonyms:
            wanted[(synonym.game, spelling_key(synonym.catalog_rarity))].append(synonym)
        if not wanted:
            return
        for entry in self.prints.values():
            found: list[str] = []
            for rarity in {entry.rarity, entry.rarity_code}:
                for synonym in wanted.get((entry.game, spelling_key(rarity or "")), ()):
                    if synonym.sets and self.sets[entry.set_id].code.upper() not in synonym.sets:
                        continue
                    key = rarity_key(synonym.rarity)
                    if key and key not in found:
                        found.append(key)
            if found:
                entry.rarity_synonyms = tuple(found)

    def finish(
        self,
        *,
        set_aliases: list[SetAlias] | None = None,
        rarity_synonyms: list[RaritySynonym] | None = None,
    ) -> CatalogIndex:
        """Derive the name and set-name tables once every row is in (with the data files'
        set aliases and rarity synonyms unless others are given)."""
        mtg = self.games["MTG"]
        for legacy, code in MTG_LEGACY_CODES.items():
            if legacy not in mtg.sets_by_code and code in mtg.sets_by_code:
                mtg.sets_by_code[legacy] = list(mtg.sets_by_code[code])
        self.add_set_aliases(load_set_aliases() if set_aliases is None else set_aliases)
        self.add_rarity_synonyms(
            load_rarity_synonyms() if rarity_synonyms is None else rarity_synonyms
        )
        for gi in self.games.values():
            for key, set_ids in list(gi.sets_by_name.items()):
                for word in GAME_WORDS:  # `one piece card the best` is also `the best`
                    rest = key[len(word) :] if key.startswith(word) else ""
                    if len(rest) > 3 and any(c.isalpha() for c in rest):
                        gi.sets_by_name.setdefault(rest, list(set_ids))
                        break
            gi.set_name_keys = list(gi.sets_by_name)
            gi.set_name_ids = [gi.sets_by_name[k] for k in gi.set_name_keys]
        set_names: dict[int, set[str]] = defaultdict(set)
        for card in self.cards.values():
            gi = self.games[card.game]
            for key in card.keys:
                gi.cards_by_key[key].append(card.id)
            for print_id in card.print_ids:
                set_names[self.prints[print_id].set_id].update(card.keys)
        for set_id, names in set_names.items():
            entry = self.sets.get(set_id)
            if entry is not None:
                self.games[entry.game].set_names[set_id] = sorted(names)
        for gi in self.games.values():
            gi.name_keys = sorted(gi.cards_by_key)
            for position, key in enumerate(gi.name_keys):
                for block in name_block_keys(key):
                    gi.name_block[block].append(position)
            gi.sets_by_code = dict(gi.sets_by_code)
            gi.sets_by_name = dict(gi.sets_by_name)
            gi.sets_by_total = dict(gi.sets_by_total)
            gi.by_set_number = dict(gi.by_set_number)
            gi.by_number = dict(gi.by_number)
            gi.cards_by_key = dict(gi.cards_by_key)
            gi.name_block = dict(gi.name_block)
            gi.set_names = dict(gi.set_names)
        self.by_tcgplayer = dict(self.by_tcgplayer)
        self.by_cardmarket = dict(self.by_cardmarket)
        self.by_ygoprodeck = dict(self.by_ygoprodeck)
        return self

    # -- reading --------------------------------------------------------------------------------

    def set_of(self, print_id: int) -> SetEntry:
        return self.sets[self.prints[print_id].set_id]

    def card_of(self, print_id: int) -> CardEntry:
        return self.cards[self.prints[print_id].card_id]

    def stats(self) -> dict[str, int]:
        return {"sets": len(self.sets), "cards": len(self.cards), "prints": len(self.prints)}
