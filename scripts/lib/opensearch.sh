# shellcheck shell=bash
# OpenSearch: a single node assembled from Maven Central artifacts:
#   org.opensearch.distribution.integ-test-zip:opensearch:<v>:zip  (bin/, config/, lib/, transport-netty4)
# plus module folders built from the published module jars (see OS_MODULE_DEFS).

OPENSEARCH_VERSION="${OPENSEARCH_VERSION:-2.19.6}"
OPENSEARCH_PORT="${OPENSEARCH_PORT:-9200}"
OPENSEARCH_HEAP="${OPENSEARCH_HEAP:-1g}"
OPENSEARCH_MODULES="${OPENSEARCH_MODULES:-lang-painless analysis-common mapper-extras reindex}"
OS_USER=opensearch
OS_BASE="$VAR_DIR/opensearch"
OS_HOME="$OS_BASE/$OPENSEARCH_VERSION"
OS_DATA="$VAR_DIR/opensearch-data"
OS_LOGS="$LOG_DIR/opensearch"
OS_RUN="$RUN_DIR/opensearch"
OS_PIDFILE="$OS_RUN/opensearch.pid"
OS_TMP="$VAR_DIR/opensearch-tmp"
OS_CLUSTER=sidedecked
OS_MARKER="$OS_HOME/.sidedecked-assembled"

# name|artifactId under org.opensearch.plugin|plugin class candidates (first found in the jar wins)|extended.plugins|description
OS_MODULE_DEFS=(
  "lang-painless|lang-painless|org.opensearch.painless.PainlessPlugin||An easy, safe and fast scripting language for OpenSearch"
  "analysis-common|analysis-common|org.opensearch.analysis.common.CommonAnalysisPlugin,org.opensearch.analysis.common.CommonAnalysisModulePlugin,org.opensearch.analysis.common.CommonAnalysisModule|lang-painless|Adds \"built in\" analyzers to OpenSearch."
  "mapper-extras|mapper-extras-client|org.opensearch.index.mapper.MapperExtrasPlugin||Adds advanced field mappers"
  "reindex|reindex-client|org.opensearch.index.reindex.ReindexPlugin||The Reindex module adds APIs to reindex from one index to another or update documents in place."
)

os_url() { echo "http://127.0.0.1:$OPENSEARCH_PORT"; }

os_pid() {
  local pid
  pid=$(read_pidfile "$OS_PIDFILE" 2>/dev/null) || return 1
  pid_matches "$pid" org.opensearch.bootstrap.OpenSearch || return 1
  echo "$pid"
}

# http.port of the running node: its command line holds -Dopensearch.path.conf=<dir>.
os_running_port() {
  local pid=$1 conf
  conf=$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | sed -n 's/^-Dopensearch.path.conf=//p' | head -n 1)
  sed -n 's/^http.port: //p' "${conf:-$OS_HOME/config}/opensearch.yml" 2>/dev/null | head -n 1
}

os_healthy() {
  curl -fsS -o /dev/null --max-time 5 \
    "$(os_url)/_cluster/health?wait_for_status=yellow&timeout=2s" 2>/dev/null
}

os_java_home() {
  local java
  if [[ -n "${OPENSEARCH_JAVA_HOME:-}" && -x "$OPENSEARCH_JAVA_HOME/bin/java" ]]; then
    echo "$OPENSEARCH_JAVA_HOME"
    return
  fi
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    echo "$JAVA_HOME"
    return
  fi
  java=$(readlink -f "$(command -v java)")
  dirname "$(dirname "$java")"
}

os_ensure_prereqs() {
  ensure_cmd curl curl
  ensure_cmd unzip unzip
  ensure_cmd ps procps # bin/opensearch -d uses ps
  if ! have java; then
    apt_install openjdk-17-jre-headless
  fi
  local major
  major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [[ "${major%%.*}" -ge 11 ]] 2>/dev/null || die "OpenSearch $OPENSEARCH_VERSION needs Java 11+ (found '${major:-none}')"
  if ! id "$OS_USER" >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$OS_USER"
    log "opensearch: created system user '$OS_USER' (OpenSearch refuses to run as root)"
  fi
}

