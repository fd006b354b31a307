"""Incremental updates through the outbox, on both engines (and the outbox on PostgreSQL)."""

from __future__ import annotations

import time

import sqlalchemy as sa
from sqlalchemy.orm import Session

import indexer.rebuild as rebuild_module
from indexer.engine import EngineUnavailableError
from indexer.outbox import drain_outbox, pending_count
from indexer.query import SearchRequest, Text
from indexer.rebuild import rebuild
from models import Card, CardSet, CatalogSku, IndexOutbox, Print
from models.db import make_engine
from models.migrate import upgrade
from models.outbox import record_touched_cards, record_touched_prints
from tests.factories import catalog as factory
from tests.integration.indexer.conftest import seed_catalog
from tests.integration.indexer.corpus import names


def search_names(engine, text):
    return names(engine.search(SearchRequest(query=Text(text))))


def eventually(check, timeout: float = 5.0):
    """Changes become searchable within seconds (OpenSearch refreshes every second)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def shows(engine, text, expected):
    def check():
        assert search_names(engine, text) == expected

    eventually(check)


def rename_card(db, card_id: int, name: str) -> None:
    """An ETL-style write: the change and its outbox rows in one transaction."""
    with db.begin() as conn:
        conn.execute(sa.update(Card).where(Card.id == card_id).values(name=name))
        record_touched_cards(conn, [card_id], reason="etl")


def test_an_etl_change_shows_up_after_the_drain(any_engine, catalog_db, lease):
    ids = seed_catalog(catalog_db)
    rebuild(engine=any_engine, db=catalog_db, lease=lease)
    rename_card(catalog_db, ids["bolt"], "Lightning Bolt (Retro)")
    assert pending_count(catalog_db) == 1
    started = time.monotonic()
    report = drain_outbox(engine=any_engine, db=catalog_db, lease=lease)
    assert (report.rows, report.indexed, report.deleted) == (1, 1, 0)
    shows(any_engine, "bolt retro", ["Lightning Bolt (Retro)"])
    assert time.monotonic() - started < 5
    assert pending_count(catalog_db) == 0


def test_marketplace_change_and_deleted_print(any_engine, catalog_db, lease):
    ids = seed_catalog(catalog_db)
    rebuild(engine=any_engine, db=catalog_db, lease=lease)
    with catalog_db.begin() as conn:
        conn.execute(
            sa.update(CatalogSku)
            .where(CatalogSku.print_id == ids["bolt_print"])
            .values(is_available_c2c=True, min_price=0.3, max_price=0.3)
        )
        record_touched_prints(conn, [ids["bolt_print"]], reason="marketplace")
        vault_print = conn.execute(
            sa.select(Print.id).where(Print.card_id == ids["vault"])
        ).scalar()
        conn.execute(sa.delete(Print).where(Print.id == vault_print))
        record_touched_prints(conn, [vault_print], reason="admin")
    report = drain_outbox(engine=any_engine, db=catalog_db, lease=lease)
    assert (report.rows, report.indexed, report.deleted) == (2, 1, 1)
    shows(any_engine, "lim dul", [])
    bolt = any_engine.search(SearchRequest(query=Text("bolt"))).hits[0].document
    assert bolt["price"] == 0.3 and bolt["available"] == ["b2c", "c2c"]
    assert any_engine.count() == 2


def test_drain_waits_while_a_rebuild_holds_the_lease(any_engine, catalog_db, lease):
    ids = seed_catalog(catalog_db)
    rebuild(engine=any_engine, db=catalog_db, lease=lease)
    rename_card(catalog_db, ids["pikachu"], "Pikachu ex")
    token = lease.acquire()
    report = drain_outbox(engine=any_engine, db=catalog_db, lease=lease)
    assert report.skipped_locked and pending_count(catalog_db) == 1
    lease.release(token)
    assert drain_outbox(engine=any_engine, db=catalog_db, lease=lease).rows == 1
    shows(any_engine, "pikachu ex", ["Pikachu ex"])


def test_a_change_committed_during_a_rebuild_is_not_lost(
    any_engine, catalog_db, lease, monkeypatch
):
    ids = seed_catalog(catalog_db, filler=20)
    rebuild(engine=any_engine, db=catalog_db, lease=lease)
    real = rebuild_module.stream_documents
    attempts = []

    def stream_with_a_concurrent_write(conn, **kwargs):
        for n, doc in enumerate(real(conn, **kwargs)):
            if n == 5:  # the snapshot is taken; a write lands and a drain is attempted
                rename_card(catalog_db, ids["bolt"], "Lightning Bolt Mk II")
                attempts.append(drain_outbox(engine=any_engine, db=catalog_db, lease=lease))
            yield doc

    monkeypatch.setattr(rebuild_module, "stream_documents", stream_with_a_concurrent_write)
    report = rebuild(engine=any_engine, db=catalog_db, lease=lease)
    assert attempts[0].skipped_locked
    assert report.drained is not None and report.drained.rows == 1  # replayed after the swap
    shows(any_engine, "bolt mk ii", ["Lightning Bolt Mk II"])
    assert pending_count(catalog_db) == 0


class _DownEngine:
    """Stands in for an engine that cannot be reached."""

    kind = "down"

    def index_documents(self, docs):
        raise EngineUnavailableError("connection refused")

    def delete_documents(self, ids):
        raise EngineUnavailableError("connection refused")


def test_rows_wait_in_the_outbox_while_the_engine_is_down(any_engine, catalog_db, lease):
    ids = seed_catalog(catalog_db)
    rebuild(engine=any_engine, db=catalog_db, lease=lease)
    rename_card(catalog_db, ids["vault"], "Lim-Dûl's Hidden Vault")
    report = drain_outbox(engine=_DownEngine(), db=catalog_db, lease=lease)
    assert report.error and report.rows == 0 and pending_count(catalog_db) == 1
    assert drain_outbox(engine=any_engine, db=catalog_db, lease=lease).rows == 1
    shows(any_engine, "hidden vault", ["Lim-Dûl's Hidden Vault"])


def test_outbox_on_postgres(empty_database_url, tmp_path, lease):
    from indexer.engines.tantivy_engine import TantivyEngine

    upgrade(url=empty_database_url)
    db = make_engine(empty_database_url)
    try:
        ids = seed_catalog(db)
        engine = TantivyEngine(directory=tmp_path / "pg-index")
        rebuild(engine=engine, db=db, lease=lease)
        rename_card(db, ids["bolt"], "Lightning Bolt Deluxe")
        with db.begin() as conn:
            assert conn.execute(sa.select(IndexOutbox.reason)).scalars().all() == ["etl"]
        assert drain_outbox(engine=engine, db=db, lease=lease, batch_size=1).rows == 1
        assert search_names(engine, "bolt deluxe") == ["Lightning Bolt Deluxe"]
    finally:
        db.dispose()


def test_rows_committed_before_a_rebuild_are_covered_by_it(any_engine, catalog_db, lease):
    ids = seed_catalog(catalog_db)
    rename_card(catalog_db, ids["bolt"], "Lightning Bolt Prime")  # e.g. the ETL's own rows
    report = rebuild(engine=any_engine, db=catalog_db, lease=lease)
    assert report.outbox_covered == 1 and report.drained.rows == 0
    assert pending_count(catalog_db) == 0
    assert search_names(any_engine, "bolt prime") == ["Lightning Bolt Prime"]


def suggested(engine, text):
    engine.refresh()
    return [(s.name, s.card_id) for s in engine.suggest(text)]


def test_the_drain_keeps_the_names_index_current(any_engine, catalog_db, lease):
    ids = seed_catalog(catalog_db)
    rebuild(engine=any_engine, db=catalog_db, lease=lease)
    assert suggested(any_engine, "pika") == [("Pikachu", ids["pikachu"])]
    # a renamed card leaves its old name and takes the new one
    rename_card(catalog_db, ids["bolt"], "Lightning Bolt (Retro)")
    drain_outbox(engine=any_engine, db=catalog_db, lease=lease)
    assert suggested(any_engine, "lightning") == [("Lightning Bolt (Retro)", ids["bolt"])]
    assert any_engine.find_names(ids=["MTG:lightning bolt"]) == []
    # a new card of a name joins its entry, which shows the most popular card
    with Session(catalog_db) as s:
        sv2 = s.execute(sa.select(CardSet).where(CardSet.code == "SV2")).scalar_one()
        reprint = factory.card(s, game="POKEMON", name="Pikachu", hp=70, supertypes=["Pokémon"])
        row = factory.print_(s, card=reprint, card_set=sv2, collector_number="63")
        for sku in factory.skus_for(s, print_row=row, game="POKEMON"):
            sku.view_count = 4
        record_touched_prints(s, [row.id], reason="etl")
        s.commit()
        reprint_id = reprint.id
    drain_outbox(engine=any_engine, db=catalog_db, lease=lease)
    assert suggested(any_engine, "pika") == [("Pikachu", reprint_id)]
    (entry,) = any_engine.find_names(ids=["POKEMON:pikachu"])
    assert entry["card_ids"] == sorted([ids["pikachu"], reprint_id]) and entry["popularity"] > 0


def test_a_bounded_drain_stops_after_the_batch_in_hand_and_says_more(any_engine, catalog_db, lease):
    ids = seed_catalog(catalog_db)
    rebuild(engine=any_engine, db=catalog_db, lease=lease)
    rename_card(catalog_db, ids["bolt"], "Lightning Bolt (Retro)")
    rename_card(catalog_db, ids["vault"], "Black Vault (Retro)")
    first = drain_outbox(
        engine=any_engine, db=catalog_db, lease=lease, batch_size=1, max_seconds=0.0
    )
    assert (first.rows, first.more) == (1, True)
    assert pending_count(catalog_db) == 1
    rest = drain_outbox(engine=any_engine, db=catalog_db, lease=lease, batch_size=1)
    assert (rest.rows, rest.more) == (1, False)
    assert pending_count(catalog_db) == 0
