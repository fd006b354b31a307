#!/usr/bin/env bash
# Run the benchmarks against the services `make services` started; each prints its table and
# the command that produced it (the tables are kept in docs/benchmarks.md).
# Usage: scripts/bench.sh [etl|index|match|search|events|prices|scale ...]
#   (default: $BENCH_TARGETS, else all but scale; `BENCH_TARGETS=scale make bench` runs the 1x/10x one)
# BENCH_SEARCH_ARGS passes options to bench.search.run, e.g. "--seconds 30 --api-workers 2";
# BENCH_SCALE_ARGS to bench.scale.run, e.g. "--factors 10 --steps search,disk".
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
eval "$(bash scripts/services.sh env)"
py=.venv/bin/python
run() { echo; echo "== bench/$1: $2"; shift 2; "$py" -m "$@"; }
# wrk, the load generator of bench/search, from Debian's packages (installed once).
ensure_wrk() { (source scripts/lib/common.sh && ensure_base_dirs && ensure_cmd wrk wrk); }
targets=("$@")
# shellcheck disable=SC2206 # word splitting of the list is intended
[ ${#targets[@]} -eq 0 ] && targets=(${BENCH_TARGETS:-etl index match search events prices})
for target in "${targets[@]}"; do
  case "$target" in
    etl) run etl "first load, unchanged and forced re-runs" bench.etl.bench_etl ;;
    index)
      run index "full catalog for the rebuild benchmark" bench.catalog
      run index "rebuild vs raw bulk ceiling, both engines" bench.index.run --repeat 3 ;;
    match) run match "rows/s and the 100k-row job" bench.match.run ;;
    search)
      ensure_wrk
      run search "full catalog for the search benchmark" bench.catalog
      # shellcheck disable=SC2086 # word splitting of the options is intended
      run search "default storefront requests with wrk, both engines and databases" \
        bench.search.run ${BENCH_SEARCH_ARGS:-} ;;
    events) [ -f bench/events/run.py ] && run events "events/s and lag" bench.events.run ;;
    prices)
      ensure_wrk
      run prices "price history routes with wrk, with and without the Redis cache" bench.prices.run ;;
    scale)
      # each catalog is loaded (and its ETL measured) once: the 10x one (about 1M prints and
      # 8.7M SKUs, generated first) takes tens of minutes on 2 cores; later runs measure the
      # other steps again (--steps, --etl-fresh: see bench/scale/run.py)
      ensure_wrk
      # shellcheck disable=SC2086 # word splitting of the options is intended
      run scale "1x and 10x: ETL, rebuilds (one node and the cluster when up), search, matching, disk" \
        bench.scale.run ${BENCH_SCALE_ARGS:-} ;;
    *) echo "unknown benchmark '$target' (etl, index, match, search, events, prices, scale)" >&2; exit 2 ;;
  esac
done
