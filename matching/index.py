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

Two reviewable data files widen what the catalog answers to: `data/set_aliases.csv` (set names
as TCGplayer, Cardmarket and the collection apps write them -> catalog set codes) and
`data/rarity_synonyms.csv` (another source's rarity name -> the catalog's, optionally only in
some sets). Each row says where it came from; `load_set_aliases` / `load_rarity_synonyms`
validate them.
"""

from __future__ import annotations

import csv
import html
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from matching.parsing.listing import number_key
from matching.parsing.vocab import vocab_key
from models.catalog import Card, CardSet, Print
from models.games import GAME_CODE_BY_ID, GAME_IDS
from models.text import listing_key

#: Games whose collector numbers carry the set (LOB-EN001, OP01-024): looked up globally.
NUMBER_CARRIES_SET = ("YUGIOH", "OPTCG")
_YGO_NUMBER = re.compile(
    r"^([A-Z0-9]{2,6})-(?:EN|AE|DE|FR|IT|SP|PT|JP|JA|KR|TC|SC|E|G|F|I|S|P|J|K)?([A-Z]{0,2}\d+[A-Z]?)$"
)
#: Magic's legacy two-letter set codes (Gatherer / Magic Online / Deckbox) -> Scryfall codes,
#: used where the legacy code is not itself a set code of the catalog.
MTG_LEGACY_CODES = {
    "1E": "LEA", "2E": "LEB", "2U": "2ED", "3E": "3ED", "4E": "4ED", "5E": "5ED", "6E": "6ED",
    "7E": "7ED", "AN": "ARN", "AQ": "ATQ", "LG": "LEG", "DK": "DRK", "FE": "FEM", "HL": "HML",
    "IA": "ICE", "AL": "ALL", "CH": "CHR", "MI": "MIR", "VI": "VIS", "WL": "WTH", "TE": "TMP",
    "SH": "STH", "EX": "EXO", "US": "USG", "UL": "ULG", "UD": "UDS", "MM": "MMQ", "NE": "NEM",
    "PR": "PCY", "IN": "INV", "PS": "PLS", "AP": "APC", "OD": "ODY", "TO": "TOR", "JU": "JUD",
    "PO": "POR", "P2": "P02", "PK": "PTK",
}  # fmt: skip
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

DATA_DIR = Path(__file__).with_name("data")
SET_ALIASES_FILE = DATA_DIR / "set_aliases.csv"
RARITY_SYNONYMS_FILE = DATA_DIR / "rarity_synonyms.csv"


@dataclass(frozen=True, slots=True)
class SetAlias:
    """A set name as a tool writes it, standing for one or more catalog sets of a game."""

    game: str
    alias: str
    set_codes: tuple[str, ...]
    source: str
    comment: str


@dataclass(frozen=True, slots=True)
class RaritySynonym:
    """Another source's rarity name for the catalog's `catalog_rarity` (in `sets` only, when
    given)."""

    game: str
    rarity: str
    catalog_rarity: str
    sets: frozenset[str]
    source: str
    comment: str


def _data_rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or ())]
        if missing:
            raise ValueError(f"{path.name}: missing columns {', '.join(missing)}")
        rows = []
        for line, row in enumerate(reader, start=2):
            values = {c: (row.get(c) or "").strip() for c in columns}
            if not any(values.values()):
                continue
            if values["game"] not in GAME_IDS:
                raise ValueError(f"{path.name}:{line}: unknown game {values['game']!r}")
            if not values["source"] or not values["comment"]:
                raise ValueError(f"{path.name}:{line}: every row says where it came from")
            rows.append((line, values))
        return rows


def load_set_aliases(path: Path = SET_ALIASES_FILE) -> list[SetAlias]:
    """The set-name aliases of `path` (columns game, alias, set_codes, source, comment)."""
    out = []
    columns = ("game", "alias", "set_codes", "source", "comment")
    for line, row in _data_rows(path, columns):
        codes = tuple(code.upper() for code in row["set_codes"].split())
        if not row["alias"] or not codes or not listing_key(row["alias"]):
            raise ValueError(f"{path.name}:{line}: an alias needs a name and set codes")
        out.append(SetAlias(row["game"], row["alias"], codes, row["source"], row["comment"]))
    return out


def load_rarity_synonyms(path: Path = RARITY_SYNONYMS_FILE) -> list[RaritySynonym]:
    """The rarity synonyms of `path` (columns game, rarity, catalog_rarity, sets, source,
    comment; `sets` is blank for every set of the game)."""
    out = []
    columns = ("game", "rarity", "catalog_rarity", "sets", "source", "comment")
    for line, row in _data_rows(path, columns):
        if not vocab_key(row["rarity"]) or not vocab_key(row["catalog_rarity"]):
            raise ValueError(f"{path.name}:{line}: a synonym needs both rarity names")
        if vocab_key(row["rarity"]) == vocab_key(row["catalog_rarity"]):
            raise ValueError(f"{path.name}:{line}: {row['rarity']!r} is already the same name")
        out.append(
            RaritySynonym(
                row["game"],
                row["rarity"],
                row["catalog_rarity"],
                frozenset(code.upper() for code in row["sets"].split()),
                row["source"],
                row["comment"],
            )
        )
    return out


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
            wanted[(synonym.game, vocab_key(synonym.catalog_rarity))].append(synonym)
        if not wanted:
            return
        for entry in self.prints.values():
            found: list[str] = []
            for rarity in {entry.rarity, entry.rarity_code}:
                for synonym in wanted.get((entry.game, vocab_key(rarity or "")), ()):
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


# -- loading from the database -------------------------------------------------------------------


def catalog_version(engine: Engine) -> str:
    """A cheap fingerprint of the catalog: counts and latest update of sets, cards, prints."""
    parts = []
    with engine.connect() as conn:
        for table in (CardSet.__table__, Card.__table__, Print.__table__):
            count, latest = conn.execute(
                sa.select(sa.func.count(), sa.func.max(table.c.updated_at))
            ).one()
            parts.append(f"{count}@{latest.isoformat() if latest else '-'}")
    return "|".join(parts)


def catalog_name_key(name: str) -> str:
    """`name_key` of a catalog name, HTML entities decoded first (`Legendary 5D&apos;s
    Decks` is stored so)."""
    return listing_key(html.unescape(name) if "&" in name else name)


def _keys(*names: str | None) -> tuple[str, ...]:
    keys: list[str] = []
    for name in names:
        if not name:
            continue
        key = catalog_name_key(name)
        if key and key not in keys:
            keys.append(key)
    return tuple(keys)


def build_index(engine: Engine, *, version: str | None = None) -> CatalogIndex:
    """Read the catalog with three streamed queries and build the index."""
    index = CatalogIndex(version or catalog_version(engine))
    s, c, p = CardSet.__table__, Card.__table__, Print.__table__
    with engine.connect() as conn:
        for row in conn.execute(
            sa.select(
                s.c.id, s.c.game_id, s.c.code, s.c.name, s.c.aliases, s.c.printed_total,
                s.c.card_count,
            )
        ):  # fmt: skip
            index.add_set(
                SetEntry(
                    id=row.id,
                    game=GAME_CODE_BY_ID[row.game_id],
                    code=row.code,
                    name=row.name,
                    name_key=catalog_name_key(row.name),
                    aliases=tuple(a for a in (row.aliases or ()) if a),
                    printed_total=row.printed_total,
                    card_count=row.card_count,
                )
            )
        for row in conn.execution_options(yield_per=5000).execute(
            sa.select(c.c.id, c.c.game_id, c.c.name, c.c.face_names)
        ):
            faces = list(row.face_names or ())
            index.add_card(
                CardEntry(
                    id=row.id,
                    game=GAME_CODE_BY_ID[row.game_id],
                    name=row.name,
                    name_key=catalog_name_key(row.name),
                    keys=_keys(row.name, *faces),
                )
            )
        printed: dict[int, set[str]] = defaultdict(set)
        for row in conn.execution_options(yield_per=5000).execute(
            sa.select(
                p.c.id, p.c.game_id, p.c.card_id, p.c.set_id, p.c.collector_number,
                p.c.sku_set, p.c.sku_number, p.c.language, p.c.finishes, p.c.rarity,
                p.c.rarity_code, p.c.variation, p.c.is_promo, p.c.is_digital, p.c.tcgplayer_id,
                p.c.cardmarket_id, p.c.scryfall_id, p.c.ygoprodeck_id, p.c.printed_name,
            ).order_by(p.c.id)
        ):  # fmt: skip
            game = GAME_CODE_BY_ID[row.game_id]
            index.add_print(
                PrintEntry(
                    id=row.id,
                    game=game,
                    card_id=row.card_id,
                    set_id=row.set_id,
                    collector_number=row.collector_number,
                    number_key=catalog_number_key(game, row.collector_number),
                    sku_set=row.sku_set,
                    sku_number=row.sku_number,
                    language=row.language,
                    finishes=tuple(row.finishes or ()),
                    rarity=row.rarity,
                    rarity_code=row.rarity_code,
                    variation=row.variation,
                    is_promo=bool(row.is_promo),
                    is_digital=bool(row.is_digital),
                    tcgplayer_id=row.tcgplayer_id,
                    cardmarket_id=row.cardmarket_id,
                    scryfall_id=row.scryfall_id,
                    ygoprodeck_id=row.ygoprodeck_id,
                )
            )
            if row.printed_name:
                printed[row.card_id].add(row.printed_name)
        for card_id, names in printed.items():
            card = index.cards.get(card_id)
            if card is not None:
                card.keys = _keys(card.name, *card.keys, *sorted(names))
    return index.finish()


class IndexCache:
    """One index per database URL, rebuilt when `catalog_version` changes (checked at most
    every `ttl` seconds)."""

    def __init__(self, ttl: float = 30.0) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[CatalogIndex, float]] = {}

    def get(self, engine: Engine, *, force_check: bool = False) -> CatalogIndex:
        key = engine.url.render_as_string(hide_password=False)
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is not None and not force_check and now - entry[1] < self.ttl:
            return entry[0]
        with self._lock:
            entry = self._entries.get(key)
            version = catalog_version(engine)
            if entry is not None and entry[0].version == version:
                self._entries[key] = (entry[0], now)
                return entry[0]
            index = build_index(engine, version=version)
            self._entries[key] = (index, now)
            return index

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


#: The process-wide cache used by the API, the jobs and the CLI.
index_cache = IndexCache()
