"""Two loads of one source never interleave: on PostgreSQL the second waits, then gives up."""

from __future__ import annotations

import time

import pytest
from sqlalchemy.engine import Engine

from etl import pipeline
from etl.load_result import LoadBusyError
from etl.pipeline import load
from models.games import GAME_IDS
from models.locks import AdvisoryLease
from tests.integration.etl.helpers import SOURCE_FIXTURES, count

pytestmark = pytest.mark.integration


def test_a_load_gives_up_while_another_load_of_its_source_runs(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from models import migrate
    from models.db import make_engine

    migrate.upgrade(url=empty_database_url)
    engine: Engine = make_engine(empty_database_url)
    monkeypatch.setattr(pipeline, "LOCK_WAIT_S", 0.5)
    other = AdvisoryLease(engine, "sidedecked.etl.optcg")
    token = other.acquire()
    assert token is not None
    started = time.monotonic()
    with pytest.raises(LoadBusyError, match="another load of optcg is running"):
        load("optcg", [SOURCE_FIXTURES["optcg"]], engine=engine)
    assert time.monotonic() - started >= 0.5
    assert count(engine, "etl_jobs") == 0 and count(engine, "prints") == 0
    # another source's load is not held up
    assert load("pokemontcg", [SOURCE_FIXTURES["pokemontcg"]], engine=engine).ok
    other.release(token)
    assert load("optcg", [SOURCE_FIXTURES["optcg"]], engine=engine).ok
    assert count(engine, "prints", f"WHERE game_id = {GAME_IDS['OPTCG']}") > 0
    engine.dispose()
