"""A source is one registry entry: the CLI choices, fetchers, beat schedule and demo derive
from `etl.registry.SOURCES`."""

from __future__ import annotations

from pathlib import Path

import pytest
from celery.schedules import crontab

from etl.registry import SOURCES, SourceName, get_fetcher, get_source
from etl.sources.base import SourceEntry


def test_every_entry_is_consistent() -> None:
    assert list(SOURCES) == ["scryfall", "pokemontcg", "ygoprodeck", "optcg"]
    for name, entry in SOURCES.items():
        assert entry.name == name == entry.reader.name
        assert get_source(name) is entry.reader and get_fetcher(name) is entry.fetcher
        assert entry.fetcher.__name__ == f"etl.sources.{name}.fetch"
        assert entry.fetcher.DEFAULT_BASE_URL.startswith("https://")
        assert isinstance(entry.sync_at, crontab)


def test_cli_choices_and_beat_schedule_derive_from_the_registry() -> None:
    from etl.tasks import celery_app

    assert [member.value for member in SourceName] == list(SOURCES)
    schedule = celery_app.conf.beat_schedule
    for name, entry in SOURCES.items():
        job = schedule[f"etl-sync-{name}"]
        assert (job["task"], job["args"], job["schedule"]) == ("etl.sync", (name,), entry.sync_at)
    times = [(e.sync_at.hour, e.sync_at.minute) for e in SOURCES.values()]
    assert len(set(map(str, times))) == len(times), "syncs are staggered"


def test_demo_inputs_follow_the_registry(tmp_path: Path) -> None:
    from etl.demo import FIXTURES, prepare_demo_inputs

    inputs = prepare_demo_inputs(dest=tmp_path / "demo", shared_data=tmp_path / "no-shared-data")
    assert [(i.source, i.path) for i in inputs] == [(n, FIXTURES / n) for n in SOURCES]


def test_an_entry_must_name_its_reader() -> None:
    entry = SOURCES["optcg"]
    with pytest.raises(ValueError, match="its reader names optcg"):
        SourceEntry(
            name="scryfall",
            game="MTG",
            reader=entry.reader,
            fetcher=entry.fetcher,
            sync_at=entry.sync_at,
            demo_sample=entry.demo_sample,
        )
