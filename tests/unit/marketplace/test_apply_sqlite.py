"""The service on SQLite (the embedded default): same results as on PostgreSQL."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

import marketplace.models  # noqa: F401  (registers the tables)
from marketplace import samples
from marketplace.aggregates import SKU_COLUMNS
from marketplace.apply import apply_events
from marketplace.events import parse_event
from models import Base, CatalogSku, Game
from models.db import make_engine
from models.games import game_rows
from tests.factories import catalog as factory

AT = datetime(2026, 11, 10, 12, tzinfo=UTC)


@pytest.fixture
def db(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'events.db'}")
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(sa.insert(Game), game_rows())
    with Session(engine) as s:
        cs = factory.card_set(s, code="SQL")
        skus = []
        for n in range(4):
            p = factory.print_(
                s, card=factory.card(s, name=f"C{n}"), card_set=cs, collector_number=str(n + 1)
            )
            skus += [k.sku for k in factory.skus_for(s, print_row=p)]
        s.commit()
    engine.skus = skus
    yield engine
    engine.dispose()


def apply(db, raw, batch=200):
    for start in range(0, len(raw), batch):
        with Session(db) as session, session.begin():
            apply_events(session, [parse_event(e) for e in raw[start : start + batch]])


def snapshot(db):
    cols = [c for c in SKU_COLUMNS if c not in ("avg_price", "price_updated_at")]
    with db.connect() as conn:
        stmt = sa.select(CatalogSku.sku, *[getattr(CatalogSku, c) for c in cols])
        return {r[0]: tuple(r[1:]) for r in conn.execute(stmt.order_by(CatalogSku.id))}


def test_listing_and_out_of_order_update(db):
    sku = db.skus[0]
    apply(db, [samples.updated(sku, "v1", price="3.00", at=AT.replace(hour=13), event_id="u")])
    apply(db, [samples.listed(sku, "v1", price="1.00", quantity=2, at=AT, event_id="l")])
    apply(db, [samples.listed(sku, "v1", price="1.00", quantity=2, at=AT, event_id="l")])
    row = snapshot(db)[sku]
    assert row[0] is True and row[6] == Decimal("3.00") and row[5] == 2


def test_replay_and_shuffle_give_the_same_aggregates(db):
    raw = list(samples.random_stream(db.skus, 2000, seed=4))
    apply(db, raw)
    once = snapshot(db)
    apply(db, raw)
    assert snapshot(db) == once
    with db.begin() as conn:
        for table in ("market_listings", "market_sales", "processed_events", "price_history"):
            conn.execute(sa.text(f"DELETE FROM {table}"))
    shuffled = raw[:]
    random.Random(2).shuffle(shuffled)
    apply(db, shuffled, batch=77)
    assert snapshot(db) == once
