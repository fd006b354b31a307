#!/usr/bin/env bash
# A three-node OpenSearch cluster on loopback, from the same assembled distribution as the
# single node of scripts/services.sh (which it neither needs nor touches). Idempotent.
#
#   bash scripts/cluster.sh up        # start the nodes that are missing, wait for green, print the export
#   bash scripts/cluster.sh down      # stop the three nodes (SIGTERM), nothing else
#   bash scripts/cluster.sh kill N    # SIGKILL node N (1..3) only
#   bash scripts/cluster.sh status    # one line per node, then the cluster's health
#   bash scripts/cluster.sh env       # export OPENSEARCH_URL=<the three nodes>
#
# Environment: CLUSTER_HTTP_PORT (9201; nodes use +0,+1,+2), CLUSTER_TRANSPORT_PORT (9301),
# CLUSTER_HEAP (768m), CLUSTER_NAME (sidedecked-cluster), CLUSTER_START_TIMEOUT (300 s),
# OPENSEARCH_VERSION, OPENSEARCH_MODULES, SIDEDECKED_CACHE. See docs/services.md#cluster.
set -euo pipefail
shopt -s inherit_errexit

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIB="$ROOT/scripts/lib"
# shellcheck source=scripts/lib/common.sh
source "$LIB/common.sh"
# shellcheck source=scripts/lib/opensearch.sh
source "$LIB/opensearch.sh"

# Same log as scripts/services.sh, with a prefix of its own.
log() {
  echo "[cluster] $*" >&2
  if [[ -d "$LOG_DIR" ]]; then
    echo "$(_ts) [cluster] $*" >>"$SERVICES_LOG" 2>/dev/null || true
  fi
}

