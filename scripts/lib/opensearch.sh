# shellcheck shell=bash
# OpenSearch: nodes assembled from Maven Central artifacts:
#   org.opensearch.distribution.integ-test-zip:opensearch:<v>:zip  (bin/, config/, lib/, transport-netty4)
# plus module folders built from the published module jars (see OS_MODULE_DEFS).
#
# One assembled distribution (var/opensearch/<version>) runs every node:
#   - the single node of scripts/services.sh (HTTP 9200, transport 9300, config in the distribution);
#   - the three nodes of scripts/cluster.sh (HTTP 9201-9203, transport 9301-9303, each with a
#     config/data/log/pid dir of its own under var/).
# The os_node_* functions act on the node chosen by os_select_single / os_select_cluster_node.

OPENSEARCH_VERSION="${OPENSEARCH_VERSION:-2.19.6}"
OPENSEARCH_PORT="${OPENSEARCH_PORT:-9200}"
# Pinned so the single node can never take a cluster node's transport port (9301-9303).
OPENSEARCH_TRANSPORT_PORT="${OPENSEARCH_TRANSPORT_PORT:-9300}"
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

# The three-node cluster of scripts/cluster.sh (node n uses base port + n - 1).
CLUSTER_NAME="${CLUSTER_NAME:-sidedecked-cluster}"
CLUSTER_NODES=3
CLUSTER_HTTP_PORT="${CLUSTER_HTTP_PORT:-9201}"
CLUSTER_TRANSPORT_PORT="${CLUSTER_TRANSPORT_PORT:-9301}"
CLUSTER_HEAP="${CLUSTER_HEAP:-768m}"
OSC_BASE="$VAR_DIR/opensearch-cluster"
OSC_LOGS="$LOG_DIR/opensearch-cluster"
OSC_RUN="$RUN_DIR/opensearch-cluster"
# Written once the cluster first reached green: from then on no node gets
# cluster.initial_cluster_manager_nodes (it is for the first bootstrap only).
OSC_BOOTSTRAPPED="$OSC_BASE/.bootstrapped"

# name|artifactId under org.opensearch.plugin|plugin class candidates (first found in the jar wins)|extended.plugins|description
OS_MODULE_DEFS=(
  "lang-painless|lang-painless|org.opensearch.painless.PainlessPlugin||An easy, safe and fast scripting language for OpenSearch"
  "analysis-common|analysis-common|org.opensearch.analysis.common.CommonAnalysisPlugin,org.opensearch.analysis.common.CommonAnalysisModulePlugin,org.opensearch.analysis.common.CommonAnalysisModule|lang-painless|Adds \"built in\" analyzers to OpenSearch."
  "mapper-extras|mapper-extras-client|org.opensearch.index.mapper.MapperExtrasPlugin||Adds advanced field mappers"
  "reindex|reindex-client|org.opensearch.index.reindex.ReindexPlugin||The Reindex module adds APIs to reindex from one index to another or update documents in place."
)

os_url() { echo "http://127.0.0.1:$OPENSEARCH_PORT"; }

# --- which node ------------------------------------------------------------

# The single node of `make services`.
os_select_single() {
  OSN_LABEL=opensearch
  OSN_INDEX=0
  OSN_CLUSTER=$OS_CLUSTER
  OSN_NAME=$OS_CLUSTER-node-1
  OSN_HTTP_PORT=$OPENSEARCH_PORT
  OSN_TRANSPORT_PORT=$OPENSEARCH_TRANSPORT_PORT
  OSN_HEAP=$OPENSEARCH_HEAP
  OSN_CONF=$OS_HOME/config
  OSN_DATA=$OS_DATA
  OSN_TMP=$OS_TMP
  OSN_LOGS=$OS_LOGS
  OSN_RUN=$OS_RUN
  OSN_PIDFILE=$OS_PIDFILE
  # Any OpenSearch JVM: a node started from another version's distribution is still ours.
  OSN_PID_PATTERN=org.opensearch.bootstrap.OpenSearch
}

