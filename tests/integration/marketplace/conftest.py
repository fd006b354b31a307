"""A committed PostgreSQL catalog for the event tests (the API, the stream consumers and the
subprocess workers all commit): one database per xdist worker, its marketplace state reset
before each test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

import marketplace.models
from marketplace.aggregates import SKU_COLUMNS
from models import CatalogSku, migrate
from models.bulk import column_defaults
from models.db import make_engine
from tests.conftest import worker_id
from tests.factories import catalog as factory
from tests.integration.conftest import create_database, drop_database

MARKET_TABLES = (*(t.name for t in marketplace.models.TABLES), "index_outbox")


@dataclass
class EventsDb:
    url: str
    engine: Engine
    skus: list[str]
    print_of: dict[str, int]
    card_names: dict[int, str]

    def reset(self) -> None:
        # what a SKU without marketplace data has: the model's defaults, None where it has none
        model_defaults = column_defaults(CatalogSku.__table__)
        defaults = {c: model_defaults.get(c) for c in SKU_COLUMNS}
        with self.engine.begin() as conn:
            conn.execute(sa.text(f"TRUNCATE {', '.join(MARKET_TABLES)}"))
            conn.execute(sa.update(CatalogSku).values(**defaults))

    def snapshot(self) -> dict[str, tuple]:
        cols = [getattr(CatalogSku, c) for c in SKU_COLUMNS]
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(CatalogSku.sku, *cols).order_by(CatalogSku.id))
            return {r[0]: tuple(r[1:]) for r in rows}

    def count(self, table: str) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()

    def sku_row(self, sku: str) -> dict:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(CatalogSku).where(CatalogSku.sku == sku)).mappings().one()
            return dict(row)


def seed(engine: Engine, *, prints: int = 20) -> tuple[list[str], dict[str, int], dict[int, str]]:
    skus, print_of, names = [], {}, {}
    with Session(engine) as s:
        card_set = factory.card_set(s, code="EVT", name="Events Test Set")
        for n in range(prints):
            card = factory.card(s, name=f"Market Card {n:02d}")
            row = factory.print_(s, card=card, card_set=card_set, collector_number=str(n + 1))
            names[row.id] = card.name
            for sku in factory.skus_for(s, print_row=row):
                skus.append(sku.sku)
                print_of[sku.sku] = row.id
        s.commit()
    return skus, print_of, names


@pytest.fixture(scope="session")
def events_db_session(postgres_admin_url: str) -> Iterator[EventsDb]:
    name = f"sidedecked_test_{worker_id()}_events"
    url = create_database(postgres_admin_url, name)
    migrate.upgrade(url=url)
    engine = make_engine(url)
    skus, print_of, names = seed(engine)
    yield EventsDb(url, engine, skus, print_of, names)
    engine.dispose()
    drop_database(postgres_admin_url, name)


@pytest.fixture
def events_db(events_db_session: EventsDb) -> EventsDb:
    events_db_session.reset()
    return events_db_session


@pytest.fixture
def redis_url() -> str:
    """Other suites flush their worker's Redis database at any time: the event tests use a
    database of their own (never flushed) and keys private to each test."""
    from tests.conftest import TEST_REDIS_URL, worker_index
    from tests.integration.conftest import make_redis_url

    return make_redis_url(TEST_REDIS_URL, db=15 - worker_index() % 8)
