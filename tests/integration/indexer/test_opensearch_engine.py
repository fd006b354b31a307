"""The backend contract on a real OpenSearch node."""

import itertools

import pytest

from indexer.engines.opensearch import OpenSearchEngine
from tests.integration.indexer.contract import EngineContract


class TestOpenSearchEngine(EngineContract):
    @pytest.fixture(scope="class")
    @classmethod
    def engine_factory(cls, opensearch_url, opensearch_prefix):
        numbers = itertools.count()
        return lambda: OpenSearchEngine(
            url=opensearch_url, prefix=f"{opensearch_prefix}-{next(numbers)}"
        )