# Cluster node N (1..CLUSTER_NODES).
os_select_cluster_node() {
  local n=$1
  if ! [[ "$n" =~ ^[0-9]+$ ]] || ((n < 1 || n > CLUSTER_NODES)); then
    die "no cluster node '$n' (the nodes are 1..$CLUSTER_NODES)"
  fi
  OSN_LABEL=cluster-node-$n
  OSN_INDEX=$n
  OSN_CLUSTER=$CLUSTER_NAME
  OSN_NAME=$CLUSTER_NAME-node-$n
  OSN_HTTP_PORT=$((CLUSTER_HTTP_PORT + n - 1))
  OSN_TRANSPORT_PORT=$((CLUSTER_TRANSPORT_PORT + n - 1))
  OSN_HEAP=$CLUSTER_HEAP
  OSN_CONF=$OSC_BASE/node-$n/config
  OSN_DATA=$OSC_BASE/node-$n/data
  OSN_TMP=$OSC_BASE/node-$n/tmp
  OSN_LOGS=$OSC_LOGS/node-$n
  OSN_RUN=$OSC_RUN
  OSN_PIDFILE=$OSC_RUN/node-$n.pid
  # This node's JVM only (cmdline args are joined with a trailing space each).
  OSN_PID_PATTERN="-Dopensearch.path.conf=$OSN_CONF "
}

os_select_single

os_node_url() { echo "http://127.0.0.1:$OSN_HTTP_PORT"; }

os_node_pid() {
  local pid
  pid=$(read_pidfile "$OSN_PIDFILE" 2>/dev/null) || return 1
  pid_matches "$pid" org.opensearch.bootstrap.OpenSearch || return 1
  pid_matches "$pid" "$OSN_PID_PATTERN" || return 1
  echo "$pid"
}

# The single node's functions, kept for scripts/services.sh.
os_pid() { (os_select_single && os_node_pid); }

# http.port of a running node: its command line holds -Dopensearch.path.conf=<dir>.
os_running_port() {
  local pid=$1 conf
  conf=$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | sed -n 's/^-Dopensearch.path.conf=//p' | head -n 1)
  sed -n 's/^http.port: //p' "${conf:-$OS_HOME/config}/opensearch.yml" 2>/dev/null | head -n 1
}

os_running_transport_port() {
  local pid=$1 conf
  conf=$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | sed -n 's/^-Dopensearch.path.conf=//p' | head -n 1)
  sed -n 's/^transport.port: //p' "${conf:-$OS_HOME/config}/opensearch.yml" 2>/dev/null | head -n 1
}

os_node_healthy() {
  curl -fsS -o /dev/null --max-time 5 \
    "$(os_node_url)/_cluster/health?wait_for_status=yellow&timeout=2s" 2>/dev/null
}

os_healthy() { (os_select_single && os_node_healthy); }

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
  if [[ -d "$OS_HOME" ]] && pgrep -f -- "-Dopensearch.path.home=$OS_HOME" >/dev/null 2>&1; then
    die "$OS_HOME must be assembled again ($want_marker) but nodes still run from it; stop them first (scripts/services.sh down opensearch, scripts/cluster.sh down)"
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

# "[a, b, c]" of the cluster's transport addresses or node names, for opensearch.yml.
os_cluster_seed_hosts() {
  local n out=""
  for ((n = 1; n <= CLUSTER_NODES; n++)); do
    out+="${out:+, }127.0.0.1:$((CLUSTER_TRANSPORT_PORT + n - 1))"
  done
  echo "[$out]"
}

os_cluster_node_names() {
  local n out=""
  for ((n = 1; n <= CLUSTER_NODES; n++)); do
    out+="${out:+, }$CLUSTER_NAME-node-$n"
  done
  echo "[$out]"
}

