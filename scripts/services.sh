#!/usr/bin/env bash
# Run the real backing services (PostgreSQL, Redis, OpenSearch, the S3 object store) on loopback,
# each as our own instance with everything under ./var. Idempotent.
#
#   bash scripts/services.sh up     [postgres] [redis] [opensearch] [objectstore]   # default: all
#   bash scripts/services.sh down   [services...]
#   bash scripts/services.sh status [services...]
#   bash scripts/services.sh env    [services...]    # prints `export ...` lines only
#
# Environment: PG_PORT (5432), REDIS_PORT (6379), OPENSEARCH_PORT (9200),
# OPENSEARCH_HEAP (1g), OPENSEARCH_VERSION (2.19.6), OPENSEARCH_MODULES, OBJECTSTORE_PORT (8333),
# SIDEDECKED_CACHE (~/.cache/sidedecked). See docs/services.md.
set -euo pipefail
shopt -s inherit_errexit

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIB="$ROOT/scripts/lib"
# shellcheck source=scripts/lib/common.sh
source "$LIB/common.sh"
# shellcheck source=scripts/lib/postgres.sh
source "$LIB/postgres.sh"
# shellcheck source=scripts/lib/redis.sh
source "$LIB/redis.sh"
# shellcheck source=scripts/lib/opensearch.sh
source "$LIB/opensearch.sh"
# shellcheck source=scripts/lib/objectstore.sh
source "$LIB/objectstore.sh"

ALL_SERVICES=(postgres redis opensearch objectstore)

usage() {
  sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

canonical() {
  case $1 in
    postgres | postgresql | pg) echo postgres ;;
    redis) echo redis ;;
    opensearch | os | search) echo opensearch ;;
    objectstore | s3 | seaweedfs) echo objectstore ;;
    *) die "unknown service '$1' (expected: postgres, redis, opensearch, objectstore)" ;;
  esac
}

env_lines() {
  local s
  for s in "$@"; do
    case $s in
      postgres) echo "export DATABASE_URL=$(pg_url)" ;;
      redis) echo "export REDIS_URL=$(redis_url)" ;;
      opensearch) echo "export OPENSEARCH_URL=$(os_url)" ;;
      objectstore) objectstore_env ;;
    esac
  done
}

# The lock fd (9) must not leak into the daemons we start: every launch
# command closes it with 9>&-.
with_lock() {
  ensure_base_dirs
  exec 9>"$RUN_DIR/services.lock"
  if ! flock -w 600 9; then
    die "another scripts/services.sh is still running (lock $RUN_DIR/services.lock)"
  fi
}

main() {
  [[ $# -ge 1 ]] || usage
  local cmd=$1
  shift
  local -a services=()
  local s
  if [[ $# -eq 0 ]]; then
    services=("${ALL_SERVICES[@]}")
  else
    for s in "$@"; do services+=("$(canonical "$s")"); done
  fi

  case $cmd in
    up)
      [[ $(id -u) == 0 ]] || warn "not running as root: installs and user switching will fail"
      with_lock
      local t0=$SECONDS
      log "up: ${services[*]} (repo $ROOT)"
      for s in "${services[@]}"; do
        case $s in
          postgres) pg_up ;;
          redis) redis_up ;;
          opensearch) os_up ;;
          objectstore) objectstore_up ;;
        esac
      done
      log "up: all healthy in $((SECONDS - t0))s; export these:"
      env_lines "${services[@]}"
      ;;
    down)
      with_lock
      # Reverse order: dependants first.
      local i
      for ((i = ${#services[@]} - 1; i >= 0; i--)); do
        case ${services[i]} in
          postgres) pg_down ;;
          redis) redis_down ;;
          opensearch) os_down ;;
          objectstore) objectstore_down ;;
        esac
      done
      ;;
    status)
      for s in "${services[@]}"; do
        case $s in
          postgres) pg_status ;;
          redis) redis_status ;;
          opensearch) os_status ;;
          objectstore) objectstore_status ;;
        esac
      done
      ;;
    env)
      env_lines "${services[@]}"
      ;;
    -h | --help | help) usage ;;
    *)
      log "unknown command '$cmd'"
      usage
      ;;
  esac
}

main "$@"
