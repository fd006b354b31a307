"""Fault tests: real Celery workers on Redis killed whole or child by child, and (for the node
tests) a real three-node OpenSearch cluster with a node SIGKILLed under load.

They kill processes and take minutes, so they run only when asked, alone, after the rest of the
suite (scripts/test.sh): `SIDEDECKED_TEST_FAULTS=1 pytest -p no:xdist tests/fault`. With the
flag under CI=true a missing service fails the test; without CI it is skipped with the reason.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from models import CardSet, migrate
from models.db import make_engine
from models.settings import REPO_ROOT, opensearch_hosts
from tests.conftest import TEST_REDIS_URL, service_missing, worker_id
from tests.factories import catalog as factory
from tests.fault.harness import Workers, wait_until
from tests.integration import conftest as integration
from tests.integration.conftest import create_database, drop_database, make_redis_url
from tests.integration.indexer.conftest import seed_catalog

FAULTS = os.environ.get("SIDEDECKED_TEST_FAULTS") == "1"
HERE = Path(__file__).resolve().parent
# the integration tests' service fixtures (a missing service fails under CI, else skips)
postgres_admin_url = integration.postgres_admin_url
opensearch_url = integration.opensearch_url
#: The Redis database of the fault tests' broker (other suites use 1-2, 8-15; see
#: /work/notes/requests.md); SIDEDECKED_TEST_FAULTS_REDIS_DB picks another.
REDIS_DB = int(os.environ.get("SIDEDECKED_TEST_FAULTS_REDIS_DB", "7"))
#: Seconds before the broker hands a dead worker's task to another (the setting's floor is 5).
VISIBILITY_TIMEOUT_S = 10
#: Print ids of the filler prints: spread wider than a rebuild chunk (25,000 ids), so even a
#: small catalog is rebuilt in several chunks.
SPREAD_IDS = (30_000, 30_001, 60_000, 60_001, 90_000)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if FAULTS:
        return
    skip = pytest.mark.skip(
        reason="kills workers and cluster nodes; set SIDEDECKED_TEST_FAULTS=1 "
        "(scripts/test.sh runs them alone after the suite)"
    )
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def broker_url() -> Iterator[str]:
    """The fault tests' Redis database (broker, results and leases), empty at the start."""
    import redis

    url = make_redis_url(TEST_REDIS_URL, db=REDIS_DB)
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.flushdb()
    except Exception as exc:  # noqa: BLE001
        service_missing("Redis", url, exc)
    finally:
        client.close()
    yield url


@pytest.fixture
def redis_client(broker_url: str):
    import redis

    client = redis.Redis.from_url(broker_url, decode_responses=True)
    yield client
    client.close()


def broker_quiet(client) -> bool:
    """No task waiting in the default queue and none delivered but unacknowledged."""
    return client.llen("celery") == 0 and client.hlen("unacked") == 0


@pytest.fixture
def fault_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "faults"
    folder.mkdir()
    return folder


@pytest.fixture
def index_prefix(opensearch_url: str) -> Iterator[str]:
    """An index-name prefix of this test; its indices are deleted afterwards."""
    from opensearchpy import OpenSearch

    prefix = f"test-{worker_id()}-faults-{uuid.uuid4().hex[:8]}"
    yield prefix
    client = OpenSearch(opensearch_url)
    client.indices.delete(index=f"{prefix}*", ignore_unavailable=True, expand_wildcards="all")
    client.close()


@dataclass
class Catalog:
    url: str
    engine: Engine


@pytest.fixture(scope="session")
def fault_catalog(postgres_admin_url: str) -> Iterator[Catalog]:
    """A small committed PostgreSQL catalog (the workers are other processes): the indexer's
    test cards plus filler prints with ids far apart."""
    name = f"sidedecked_test_{worker_id()}_faults"
    url = create_database(postgres_admin_url, name)
    migrate.upgrade(url=url)
    engine = make_engine(url)
    seed_catalog(engine)
    with Session(engine) as s:
        m10 = s.execute(sa.text("SELECT id FROM card_sets WHERE code = 'M10'")).scalar_one()
        card_set = s.get(CardSet, m10)
        bears = factory.card(s, name="Grizzly Bears", colors=["G"], types=["Creature"])
        for n, print_id in enumerate(SPREAD_IDS):
            factory.print_(
                s,
                id=print_id,
                card=bears,
                card_set=card_set,
                collector_number=str(1000 + n),
                sku_number=f"G{n}",
            )
        s.commit()
    yield Catalog(url, engine)
    engine.dispose()
    drop_database(postgres_admin_url, name)


