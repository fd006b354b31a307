"""The backend contract on the embedded tantivy engine (no server needed)."""

import pytest

from indexer.engines.tantivy_engine import TantivyEngine
from indexer.engines.tantivy_search import TantivySearch
from indexer.query import Text
from tests.integration.indexer.contract import EngineContract, cards, load


class TestTantivyEngine(EngineContract):
    @pytest.fixture(scope="class")
    @classmethod
    def engine_factory(cls, tmp_path_factory):
        return lambda: TantivyEngine(directory=tmp_path_factory.mktemp("tantivy"))


def test_print_counts_beyond_a_full_print_window(tmp_path, monkeypatch):
    """When the window of a page's prints is full, the counts come from an aggregation and
    still say every matching print (the window here holds only the listed two of three)."""
    engine = TantivyEngine(directory=tmp_path / "tantivy")
    try:
        load(engine)
        monkeypatch.setattr(TantivySearch, "PRINT_WINDOW_FACTOR", 1)
        monkeypatch.setattr(TantivySearch, "PRINT_WINDOW_SLACK", 0)
        (hit,) = cards(engine, Text("lightning bolt"), sort="price", prints_per_card=2).hits
        assert [p["print_id"] for p in hit.prints] == [103, 102]
        assert hit.prints_total == 3
    finally:
        engine.close()
