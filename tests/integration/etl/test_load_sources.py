"""Each real source's fixture sample loads on SQLite and PostgreSQL; loading again is a no-op."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from etl.pipeline import load
from etl.registry import get_source
from models.sku import parse_sku
from tests.integration.etl.helpers import (
    SOURCE_FIXTURES,
    canonical_dump,
    count,
    expected_counts,
    game_counts,
)

pytestmark = pytest.mark.integration


def scalar(engine: Engine, sql: str, **params):
    with engine.connect() as conn:
        return conn.execute(sa.text(sql), params).scalar()


@pytest.mark.parametrize("source_name", list(SOURCE_FIXTURES))
def test_fixture_sample_loads_and_reloading_changes_nothing(
    catalog: Engine, source_name: str
) -> None:
    paths = [SOURCE_FIXTURES[source_name]]
    source = get_source(source_name)
    expected = expected_counts(source_name, paths)

    first = load(source_name, paths, engine=catalog, batch_size=7)
    assert first.ok, first.error
    assert game_counts(catalog, source.game) == expected
    assert first.counts.quarantined == 0
    assert first.counts.bronze_inserted == first.counts.records_read > 0
    assert count(catalog, "bronze_records") == first.counts.bronze_inserted
    tables = first.counts.tables
    assert tables["prints"]["created"] == expected["prints"]
    assert tables["skus"]["created"] == expected["catalog_skus"]
    assert tables["cards"]["created"] == expected["cards"]
    # every SKU parses back to its denormalised components and belongs to its print
    with catalog.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT k.sku, k.game_code, k.set_code, k.number, k.language, k.condition, "
                "k.finish, p.sku_set, p.sku_number, p.language FROM catalog_skus k "
                "JOIN prints p ON p.id = k.print_id"
            )
        ).all()
    for sku, game, set_code, number, language, condition, finish, p_set, p_num, p_lang in rows:
        parts = parse_sku(sku)
        assert (parts.game, parts.set_token, parts.number_token, parts.language) == (
            game,
            set_code,
            number,
            language,
        )
        assert (parts.condition, parts.finish) == (condition, finish)
        assert (set_code, number, language) == (p_set, p_num, p_lang)
    # the job row holds the counts
    with catalog.connect() as conn:
        job = conn.execute(
            sa.text("SELECT status, records_read, created, stats FROM etl_jobs WHERE id = :id"),
            {"id": first.job_id},
        ).one()
    assert job.status == "succeeded"
    assert job.records_read == first.counts.records_read
    assert job.created == first.counts.created
    before = canonical_dump(catalog)
    outbox_before = count(catalog, "index_outbox")

    # again: every unit is skipped by its checkpoint
    again = load(source_name, paths, engine=catalog)
    assert again.ok
    assert again.counts.units_skipped == again.counts.units_total > 0
    assert again.counts.records_read == 0
    assert again.counts.created == again.counts.updated == 0

    # again with --force: everything is read, nothing is written
    forced = load(source_name, paths, engine=catalog, force=True, batch_size=5)
    assert forced.ok
    assert forced.counts.records_read == first.counts.records_read
    assert forced.counts.created == forced.counts.updated == 0
    assert forced.counts.bronze_inserted == 0
    assert forced.counts.outbox == 0
    assert canonical_dump(catalog) == before
    assert count(catalog, "index_outbox") == outbox_before
    assert count(catalog, "etl_pending_rows") == 0


def test_real_field_values(catalog: Engine) -> None:
    for name, path in SOURCE_FIXTURES.items():
        assert load(name, [path], engine=catalog).ok
    # Pokémon: set metadata from sets/en.json, not the thin set of the prints
    with catalog.connect() as conn:
        row = conn.execute(
            sa.text(
                "SELECT name, series, printed_total, card_count FROM card_sets "
                "WHERE game_id = 2 AND code = 'SV3PT5'"
            )
        ).one()
    assert tuple(row) == ("151", "Scarlet & Violet", 165, 207)
    assert (
        scalar(
            catalog,
            "SELECT hp FROM cards c JOIN prints p ON p.card_id = c.id "
            "WHERE p.print_key = 'base1-4'",
        )
        == 120
    )
    assert (
        scalar(catalog, "SELECT count(*) FROM catalog_skus WHERE sku LIKE 'POKEMON-BASE1-4-EN-%'")
        == 10
    )  # Charizard: 1st edition holo and unlimited holo, five conditions each
    assert scalar(
        catalog, "SELECT id FROM catalog_skus WHERE sku = 'POKEMON-BASE1-4-EN-NM-1ST_HOLO'"
    )
    # Yu-Gi-Oh!: one card, a print per set code and rarity
    assert (
        scalar(
            catalog,
            "SELECT atk FROM cards WHERE game_id = 3 AND name = 'Castel, the Skyblaster Musketeer'",
        )
        == 2000
    )
    assert (
        scalar(
            catalog,
            "SELECT count(*) FROM prints p JOIN cards c ON c.id = p.card_id "
            "WHERE c.name = 'Book of Moon'",
        )
        >= 2
    )
    # One Piece: the alternate art is its own print of the same card
    assert (
        scalar(
            catalog,
            "SELECT count(*) FROM prints WHERE game_id = 4 AND print_key LIKE 'EN:OP01:OP01-001%'",
        )
        == 2
    )
    assert scalar(catalog, "SELECT id FROM catalog_skus WHERE sku = 'OPTCG-OP01-001P1-EN-NM-FOIL'")
    # Magic: a split/MDFC name and the set of a 2019 print
    assert scalar(
        catalog,
        "SELECT c.name FROM cards c JOIN prints p ON p.card_id = c.id "
        "WHERE p.print_key = '1d743ad6-6ca2-409a-9773-581cc195dbf2'",
    ) == ("Hanweir Battlements")
    assert scalar(catalog, "SELECT id FROM catalog_skus WHERE sku = 'MTG-EMN-204A-EN-NM-FOIL'")
    # every created print is in the outbox
    assert scalar(catalog, "SELECT count(DISTINCT print_id) FROM index_outbox") == count(
        catalog, "prints"
    )
