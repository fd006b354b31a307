"""Engines and a small real catalog for the rebuild and outbox tests."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from indexer.engine import SearchEngine
from models import Base, Game
from models.db import make_engine
from models.games import game_rows
from models.locks import FileLease
from tests.factories import catalog as factory

_numbers = itertools.count()


@pytest.fixture(params=["tantivy", "opensearch"])
def any_engine(request, tmp_path) -> Iterator[SearchEngine]:
    """Each test runs once per engine."""
    if request.param == "tantivy":
        from indexer.engines.tantivy_engine import TantivyEngine

        engine: SearchEngine = TantivyEngine(directory=tmp_path / "index")
    else:
        from indexer.engines.opensearch import OpenSearchEngine

        url = request.getfixturevalue("opensearch_url")
        prefix = request.getfixturevalue("opensearch_prefix")
        engine = OpenSearchEngine(url=url, prefix=f"{prefix}-db{next(_numbers)}")
    yield engine
    engine.close()


@pytest.fixture
def lease(tmp_path) -> FileLease:
    return FileLease(tmp_path / "writer.lock")


def create_catalog_schema(db: Engine) -> None:
    Base.metadata.create_all(db)
    with db.begin() as conn:
        conn.execute(sa.insert(Game), game_rows())


@pytest.fixture
def catalog_db(tmp_path) -> Iterator[Engine]:
    """A fresh SQLite catalog (schema from the models)."""
    db = make_engine(f"sqlite:///{tmp_path / 'catalog.db'}")
    create_catalog_schema(db)
    yield db
    db.dispose()


def seed_catalog(db: Engine, *, filler: int = 0) -> dict[str, int]:
    """A few real cards (ids by name) plus `filler` extra prints of a filler card."""
    with Session(db) as s:
        m10 = factory.card_set(s, code="M10", name="Magic 2010")
        sv2 = factory.card_set(
            s, game="POKEMON", code="SV2", name="Paldea Evolved", aliases=["PAL"], printed_total=193
        )
        bolt = factory.card(s, name="Lightning Bolt", colors=["R"], mana_value=1, types=["Instant"])
        vault = factory.card(s, name="Lim-Dûl's Vault", colors=["U", "B"], types=["Instant"])
        pika = factory.card(s, game="POKEMON", name="Pikachu", hp=60, supertypes=["Pokémon"])
        bolt_print = factory.print_(
            s, card=bolt, card_set=m10, collector_number="146", rarity="common"
        )
        factory.print_(s, card=vault, card_set=m10, collector_number="300", rarity="rare")
        pika_print = factory.print_(
            s,
            card=pika,
            card_set=sv2,
            collector_number="62",
            rarity="Common",
            finishes=("NORMAL", "REVERSE_HOLO"),
        )
        skus = factory.skus_for(s, print_row=bolt_print)
        skus[0].is_available_b2c, skus[0].min_price, skus[0].max_price = True, 1, 2
        factory.skus_for(s, print_row=pika_print, game="POKEMON")
        if filler:
            grizzly = factory.card(s, name="Grizzly Bears", colors=["G"], types=["Creature"])
            for n in range(filler):
                factory.print_(
                    s,
                    card=grizzly,
                    card_set=m10,
                    collector_number=str(1000 + n),
                    language="EN",
                    sku_number=f"G{n}",
                )
        s.commit()
        return {"bolt": bolt.id, "vault": vault.id, "pikachu": pika.id, "bolt_print": bolt_print.id}