# A cluster node's config dir: jvm.options and log4j2.properties from the distribution, with
# the GC log, crash files and heap dumps pointed at this node's own log and data dirs.
os_node_copy_config() {
  local src=$OS_HOME/config
  mkdir -p "$OSN_CONF/jvm.options.d"
  cp "$src/log4j2.properties" "$OSN_CONF/"
  local opts
  opts=$(<"$src/jvm.options")
  opts=${opts//"$OS_LOGS/"/"$OSN_LOGS/"}
  opts=${opts//"HeapDumpPath=$OS_DATA"/"HeapDumpPath=$OSN_DATA"}
  printf '%s\n' "$opts" >"$OSN_CONF/jvm.options"
}

# os_node_write_config [bootstrap] : rewrite the chosen node's opensearch.yml and heap options.
os_node_write_config() {
  local bootstrap=${1:-} mmap=true maxmap
  maxmap=$(cat /proc/sys/vm/max_map_count 2>/dev/null || echo 262144)
  if ((maxmap < 262144)); then
    mmap=false # avoid needing `sysctl vm.max_map_count=262144`
  fi
  local writer="scripts/services.sh"
  ((OSN_INDEX == 0)) || {
    writer="scripts/cluster.sh"
    os_node_copy_config
  }
  {
    cat <<EOF_YML
# Written by $writer on every start; edits are overwritten.
cluster.name: $OSN_CLUSTER
node.name: $OSN_NAME
path.data: $OSN_DATA
path.logs: $OSN_LOGS
network.host: 127.0.0.1
http.port: $OSN_HTTP_PORT
transport.port: $OSN_TRANSPORT_PORT
cluster.routing.allocation.disk.threshold_enabled: false
action.auto_create_index: true
node.store.allow_mmap: $mmap
EOF_YML
    if ((OSN_INDEX == 0)); then
      echo "discovery.type: single-node"
    else
      echo "discovery.seed_hosts: $(os_cluster_seed_hosts)"
      if [[ "$bootstrap" == bootstrap ]]; then
        echo "# first start of this cluster only (no node has joined one yet)"
        echo "cluster.initial_cluster_manager_nodes: $(os_cluster_node_names)"
      fi
    fi
  } >"$OSN_CONF/opensearch.yml"
  mkdir -p "$OSN_CONF/jvm.options.d"
  cat >"$OSN_CONF/jvm.options.d/sidedecked.options" <<EOF_OPTS
-Xms$OSN_HEAP
-Xmx$OSN_HEAP
EOF_OPTS
  if ((OSN_INDEX == 0)); then
    chown "$OS_USER:$OS_USER" "$OSN_CONF/opensearch.yml" "$OSN_CONF/jvm.options.d/sidedecked.options"
  else
    chown -R "$OS_USER:$OS_USER" "$OSN_CONF"
  fi
}

os_node_tail_logs() {
  local f
  for f in "$OSN_LOGS/$OSN_CLUSTER.log" "$OSN_LOGS/stdout.log"; do
    if [[ -s "$f" ]]; then
      echo "----- tail -n 40 $f -----" >&2
      tail -n 40 "$f" >&2
    fi
  done
}

os_tail_logs() { (os_select_single && os_node_tail_logs); }

# os_node_start [bootstrap] : launch the chosen node (which must not be running) and return
# at once; the caller waits for it. Refuses ports that something else holds.
os_node_start() {
  local port
  rm -f "$OSN_PIDFILE"
  for port in "$OSN_HTTP_PORT" "$OSN_TRANSPORT_PORT"; do
    if port_in_use "$port"; then
      die "$OSN_LABEL: port $port is already in use ($(port_owner "$port")) and it is not this node; stop it or choose other ports (OPENSEARCH_PORT/OPENSEARCH_TRANSPORT_PORT, CLUSTER_HTTP_PORT/CLUSTER_TRANSPORT_PORT)"
    fi
  done
  mkdir -p "$OSN_DATA" "$OSN_LOGS" "$OSN_RUN" "$OSN_TMP"
  chown "$OS_USER:$OS_USER" "$OSN_DATA" "$OSN_LOGS" "$OSN_RUN" "$OSN_TMP"
  chmod 750 "$OSN_DATA"
  os_node_write_config "${1:-}"
  local jhome
  jhome=$(os_java_home)
  log "$OSN_LABEL: starting $OPENSEARCH_VERSION on 127.0.0.1:$OSN_HTTP_PORT (transport $OSN_TRANSPORT_PORT, heap $OSN_HEAP, java $jhome, log: $OSN_LOGS/$OSN_CLUSTER.log)"
  echo "$(_ts) starting" >>"$OSN_LOGS/stdout.log"
  # setsid: a session of its own, so the node outlives the shell (and process group) that
  # ran `make services` / `make cluster`. The scripts' lock fds (8, 9) must not leak into it.
  if ! as_user "$OS_USER" setsid env \
    OPENSEARCH_JAVA_HOME="$jhome" \
    OPENSEARCH_PATH_CONF="$OSN_CONF" \
    OPENSEARCH_TMPDIR="$OSN_TMP" \
    "$OS_HOME/bin/opensearch" -d -p "$OSN_PIDFILE" </dev/null >>"$OSN_LOGS/stdout.log" 2>&1 8>&- 9>&-; then
    os_node_tail_logs
    die "$OSN_LABEL failed to launch"
  fi
}

# os_node_stop [SIGNAL] : stop the chosen node if it runs. TERM (default) waits up to 60 s and
# then kills; KILL waits only for the process to vanish.
os_node_stop() {
  local sig=${1:-TERM} pid
  if ! pid=$(os_node_pid); then
    log "$OSN_LABEL: not running"
    rm -f "$OSN_PIDFILE"
    return 0
  fi
  local what=stopping
  [[ $sig == KILL ]] && what="SIGKILL to"
  log "$OSN_LABEL: $what pid $pid (127.0.0.1:$(os_running_port "$pid"))"
  kill "-$sig" "$pid" 2>/dev/null || true
  for _ in $(seq 1 120); do
    pid_matches "$pid" "$OSN_PID_PATTERN" || break
    sleep 0.5
  done
  if pid_matches "$pid" "$OSN_PID_PATTERN"; then
    warn "$OSN_LABEL pid $pid still alive after 60s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
  fi
  rm -f "$OSN_PIDFILE"
}

# One line in the format of scripts/services.sh status.
os_node_status() {
  local pid
  if pid=$(os_node_pid); then
    local conf ver
    conf=$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | sed -n 's/^-Dopensearch.path.conf=//p' | head -n 1)
    if ((OSN_INDEX == 0)); then
      ver=$(basename "$(dirname "${conf:-$OS_HOME/config}")")
    else
      ver=$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | sed -n 's/^-Dopensearch.path.home=//p' | head -n 1)
      ver=$(basename "${ver:-$OS_HOME}")
    fi
    printf '%-15s up    pid %s  127.0.0.1:%s  version %s\n' "$OSN_LABEL" "$pid" "$(os_running_port "$pid")" "$ver"
  else
    printf '%-15s down\n' "$OSN_LABEL"
  fi
}

