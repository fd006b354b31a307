# shellcheck shell=bash
# The S3-compatible object store for mirrored card images: SeaweedFS (`weed server` with its S3
# gateway), built once from its Go module with the machine's Go toolchain and cached under
# $CACHE_DIR/seaweedfs/<version>/weed; data, config, pid and log under ./var.
#
# Environment: OBJECTSTORE_PORT (S3, 8333), OBJECTSTORE_BASE_PORT (master; volume, filer and the
# gRPC ports follow, 9340), SEAWEEDFS_VERSION, OBJECTSTORE_ACCESS_KEY / OBJECTSTORE_SECRET_KEY.

OBJECTSTORE_PORT="${OBJECTSTORE_PORT:-8333}"
OBJECTSTORE_BASE_PORT="${OBJECTSTORE_BASE_PORT:-9340}"
SEAWEEDFS_MODULE="github.com/seaweedfs/seaweedfs"
SEAWEEDFS_VERSION="${SEAWEEDFS_VERSION:-v0.0.0-20261109003541-7506e5f91cd6}"
OBJECTSTORE_ACCESS_KEY="${OBJECTSTORE_ACCESS_KEY:-sidedecked}"
OBJECTSTORE_SECRET_KEY="${OBJECTSTORE_SECRET_KEY:-sidedecked-dev-secret}"
OBJECTSTORE_DIR="$VAR_DIR/objectstore"
OBJECTSTORE_PIDFILE="$RUN_DIR/objectstore.pid"
OBJECTSTORE_LOG="$LOG_DIR/objectstore.log"
SEAWEEDFS_BIN="$CACHE_DIR/seaweedfs/$SEAWEEDFS_VERSION/weed"

objectstore_url() { echo "http://127.0.0.1:$OBJECTSTORE_PORT"; }

objectstore_env() {
  echo "export SIDEDECKED_S3_ENDPOINT=$(objectstore_url)"
  echo "export SIDEDECKED_S3_ACCESS_KEY=$OBJECTSTORE_ACCESS_KEY"
  echo "export SIDEDECKED_S3_SECRET_KEY=$OBJECTSTORE_SECRET_KEY"
}

objectstore_pid() {
  local pid
  pid=$(read_pidfile "$OBJECTSTORE_PIDFILE" 2>/dev/null) || return 1
  pid_matches "$pid" "weed" || return 1
  echo "$pid"
}

objectstore_running_port() { sed -n 's/^s3_port=//p' "$OBJECTSTORE_DIR/ports" 2>/dev/null; }

# Ready = a signed PUT of a small probe object into bucket sidedecked-health succeeds (the
# master, volume server, filer and gateway all work), with curl's own SigV4 signing.
objectstore_ready() {
  local base code
  local -a auth=(--aws-sigv4 "aws:amz:us-east-1:s3" --user "$OBJECTSTORE_ACCESS_KEY:$OBJECTSTORE_SECRET_KEY")
  base="$(objectstore_url)/sidedecked-health"
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "${auth[@]}" -X PUT "$base" 2>/dev/null)
  [[ "$code" == 200 || "$code" == 409 ]] || return 1
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "${auth[@]}" -X PUT --data-binary ok \
    -H "x-amz-content-sha256: $(printf ok | sha256sum | cut -d' ' -f1)" "$base/probe" 2>/dev/null)
  [[ "$code" == 200 ]]
}

