"""Bad input is refused before anything touches the database."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.load_result import LoadInputError
from etl.pipeline import load
from etl.registry import SOURCES, UnknownSourceError, get_source


def _no_database(*args, **kwargs):
    raise AssertionError("the database must not be opened for bad input")


@pytest.fixture(autouse=True)
def no_database(monkeypatch: pytest.MonkeyPatch) -> None:
    import models.db

    monkeypatch.setattr(models.db, "get_engine", _no_database)


def test_registry_knows_the_four_sources() -> None:
    assert list(SOURCES) == ["scryfall", "pokemontcg", "ygoprodeck", "optcg"]
    for name in SOURCES:
        source = get_source(name)
        assert source.name == name
        assert source.game in {"MTG", "POKEMON", "YUGIOH", "OPTCG"}
    with pytest.raises(UnknownSourceError, match="unknown source 'magicdb'"):
        get_source("magicdb")


def test_unknown_source(tmp_path: Path) -> None:
    with pytest.raises(LoadInputError, match="unknown source"):
        load("magicdb", [tmp_path])


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(LoadInputError, match=r"path not found: .*nope"):
        load("optcg", [tmp_path / "nope"])
    with pytest.raises(LoadInputError, match="no input path"):
        load("optcg", [])


def test_nothing_to_load(tmp_path: Path) -> None:
    with pytest.raises(LoadInputError, match="no optcg input files"):
        load("optcg", [tmp_path])


def test_batch_size(tmp_path: Path) -> None:
    with pytest.raises(LoadInputError, match="batch size"):
        load("optcg", [tmp_path], batch_size=0)
