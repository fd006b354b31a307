#!/usr/bin/env bash
# Run the whole suite against the services `make services` started.
# Usage: scripts/test.sh [pytest args...]   (default: scripts/lint.sh, then all of tests/)
set -euo pipefail
cd "$(dirname "$0")/.."
# wrk (Debian's), which the benchmark harness's tests drive for real, installed once
(ROOT="$PWD" && source scripts/lib/common.sh && ensure_base_dirs && ensure_cmd wrk wrk)
eval "$(bash scripts/services.sh env)"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-${DATABASE_URL%/*}/sidedecked_test}"
export TEST_OPENSEARCH_URL="${TEST_OPENSEARCH_URL:-$OPENSEARCH_URL}"
export TEST_REDIS_URL="${TEST_REDIS_URL:-$REDIS_URL}"
unset DATABASE_URL OPENSEARCH_URL REDIS_URL
mkdir -p test-artifacts
args=("$@")
full_run=0
[ ${#args[@]} -eq 0 ] && { args=(tests); full_run=1; }
start=$(date +%s)
set +e
lint_status=0
if [ "$full_run" -eq 1 ]; then
  # The whole-suite run (make test, .ci/run) lints first; pytest still runs so one run shows both.
  bash scripts/lint.sh
  lint_status=$?
fi
.venv/bin/python -m pytest "${args[@]}" -n "${PYTEST_WORKERS:-2}" --dist loadgroup \
  --junitxml=test-artifacts/junit.xml -q
status=$?
if [ "$status" -eq 0 ] && [ "$full_run" -eq 1 ]; then
  # Tests that stop a shared service run alone, after everything else.
  echo "[test] outage tests (they stop and restart OpenSearch), serially"
  SIDEDECKED_TEST_OPENSEARCH_OUTAGE=1 .venv/bin/python -m pytest -p no:xdist -q \
    --junitxml=test-artifacts/junit-outage.xml tests/integration/indexer/test_opensearch_outage.py \
    tests/integration/marketplace/test_opensearch_outage.py
  status=$?
fi
if [ "$status" -eq 0 ] && [ "$full_run" -eq 1 ]; then
  # Fault tests (docs/testing.md#fault-tests): real Celery workers SIGKILLed whole and child by
  # child, and a node of a three-node OpenSearch cluster SIGKILLed under load. Alone, last; the
  # cluster is started for them and stopped after (unless it was already running).
  echo "[test] fault tests (they kill workers and cluster nodes), serially"
  fault_start=$(date +%s)
  cluster_was_down=0
  bash scripts/cluster.sh status | grep -q '^cluster  *down' && cluster_was_down=1
  if bash scripts/cluster.sh up; then
    TEST_CLUSTER_URL="$(bash scripts/cluster.sh env | sed -n 's/^export OPENSEARCH_URL=//p')" \
      SIDEDECKED_TEST_FAULTS=1 .venv/bin/python -m pytest -p no:xdist -q \
      --junitxml=test-artifacts/junit-faults.xml tests/fault \
      "tests/integration/indexer/test_failover.py::test_a_rebuild_on_the_cluster_sets_replicas_after_the_load"
    status=$?
    if [ "$status" -eq 0 ]; then
      # scripts/cluster.sh itself: up, kill a node, up again, down (it restarts the cluster after)
      SIDEDECKED_TEST_CLUSTER=1 .venv/bin/python -m pytest -p no:xdist -q \
        --junitxml=test-artifacts/junit-cluster-script.xml tests/integration/cluster/test_cluster_script.py
      status=$?
    fi
  else
    echo "[test] the three-node cluster did not come up (bash scripts/cluster.sh up)"
    status=1
  fi
  [ "$cluster_was_down" -eq 1 ] && bash scripts/cluster.sh down
  echo "[test] fault tests finished in $(( $(date +%s) - fault_start ))s"
fi
set -e
echo "[test] pytest finished in $(( $(date +%s) - start ))s with exit code $status"
if [ "$lint_status" -ne 0 ]; then
  echo "[test] the lint step failed (see [lint] lines above; run: make lint)"
  [ "$status" -eq 0 ] && status=1
fi
exit $status
