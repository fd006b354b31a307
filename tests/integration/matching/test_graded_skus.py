"""Graded SKUs are made on first use (etl/graded_skus.py): exactly one row per SKU
string under concurrency, on PostgreSQL (threads and processes) and on SQLite (threads), and
from then on a SKU like any other: matching answers, bulk jobs, a consumer's pick, by-sku
lookups, marketplace events and the availability a search document shows."""

from __future__ import annotations

import json
import multiprocessing
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from etl.graded_skus import OUTBOX_REASON, ensure_sku, ensure_skus
from indexer.catalog import documents_for
from marketplace import samples
from marketplace.apply import apply_events
from marketplace.events import parse_event
from models import CatalogSku, IndexOutbox, migrate
from models.db import make_engine
from tests.integration.matching.conftest import bearer, wait_for_job

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
WRITERS = 8


def _base_sku(engine: Engine, pattern: str) -> str:
    with engine.connect() as conn:
        sku = conn.execute(
            sa.select(CatalogSku.sku)
            .where(CatalogSku.sku.like(pattern), CatalogSku.grade_company.is_(None))
            .order_by(CatalogSku.id)
            .limit(1)
        ).scalar()
    assert sku, pattern
    return sku


def _rows(engine: Engine, sku: str) -> list[sa.Row]:
    with engine.connect() as conn:
        return list(conn.execute(sa.select(CatalogSku.__table__).where(CatalogSku.sku == sku)))


def _create_at_once(engine: Engine, sku: str, writers: int = WRITERS) -> list[int]:
    """`writers` threads, each in its own transaction, create `sku` at the same moment and
    hold their transaction a little, so the others meet the uncommitted row."""
    barrier = threading.Barrier(writers)
    ids: list[int] = []
    errors: list[BaseException] = []

    def write() -> None:
        try:
            with engine.connect() as conn, conn.begin():
                barrier.wait(timeout=30)
                row = ensure_sku(conn, sku)
                assert row is not None
                time.sleep(0.05)
            ids.append(row.id)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return ids


def _check_one_row(engine: Engine, base: str, graded: str, ids: list[int]) -> None:
    assert len(ids) == WRITERS and len(set(ids)) == 1, ids
    rows = _rows(engine, graded)
    assert len(rows) == 1
    (base_row,) = _rows(engine, base)
    row = rows[0]._mapping
    assert row["id"] == ids[0]
    for column in ("print_id", "game_code", "set_code", "number", "language", "condition"):
        assert row[column] == base_row._mapping[column], column
    assert row["finish"] == base_row._mapping["finish"]
    assert row["grade_company"] == graded.rsplit("-", 1)[1][:3]


def test_threads_create_one_graded_sku_on_postgresql(matching_engine: Engine) -> None:
    base = _base_sku(matching_engine, "POKEMON-BASE1-%-EN-NM-UNLIMITED_HOLO")
    graded = f"{base}-CGC8.5"
    ids = _create_at_once(matching_engine, graded)
    _check_one_row(matching_engine, base, graded, ids)
    print_id = _sku_row(matching_engine, graded)["print_id"]
    with matching_engine.connect() as conn:
        queued = conn.execute(
            sa.select(sa.func.count())
            .select_from(IndexOutbox)
            .where(IndexOutbox.reason == OUTBOX_REASON, IndexOutbox.print_id == print_id)
        ).scalar()
    assert queued >= 1  # its document's SKU count changed


def _process_writer(url: str, sku: str, start_at: float, out) -> None:
    engine = make_engine(url)
    try:
        time.sleep(max(0.0, start_at - time.time()))
        with engine.connect() as conn, conn.begin():
            row = ensure_sku(conn, sku)
            time.sleep(0.05)
        out.put(row.id if row else None)
    finally:
        engine.dispose()


def test_processes_create_one_graded_sku_on_postgresql(
    matching_engine: Engine, matching_catalog_url: str
) -> None:
    base = _base_sku(matching_engine, "POKEMON-BASE1-%-EN-NM-UNLIMITED_HOLO")
    graded = f"{base}-PSA7"
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    start_at = time.time() + 8.0  # after every process has started and imported
    processes = [
        context.Process(target=_process_writer, args=(matching_catalog_url, graded, start_at, out))
        for _ in range(4)
    ]
    for process in processes:
        process.start()
    ids = [out.get(timeout=90) for _ in processes]
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    assert None not in ids and len(set(ids)) == 1, ids
    assert len(_rows(matching_engine, graded)) == 1


def test_threads_create_one_graded_sku_on_sqlite(tmp_path) -> None:
    from etl.pipeline import load

    url = f"sqlite:///{tmp_path / 'catalog.db'}"
    migrate.upgrade(url=url)
    engine = make_engine(url)
    try:
        assert load("scryfall", [FIXTURES / "scryfall"], engine=engine).ok
        base = _base_sku(engine, "MTG-%-EN-NM-NORMAL")
        graded = f"{base}-BGS9.5"
        ids = _create_at_once(engine, graded)
        _check_one_row(engine, base, graded, ids)
        # idempotent afterwards too, and nothing is made without an ungraded base
        with engine.begin() as conn:
            assert ensure_sku(conn, graded).id == ids[0]
            assert ensure_sku(conn, "MTG-ZZZ-001-EN-NM-NORMAL-PSA10") is None
            assert ensure_skus(conn, ["not a sku", base])[base].sku == base
    finally:
        engine.dispose()


