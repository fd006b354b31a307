# shellcheck shell=bash
# Shared helpers for scripts/services.sh. Sourced, never executed.
# Expects ROOT (repo root) to be set by the caller.

: "${ROOT:?ROOT must be set before sourcing common.sh}"

VAR_DIR="$ROOT/var"
LOG_DIR="$VAR_DIR/log"
RUN_DIR="$VAR_DIR/run"
SERVICES_LOG="$LOG_DIR/services.log"
CACHE_DIR="${SIDEDECKED_CACHE:-${HOME:-/root}/.cache/sidedecked}"
MAVEN_BASE="${SIDEDECKED_MAVEN_BASE:-https://repo1.maven.org/maven2}"

export DEBIAN_FRONTEND=noninteractive

_ts() { date '+%Y-%m-%dT%H:%M:%S'; }

# All human-readable output goes to stderr so that `env` stays machine-readable.
log() {
  echo "[services] $*" >&2
  if [[ -d "$LOG_DIR" ]]; then
    echo "$(_ts) [services] $*" >>"$SERVICES_LOG" 2>/dev/null || true
  fi
}

warn() { log "WARNING: $*"; }

die() {
  log "ERROR: $*"
  exit 1
}

have() { command -v "$1" >/dev/null 2>&1; }

# Run a command as another OS user, from a directory that user can read.
as_user() {
  local user=$1
  shift
  (cd / && runuser -u "$user" -- "$@")
}

ensure_base_dirs() {
  umask 022
  mkdir -p "$VAR_DIR" "$LOG_DIR" "$RUN_DIR"
  chmod 755 "$VAR_DIR" "$LOG_DIR" "$RUN_DIR"
}

# --- apt -------------------------------------------------------------------

_APT_UPDATED=0
_POLICY_RC_CREATED=0

_remove_policy_rc() {
  if [[ $_POLICY_RC_CREATED == 1 ]]; then
    rm -f /usr/sbin/policy-rc.d
    _POLICY_RC_CREATED=0
    log "removed temporary /usr/sbin/policy-rc.d"
  fi
}

# apt_install PKG... : install Debian packages non-interactively, without letting
# their maintainer scripts start the system-wide services (which would grab the
# ports our own instances need).
apt_install() {
  [[ $(id -u) == 0 ]] || die "need root to apt-get install $* (run as root or install them yourself)"
  have apt-get || die "apt-get not found; install $* manually"
  local apt_log="$LOG_DIR/apt.log"
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\n# temporary, created by scripts/services.sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    _POLICY_RC_CREATED=1
    trap _remove_policy_rc EXIT
    log "created temporary /usr/sbin/policy-rc.d so apt does not start system services"
  fi
  if [[ $_APT_UPDATED == 0 ]]; then
    log "apt-get update (log: $apt_log)"
    apt-get update >>"$apt_log" 2>&1 || { tail -n 20 "$apt_log" >&2; _remove_policy_rc; die "apt-get update failed"; }
    _APT_UPDATED=1
  fi
  log "apt-get install -y $* (log: $apt_log)"
  if ! apt-get install -y --no-install-recommends "$@" >>"$apt_log" 2>&1; then
    tail -n 30 "$apt_log" >&2
    _remove_policy_rc
    die "apt-get install $* failed"
  fi
  _remove_policy_rc
}

# ensure_cmd CMD PKG : install PKG when CMD is missing.
ensure_cmd() {
  have "$1" || apt_install "$2"
  have "$1" || die "'$1' still missing after installing $2"
}

# --- processes and ports ---------------------------------------------------

