"""Celery: `etl.load` runs the pipeline (inline without Redis); `etl.sync` fetches then loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from tests.integration.etl.helpers import SOURCE_FIXTURES, count

pytestmark = pytest.mark.integration


def test_load_task_runs_inline_through_dispatch(catalog: Engine) -> None:
    from etl.tasks import load_task
    from models.worker import celery_app, dispatch

    assert celery_app.tasks["etl.load"].name == load_task.name == "etl.load"
    assert "etl.sync" in celery_app.tasks
    assert {"etl-sync-scryfall", "etl-sync-optcg"} <= set(celery_app.conf.beat_schedule)
    report = dispatch(load_task, "optcg", [str(SOURCE_FIXTURES["optcg"])])
    assert report["status"] == "succeeded"
    assert report["created"] > 0 and report["quarantined"] == 0
    assert report["stats"]["tables"]["prints"]["created"] == count(catalog, "prints") > 0
    again = dispatch(load_task, "optcg", [str(SOURCE_FIXTURES["optcg"])], force=True)
    assert again["created"] == again["updated"] == again["bronze_inserted"] == 0


def test_sync_task_fetches_then_loads(
    catalog: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from etl import tasks
    from etl.fetch import run as fetch_run

    calls = []

    def fake_fetch(source: str, *, dest_dir: Path):
        calls.append((source, dest_dir))
        shutil.copytree(SOURCE_FIXTURES[source], dest_dir, dirs_exist_ok=True)
        return type("Result", (), {"dest_dir": dest_dir})()

    monkeypatch.setattr(fetch_run, "fetch_source", fake_fetch)
    monkeypatch.setattr(tasks, "upstream_dir", lambda source: tmp_path / "upstream" / source)
    report = tasks.sync_task.apply(args=("pokemontcg",)).get()
    assert calls == [("pokemontcg", tmp_path / "upstream" / "pokemontcg")]
    assert report["status"] == "succeeded"
    assert count(catalog, "prints") == report["stats"]["tables"]["prints"]["created"] > 0