def _sku_row(engine: Engine, sku: str) -> dict:
    rows = _rows(engine, sku)
    assert len(rows) == 1, sku
    return dict(rows[0]._mapping)


def test_a_graded_match_makes_a_sku_like_any_other(client, keys, matching_engine: Engine) -> None:
    title = "Charizard Base Set 4/102 Holo PSA 10"
    body = client.post(
        "/api/matching/match", json={"title": title}, headers=bearer(keys.vendor)
    ).json()
    assert body["decision"] == "auto", body
    sku = body["best"]["sku"]
    assert sku.endswith("-NM-UNLIMITED_HOLO-PSA10")
    row = _sku_row(matching_engine, sku)  # made by the answer

    # by-sku lookup
    found = client.get(f"/api/catalog/by-sku/{sku}")
    assert found.status_code == 200, found.text
    assert found.json()["sku"]["grade"] == "PSA10"

    # marketplace events: a listing makes it available, the print is queued for the index
    variant = f"v-{uuid.uuid4().hex[:8]}"
    event = samples.listed(sku, variant, price="999.00", at=datetime.now(UTC))
    with Session(matching_engine) as session, session.begin():
        applied = apply_events(session, [parse_event(event)])
    assert applied.applied and not applied.rejected
    row = _sku_row(matching_engine, sku)
    assert row["is_available_b2c"] and row["total_listings"] == 1
    # search availability: the print's document (what the index holds after the outbox drains)
    with matching_engine.connect() as conn:
        doc = documents_for(conn, [row["print_id"]])[row["print_id"]]
        queued = conn.execute(
            sa.select(IndexOutbox.print_id).where(IndexOutbox.print_id == row["print_id"])
        ).all()
    assert doc["is_available_b2c"] is True
    assert queued


def test_an_event_naming_an_unmade_graded_sku_makes_it(matching_engine: Engine) -> None:
    base = _base_sku(matching_engine, "POKEMON-BASE1-%-EN-LP-UNLIMITED_HOLO")
    graded = f"{base}-BGS8"
    assert _rows(matching_engine, graded) == []
    event = samples.listed(graded, "v-bgs8", quantity=2, at=datetime.now(UTC))
    with Session(matching_engine) as session, session.begin():
        applied = apply_events(session, [parse_event(event)])
    assert applied.applied
    row = _sku_row(matching_engine, graded)
    assert row["grade_company"] == "BGS" and row["total_quantity"] == 2
    # a graded SKU of no catalog SKU is still unknown
    unknown = samples.listed("MTG-ZZZ-001-EN-NM-NORMAL-PSA10", "v-x", at=datetime.now(UTC))
    with Session(matching_engine) as session, session.begin():
        refused = apply_events(session, [parse_event(unknown)], on_reject="dead_letter")
    assert refused.rejected and "unknown catalog_sku" in refused.rejected[0].reason


def test_graded_rows_of_a_bulk_job_and_a_consumers_pick(
    client, keys, matching_engine: Engine
) -> None:
    content = (
        b"Card,Set,Number,Grader,Grade\n"
        b"Charizard,Base,4/102,BGS,9.5\n"
        b"Charizard,Base,4/102,,Ungraded\n"
        b"Charizard,Base,4/102,SGC,9\n"
    )
    columns = ("name", "Card"), ("set_name", "Set"), ("number", "Number"), ("grader", "Grader")
    mapping = dict(columns) | {"grade": "Grade"}
    created = client.post(
        "/api/matching/jobs",
        files={"file": ("slabs.csv", content, "text/csv")},
        data={"mapping": json.dumps(mapping), "game": "POKEMON"},
        headers=bearer(keys.vendor),
    )
    assert created.status_code == 202, created.text
    job = wait_for_job(client, keys.vendor, created.json()["id"])
    items = client.get(
        f"/api/matching/jobs/{job['id']}/results", headers=bearer(keys.vendor)
    ).json()["items"]
    graded, raw, other_grader = items
    assert graded["status"] == "auto" and graded["sku"].endswith("-BGS9.5"), graded
    assert len(_rows(matching_engine, graded["sku"])) == 1
    assert raw["status"] == "auto" and raw["sku"].endswith("-UNLIMITED_HOLO"), raw
    assert other_grader["status"] == "none", other_grader
    assert other_grader["reason_code"] == "grade_not_supported" and other_grader["sku"] is None

    # a consumer picking a graded SKU no one used yet
    pick = raw["sku"] + "-CGC10"
    body = client.post(
        "/api/matching/match",
        json={
            "title": "Charizard Base Set 4/102 Holo",
            "seller_id": keys.seller,
            "seller_type": "consumer_seller",
            "product_ref": "slab-1",
            "selected_sku": pick,
        },
        headers=bearer(keys.vendor),
    ).json()
    assert body["match"]["catalog_sku"] == pick, body
    assert body["match"]["match_method"] == "consumer_selected"
    assert len(_rows(matching_engine, pick)) == 1
