"""Change detection, the outbox, quarantine, SKU reconciliation, sets and the CLI, on SQLite
and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from etl.pipeline import load
from tests.integration.etl.helpers import canonical_dump, copy_fixture, count
from tests.integration.etl.toy_source import source as toy

pytestmark = pytest.mark.integration


def rows(engine: Engine, sql: str, **params) -> list:
    with engine.connect() as conn:
        return conn.execute(sa.text(sql), params).all()


def outbox_ids(engine: Engine) -> list[int]:
    return [r[0] for r in rows(engine, "SELECT print_id FROM index_outbox ORDER BY id")]


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def toy_record(n: int, **fields) -> dict:
    return {
        "id": f"T1-{n}",
        "oracle": f"card-{n}",
        "name": f"Card {n}",
        "set": "T1",
        "set_name": "thin T1",
        "number": str(n),
        "finishes": ["NORMAL", "FOIL"],
        **fields,
    }


def test_changed_print_updates_exactly_that_print_and_writes_the_outbox(
    catalog: Engine, tmp_path: Path
) -> None:
    folder = copy_fixture("pokemontcg", tmp_path)
    assert load("pokemontcg", [folder], engine=catalog).ok
    before = canonical_dump(catalog)
    outbox_before = outbox_ids(catalog)

    base1 = folder / "cards" / "en" / "base1.json"
    cards = json.loads(base1.read_text(encoding="utf-8"))
    charizard = next(c for c in cards if c["id"] == "base1-4")
    charizard["artist"] = "Somebody Else"
    base1.write_text(json.dumps(cards, indent=2), encoding="utf-8")

    result = load("pokemontcg", [folder], engine=catalog)
    assert result.ok
    tables = result.counts.tables
    assert tables["prints"]["updated"] == 1
    assert tables["cards"]["updated"] == 0 and tables["cards"]["created"] == 0
    assert tables["skus"]["created"] == tables["skus"]["deleted"] == 0
    assert result.counts.bronze_inserted == 1
    assert result.counts.units_skipped == result.counts.units_total - 1  # only base1.json
    print_id, artist = rows(catalog, "SELECT id, artist FROM prints WHERE print_key = 'base1-4'")[0]
    assert artist == "Somebody Else"
    assert outbox_ids(catalog)[len(outbox_before) :] == [print_id]
    after = canonical_dump(catalog)
    changed = {t: set(after[t]) ^ set(before[t]) for t in after}
    assert {t for t, diff in changed.items() if diff} == {"prints"}
    assert len(changed["prints"]) == 2  # the old and the new version of that one row


def test_changed_card_updates_the_card_and_queues_its_prints(
    catalog: Engine, tmp_path: Path
) -> None:
    folder = copy_fixture("scryfall", tmp_path)
    assert load("scryfall", [folder], engine=catalog).ok
    outbox_before = len(outbox_ids(catalog))
    path = folder / "scooze_test_cards.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    objects = [json.loads(line) for line in lines]
    trash_bin = next(o for o in objects if o["name"] == "Trash Bin")
    trash_bin["oracle_text"] = "Visit — Draw a card."
    write_jsonl(path, objects)

    result = load("scryfall", [folder], engine=catalog)
    assert result.ok
    assert result.counts.tables["cards"]["updated"] == 1
    assert result.counts.bronze_inserted == 1
    ((card_id, text),) = rows(
        catalog,
        "SELECT id, rules_text FROM cards WHERE oracle_key = :k",
        k=trash_bin["oracle_id"],
    )
    assert text == "Visit — Draw a card."
    print_ids = {r[0] for r in rows(catalog, "SELECT id FROM prints WHERE card_id = :c", c=card_id)}
    assert print_ids and set(outbox_ids(catalog)[outbox_before:]) == print_ids


def test_malformed_record_is_quarantined_and_the_rest_loads(
    catalog: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = copy_fixture("optcg", tmp_path)
    clean = load("optcg", [folder], engine=catalog, batch_size=4)
    prints_clean = count(catalog, "prints")

    # the same data with one record broken, in a fresh catalog region: drop and reload
    en = folder / "en" / "cards.json"
    cards = json.loads(en.read_text(encoding="utf-8"))
    broken = cards[3]
    broken["card_number"] = "garbage"
    en.write_text(json.dumps(cards), encoding="utf-8")
    with catalog.begin() as conn:
        for table in ("catalog_skus", "prints", "cards", "card_sets", "etl_checkpoints"):
            conn.execute(sa.text(f"DELETE FROM {table}"))

    result = load("optcg", [folder], engine=catalog, batch_size=4)
    assert result.ok  # one bad record never fails the run
    assert result.counts.quarantined == 1
    assert result.counts.records_read == clean.counts.records_read
    assert count(catalog, "prints") == prints_clean - 1
    ((reason, external_id, source_file, payload),) = rows(
        catalog,
        "SELECT reason, external_id, source_file, payload FROM etl_quarantine "
        "WHERE etl_job_id = :j",
        j=result.job_id,
    )
    assert "card_number" in reason
    assert source_file == "en/cards.json"
    payload = json.loads(payload) if isinstance(payload, str) else payload
    assert payload["card_number"] == "garbage"
    assert external_id

    from rich.console import Console

    from etl import cli as etl_cli
    from search_api.cli import app

    # the module's console measured the terminal when it was imported; give it a wide one
    monkeypatch.setattr(etl_cli, "console", Console(width=200))
    runner = CliRunner()
    shown = runner.invoke(app, ["etl", "jobs", "--id", str(result.job_id)])
    assert shown.exit_code == 0, shown.output
    assert "card_number" in shown.output and "garbage" in shown.output
    assert external_id in shown.output
    listed = runner.invoke(app, ["etl", "jobs"])
    assert listed.exit_code == 0
    assert f"│ {result.job_id} " in listed.output and "succeeded" in listed.output


def test_database_rejection_is_isolated_to_the_record(catalog: Engine, tmp_path: Path) -> None:
    records = [toy_record(n) for n in range(1, 9)]
    # a different print with the same set, number and language as #2: the database refuses it
    records.insert(4, toy_record(2, id="T1-2-dup", oracle="card-dup", name="Duplicate"))
    write_jsonl(tmp_path / "cards.jsonl", records)
    result = load(toy, [tmp_path], engine=catalog, batch_size=50)
    assert result.ok
    assert result.counts.quarantined == 1
    ((reason, external_id),) = rows(catalog, "SELECT reason, external_id FROM etl_quarantine")
    assert external_id == "T1-2-dup"
    assert reason.startswith("database rejected the record")
    assert count(catalog, "prints") == 8
    assert count(catalog, "cards") == 8  # the duplicate's card was not half-written
    assert count(catalog, "catalog_skus") == 8 * 2 * 5
    assert count(catalog, "bronze_records") == 9  # the raw record is kept
    assert load(toy, [tmp_path], engine=catalog, force=True).counts.created == 0


def test_vanished_finish_deletes_its_skus_unless_they_have_listings(
    catalog: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "cards.jsonl"
    write_jsonl(path, [toy_record(1), toy_record(2)])
    assert load(toy, [tmp_path], engine=catalog).ok
    with catalog.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE catalog_skus SET total_listings = 2 WHERE sku = 'OPTCG-T1-001-EN-NM-FOIL'"
            )
        )
    write_jsonl(path, [toy_record(1, finishes=["NORMAL"]), toy_record(2, finishes=["NORMAL"])])
    result = load(toy, [tmp_path], engine=catalog)
    skus = result.counts.tables["skus"]
    assert skus["deleted"] == 9 and skus["kept"] == 1
    assert result.counts.tables["prints"]["updated"] == 2
    left = {r[0] for r in rows(catalog, "SELECT sku FROM catalog_skus WHERE finish = 'FOIL'")}
    assert left == {"OPTCG-T1-001-EN-NM-FOIL"}
    assert count(catalog, "catalog_skus", "WHERE finish = 'NORMAL'") == 10


def test_graded_skus_made_on_first_use_survive_an_update_of_their_print(
    catalog: Engine, tmp_path: Path
) -> None:
    from etl.graded_skus import ensure_sku

    path = tmp_path / "cards.jsonl"
    write_jsonl(path, [toy_record(1)])
    assert load(toy, [tmp_path], engine=catalog).ok
    with catalog.begin() as conn:
        assert ensure_sku(conn, "OPTCG-T1-001-EN-NM-FOIL-PSA10") is not None
        assert ensure_sku(conn, "OPTCG-T1-001-EN-LP-NORMAL-PSA9") is not None
    write_jsonl(path, [toy_record(1, finishes=["FOIL"])])  # the NORMAL finish vanishes
    result = load(toy, [tmp_path], engine=catalog)
    assert result.counts.tables["prints"]["updated"] == 1
    graded = rows(catalog, "SELECT sku FROM catalog_skus WHERE grade_company IS NOT NULL")
    assert {r[0] for r in graded} == {"OPTCG-T1-001-EN-NM-FOIL-PSA10"}


def test_full_set_metadata_is_never_overwritten_by_a_print_set(
    catalog: Engine, tmp_path: Path
) -> None:
    (tmp_path / "sets").mkdir()
    (tmp_path / "sets" / "t.json").write_text(
        json.dumps([{"code": "T1", "name": "Toy One", "total": 99}])
    )
    write_jsonl(
        tmp_path / "cards.jsonl",
        [toy_record(1), toy_record(2, set="T2", set_name="Thin Two")],
    )
    assert load(toy, [tmp_path], engine=catalog).ok
    sets = {
        r[0]: tuple(r[1:])
        for r in rows(catalog, "SELECT code, name, card_count, series FROM card_sets")
    }
    assert sets == {"T1": ("Toy One", 99, "Toy series"), "T2": ("Thin Two", None, None)}


def test_last_writer_wins_and_reloading_flips_nothing(catalog: Engine, tmp_path: Path) -> None:
    """Two files describe the same card differently: the later file wins, and a forced reload
    (which reads the earlier version first) writes nothing."""
    write_jsonl(tmp_path / "a.jsonl", [toy_record(1, oracle="same", text="old wording")])
    write_jsonl(tmp_path / "b.jsonl", [toy_record(2, oracle="same", text="new wording")])
    assert load(toy, [tmp_path], engine=catalog).ok
    assert rows(catalog, "SELECT rules_text FROM cards") == [("new wording",)]
    before = canonical_dump(catalog)
    outbox = count(catalog, "index_outbox")
    forced = load(toy, [tmp_path], engine=catalog, force=True, batch_size=1)
    assert forced.counts.updated == 0 and forced.counts.tables["cards"]["pending"] == 1
    assert canonical_dump(catalog) == before
    assert count(catalog, "index_outbox") == outbox
    assert count(catalog, "etl_pending_rows") == 0
    # a real change of the winning record is applied at the end of the run
    write_jsonl(tmp_path / "b.jsonl", [toy_record(2, oracle="same", text="newer wording")])
    changed = load(toy, [tmp_path], engine=catalog, force=True, batch_size=1)
    assert changed.counts.tables["cards"]["updated"] == 1
    assert rows(catalog, "SELECT rules_text FROM cards") == [("newer wording",)]
    assert count(catalog, "etl_pending_rows") == 0


def test_cli_rejects_bad_input_and_writes_nothing(catalog: Engine, tmp_path: Path) -> None:
    from search_api.cli import app

    runner = CliRunner()
    unknown = runner.invoke(app, ["etl", "load", "--source", "magicdb", str(tmp_path)])
    assert unknown.exit_code == 2
    assert "magicdb" in unknown.output
    missing = runner.invoke(app, ["etl", "load", "--source", "optcg", str(tmp_path / "nope")])
    assert missing.exit_code == 2
    assert "path not found" in missing.output
    empty = runner.invoke(app, ["etl", "load", "--source", "optcg", str(tmp_path)])
    assert empty.exit_code == 2
    assert "no optcg input files" in empty.output
    assert count(catalog, "etl_jobs") == 0 and count(catalog, "bronze_records") == 0

    folder = copy_fixture("optcg", tmp_path)
    first = runner.invoke(app, ["etl", "load", "-s", "optcg", str(folder), "--batch-size", "5"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, ["etl", "load", "-s", "optcg", str(folder)])
    assert second.exit_code == 0
    assert "skipped" in second.output and "--force" in second.output
    assert count(catalog, "etl_jobs") == 2


class _BrokenToy(type(toy)):
    """The toy source whose file `broken.jsonl` fails after its first record."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def read(self, unit):
        for i, raw in enumerate(super().read(unit)):
            if unit.key == "broken.jsonl" and i == 1:
                raise self.error
            yield raw