# --- the single node (scripts/services.sh) -------------------------------

os_up() {
  os_select_single
  os_ensure_prereqs
  local pid
  if pid=$(os_node_pid); then
    local rport
    rport=$(os_running_port "$pid")
    if [[ -n "$rport" && "$rport" != "$OPENSEARCH_PORT" ]]; then
      die "our opensearch (pid $pid) already runs on port $rport, not $OPENSEARCH_PORT; run 'bash scripts/services.sh down opensearch' first"
    fi
    log "opensearch: already running (pid $pid, port $OPENSEARCH_PORT)"
  else
    if port_in_use "$OPENSEARCH_PORT"; then
      die "port $OPENSEARCH_PORT is already in use ($(port_owner "$OPENSEARCH_PORT")) and it is not our OpenSearch; stop it or set OPENSEARCH_PORT=9210"
    fi
    ensure_traversable "$OS_USER" "$VAR_DIR"
    mkdir -p "$OS_BASE"
    os_assemble
    os_node_start ""
  fi
  local start=$SECONDS timeout=${OPENSEARCH_START_TIMEOUT:-120}
  until os_node_healthy; do
    if ((SECONDS - start >= timeout)); then
      os_node_tail_logs
      die "opensearch not healthy (yellow) after ${timeout}s"
    fi
    # Fail fast if the JVM died (the pidfile is written early during startup).
    if ((SECONDS - start > 10)) && ! os_node_pid >/dev/null; then
      os_node_tail_logs
      die "opensearch process exited during startup"
    fi
    sleep 1
  done
  log "opensearch ready after $((SECONDS - start))s"
}

os_down() {
  os_select_single
  os_node_stop TERM
}

os_status() {
  os_select_single
  local pid
  if pid=$(os_node_pid); then
    local conf ver
    conf=$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | sed -n 's/^-Dopensearch.path.conf=//p' | head -n 1)
    ver=$(basename "$(dirname "${conf:-$OS_HOME/config}")")
    echo "opensearch  up    pid $pid  127.0.0.1:$(os_running_port "$pid")  version $ver"
  else
    echo "opensearch  down"
  fi
}
