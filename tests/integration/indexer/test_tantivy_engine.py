"""The backend contract on the embedded tantivy engine (no server needed)."""

import pytest

from indexer.engines.tantivy_engine import TantivyEngine
from tests.integration.indexer.contract import EngineContract


class TestTantivyEngine(EngineContract):
    @pytest.fixture(scope="class")
    @classmethod
    def engine_factory(cls, tmp_path_factory):
        return lambda: TantivyEngine(directory=tmp_path_factory.mktemp("tantivy"))