def test_unreadable_unit_fails_the_run_but_not_the_other_units(
    catalog: Engine, tmp_path: Path
) -> None:
    write_jsonl(tmp_path / "a.jsonl", [toy_record(1), toy_record(2)])
    write_jsonl(tmp_path / "broken.jsonl", [toy_record(3), toy_record(4)])
    write_jsonl(tmp_path / "c.jsonl", [toy_record(5)])
    result = load(_BrokenToy(ValueError("truncated file")), [tmp_path], engine=catalog)
    assert result.status == "failed" and result.failed_units == ["broken.jsonl"]
    assert count(catalog, "prints") == 4  # a, c and the first record of broken
    assert rows(catalog, "SELECT unit_key FROM etl_checkpoints ORDER BY unit_key") == [
        ("a.jsonl",),
        ("c.jsonl",),
    ]
    (reason,) = rows(catalog, "SELECT reason FROM etl_quarantine")[0]
    assert "could not be read" in reason and "truncated file" in reason
    assert rows(catalog, "SELECT status FROM etl_jobs") == [("failed",)]


def test_interrupted_run_is_marked_and_resumes(catalog: Engine, tmp_path: Path) -> None:
    write_jsonl(tmp_path / "a.jsonl", [toy_record(1)])
    write_jsonl(tmp_path / "broken.jsonl", [toy_record(2), toy_record(3)])
    with pytest.raises(KeyboardInterrupt):
        load(_BrokenToy(KeyboardInterrupt()), [tmp_path], engine=catalog, batch_size=1)
    assert rows(catalog, "SELECT status, records_read FROM etl_jobs") == [("interrupted", 2)]
    resumed = load(toy, [tmp_path], engine=catalog)
    assert resumed.ok and resumed.counts.units_skipped == 1
    assert count(catalog, "prints") == 3