def worker_environment(**settings: str) -> dict[str, str]:
    """The environment of a worker process: the caller's (PATH, HOME, CI) without the test
    runner's and the developer's SideDecked settings, plus `settings`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "SIDEDECKED_", "TEST_", "COV_"))
        and key not in {"DATABASE_URL", "OPENSEARCH_URL", "REDIS_URL"}
    }
    env["SIDEDECKED_TASK_VISIBILITY_TIMEOUT"] = str(VISIBILITY_TIMEOUT_S)
    env["SIDEDECKED_LOG_LEVEL"] = "INFO"
    env["PYTHONUNBUFFERED"] = "1"
    env.update(settings)
    return env


@pytest.fixture
def workers(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workers]:
    """Start real workers with `workers.start(name, pause=[...])` after setting `workers.env`;
    every one is stopped at the end, and their logs are printed when the test failed."""
    log_dir = tmp_path / "worker-logs"
    log_dir.mkdir()
    started = Workers(worker_environment(), log_dir)
    yield started
    started.stop_all()
    report = getattr(request.node, "rep_call", None)
    if report is None or report.failed:
        print(started.logs())


def celery_client(broker_url: str):
    """A producer on the workers' broker (the test process's own app runs tasks eagerly)."""
    from models.worker import make_celery

    return make_celery(broker_url)


def json_list(*names: str) -> str:
    return json.dumps(list(names))


__all__ = ["Catalog", "broker_quiet", "celery_client", "wait_until", "worker_environment"]


# the three-node cluster (scripts/cluster.sh) -------------------------------------------------
CLUSTER_URL = os.environ.get(
    "TEST_CLUSTER_URL", "http://127.0.0.1:9201,http://127.0.0.1:9202,http://127.0.0.1:9203"
)


def cluster_sh(*args: str) -> str:
    """Run `bash scripts/cluster.sh ARGS` (up waits for green with the three nodes)."""
    done = subprocess.run(
        ["bash", "scripts/cluster.sh", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"cluster.sh {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def cluster_health(url: str = CLUSTER_URL, *, index: str = "", **params: str) -> dict:
    """The cluster's (or `index`'s) health from the first node that answers; `params` such as
    wait_for_status=green, timeout=60s."""
    import httpx

    errors = []
    for host in opensearch_hosts(url):
        try:
            response = httpx.get(f"{host}/_cluster/health/{index}", params=params, timeout=150)
            return dict(response.json())
        except httpx.HTTPError as exc:
            errors.append(f"{host}: {exc}")
    raise ConnectionError("; ".join(errors))


@pytest.fixture(scope="session")
def cluster_url() -> str:
    """The cluster of `bash scripts/cluster.sh up`, green with its three nodes."""
    try:
        health = cluster_health(wait_for_nodes="3", wait_for_status="green", timeout="60s")
        if health.get("number_of_nodes") != 3 or health.get("status") != "green":
            raise ConnectionError(f"not green with three nodes: {health}")
    except Exception as exc:  # noqa: BLE001
        service_missing("The OpenSearch cluster (bash scripts/cluster.sh up)", CLUSTER_URL, exc)
    return CLUSTER_URL


@pytest.fixture
def cluster_prefix(cluster_url: str) -> Iterator[str]:
    """An index-name prefix of this test on the cluster; the three nodes are up again and its
    indices deleted afterwards."""
    from indexer.engines.opensearch_client import opensearch_client

    prefix = f"test-{worker_id()}-faults-{uuid.uuid4().hex[:8]}"
    yield prefix
    if cluster_health().get("number_of_nodes") != 3:
        cluster_sh("up")
    client = opensearch_client(cluster_url)
    client.indices.delete(index=f"{prefix}*", ignore_unavailable=True, expand_wildcards="all")
    client.close()


@pytest.fixture
def cluster_engine(cluster_url: str, cluster_prefix: str, monkeypatch: pytest.MonkeyPatch):
    """The engine this process's settings make with OPENSEARCH_URL naming the three nodes and
    one replica of every index (each shard on two of the three nodes)."""
    from indexer.engine import make_engine
    from models.settings import get_settings

    monkeypatch.setenv("OPENSEARCH_URL", cluster_url)
    monkeypatch.setenv("SIDEDECKED_INDEX_PREFIX", cluster_prefix)
    monkeypatch.setenv("SIDEDECKED_INDEX_REPLICAS", "1")
    get_settings.cache_clear()
    engine = make_engine(get_settings())
    yield engine
    engine.close()


def primary_node(client, index: str) -> int:
    """The number (1..3) of the cluster node holding `index`'s first primary shard."""
    shards = client.cat.shards(index=index, format="json")
    name = next(s["node"] for s in shards if s["prirep"] == "p" and s["state"] == "STARTED")
    return int(name.rsplit("-", 1)[1])
