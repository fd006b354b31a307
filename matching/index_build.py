"""Building the matcher index from the catalog tables (`build_index`: sets, cards, prints,
the data files, the name blocks) and the per-process cache that rebuilds it when the catalog
changes (`index_cache`, keyed by `catalog_version`).
"""

from __future__ import annotations

import html
import threading
import time
from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from matching.index import CardEntry, CatalogIndex, PrintEntry, SetEntry, catalog_number_key
from models.catalog import Card, CardSet, Print
from models.games import GAME_CODE_BY_ID
from models.text import listing_key


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
        for set_row in conn.execute(
            sa.select(
                s.c.id,
                s.c.game_id,
                s.c.code,
                s.c.name,
                s.c.aliases,
                s.c.printed_total,
                s.c.card_count,
            )
        ):
            index.add_set(
                SetEntry(
                    id=set_row.id,
                    game=GAME_CODE_BY_ID[set_row.game_id],
                    code=set_row.code,
                    name=set_row.name,
                    name_key=catalog_name_key(set_row.name),
                    aliases=tuple(a for a in (set_row.aliases or ()) if a),
                    printed_total=set_row.printed_total,
                    card_count=set_row.card_count,
                )
            )
        for card_row in conn.execution_options(yield_per=5000).execute(
            sa.select(c.c.id, c.c.game_id, c.c.name, c.c.face_names)
        ):
            faces = list(card_row.face_names or ())
            index.add_card(
                CardEntry(
                    id=card_row.id,
                    game=GAME_CODE_BY_ID[card_row.game_id],
                    name=card_row.name,
                    name_key=catalog_name_key(card_row.name),
                    keys=_keys(card_row.name, *faces),
                )
            )
        printed: dict[int, set[str]] = defaultdict(set)
        for print_row in conn.execution_options(yield_per=5000).execute(
            sa.select(
                p.c.id,
                p.c.game_id,
                p.c.card_id,
                p.c.set_id,
                p.c.collector_number,
                p.c.sku_set,
                p.c.sku_number,
                p.c.language,
                p.c.finishes,
                p.c.rarity,
                p.c.rarity_code,
                p.c.variation,
                p.c.is_promo,
                p.c.is_digital,
                p.c.tcgplayer_id,
                p.c.cardmarket_id,
                p.c.scryfall_id,
                p.c.ygoprodeck_id,
                p.c.printed_name,
            ).order_by(p.c.id)
        ):
            game = GAME_CODE_BY_ID[print_row.game_id]
            index.add_print(
                PrintEntry(
                    id=print_row.id,
                    game=game,
                    card_id=print_row.card_id,
                    set_id=print_row.set_id,
                    collector_number=print_row.collector_number,
                    number_key=catalog_number_key(game, print_row.collector_number),
                    sku_set=print_row.sku_set,
                    sku_number=print_row.sku_number,
                    language=print_row.language,
                    finishes=tuple(print_row.finishes or ()),
                    rarity=print_row.rarity,
                    rarity_code=print_row.rarity_code,
                    variation=print_row.variation,
                    is_promo=bool(print_row.is_promo),
                    is_digital=bool(print_row.is_digital),
                    tcgplayer_id=print_row.tcgplayer_id,
                    cardmarket_id=print_row.cardmarket_id,
                    scryfall_id=print_row.scryfall_id,
                    ygoprodeck_id=print_row.ygoprodeck_id,
                )
            )
            if print_row.printed_name:
                printed[print_row.card_id].add(print_row.printed_name)
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
