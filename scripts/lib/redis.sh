# shellcheck shell=bash
# Redis: our own daemonized instance, config/pid/log/data under ./var.

REDIS_PORT="${REDIS_PORT:-6379}"
REDIS_DIR="$VAR_DIR/redis"
REDIS_CONF="$REDIS_DIR/redis.conf"
REDIS_PIDFILE="$RUN_DIR/redis.pid"
REDIS_LOG="$LOG_DIR/redis.log"

redis_url() { echo "redis://127.0.0.1:$REDIS_PORT/0"; }

redis_pid() {
  local pid
  pid=$(read_pidfile "$REDIS_PIDFILE" 2>/dev/null) || return 1
  pid_matches "$pid" redis-server || return 1
  echo "$pid"
}

# Port our running instance was started with (from the config we wrote).
redis_running_port() { sed -n 's/^port //p' "$REDIS_CONF" 2>/dev/null | head -n 1; }

redis_cli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }

redis_ready() { [[ "$(redis_cli ping 2>/dev/null)" == PONG ]]; }

redis_ensure_installed() {
  if ! have redis-server || ! have redis-cli; then
    apt_install redis-server
  fi
  have redis-server || die "redis-server still missing after apt-get install"
}

redis_up() {
  redis_ensure_installed
  local pid
  if pid=$(redis_pid); then
    local rport
    rport=$(redis_running_port)
    if [[ -n "$rport" && "$rport" != "$REDIS_PORT" ]]; then
      die "our redis (pid $pid) already runs on port $rport, not $REDIS_PORT; run 'bash scripts/services.sh down redis' first"
    fi
    log "redis: already running (pid $pid, port $REDIS_PORT)"
  else
    rm -f "$REDIS_PIDFILE"
    if port_in_use "$REDIS_PORT"; then
      die "port $REDIS_PORT is already in use ($(port_owner "$REDIS_PORT")) and it is not our redis; stop it or set REDIS_PORT=6380"
    fi
    mkdir -p "$REDIS_DIR"
    cat >"$REDIS_CONF" <<EOF
# Written by scripts/services.sh on every start; edits are overwritten.
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
daemonize yes
supervised no
pidfile $REDIS_PIDFILE
logfile $REDIS_LOG
loglevel notice
dir $REDIS_DIR
save ""
appendonly no
databases 16
EOF
    log "redis: starting on 127.0.0.1:$REDIS_PORT (log: $REDIS_LOG)"
    redis-server "$REDIS_CONF" </dev/null >>"$SERVICES_LOG" 2>&1 9>&- ||
      { tail -n 20 "$REDIS_LOG" >&2 2>/dev/null; die "redis-server failed to start"; }
  fi
  wait_for 20 "redis" redis_ready || { tail -n 20 "$REDIS_LOG" >&2; die "redis not answering PING on 127.0.0.1:$REDIS_PORT"; }
}

redis_down() {
  local pid
  if ! pid=$(redis_pid); then
    log "redis: not running"
    rm -f "$REDIS_PIDFILE"
    return 0
  fi
  local REDIS_PORT
  REDIS_PORT=$(redis_running_port)
  log "redis: stopping (pid $pid, port $REDIS_PORT)"
  # Only talk SHUTDOWN to the port if the server there is really our pid.
  local served
  served=$(redis_cli info server 2>/dev/null | tr -d '\r' | sed -n 's/^process_id://p')
  if [[ "$served" == "$pid" ]]; then
    redis_cli shutdown nosave >/dev/null 2>&1 || true
  else
    kill -TERM "$pid" 2>/dev/null || true
  fi
  for _ in $(seq 1 50); do
    pid_matches "$pid" redis-server || break
    sleep 0.2
  done
  if pid_matches "$pid" redis-server; then
    warn "redis pid $pid did not exit after SHUTDOWN; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$REDIS_PIDFILE"
}

redis_status() {
  local pid
  if pid=$(redis_pid); then
    echo "redis       up    pid $pid  127.0.0.1:$(redis_running_port)"
  else
    echo "redis       down"
  fi
}
