"""The names index: one entry per card name and game, what autocomplete searches.

A Pokémon card reprinted in forty sets is forty cards and a hundred prints, but one thing a
shopper types; the entry carries what a suggestion needs (the display name, face names, the
best card) and what ranks it (its name keys and words, popularity). `build_name_entry` is the
one pure function making an entry from the cards sharing a name key; a full rebuild fills a new
names index beside the new prints index from `card_names` (one grouped query) and swaps both
together; the outbox drain recomputes the entries of the cards it touched (`update_names`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from indexer.catalog import AnySelect
from indexer.documents import POPULARITY_WEIGHTS
from indexer.engine import RebuildTarget, SearchEngine
from models import Card, CatalogSku, Print
from models.games import GAME_CODE_BY_ID
from models.text import name_key, words

#: Popularity above this sorts as this (the sort key has a fixed width).
POPULARITY_CAP = 10**13 - 1


@dataclass(frozen=True, slots=True)
class CardName:
    """What the names index needs of one card; `popularity` is the card's, over all its prints
    (the sum of its prints' `popularity`)."""

    card_id: int
    game: str
    name: str
    face_names: tuple[str, ...] = ()
    popularity: int = 0


def entry_id(game: str, key: str) -> str:
    return f"{game}:{key}"


def sort_key(popularity: int, key: str, game: str) -> str:
    """Orders the entries of one suggestion tier: most popular first, then by name key (a name
    before the longer names it starts), then game. Keys are `[a-z0-9 ]`, so the separator,
    below the space, keeps `pikachu` before `pikachu v`."""
    inverse = POPULARITY_CAP - min(max(popularity, 0), POPULARITY_CAP)
    return f"{inverse:013d}\x01{key}\x01{game}"


def _distinct_words(names: Iterable[str]) -> str:
    out: dict[str, None] = {}
    for name in names:
        for word in (*words(name), *name_key(name).split()):  # `professor`, `s`, `professors`
            out[word] = None
    return " ".join(out)


def build_name_entry(cards: Sequence[CardName]) -> dict[str, Any]:
    """The entry of cards sharing a game and a name key (`analysis.name_key`): shown as the most
    popular card (the lowest id among equals), ranked by its popularity (the max over the
    cards), matched by every spelling's words and by the keys of the name and its faces."""
    best = min(cards, key=lambda c: (-c.popularity, c.card_id))
    key = name_key(best.name)
    spellings = sorted({card.name for card in cards})
    return {
        "id": entry_id(best.game, key),
        "game": best.game,
        "name": best.name,
        "face_names": list(best.face_names),
        "card_id": best.card_id,
        "card_ids": sorted({card.card_id for card in cards}),
        "spellings": spellings,
        "popularity": best.popularity,
        "key": key,
        "keys": sorted({k for n in (best.name, *best.face_names) if (k := name_key(n))}),
        "words": _distinct_words([*spellings, *best.face_names]),
        "sort_key": sort_key(best.popularity, key, best.game),
    }


def name_entries(cards: Iterable[CardName]) -> list[dict[str, Any]]:
    """One entry per game and name key, in id order."""
    groups: dict[tuple[str, str], list[CardName]] = defaultdict(list)
    for card in cards:
        key = name_key(card.name)
        if key:
            groups[(card.game, key)].append(card)
    return [build_name_entry(group) for _, group in sorted(groups.items())]


def card_names_from_documents(docs: Iterable[dict[str, Any]]) -> list[CardName]:
    """The cards of print documents (popularity summed over each card's prints): what
    `card_names` reads from the catalog, for a set of documents."""
    cards: dict[int, CardName] = {}
    for doc in docs:
        seen = cards.get(doc["card_id"])
        popularity = (seen.popularity if seen else 0) + int(doc.get("popularity") or 0)
        cards[doc["card_id"]] = CardName(
            doc["card_id"], doc["game"], doc["name"], tuple(doc.get("face_names") or ()), popularity
        )
    return list(cards.values())


def card_names_query(names: Collection[str] | None = None) -> AnySelect:
    """Every card with at least one print (or those named one of `names`) with its popularity
    over all its prints' SKUs (the weights of the documents' `popularity`)."""
    sku = CatalogSku
    weighted = sum(getattr(sku, field) * weight for field, weight in POPULARITY_WEIGHTS.items())
    cards_popularity = (
        sa.select(
            Print.card_id.label("card_id"),
            sa.func.coalesce(sa.func.sum(weighted), 0).label("popularity"),
        )
        .select_from(Print)
        .outerjoin(sku, sku.print_id == Print.id)
        .group_by(Print.card_id)
    )
    if names is not None:
        named = sa.select(Card.id).where(Card.name.in_(sorted(names)))
        cards_popularity = cards_popularity.where(Print.card_id.in_(named))
    per_card = cards_popularity.subquery("per_card")
    return (
        sa.select(Card.id, Card.game_id, Card.name, Card.face_names, per_card.c.popularity)
        .join(per_card, per_card.c.card_id == Card.id)
        .order_by(Card.id)
    )


def card_names(conn: Connection, names: Collection[str] | None = None) -> Iterator[CardName]:
    """The catalog's cards (with prints) as `CardName`s, or only those named one of `names`."""
    if names is not None and not names:
        return
    for row in conn.execute(card_names_query(names)):
        game = GAME_CODE_BY_ID.get(row.game_id, str(row.game_id))
        faces = tuple(row.face_names or ())
        yield CardName(row.id, game, row.name, faces, int(row.popularity or 0))


def load_names(conn: Connection, engine: SearchEngine, target: RebuildTarget) -> int:
    """Fill the names index of a rebuild's `target` from the catalog; returns the entries."""
    return engine.load_names(target, name_entries(card_names(conn)))


def update_names(conn: Connection, engine: SearchEngine, docs: Iterable[dict[str, Any]]) -> int:
    """Recompute the live entries of the cards of `docs` (the outbox drain's documents): the
    entries of their names now, and those that named them before (a renamed card leaves its old
    name), from every card sharing those names. Entries left without a card are deleted.
    Returns the entries written."""
    docs = list(docs)
    if not docs:
        return 0
    spellings = {(doc["game"], doc["name"]) for doc in docs}
    ids = {entry_id(game, name_key(name)) for game, name in spellings}
    for entry in engine.find_names(ids=ids, card_ids={doc["card_id"] for doc in docs}):
        ids.add(entry["id"])
        spellings |= {(entry["game"], spelling) for spelling in entry["spellings"]}
    cards = card_names(conn, {name for _, name in spellings})
    entries = [
        entry
        for entry in name_entries(c for c in cards if (c.game, c.name) in spellings)
        if entry["id"] in ids
    ]
    gone = ids - {entry["id"] for entry in entries}
    return engine.update_names(entries, delete_ids=sorted(gone))
