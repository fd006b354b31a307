#!/usr/bin/env bash
# Run the benchmarks against the services `make services` started; each prints its table and
# the command that produced it (the tables are kept in docs/benchmarks.md).
# Usage: scripts/bench.sh [etl|index|match|search|events ...]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/services.sh env)"
py=.venv/bin/python
run() { echo; echo "== bench/$1: $2"; shift 2; "$py" -m "$@"; }
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(etl index match search events)
for target in "${targets[@]}"; do
  case "$target" in
    etl) run etl "first load, unchanged and forced re-runs" bench.etl.bench_etl ;;
    index)
      run index "full catalog for the rebuild benchmark" bench.catalog
      run index "rebuild vs raw bulk ceiling, both engines" bench.index.run --repeat 3 ;;
    match) run match "rows/s and the 100k-row job" bench.match.run ;;
    search) [ -f bench/search/run.py ] && run search "latency and throughput, both engines" bench.search.run ;;
    events) [ -f bench/events/run.py ] && run events "events/s and lag" bench.events.run ;;
    *) echo "unknown benchmark '$target' (etl, index, match, search, events)" >&2; exit 2 ;;
  esac
done
