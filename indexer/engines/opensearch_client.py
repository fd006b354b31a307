"""The one place an OpenSearch client is built: from `OPENSEARCH_URL`, one URL or a
comma-separated list of a cluster's nodes.

Every node is in the client's connection pool. A request that fails on a node (connection refused
or reset, a timeout, a 502/503/504) marks that node dead for a while (the pool's `dead_timeout`,
60 s, growing while it keeps failing; it is tried again after) and is retried on another node, up to
`max_retries` times: one more than the other nodes, so a request survives any one node's loss
(and a lone node keeps the two retries it always had).
"""

from __future__ import annotations

from typing import Any

import orjson
from opensearchpy import JSONSerializer, OpenSearch

from models.settings import opensearch_hosts

#: Statuses retried on another node (a node leaving the cluster, a proxy in front of one).
RETRY_ON_STATUS = (502, 503, 504)
DEFAULT_TIMEOUT_S = 60


class OrjsonSerializer(JSONSerializer):
    """opensearch-py's JSON (de)serialiser on orjson: a search answer carries hundreds of
    documents, and parsing them is a large part of the client's time."""

    def loads(self, s: str | bytes) -> Any:
        return orjson.loads(s)

    def dumps(self, data: Any) -> str:
        if isinstance(data, str):
            return data
        try:
            return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS).decode()
        except TypeError:  # a type orjson does not know (Decimal, ...): the default encoder
            text: str = super().dumps(data)
            return text


def opensearch_client(
    url: str, *, timeout: float = DEFAULT_TIMEOUT_S, **options: Any
) -> OpenSearch:
    """A client over every node of `url` (see the module docstring); `options` go to
    `OpenSearch(...)` (e.g. `connection_class`)."""
    hosts = opensearch_hosts(url)
    if not hosts:
        raise ValueError("OPENSEARCH_URL names no node")
    settings: dict[str, Any] = {
        "timeout": timeout,
        "max_retries": max(2, len(hosts)),
        "retry_on_timeout": True,
        "retry_on_status": RETRY_ON_STATUS,
        "serializer": OrjsonSerializer(),
    }
    return OpenSearch(hosts, **{**settings, **options})