# pid_matches PID PATTERN : PID is alive and its command line contains PATTERN.
pid_matches() {
  local pid=$1 pattern=$2
  [[ -n "$pid" && "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$pattern"
}

read_pidfile() {
  local f=$1
  [[ -f "$f" ]] || return 1
  head -n 1 "$f" | tr -dc '0-9'
}

# port_in_use PORT : something listens on 127.0.0.1/any address at PORT.
port_in_use() {
  local port=$1
  if have ss; then
    [[ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

port_owner() {
  local port=$1
  if have ss; then
    ss -Hltnp "sport = :$port" 2>/dev/null | sed -n 's/.*users:((\(.*\)))/\1/p' | head -n 1
  fi
}

# wait_for SECONDS DESCRIPTION CMD... : poll CMD once a second until it succeeds.
wait_for() {
  local timeout=$1 what=$2
  shift 2
  local start=$SECONDS
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS - start >= timeout)); then
      return 1
    fi
    sleep 1
  done
  log "$what ready after $((SECONDS - start))s"
}

# Make sure USER can traverse every directory from / down to DIR.
# Only adds o+x (never removes anything) and says so in the log.
ensure_traversable() {
  local user=$1 dir=$2 path="" part
  local IFS=/
  for part in $dir; do
    [[ -z "$part" ]] && continue
    path="$path/$part"
    [[ -d "$path" ]] || break
    if ! as_user "$user" test -x "$path" 2>/dev/null; then
      chmod o+x "$path"
      log "chmod o+x $path (so user '$user' can reach $dir)"
    fi
  done
}

# --- downloads -------------------------------------------------------------

# maven_path G:A:V[:EXT] -> relative repository path
maven_path() {
  local g a v ext
  IFS=: read -r g a v ext <<<"$1"
  ext=${ext:-jar}
  echo "${g//.//}/$a/$v/$a-$v.$ext"
}

# verify_checksum FILE SUMFILE TYPE
verify_checksum() {
  local file=$1 sumfile=$2 type=$3 expected actual
  expected=$(tr -s ' \t\r\n' ' ' <"$sumfile" | cut -d' ' -f1 | tr 'A-F' 'a-f')
  [[ -n "$expected" ]] || return 1
  actual=$("${type}sum" "$file" | cut -d' ' -f1)
  [[ "$expected" == "$actual" ]]
}

# maven_fetch G:A:V[:EXT] : download into the cache (once), verify the published
# checksum (sha512, else sha256, else sha1) and print the cached file path.
maven_fetch() {
  local coord=$1 rel dest url type tmp
  rel=$(maven_path "$coord")
  dest="$CACHE_DIR/maven/$rel"
  url="$MAVEN_BASE/$rel"
  mkdir -p "$(dirname "$dest")"
  for type in sha512 sha256 sha1; do
    if [[ -f "$dest" && -s "$dest.$type" ]]; then
      if verify_checksum "$dest" "$dest.$type" "$type"; then
        echo "$dest"
        return 0
      fi
      warn "cached $dest fails its $type check; downloading again"
      rm -f "$dest"
      break
    fi
  done
  # Find the strongest checksum Maven Central publishes for this file.
  local found=""
  for type in sha512 sha256 sha1; do
    if curl -fsSL --retry 3 --connect-timeout 20 -o "$dest.$type.tmp" "$url.$type" 2>/dev/null; then
      mv "$dest.$type.tmp" "$dest.$type"
      found=$type
      break
    fi
    rm -f "$dest.$type.tmp"
  done
  [[ -n "$found" ]] || die "no checksum published for $url (or repository unreachable)"
  tmp="$dest.part.$$"
  log "downloading $url"
  curl -fsSL --retry 3 --connect-timeout 20 -o "$tmp" "$url" || { rm -f "$tmp"; die "download failed: $url"; }
  if ! verify_checksum "$tmp" "$dest.$found" "$found"; then
    rm -f "$tmp"
    die "$found checksum mismatch for $url"
  fi
  mv "$tmp" "$dest"
  echo "$(_ts) $coord $found $(cut -c1-16 <"$dest.$found" | tr -d '\n')... OK" >>"$LOG_DIR/downloads.log"
  echo "$dest"
}

# pom_deps POMFILE VERSION : print "group:artifact:version" for each direct
# compile/runtime, non-optional dependency.
pom_deps() {
  awk -v projver="$2" '
    function val(line, tag,   s) { s = line; sub(".*<" tag ">", "", s); sub("</" tag ">.*", "", s); return s }
    /<dependencyManagement>/ { dm = 1 }
    /<\/dependencyManagement>/ { dm = 0; next }
    dm { next }
    /<exclusions>/ { ex = 1 }
    /<\/exclusions>/ { ex = 0; next }
    ex { next }
    /<dependency>/ { dep = 1; g = a = v = s = o = ""; next }
    /<\/dependency>/ {
      if (dep && (s == "" || s == "compile" || s == "runtime") && o != "true") {
        gsub(/\$\{project\.version\}/, projver, v)
        print g ":" a ":" v
      }
      dep = 0; next
    }
    dep && /<groupId>/ { g = val($0, "groupId") }
    dep && /<artifactId>/ { a = val($0, "artifactId") }
    dep && /<version>/ { v = val($0, "version") }
    dep && /<scope>/ { s = val($0, "scope") }
    dep && /<optional>/ { o = val($0, "optional") }
  ' "$1"
}