# Print the cached jars a module needs: its own jar plus its compile/runtime
# dependencies (recursively), minus anything the node already has in lib/.
os_module_jars() {
  local root=$1 libdir=$2
  local -a queue=("$root")
  local -A seen=()
  local coord g a v jar pom dep
  while ((${#queue[@]})); do
    coord=${queue[0]}
    queue=("${queue[@]:1}")
    [[ -n "${seen[$coord]:-}" ]] && continue
    seen[$coord]=1
    IFS=: read -r g a v <<<"$coord"
    if [[ "$coord" != "$root" ]] && compgen -G "$libdir/$a-[0-9]*.jar" >/dev/null; then
      continue # already on the node's classpath; bundling it again would be jar hell
    fi
    [[ -n "$v" && "$v" != *'$'* ]] || die "cannot resolve a version for $g:$a (from the module poms)"
    jar=$(maven_fetch "$g:$a:$v:jar")
    echo "$jar"
    # OpenSearch's Gradle-generated poms list every runtime jar directly (each
    # with a *:* exclusion), so only they are followed; third-party poms are not.
    [[ "$g" == org.opensearch* ]] || continue
    pom=$(maven_fetch "$g:$a:$v:pom")
    while IFS= read -r dep; do
      [[ -n "$dep" ]] && queue+=("$dep")
    done < <(pom_deps "$pom" "$v")
  done
}

os_write_descriptor() {
  local dir=$1 name=$2 classname=$3 extended=$4 desc=$5
  cat >"$dir/plugin-descriptor.properties" <<EOF
# Written by scripts/services.sh (same keys as the official distribution's module descriptors)
description=$desc
version=$OPENSEARCH_VERSION
name=$name
classname=$classname
java.version=11
opensearch.version=$OPENSEARCH_VERSION
custom.foldername=
extended.plugins=$extended
has.native.controller=false
EOF
}

os_write_policy() {
  local dir=$1 name=$2
  case $name in
    lang-painless)
      cat >"$dir/plugin-security.policy" <<'EOF'
grant {
  // needed to generate runtime classes
  permission java.lang.RuntimePermission "createClassLoader";
  // needed to find the classloader to load whitelisted classes from
  permission java.lang.RuntimePermission "getClassLoader";
};
EOF
      ;;
    reindex)
      cat >"$dir/plugin-security.policy" <<'EOF'
grant {
  // reindex-from-remote opens socket connections using the rest client
  permission java.net.SocketPermission "*", "connect";
  permission java.net.NetPermission "getProxySelector";
};
EOF
      ;;
  esac
}

os_wanted_module() {
  local m
  for m in $OPENSEARCH_MODULES; do [[ "$m" == "$1" ]] && return 0; done
  return 1
}

os_assemble() {
  local want_marker="version=$OPENSEARCH_VERSION modules=$OPENSEARCH_MODULES"
  if [[ -f "$OS_MARKER" && "$(cat "$OS_MARKER")" == "$want_marker" ]]; then
    return 0
  fi
  local t0=$SECONDS
  log "opensearch: assembling node $OPENSEARCH_VERSION in $OS_HOME (modules: $OPENSEARCH_MODULES)"
  local zip
  zip=$(maven_fetch "org.opensearch.distribution.integ-test-zip:opensearch:$OPENSEARCH_VERSION:zip")
  local stage="$OS_BASE/.stage-$$"
  rm -rf "$stage"
  mkdir -p "$stage"
  unzip -q "$zip" -d "$stage"
  local home="$stage/opensearch-$OPENSEARCH_VERSION"
  [[ -x "$home/bin/opensearch" && -d "$home/lib" ]] || die "unexpected layout in $zip"

  local def name art classes extended desc mdir jar cls found
  for def in "${OS_MODULE_DEFS[@]}"; do
    IFS='|' read -r name art classes extended desc <<<"$def"
    os_wanted_module "$name" || continue
    mdir="$home/modules/$name"
    mkdir -p "$mdir"
    local jars
    jars=$(os_module_jars "org.opensearch.plugin:$art:$OPENSEARCH_VERSION" "$home/lib")
    while IFS= read -r jar; do
      [[ -n "$jar" ]] && cp "$jar" "$mdir/"
    done <<<"$jars"
    found=""
    local main_jar="$mdir/$art-$OPENSEARCH_VERSION.jar"
    local listing
    listing=$(unzip -Z1 "$main_jar")
    for cls in ${classes//,/ }; do
      if grep -qxF "${cls//.//}.class" <<<"$listing"; then
        found=$cls
        break
      fi
    done
    [[ -n "$found" ]] || die "none of the plugin classes [$classes] found in $main_jar"
    if [[ -n "$extended" ]] && ! os_wanted_module "$extended"; then
      extended=""
    fi
    os_write_descriptor "$mdir" "$name" "$found" "$extended" "$desc"
    os_write_policy "$mdir" "$name"
    local -a mjars=("$mdir"/*.jar)
    log "opensearch: module $name -> $found (${#mjars[@]} jars${extended:+, extends $extended})"
  done

  # Keep GC logs / heap dumps / crash files out of the install dir.
  sed -i \
    -e "s#file=logs/gc.log#file=$OS_LOGS/gc.log#" \
    -e "s#-XX:ErrorFile=logs/#-XX:ErrorFile=$OS_LOGS/#" \
    -e "s#-XX:HeapDumpPath=data#-XX:HeapDumpPath=$OS_DATA#" \
    "$home/config/jvm.options"

  echo "$want_marker" >"$home/.sidedecked-assembled"
  rm -rf "$OS_HOME"
  mv "$home" "$OS_HOME"
  rm -rf "$stage"
  chown -R "$OS_USER:$OS_USER" "$OS_HOME"
  log "opensearch: node assembled in $((SECONDS - t0))s"
}

os_write_config() {
  local mmap=true maxmap
  maxmap=$(cat /proc/sys/vm/max_map_count 2>/dev/null || echo 262144)
  if ((maxmap < 262144)); then
    mmap=false # avoid needing `sysctl vm.max_map_count=262144`
  fi
  cat >"$OS_HOME/config/opensearch.yml" <<EOF
# Written by scripts/services.sh on every start; edits are overwritten.
cluster.name: $OS_CLUSTER
node.name: ${OS_CLUSTER}-node-1
path.data: $OS_DATA
path.logs: $OS_LOGS
network.host: 127.0.0.1
http.port: $OPENSEARCH_PORT
discovery.type: single-node
cluster.routing.allocation.disk.threshold_enabled: false
action.auto_create_index: true
node.store.allow_mmap: $mmap
EOF
  cat >"$OS_HOME/config/jvm.options.d/sidedecked.options" <<EOF
-Xms$OPENSEARCH_HEAP
-Xmx$OPENSEARCH_HEAP
EOF
  chown "$OS_USER:$OS_USER" "$OS_HOME/config/opensearch.yml" "$OS_HOME/config/jvm.options.d/sidedecked.options"
}

os_tail_logs() {
  local f
  for f in "$OS_LOGS/$OS_CLUSTER.log" "$OS_LOGS/stdout.log"; do
    if [[ -s "$f" ]]; then
      echo "----- tail -n 40 $f -----" >&2
      tail -n 40 "$f" >&2
    fi
  done
}

os_up() {
  os_ensure_prereqs
  local pid
  if pid=$(os_pid); then
    local rport
    rport=$(os_running_port "$pid")
    if [[ -n "$rport" && "$rport" != "$OPENSEARCH_PORT" ]]; then
      die "our opensearch (pid $pid) already runs on port $rport, not $OPENSEARCH_PORT; run 'bash scripts/services.sh down opensearch' first"
    fi
    log "opensearch: already running (pid $pid, port $OPENSEARCH_PORT)"
  else
    rm -f "$OS_PIDFILE"
    if port_in_use "$OPENSEARCH_PORT"; then
      die "port $OPENSEARCH_PORT is already in use ($(port_owner "$OPENSEARCH_PORT")) and it is not our OpenSearch; stop it or set OPENSEARCH_PORT=9201"
    fi
    ensure_traversable "$OS_USER" "$VAR_DIR"
    mkdir -p "$OS_BASE"
    os_assemble
    mkdir -p "$OS_DATA" "$OS_LOGS" "$OS_RUN" "$OS_TMP"
    chown "$OS_USER:$OS_USER" "$OS_DATA" "$OS_LOGS" "$OS_RUN" "$OS_TMP"
    chmod 750 "$OS_DATA"
    os_write_config
    local jhome
    jhome=$(os_java_home)
    log "opensearch: starting $OPENSEARCH_VERSION on 127.0.0.1:$OPENSEARCH_PORT (heap $OPENSEARCH_HEAP, java $jhome, log: $OS_LOGS/$OS_CLUSTER.log)"
    echo "$(_ts) starting" >>"$OS_LOGS/stdout.log"
    # setsid: a session of its own, so the node outlives the shell (and process group) that
    # ran `make services`
    if ! as_user "$OS_USER" setsid env \
      OPENSEARCH_JAVA_HOME="$jhome" \
      OPENSEARCH_PATH_CONF="$OS_HOME/config" \
      OPENSEARCH_TMPDIR="$OS_TMP" \
      "$OS_HOME/bin/opensearch" -d -p "$OS_PIDFILE" </dev/null >>"$OS_LOGS/stdout.log" 2>&1 9>&-; then
      os_tail_logs
      die "opensearch failed to launch"
    fi
  fi
  local start=$SECONDS timeout=${OPENSEARCH_START_TIMEOUT:-120}
  until os_healthy; do
    if ((SECONDS - start >= timeout)); then
      os_tail_logs
      die "opensearch not healthy (yellow) after ${timeout}s"
    fi
    # Fail fast if the JVM died (the pidfile is written early during startup).
    if ((SECONDS - start > 10)) && ! os_pid >/dev/null; then
      os_tail_logs
      die "opensearch process exited during startup"
    fi
    sleep 1
  done
  log "opensearch ready after $((SECONDS - start))s"
}

os_down() {
  local pid
  if ! pid=$(os_pid); then
    log "opensearch: not running"
    rm -f "$OS_PIDFILE"
    return 0
  fi
  log "opensearch: stopping (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 120); do
    pid_matches "$pid" org.opensearch.bootstrap.OpenSearch || break
    sleep 0.5
  done
  if pid_matches "$pid" org.opensearch.bootstrap.OpenSearch; then
    warn "opensearch pid $pid still alive after 60s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$OS_PIDFILE"
}

os_status() {
  local pid
  if pid=$(os_pid); then
    local conf ver
    conf=$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | sed -n 's/^-Dopensearch.path.conf=//p' | head -n 1)
    ver=$(basename "$(dirname "${conf:-$OS_HOME/config}")")
    echo "opensearch  up    pid $pid  127.0.0.1:$(os_running_port "$pid")  version $ver"
  else
    echo "opensearch  down"
  fi
}
