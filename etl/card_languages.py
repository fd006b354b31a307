"""Prints whose search documents change when their card gains a language.

A search document carries `card_languages`, every language its card is printed in (the
shopper's language rule, indexer/languages.py). A new print in a language the card had no
print in changes that list in the documents of all the card's other prints, so the loader
queues them for the index too. A new print in a language the card already has (a reprint)
changes nobody else's document.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy.engine import Connection

from etl.prepare import PRINTS
from models.bulk import select_in


def prints_of_cards_gaining_a_language(
    conn: Connection, *, created_print_ids: Iterable[int]
) -> set[int]:
    """The other prints of every card that one of `created_print_ids` gives a new language
    (no print of that card in that language existed before them)."""
    created = set(created_print_ids)
    if not created:
        return set()
    new = Counter(
        (row.card_id, row.language)
        for row in select_in(conn, [PRINTS.c.card_id, PRINTS.c.language], PRINTS.c.id, created)
    )
    rows = select_in(
        conn,
        [PRINTS.c.id, PRINTS.c.card_id, PRINTS.c.language],
        PRINTS.c.card_id,
        {card_id for card_id, _ in new},
    )
    existing = Counter((row.card_id, row.language) for row in rows)
    gaining = {key[0] for key, count in new.items() if existing[key] == count}
    return {row.id for row in rows if row.card_id in gaining and row.id not in created}
