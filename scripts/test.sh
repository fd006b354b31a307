#!/usr/bin/env bash
# Run the whole suite against the services `make services` started.
# Usage: scripts/test.sh [pytest args...]   (default: all of tests/)
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/services.sh env)"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-${DATABASE_URL%/*}/sidedecked_test}"
export TEST_OPENSEARCH_URL="${TEST_OPENSEARCH_URL:-$OPENSEARCH_URL}"
export TEST_REDIS_URL="${TEST_REDIS_URL:-$REDIS_URL}"
unset DATABASE_URL OPENSEARCH_URL REDIS_URL
mkdir -p test-artifacts
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(tests)
start=$(date +%s)
set +e
.venv/bin/python -m pytest "${args[@]}" -n "${PYTEST_WORKERS:-2}" --dist loadgroup \
  --junitxml=test-artifacts/junit.xml -q
status=$?
set -e
echo "[test] pytest finished in $(( $(date +%s) - start ))s with exit code $status"
exit $status
