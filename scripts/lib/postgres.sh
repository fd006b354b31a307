# shellcheck shell=bash
# PostgreSQL: our own cluster in ./var/postgres, run by the `postgres` OS user.

PG_PORT="${PG_PORT:-5432}"
PG_DATA="$VAR_DIR/postgres"
PG_LOG="$LOG_DIR/postgres.log"
PG_APP_USER=sidedecked
PG_APP_PASSWORD=sidedecked
PG_DATABASES=(sidedecked sidedecked_test)

pg_socket_dir() {
  local d="$RUN_DIR/postgres"
  # Unix socket paths are limited to 107 bytes; fall back to /tmp for deep checkouts.
  if ((${#d} + 20 > 100)); then d=/tmp; fi
  echo "$d"
}

pg_bindir() {
  local d best=""
  for d in /usr/lib/postgresql/*/bin; do
    [[ -x "$d/pg_ctl" && -x "$d/initdb" ]] || continue
    best=$d # glob sorts ascending; keep the last (highest) version
  done
  # Prefer the major version an existing data dir was created with.
  if [[ -f "$PG_DATA/PG_VERSION" ]]; then
    local want
    want=$(cat "$PG_DATA/PG_VERSION")
    if [[ -x "/usr/lib/postgresql/$want/bin/pg_ctl" ]]; then best="/usr/lib/postgresql/$want/bin"; fi
  fi
  [[ -n "$best" ]] && echo "$best"
}

pg_pid() {
  local pid
  pid=$(read_pidfile "$PG_DATA/postmaster.pid" 2>/dev/null) || return 1
  pid_matches "$pid" postgres || return 1
  echo "$pid"
}

# Port our running cluster listens on (line 4 of postmaster.pid).
pg_running_port() { sed -n 4p "$PG_DATA/postmaster.pid" 2>/dev/null | tr -dc '0-9'; }

pg_url() { echo "postgresql+psycopg://$PG_APP_USER:$PG_APP_PASSWORD@127.0.0.1:$PG_PORT/sidedecked"; }

pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }

pg_psql() {
  as_user postgres "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 \
    -h "$(pg_socket_dir)" -p "$PG_PORT" -U postgres -d postgres "$@"
}

pg_ensure_installed() {
  PG_BIN=$(pg_bindir || true)
  if [[ -z "$PG_BIN" ]]; then
    apt_install postgresql
    PG_BIN=$(pg_bindir || true)
    [[ -n "$PG_BIN" ]] || die "postgresql installed but no /usr/lib/postgresql/*/bin/pg_ctl found"
  fi
  id postgres >/dev/null 2>&1 || die "OS user 'postgres' missing (the postgresql package normally creates it)"
}

pg_write_config() {
  local sock
  sock=$(pg_socket_dir)
  cat >"$PG_DATA/sidedecked.conf" <<EOF
# Written by scripts/services.sh on every start; edits are overwritten.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$sock'
max_connections = 200
shared_buffers = 256MB
# Test/dev tuning: durability is traded for speed.
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
EOF
  cat >"$PG_DATA/pg_hba.conf" <<'EOF'
# Written by scripts/services.sh.
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  trust
host    all       all   127.0.0.1/32   scram-sha-256
host    all       all   ::1/128        scram-sha-256
EOF
  chown postgres: "$PG_DATA/sidedecked.conf" "$PG_DATA/pg_hba.conf"
  chmod 600 "$PG_DATA/sidedecked.conf" "$PG_DATA/pg_hba.conf"
  if ! grep -q "^include_if_exists = 'sidedecked.conf'" "$PG_DATA/postgresql.conf"; then
    printf "\n# added by scripts/services.sh\ninclude_if_exists = 'sidedecked.conf'\n" >>"$PG_DATA/postgresql.conf"
  fi
}

pg_ensure_roles() {
  pg_psql <<SQL
DO \$\$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_APP_USER') THEN
    CREATE ROLE $PG_APP_USER LOGIN CREATEDB PASSWORD '$PG_APP_PASSWORD';
  ELSE
    ALTER ROLE $PG_APP_USER LOGIN CREATEDB PASSWORD '$PG_APP_PASSWORD';
  END IF;
END\$\$;
-- lets DROP DATABASE ... WITH (FORCE) end an autovacuum worker busy on a test database
GRANT pg_signal_backend TO $PG_APP_USER;
SQL
  local db
  for db in "${PG_DATABASES[@]}"; do
    if [[ -z "$(pg_psql -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]]; then
      pg_psql -c "CREATE DATABASE $db OWNER $PG_APP_USER"
      log "postgres: created database $db"
    fi
  done
}

pg_port_conflict_message() {
  local msg="port $PG_PORT is already in use"
  local owner
  owner=$(port_owner "$PG_PORT")
  [[ -n "$owner" ]] && msg="$msg by $owner"
  if have pg_lsclusters; then
    local sys
    sys=$(pg_lsclusters -h 2>/dev/null | awk -v p="$PG_PORT" '$3 == p && $4 ~ /online/ {print $1 "/" $2 " (" $6 ")"}')
    [[ -n "$sys" ]] && msg="$msg: the Debian system cluster $sys is running there"
  fi
  local opid
  opid=$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' <<<"$owner")
  if [[ -z "${sys:-}" && -n "$opid" ]] && pid_matches "$opid" "config_file=/etc/postgresql/"; then
    msg="$msg: it is a Debian-managed cluster ($(tr '\0' ' ' <"/proc/$opid/cmdline"))"
  fi
  echo "$msg. Not touching it. Either stop it (e.g. 'pg_ctlcluster 15 main stop') or choose another port: PG_PORT=5433 bash scripts/services.sh up"
}

pg_up() {
  pg_ensure_installed
  local pid
  if pid=$(pg_pid); then
    local rport
    rport=$(pg_running_port)
    if [[ -n "$rport" && "$rport" != "$PG_PORT" ]]; then
      die "our postgres ($PG_DATA, pid $pid) already runs on port $rport, not $PG_PORT; run 'bash scripts/services.sh down postgres' first"
    fi
    log "postgres: already running (pid $pid, port $PG_PORT)"
  else
    if port_in_use "$PG_PORT"; then
      die "$(pg_port_conflict_message)"
    fi
    ensure_traversable postgres "$VAR_DIR"
    if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
      if [[ -d "$PG_DATA" && -n "$(ls -A "$PG_DATA" 2>/dev/null)" ]]; then
        die "$PG_DATA exists, is not empty and is not a PostgreSQL data dir; move it away"
      fi
      mkdir -p "$PG_DATA"
      chown postgres: "$PG_DATA"
      chmod 700 "$PG_DATA"
      log "postgres: initdb $PG_DATA ($("$PG_BIN/postgres" --version))"
      as_user postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >>"$LOG_DIR/postgres-initdb.log" 2>&1 ||
        { tail -n 20 "$LOG_DIR/postgres-initdb.log" >&2; die "initdb failed"; }
    else
      local have_ver
      have_ver=$(cat "$PG_DATA/PG_VERSION")
      [[ -x "/usr/lib/postgresql/$have_ver/bin/pg_ctl" ]] ||
        die "$PG_DATA was created by PostgreSQL $have_ver, which is not installed; remove $PG_DATA or install postgresql-$have_ver"
    fi
    local sock
    sock=$(pg_socket_dir)
    if [[ "$sock" != /tmp ]]; then
      mkdir -p "$sock"
      chown postgres: "$sock"
      chmod 755 "$sock"
    fi
    touch "$PG_LOG"
    chown postgres: "$PG_LOG"
    pg_write_config
    log "postgres: starting on 127.0.0.1:$PG_PORT (log: $PG_LOG)"
    if ! as_user postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >>"$SERVICES_LOG" 2>&1 9>&-; then
      tail -n 30 "$PG_LOG" >&2
      die "postgres failed to start"
    fi
  fi
  wait_for 30 "postgres" pg_ready || { tail -n 30 "$PG_LOG" >&2; die "postgres not ready on 127.0.0.1:$PG_PORT"; }
  pg_ensure_roles
}

pg_down() {
  PG_BIN=$(pg_bindir || true)
  local pid
  if ! pid=$(pg_pid); then
    log "postgres: not running"
    return 0
  fi
  [[ -n "$PG_BIN" ]] || die "postgres pid $pid runs but no pg_ctl found"
  log "postgres: stopping (pid $pid)"
  as_user postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >>"$SERVICES_LOG" 2>&1 ||
    die "pg_ctl stop failed (see $SERVICES_LOG)"
}

pg_status() {
  local pid
  if pid=$(pg_pid); then
    echo "postgres    up    pid $pid  127.0.0.1:$(pg_running_port)  data $PG_DATA"
  else
    echo "postgres    down"
  fi
}
