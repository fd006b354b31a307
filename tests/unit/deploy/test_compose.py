"""docker-compose.yml, checked without Docker: the services and profiles, a health check on every
long-running service, start order by health, the same versions as `make services`, and the
cluster tier's node list, replicas and proxy.

The versions are read from the scripts (OpenSearch: OPENSEARCH_VERSION and CLUSTER_HEAP in
scripts/lib/opensearch.sh) and from Debian (the packages scripts/lib/postgres.sh and redis.sh
install). Each check returns the problems it finds; the mutation tests below show that a broken
file is reported.
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
COMPOSE = ROOT / "docker-compose.yml"
SCRIPTS = ROOT / "scripts" / "lib"

DEFAULT_SERVICES = {"postgres", "redis", "minio", "opensearch", "api", "worker", "beat"}
CLUSTER_NODES = ["cluster-opensearch-1", "cluster-opensearch-2", "cluster-opensearch-3"]
CLUSTER_APIS = ["cluster-api-1", "cluster-api-2"]
CLUSTER_WORKERS = ["cluster-worker-1", "cluster-worker-2"]
CLUSTER_SERVICES = {
    *CLUSTER_NODES,
    *CLUSTER_APIS,
    *CLUSTER_WORKERS,
    "cluster-proxy",
    "cluster-beat",
    "cluster-migrate",
}
#: Services that run once and exit: no health check, others wait for their successful end.
ONE_SHOT = {"cluster-migrate"}

Compose = dict[str, Any]


def load_compose() -> Compose:
    doc = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(doc, dict)
    return doc


def script_default(script: str, variable: str) -> str:
    """The default a script gives `VAR="${VAR:-default}"`."""
    text = (SCRIPTS / script).read_text()
    match = re.search(rf'^{variable}="\$\{{{variable}:-([^}}]+)\}}"', text, re.MULTILINE)
    assert match, f"{variable} default not found in scripts/lib/{script}"
    return match.group(1)


def debian_version(package: str) -> str | None:
    """The installed (else candidate) Debian version of a package, without its epoch."""
    if shutil.which("dpkg-query"):
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status} ${Version}", package],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        if out.startswith("install ok installed "):
            return out.rsplit(" ", 1)[1].split(":", 1)[-1]
    if shutil.which("apt-cache"):
        out = subprocess.run(
            ["apt-cache", "policy", package], capture_output=True, text=True, check=False
        ).stdout
        match = re.search(r"Candidate: (\S+)", out)
        if match and match.group(1) != "(none)":
            return match.group(1).split(":", 1)[-1]
    return None


def env(service: dict[str, Any]) -> dict[str, str]:
    value = service.get("environment") or {}
    assert isinstance(value, dict), "environment as a mapping"
    return {str(k): str(v) for k, v in value.items()}


def depends(service: dict[str, Any]) -> dict[str, str]:
    """depends_on as {service: condition}; the short list form has no condition ("")."""
    value = service.get("depends_on") or {}
    if isinstance(value, list):
        return dict.fromkeys(value, "")
    return {name: (spec or {}).get("condition", "") for name, spec in value.items()}


def proxy_conf_path(doc: Compose) -> Path | None:
    for volume in doc["services"]["cluster-proxy"].get("volumes", []):
        source, target = str(volume).split(":")[:2]
        if target.startswith("/etc/nginx/"):
            return (ROOT / source).resolve()
    return None


# --- checks: each returns the problems it finds --------------------------------------------


def check_services_and_profiles(doc: Compose) -> list[str]:
    services = doc["services"]
    problems = []
    for name in sorted(DEFAULT_SERVICES):
        if name not in services:
            problems.append(f"default service {name} missing")
        elif services[name].get("profiles"):
            problems.append(f"default service {name} has profiles {services[name]['profiles']}")
    for name in sorted(CLUSTER_SERVICES):
        if name not in services:
            problems.append(f"cluster service {name} missing")
        elif services[name].get("profiles") != ["cluster"]:
            problems.append(f"{name} is not in the cluster profile only")
    for name in sorted(set(services) - DEFAULT_SERVICES - CLUSTER_SERVICES):
        problems.append(f"unexpected service {name}")
    return problems


def check_healthchecks(doc: Compose) -> list[str]:
    problems = []
    for name, service in doc["services"].items():
        check = service.get("healthcheck")
        if name in ONE_SHOT:
            if check:
                problems.append(f"one-shot {name} has a health check")
            if service.get("restart") != "no":
                problems.append(f"one-shot {name} is restarted")
            continue
        if not check or check.get("disable"):
            problems.append(f"{name} has no health check")
        elif not check.get("test") or check["test"][0] not in {"CMD", "CMD-SHELL"}:
            problems.append(f"{name}: health check test is not a CMD/CMD-SHELL command")
    return problems


def check_depends_on(doc: Compose) -> list[str]:
    services = doc["services"]
    problems = []
    for name, service in services.items():
        profiled = bool(service.get("profiles"))
        for dep, condition in depends(service).items():
            if dep not in services:
                problems.append(f"{name} depends on unknown {dep}")
                continue
            if services.get(dep, {}).get("profiles") and not profiled:
                problems.append(f"default service {name} depends on profiled {dep}")
            want = "service_completed_successfully" if dep in ONE_SHOT else "service_healthy"
            if condition != want:
                problems.append(f"{name} waits for {dep} with {condition or 'no condition'}")
    # The cluster tier starts only once the three nodes answer, the database is migrated once.
    for name in [*CLUSTER_APIS, *CLUSTER_WORKERS, "cluster-beat"]:
        deps = depends(services.get(name, {}))
        for dep in [*CLUSTER_NODES, "cluster-migrate", "redis"]:
            if dep not in deps:
                problems.append(f"{name} does not wait for {dep}")
    # Whoever stores or serves mirrored images starts after the S3 store.
    for name in ["api", "worker", *CLUSTER_APIS, *CLUSTER_WORKERS]:
        service = services.get(name, {})
        if "SIDEDECKED_S3_ENDPOINT" in env(service) and "minio" not in depends(service):
            problems.append(f"{name} does not wait for minio")
    proxy_deps = depends(services.get("cluster-proxy", {}))
    for api in CLUSTER_APIS:
        if api not in proxy_deps:
            problems.append(f"cluster-proxy does not wait for {api}")
    return problems


def check_versions(doc: Compose) -> list[str]:
    services = doc["services"]
    problems = []
    version = script_default("opensearch.sh", "OPENSEARCH_VERSION")
    for name in ["opensearch", *CLUSTER_NODES]:
        image = services.get(name, {}).get("image")
        if image != f"opensearchproject/opensearch:{version}":
            problems.append(f"{name} runs {image}, make services runs {version}")
    images = {name: str(services.get(name, {}).get("image", "")) for name in ["postgres", "redis"]}
    pg = debian_version("postgresql")  # what scripts/lib/postgres.sh installs
    if pg is not None and images["postgres"] != f"postgres:{re.split(r'[+.~-]', pg)[0]}":
        problems.append(f"postgres image {images['postgres']}, Debian installs {pg}")
    redis = debian_version("redis-server")  # what scripts/lib/redis.sh installs
    if redis is not None and images["redis"] != f"redis:{'.'.join(redis.split('.')[:2])}":
        problems.append(f"redis image {images['redis']}, Debian installs {redis}")
    return problems


def check_commands(doc: Compose) -> list[str]:
    services = doc["services"]
    problems = []
    for name in ["worker", *CLUSTER_WORKERS]:
        if services.get(name, {}).get("command", [])[:2] != ["sidedecked", "worker"]:
            problems.append(f"{name} does not run sidedecked worker")
        command = [str(c) for c in services.get(name, {}).get("command", [])]
        node = command[command.index("--hostname") + 1] if "--hostname" in command else None
        ping = " ".join(services.get(name, {}).get("healthcheck", {}).get("test", []))
        # Compose turns $$ into $; the shell gives $HOSTNAME, which Celery's %h also is.
        if node is None or f"-d {node.replace('%h', '$$HOSTNAME')} " not in ping:
            problems.append(f"{name}: the health check does not ping the worker's node ({node})")
    for name in ["beat", "cluster-beat"]:
        if services.get(name, {}).get("command") != ["sidedecked", "beat"]:
            problems.append(f"{name} does not run sidedecked beat")
    for name in CLUSTER_APIS:
        if services.get(name, {}).get("command", [])[:2] != ["sidedecked", "serve"]:
            problems.append(f"{name} does not run sidedecked serve")
    return problems


def check_cluster(doc: Compose) -> list[str]:
    services = doc["services"]
    problems = []
    heap = script_default("opensearch.sh", "CLUSTER_HEAP")
    names = set()
    for node in CLUSTER_NODES:
        node_env = env(services.get(node, {}))
        names.add(node_env.get("node.name"))
        if node_env.get("cluster.name") != "sidedecked-cluster":
            problems.append(f"{node} is not in sidedecked-cluster")
        for key in ["discovery.seed_hosts", "cluster.initial_cluster_manager_nodes"]:
            if sorted(node_env.get(key, "").split(",")) != CLUSTER_NODES:
                problems.append(f"{node}: {key} does not list the three nodes")
        if "discovery.type" in node_env:
            problems.append(f"{node} is a single-node cluster")
        if node_env.get("OPENSEARCH_JAVA_OPTS") != f"-Xms{heap} -Xmx{heap}":
            problems.append(f"{node} heap is not CLUSTER_HEAP ({heap}) as in make cluster")
    if names != set(CLUSTER_NODES):
        problems.append(f"node names {sorted(map(str, names))} are not the services' names")
    volumes = [
        str(v).split(":")[0] for n in CLUSTER_NODES for v in services.get(n, {}).get("volumes", [])
    ]
    if len(set(volumes)) != len(CLUSTER_NODES):
        problems.append(f"the nodes do not each have a data volume of their own: {volumes}")

    default_env = env(services.get("api", {}))
    for name in [*CLUSTER_APIS, *CLUSTER_WORKERS, "cluster-beat", "cluster-migrate"]:
        app_env = env(services.get(name, {}))
        urls = app_env.get("OPENSEARCH_URL", "").split(",")
        if urls != [f"http://{node}:9200" for node in CLUSTER_NODES]:
            problems.append(f"{name}: OPENSEARCH_URL is not the three nodes: {urls}")
        if app_env.get("SIDEDECKED_INDEX_REPLICAS") != "1":
            problems.append(f"{name}: SIDEDECKED_INDEX_REPLICAS is not 1")
        # An independent tier: its own Redis database and PostgreSQL database.
        if app_env.get("REDIS_URL") == default_env.get("REDIS_URL"):
            problems.append(f"{name} shares the default tier's Redis database")
        if app_env.get("DATABASE_URL") == default_env.get("DATABASE_URL"):
            problems.append(f"{name} shares the default tier's database")
        if app_env.get("SIDEDECKED_S3_BUCKET") in {None, default_env.get("SIDEDECKED_S3_BUCKET")}:
            problems.append(f"{name} shares the default tier's image bucket")
    return problems


def check_cluster_database(doc: Compose) -> list[str]:
    """The cluster tier's database is created by the postgres image's init scripts."""
    url = env(doc["services"].get("cluster-api-1", {})).get("DATABASE_URL", "")
    database = url.rsplit("/", 1)[1]
    for volume in doc["services"].get("postgres", {}).get("volumes", []):
        source, target = str(volume).split(":")[:2]
        if target == "/docker-entrypoint-initdb.d":
            sql = "\n".join(p.read_text() for p in sorted((ROOT / source).glob("*.sql")))
            if re.search(rf"CREATE DATABASE {database}\b", sql):
                return []
            return [f"the postgres init scripts do not create {database}"]
    return ["postgres has no /docker-entrypoint-initdb.d mount"]


def check_proxy(doc: Compose, conf_text: str | None = None) -> list[str]:
    services = doc["services"]
    problems = []
    proxy = services.get("cluster-proxy", {})
    if not str(proxy.get("image", "")).startswith("nginx:"):
        problems.append(f"cluster-proxy image {proxy.get('image')} is not nginx")
    if conf_text is None:
        path = proxy_conf_path(doc)
        if path is None or not path.is_file():
            return [*problems, f"cluster-proxy config not found ({path})"]
        conf_text = path.read_text()
    upstreams = re.findall(r"^\s*server\s+([\w.-]+):(\d+)", conf_text, re.MULTILINE)
    if sorted(upstreams) != sorted((api, "8000") for api in CLUSTER_APIS):
        problems.append(f"proxy upstream servers {upstreams} are not both API replicas")
    if not re.search(r"proxy_pass\s+http://\w+;", conf_text):
        problems.append("proxy does not pass to its upstream")
    check_url = " ".join(proxy["healthcheck"]["test"])
    match = re.search(r"http://127\.0\.0\.1(/[\w-]*)", check_url)
    if not match or not re.search(rf"location\s+=\s+{re.escape(match.group(1))}\s", conf_text):
        problems.append("the proxy's health check asks for a path its config does not serve")
    return problems


CHECKS = [
    check_services_and_profiles,
    check_healthchecks,
    check_depends_on,
    check_versions,
    check_commands,
    check_cluster,
    check_cluster_database,
    check_proxy,
]


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_docker_compose_passes(check) -> None:
    assert check(load_compose()) == []


def test_versions_come_from_the_scripts() -> None:
    # The values the checks compare with are read, not assumed.
    assert re.fullmatch(r"\d+\.\d+\.\d+", script_default("opensearch.sh", "OPENSEARCH_VERSION"))
    assert re.fullmatch(r"\d+[mg]", script_default("opensearch.sh", "CLUSTER_HEAP"))
    assert "apt_install postgresql" in (SCRIPTS / "postgres.sh").read_text()
    assert "apt_install redis-server" in (SCRIPTS / "redis.sh").read_text()


def _set(doc: Compose, service: str, key: str, value: Any) -> None:
    doc["services"][service][key] = value


def _drop_dep(doc: Compose, service: str, dep: str) -> None:
    del doc["services"][service]["depends_on"][dep]


def _env(doc: Compose, service: str, key: str, value: str) -> None:
    doc["services"][service]["environment"] = {**env(doc["services"][service]), key: value}


MUTATIONS = {
    "no beat": (lambda d: d["services"].pop("beat"), "default service beat missing"),
    "api replica in default": (
        lambda d: d["services"]["cluster-api-2"].pop("profiles"),
        "cluster-api-2 is not in the cluster profile only",
    ),
    "worker without health check": (
        lambda d: d["services"]["cluster-worker-2"].pop("healthcheck"),
        "cluster-worker-2 has no health check",
    ),
    "started, not healthy": (
        lambda d: _set(d, "cluster-proxy", "depends_on", {"cluster-api-1": {}}),
        "cluster-proxy waits for cluster-api-1 with no condition",
    ),
    "api not waiting for a node": (
        lambda d: _drop_dep(d, "cluster-api-1", "cluster-opensearch-3"),
        "cluster-api-1 does not wait for cluster-opensearch-3",
    ),
    "other OpenSearch version": (
        lambda d: _set(d, "cluster-opensearch-2", "image", "opensearchproject/opensearch:2.11.0"),
        "cluster-opensearch-2 runs opensearchproject/opensearch:2.11.0",
    ),
    "worker runs celery directly": (
        lambda d: _set(d, "worker", "command", ["celery", "-A", "models.worker", "worker"]),
        "worker does not run sidedecked worker",
    ),
    "health check pings another node name": (
        lambda d: _set(d, "worker", "command", ["sidedecked", "worker", "--hostname", "w@%h"]),
        "worker: the health check does not ping the worker's node (w@%h)",
    ),
    "one node in the URL": (
        lambda d: _env(d, "cluster-worker-1", "OPENSEARCH_URL", "http://cluster-opensearch-1:9200"),
        "cluster-worker-1: OPENSEARCH_URL is not the three nodes",
    ),
    "no replicas": (
        lambda d: _env(d, "cluster-api-2", "SIDEDECKED_INDEX_REPLICAS", "0"),
        "cluster-api-2: SIDEDECKED_INDEX_REPLICAS is not 1",
    ),
    "node outside the seed list": (
        lambda d: _env(d, "cluster-opensearch-3", "discovery.seed_hosts", "cluster-opensearch-1"),
        "cluster-opensearch-3: discovery.seed_hosts does not list the three nodes",
    ),
    "worker before the image store": (
        lambda d: _drop_dep(d, "cluster-worker-1", "minio"),
        "cluster-worker-1 does not wait for minio",
    ),
    "shared broker database": (
        lambda d: _env(d, "cluster-beat", "REDIS_URL", "redis://redis:6379/0"),
        "cluster-beat shares the default tier's Redis database",
    ),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_a_broken_compose_file_is_reported(mutation: str) -> None:
    doc = copy.deepcopy(load_compose())
    change, expected = MUTATIONS[mutation]
    change(doc)
    problems = [p for check in CHECKS for p in check(doc)]
    assert any(p.startswith(expected) for p in problems), problems


def test_a_proxy_config_without_the_second_replica_is_reported() -> None:
    doc = load_compose()
    path = proxy_conf_path(doc)
    assert path is not None
    conf = path.read_text()
    one_replica = "\n".join(line for line in conf.splitlines() if "cluster-api-2" not in line)
    assert check_proxy(doc, conf) == []
    assert any("not both API replicas" in p for p in check_proxy(doc, one_replica))


@pytest.mark.parametrize(
    ("package", "service", "image"),
    [("postgresql", "postgres", "postgres:9"), ("redis-server", "redis", "redis:6.2")],
)
def test_an_image_other_than_what_debian_installs_is_reported(
    package: str, service: str, image: str
) -> None:
    if debian_version(package) is None:
        pytest.skip(f"no dpkg/apt here to tell which {package} scripts/lib installs")
    doc = copy.deepcopy(load_compose())
    _set(doc, service, "image", image)
    assert any(p.startswith(f"{service} image {image}") for p in check_versions(doc))
