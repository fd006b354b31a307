#!/usr/bin/env bash
# The embedded default, no services: migrate the SQLite catalog, load sample cards, serve.
set -euo pipefail
cd "$(dirname "$0")/.."
host=127.0.0.1; port=8000
while [ $# -gt 0 ]; do
  case "$1" in
    --host) host="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    *) echo "usage: scripts/demo.sh [--host H] [--port P]" >&2; exit 2 ;;
  esac
done
unset OPENSEARCH_URL REDIS_URL
export DATABASE_URL="${DEMO_DATABASE_URL:-sqlite:///$PWD/var/demo/catalog.db}"
export SIDEDECKED_INDEX_DIR="${DEMO_INDEX_DIR:-$PWD/var/demo/index}"
mkdir -p var/demo
.venv/bin/sidedecked db upgrade
.venv/bin/sidedecked demo load --dest "${DEMO_SAMPLE_DIR:-$PWD/var/demo/sample}"
echo "[demo] serving on http://$host:$port  (health: /health, API docs: /docs)"
exec .venv/bin/sidedecked serve --host "$host" --port "$port"