# Go 1.26+ is needed (the module says so). The module's go.mod has a replace directive, so
# `go install module@version` refuses it: download the module from the Go module proxy (that
# is what the proxy is for) and build its weed command as the main module.
objectstore_build() {
  have go || [[ -x /usr/local/go/bin/go ]] || die "objectstore: Go is needed to build SeaweedFS (install Go 1.26+ in /usr/local/go)"
  local go_bin build_log dir src
  go_bin=$(command -v go || echo /usr/local/go/bin/go)
  build_log="$LOG_DIR/objectstore-build.log"
  log "objectstore: building SeaweedFS $SEAWEEDFS_VERSION once (CPU-heavy, several minutes; log: $build_log)"
  dir=$("$go_bin" mod download -json "$SEAWEEDFS_MODULE@$SEAWEEDFS_VERSION" 2>>"$build_log" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [[ -n "$dir" && -d "$dir" ]] || { tail -n 20 "$build_log" >&2; die "objectstore: go mod download of $SEAWEEDFS_MODULE failed"; }
  src="$CACHE_DIR/seaweedfs/build-$SEAWEEDFS_VERSION"
  rm -rf "$src"
  mkdir -p "$(dirname "$src")"
  cp -r "$dir" "$src"
  chmod -R u+w "$src"
  mkdir -p "$(dirname "$SEAWEEDFS_BIN")"
  if ! (cd "$src" && nice -n 10 "$go_bin" build -trimpath -ldflags "-s -w" -o "$SEAWEEDFS_BIN.part" ./weed) >>"$build_log" 2>&1; then
    tail -n 30 "$build_log" >&2
    die "objectstore: building SeaweedFS failed"
  fi
  mv "$SEAWEEDFS_BIN.part" "$SEAWEEDFS_BIN"
  rm -rf "$src"
  log "objectstore: built $SEAWEEDFS_BIN"
}

objectstore_ensure_installed() {
  [[ -x "$SEAWEEDFS_BIN" ]] || objectstore_build
}

objectstore_write_config() {
  mkdir -p "$OBJECTSTORE_DIR/data"
  # Our key may write; anyone may read (the mirrored images' URLs are public, like a CDN's).
# (The heredoc is unquoted on purpose: it writes the key and secret.)
  cat >"$OBJECTSTORE_DIR/s3.json" <<JSON
{
  "identities": [
    {"name": "anonymous", "actions": ["Read"]},
    {
      "name": "sidedecked",
      "credentials": [{"accessKey": "$OBJECTSTORE_ACCESS_KEY", "secretKey": "$OBJECTSTORE_SECRET_KEY"}],
      "actions": ["Admin", "Read", "List", "Tagging", "Write"]
    }
  ]
}
JSON
  chmod 600 "$OBJECTSTORE_DIR/s3.json"
  echo "s3_port=$OBJECTSTORE_PORT" >"$OBJECTSTORE_DIR/ports"
}

objectstore_up() {
  objectstore_ensure_installed
  local pid
  if pid=$(objectstore_pid); then
    local rport
    rport=$(objectstore_running_port)
    if [[ -n "$rport" && "$rport" != "$OBJECTSTORE_PORT" ]]; then
      die "our object store (pid $pid) already runs on port $rport, not $OBJECTSTORE_PORT; run 'bash scripts/services.sh down objectstore' first"
    fi
    log "objectstore: already running (pid $pid, port $OBJECTSTORE_PORT)"
  else
    rm -f "$OBJECTSTORE_PIDFILE"
    local p port
    for p in "$OBJECTSTORE_PORT" "$OBJECTSTORE_BASE_PORT" $((OBJECTSTORE_BASE_PORT + 1)) $((OBJECTSTORE_BASE_PORT + 2)); do
      for port in "$p" $((p + 10000)); do
        if port_in_use "$port"; then
          die "port $port is already in use ($(port_owner "$port")); the object store needs it (set OBJECTSTORE_PORT / OBJECTSTORE_BASE_PORT)"
        fi
      done
    done
    objectstore_write_config
    local m=$OBJECTSTORE_BASE_PORT v=$((OBJECTSTORE_BASE_PORT + 1)) f=$((OBJECTSTORE_BASE_PORT + 2))
    log "objectstore: starting SeaweedFS S3 on 127.0.0.1:$OBJECTSTORE_PORT (log: $OBJECTSTORE_LOG)"
    (
      cd "$OBJECTSTORE_DIR" &&
        exec setsid "$SEAWEEDFS_BIN" server -ip=127.0.0.1 -ip.bind=127.0.0.1 \
          -dir="$OBJECTSTORE_DIR/data" \
          -master.port="$m" -master.port.grpc=$((m + 10000)) \
          -master.volumeSizeLimitMB=256 \
          -volume.port="$v" -volume.port.grpc=$((v + 10000)) -volume.max=16 -volume.preStopSeconds=0 \
          -filer -filer.port="$f" -filer.port.grpc=$((f + 10000)) \
          -s3 -s3.port="$OBJECTSTORE_PORT" -s3.port.grpc=$((OBJECTSTORE_PORT + 10000)) \
          -s3.config="$OBJECTSTORE_DIR/s3.json"
    ) </dev/null >>"$OBJECTSTORE_LOG" 2>&1 9>&- &
    echo $! >"$OBJECTSTORE_PIDFILE"
  fi
  wait_for 90 "objectstore" objectstore_ready || { tail -n 30 "$OBJECTSTORE_LOG" >&2; die "the object store is not answering on $(objectstore_url)"; }
}

objectstore_down() {
  local pid
  if ! pid=$(objectstore_pid); then
    log "objectstore: not running"
    rm -f "$OBJECTSTORE_PIDFILE"
    return 0
  fi
  log "objectstore: stopping (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    pid_matches "$pid" weed || break
    sleep 0.2
  done
  if pid_matches "$pid" weed; then
    warn "objectstore pid $pid did not exit 20 s after SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$OBJECTSTORE_PIDFILE"
}

objectstore_status() {
  local pid
  if pid=$(objectstore_pid); then
    echo "objectstore up    pid $pid  $(objectstore_url) (SeaweedFS S3)"
  else
    echo "objectstore down"
  fi
}
