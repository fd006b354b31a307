"""A load killed with SIGKILL at random points and started again ends in exactly the catalog an
uninterrupted load gives (PostgreSQL, real `sidedecked etl load` subprocesses).

The seed of the kill delays is printed; set ETL_KILL_SEED to replay a run.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from models import migrate
from models.db import make_engine
from models.settings import get_settings
from tests.conftest import worker_id
from tests.integration.conftest import create_database, drop_database
from tests.integration.etl.helpers import canonical_dump, count, disable_autovacuum

pytestmark = [pytest.mark.integration, pytest.mark.shared_data]

#: About 2,800 Pokémon cards in 30 set files: a few seconds per load.
SET_FILES = 30
KILLS = 3
BATCH_SIZE = 150


@pytest.fixture
def pokemon_input(shared_data: Path, tmp_path: Path) -> Path:
    upstream = shared_data / "pokemon-tcg-data"
    folder = tmp_path / "pokemon"
    (folder / "cards" / "en").mkdir(parents=True)
    for path in sorted((upstream / "cards" / "en").glob("*.json"))[:SET_FILES]:
        shutil.copy(path, folder / "cards" / "en" / path.name)
    (folder / "sets").mkdir()
    shutil.copy(upstream / "sets" / "en.json", folder / "sets" / "en.json")
    return folder


@pytest.fixture
def second_database_url(postgres_admin_url: str) -> Iterator[str]:
    name = f"sidedecked_test_{worker_id()}_{uuid.uuid4().hex[:8]}"
    url = create_database(postgres_admin_url, name)
    yield url
    drop_database(postgres_admin_url, name)


def _command(folder: Path) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from search_api.cli import app; app()",
        "etl",
        "load",
        "--source",
        "pokemontcg",
        str(folder),
        "--batch-size",
        str(BATCH_SIZE),
    ]


def _env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = url
    env["SIDEDECKED_SHARED_DATA"] = str(get_settings().sidedecked_shared_data)
    env.pop("REDIS_URL", None)
    return env


def test_killed_load_resumes_to_the_same_catalog(
    pokemon_input: Path, empty_database_url: str, second_database_url: str
) -> None:
    seed = int(os.environ.get("ETL_KILL_SEED") or random.SystemRandom().randrange(1 << 30))
    print(f"ETL_KILL_SEED={seed}")
    rng = random.Random(seed)

    # the reference: one uninterrupted load into a fresh database
    migrate.upgrade(url=empty_database_url)
    disable_autovacuum(empty_database_url)
    started = time.monotonic()
    done = subprocess.run(
        _command(pokemon_input),
        env=_env(empty_database_url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    duration = time.monotonic() - started
    assert done.returncode == 0, done.stdout + done.stderr
    reference = make_engine(empty_database_url)
    expected = canonical_dump(reference)
    reference.dispose()
    assert len(expected["prints"]) > 2000

    # the same load killed at random points, then run to the end
    migrate.upgrade(url=second_database_url)
    disable_autovacuum(second_database_url)
    env = _env(second_database_url)
    killed = 0
    for _ in range(KILLS):
        process = subprocess.Popen(
            _command(pokemon_input), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        time.sleep(rng.uniform(0.1, duration * 0.9))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.wait(timeout=60)
    final = subprocess.run(
        _command(pokemon_input), env=env, capture_output=True, text=True, timeout=120
    )
    assert final.returncode == 0, final.stdout + final.stderr
    assert killed >= 1, f"no run was killed (seed {seed})"

    engine = make_engine(second_database_url)
    try:
        got = canonical_dump(engine)
        for table in expected:
            assert got[table] == expected[table], f"{table} differs (seed {seed})"
        assert count(engine, "etl_pending_rows") == 0
        with engine.connect() as conn:
            statuses = [
                s for (s,) in conn.execute(sa.text("SELECT status FROM etl_jobs ORDER BY id"))
            ]
        # killed runs that got as far as creating their job are marked interrupted
        assert statuses[-1] == "succeeded"
        assert "running" not in statuses
        assert set(statuses[:-1]) <= {"interrupted", "succeeded"}
    finally:
        engine.dispose()
