"""The one OpenSearch client factory: a node list in one pool, a lone URL as before."""

from __future__ import annotations

import pytest

from indexer.engines.opensearch_client import RETRY_ON_STATUS, opensearch_client


def test_a_node_list_is_one_pool_retrying_on_another_node() -> None:
    client = opensearch_client(
        "http://127.0.0.1:9201, http://127.0.0.1:9202/,http://127.0.0.1:9203"
    )
    transport = client.transport
    hosts = sorted(c.host for c in transport.connection_pool.connections)
    assert hosts == [f"http://127.0.0.1:{port}" for port in (9201, 9202, 9203)]
    assert transport.max_retries == 3 and transport.retry_on_timeout
    assert tuple(transport.retry_on_status) == RETRY_ON_STATUS == (502, 503, 504)


def test_a_lone_url_keeps_one_connection_and_two_retries() -> None:
    transport = opensearch_client("http://127.0.0.1:9200", timeout=5).transport
    assert type(transport.connection_pool).__name__ == "DummyConnectionPool"
    assert transport.max_retries == 2


def test_an_empty_url_is_refused() -> None:
    with pytest.raises(ValueError, match="no node"):
        opensearch_client(" , ")
