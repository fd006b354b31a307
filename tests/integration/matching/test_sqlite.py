"""The matching tables and a bulk job on the embedded SQLite default (no services needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from models import migrate
from models.db import make_engine

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_job_on_sqlite(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from etl.pipeline import load
    from matching.index_build import index_cache
    from matching.jobs.intake import create_job
    from matching.jobs.runner import run_job
    from matching.jobs.views import iter_row_views
    from matching.models import MatchJob
    from models.db import get_engine, session_factory
    from models.settings import get_settings

    url = f"sqlite:///{tmp_path / 'catalog.db'}"
    migrate.upgrade(url=url)
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    index_cache.clear()
    assert load("scryfall", [FIXTURES / "scryfall"], engine=get_engine()).ok
    with get_engine().connect() as conn:
        name, code, number = conn.execute(
            sa.text(
                "SELECT c.name, s.code, p.collector_number FROM prints p "
                "JOIN cards c ON c.id = p.card_id JOIN card_sets s ON s.id = p.set_id "
                "WHERE p.language = 'EN' AND p.is_digital = 0 ORDER BY p.id LIMIT 1"
            )
        ).one()
    content = (
        "Count,Name,Edition,Collector Number\n"
        f'1,"{name}",{code.lower()},{number}\n'
        "2,Not A Card At All,zzz,1\n"
        "x,Bad Quantity,zzz,1\n"
    ).encode()
    session = session_factory()()
    try:
        job = create_job(session, seller_id="s", content=content)
        assert run_job(job.id, chunk_size=2) == "succeeded"
        session.expire_all()
        done = session.get(MatchJob, job.id)
        assert (done.status, done.processed_rows, done.total_rows) == ("succeeded", 3, 3)
        rows = list(iter_row_views(session, job.id))
    finally:
        session.close()
    assert rows[0]["status"] == rows[0]["state"] and rows[0]["status"] in ("auto", "review")
    assert [r["state"] for r in rows[1:]] == ["none", "error"]
    assert rows[0]["sku"].startswith(f"MTG-{code.upper()}-")
    assert rows[0]["row_ref"] == f"job:{job.id}:line:2"
    migrate.downgrade(url=url, revision="0002")
    engine = make_engine(url)
    with engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
    engine.dispose()
    assert "match_jobs" not in tables and "product_catalog_matches" not in tables