usage() {
  sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

cluster_urls() {
  local n out=""
  for ((n = 1; n <= CLUSTER_NODES; n++)); do
    out+="${out:+,}http://127.0.0.1:$((CLUSTER_HTTP_PORT + n - 1))"
  done
  echo "$out"
}

env_line() { echo "export OPENSEARCH_URL=$(cluster_urls)"; }

# The first node answering GET <path> prints the body; fails when none answers.
cluster_get() {
  local path=$1 n
  for ((n = 1; n <= CLUSTER_NODES; n++)); do
    if curl -fsS --max-time 5 "http://127.0.0.1:$((CLUSTER_HTTP_PORT + n - 1))$path" 2>/dev/null; then
      return 0
    fi
  done
  return 1
}

cluster_green() {
  cluster_get "/_cluster/health?wait_for_status=green&wait_for_nodes=$CLUSTER_NODES&timeout=2s" >/dev/null
}

# "status number_of_nodes" from any node that answers.
cluster_health_words() {
  local body
  body=$(cluster_get "/_cluster/health?timeout=2s") || return 1
  local status nodes
  status=$(sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' <<<"$body")
  nodes=$(sed -n 's/.*"number_of_nodes":\([0-9]*\).*/\1/p' <<<"$body")
  echo "$status $nodes"
}

# A lock of its own (fd 8), so `make cluster` never waits for `make services` to finish, and
# the services lock (fd 9) only around the assembly they share.
with_cluster_lock() {
  ensure_base_dirs
  exec 8>"$RUN_DIR/cluster.lock"
  flock -w 600 8 || die "another scripts/cluster.sh is still running (lock $RUN_DIR/cluster.lock)"
}

assemble_shared() {
  exec 9>"$RUN_DIR/services.lock"
  flock -w 600 9 || die "scripts/services.sh is still running (lock $RUN_DIR/services.lock)"
  ensure_traversable "$OS_USER" "$VAR_DIR"
  mkdir -p "$OS_BASE"
  os_assemble
  exec 9>&-
}

# No node has ever joined a cluster: the first start bootstraps it.
needs_bootstrap() {
  [[ -f "$OSC_BOOTSTRAPPED" ]] && return 1
  local n
  for ((n = 1; n <= CLUSTER_NODES; n++)); do
    [[ -d "$OSC_BASE/node-$n/data/nodes" ]] && return 1
  done
  return 0
}

cluster_up() {
  [[ $(id -u) == 0 ]] || warn "not running as root: installs and user switching will fail"
  with_cluster_lock
  local t0=$SECONDS
  os_ensure_prereqs
  assemble_shared
  mkdir -p "$OSC_BASE" "$OSC_LOGS" "$OSC_RUN"
  local bootstrap=""
  if needs_bootstrap; then
    bootstrap=bootstrap
    log "first start of $CLUSTER_NAME: bootstrapping with cluster.initial_cluster_manager_nodes"
  fi
  local n pid rport
  local -a started=()
  for ((n = 1; n <= CLUSTER_NODES; n++)); do
    os_select_cluster_node "$n"
    if pid=$(os_node_pid); then
      rport=$(os_running_port "$pid")
      if [[ -n "$rport" && "$rport" != "$OSN_HTTP_PORT" ]]; then
        die "$OSN_LABEL (pid $pid) already runs on port $rport, not $OSN_HTTP_PORT; run 'bash scripts/cluster.sh down' first"
      fi
      log "$OSN_LABEL: already running (pid $pid, port $OSN_HTTP_PORT)"
    else
      os_node_start "$bootstrap"
      started+=("$n")
    fi
  done

  local start=$SECONDS timeout=${CLUSTER_START_TIMEOUT:-300} words="" last=""
  until cluster_green; do
    if ((SECONDS - start >= timeout)); then
      for n in "${started[@]}"; do
        os_select_cluster_node "$n"
        os_node_tail_logs
      done
      die "cluster not green with $CLUSTER_NODES nodes after ${timeout}s (last health: ${words:-no node answered})"
    fi
    # Fail fast if a JVM we started died (the pidfile is written early during startup).
    if ((SECONDS - start > 15)); then
      for n in "${started[@]}"; do
        os_select_cluster_node "$n"
        if ! os_node_pid >/dev/null; then
          os_node_tail_logs
          die "$OSN_LABEL exited during startup"
        fi
      done
    fi
    words=$(cluster_health_words || true)
    if [[ -n "$words" && "$words" != "$last" ]]; then
      log "health: ${words% *}, ${words#* } of $CLUSTER_NODES nodes"
      last=$words
    fi
    sleep 1
  done
  [[ -f "$OSC_BOOTSTRAPPED" ]] || cluster_get "/" >"$OSC_BOOTSTRAPPED"
  log "green with $CLUSTER_NODES nodes after $((SECONDS - start))s (${#started[@]} started; up took $((SECONDS - t0))s); export this:"
  env_line
}

cluster_down() {
  with_cluster_lock
  local n
  local -a pids=()
  local pid
  # SIGTERM all first so they shut down together, then wait for each.
  for ((n = 1; n <= CLUSTER_NODES; n++)); do
    os_select_cluster_node "$n"
    if pid=$(os_node_pid); then
      log "$OSN_LABEL: stopping pid $pid (127.0.0.1:$OSN_HTTP_PORT)"
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$n")
    else
      log "$OSN_LABEL: not running"
      rm -f "$OSN_PIDFILE"
    fi
  done
  for n in "${pids[@]}"; do
    os_select_cluster_node "$n"
    os_node_stop TERM >/dev/null 2>&1 || true
    os_node_pid >/dev/null && die "$OSN_LABEL still runs"
    log "$OSN_LABEL: stopped"
  done
}

cluster_kill() {
  local n=${1:-}
  [[ -n "$n" ]] || die "usage: scripts/cluster.sh kill N (N in 1..$CLUSTER_NODES)"
  os_select_cluster_node "$n"
  # No lock: a kill must not wait for an `up` that is waiting for green.
  os_node_stop KILL
}

cluster_status() {
  local n words
  for ((n = 1; n <= CLUSTER_NODES; n++)); do
    os_select_cluster_node "$n"
    os_node_status
  done
  if words=$(cluster_health_words); then
    printf '%-15s %-5s %s of %s nodes  %s  %s\n' cluster "${words% *}" "${words#* }" "$CLUSTER_NODES" "$CLUSTER_NAME" "$(cluster_urls)"
  else
    printf '%-15s down  no node answers  %s\n' cluster "$(cluster_urls)"
  fi
}

main() {
  [[ $# -ge 1 ]] || usage
  local cmd=$1
  shift
  case $cmd in
    up) cluster_up ;;
    down) cluster_down ;;
    kill) cluster_kill "$@" ;;
    status) cluster_status ;;
    env) env_line ;;
    -h | --help | help) usage ;;
    *)
      log "unknown command '$cmd'"
      usage
      ;;
  esac
}

main "$@"
