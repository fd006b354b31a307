"""A card's first print in a language queues its other prints for the index (their documents'
`card_languages` change); a print in a language the card has already queues nobody else."""

from __future__ import annotations

from sqlalchemy.orm import Session

from etl.card_languages import prints_of_cards_gaining_a_language
from tests.factories import catalog as f


def test_a_new_language_touches_the_cards_other_prints(db_session: Session) -> None:
    neo, dmu = f.card_set(db_session), f.card_set(db_session)
    bolt, other = f.card(db_session, name="Bolt"), f.card(db_session, name="Other")
    en_1 = f.print_(db_session, card=bolt, card_set=neo, collector_number="1")
    en_2 = f.print_(db_session, card=bolt, card_set=dmu, collector_number="1")
    f.print_(db_session, card=other, card_set=neo, collector_number="2")
    conn = db_session.connection()

    de_1 = f.print_(db_session, card=bolt, card_set=neo, collector_number="1", language="DE")
    touched = prints_of_cards_gaining_a_language(conn, created_print_ids=[de_1.id])
    assert touched == {en_1.id, en_2.id}

    # two new Japanese prints of one card in one batch: still a new language for the card
    ja_1 = f.print_(db_session, card=bolt, card_set=neo, collector_number="1", language="JA")
    ja_2 = f.print_(db_session, card=bolt, card_set=dmu, collector_number="1", language="JA")
    touched = prints_of_cards_gaining_a_language(conn, created_print_ids=[ja_1.id, ja_2.id])
    assert touched == {en_1.id, en_2.id, de_1.id}


def test_a_reprint_in_a_known_language_touches_nobody_else(db_session: Session) -> None:
    neo, dmu = f.card_set(db_session), f.card_set(db_session)
    bolt = f.card(db_session, name="Bolt")
    f.print_(db_session, card=bolt, card_set=neo, collector_number="1")
    f.print_(db_session, card=bolt, card_set=neo, collector_number="1", language="DE")
    conn = db_session.connection()

    reprint = f.print_(db_session, card=bolt, card_set=dmu, collector_number="9")
    german = f.print_(db_session, card=bolt, card_set=dmu, collector_number="9", language="DE")
    assert prints_of_cards_gaining_a_language(conn, created_print_ids=[reprint.id]) == set()
    assert prints_of_cards_gaining_a_language(conn, created_print_ids=[german.id]) == set()
    assert prints_of_cards_gaining_a_language(conn, created_print_ids=[]) == set()
