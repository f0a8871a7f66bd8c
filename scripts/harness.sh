#!/usr/bin/env bash
# shellcheck disable=SC2034
# Shared by scripts/bench and scripts/chaos (source it after lib.sh): services, the build, the harness
# JVM, and the clean-up of every process a run started (listed by pid in the run directory's pid file).

HARNESS_RUN_DIR=""
HARNESS_STOP_CLUSTER=""

# ensure_harness_cluster NAME PORT — a PostgreSQL cluster of the harness's own (VERSION/NAME on
# 127.0.0.1:PORT, PostgreSQL's default settings, autovacuum included), created on first use and started
# for this run; the clean-up stops it again if this run started it. Sets BENCH_PG_CLUSTER, BENCH_PG_PORT.
ensure_harness_cluster() {
    local name=$1 want_port=$2 ver port="" status=""
    if ! command -v pg_createcluster >/dev/null 2>&1; then
        log "PostgreSQL is not installed; installing it"
        apt_install postgresql || die "could not install PostgreSQL"
    fi
    ver=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)
    [[ -n $ver ]] || die "no PostgreSQL server version under /usr/lib/postgresql"
    read -r port status < <(pg_lsclusters -h 2>/dev/null | awk -v v="$ver" -v n="$name" '$1 == v && $2 == n { print $3, $4 }') || true
    if [[ -z $port ]]; then
        port=$want_port
        if port_open 127.0.0.1 "$port"; then die "port $port is taken; free it for the harness's PostgreSQL cluster $ver/$name"; fi
        log "creating PostgreSQL cluster $ver/$name on 127.0.0.1:$port (used only by the bench/chaos harness)"
        pg_createcluster "$ver" "$name" -p "$port" >&2 || die "pg_createcluster $ver $name failed"
        status=down
    fi
    # Default settings, plus a log line per autovacuum/autoanalyze run: a bench can then tell them apart.
    local conf=/etc/postgresql/$ver/$name/conf.d/90-mailroom-harness.conf
    if [[ -d ${conf%/*} && ! -f $conf ]]; then
        printf '# scripts/bench and scripts/chaos: logging only\nlog_autovacuum_min_duration = 0\n' >"$conf"
        [[ $status == online* ]] && pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" reload >&2
    fi
    if [[ $status != online* ]]; then
        pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start >&2 || die "could not start PostgreSQL cluster $ver/$name"
        HARNESS_STOP_CLUSTER="$ver $name"
    fi
    export BENCH_PG_CLUSTER=$ver/$name BENCH_PG_PORT=$port
}

# ensure_smtp_sink — installs Postfix (smtp-sink, smtp-source) without configuring a mail system.
ensure_smtp_sink() {
    [[ -x /usr/sbin/smtp-sink && -x /usr/sbin/smtp-source ]] && return 0
    log "Postfix's smtp-sink is missing; installing the postfix package (no mail system configured)"
    local -a sudo=()
    [[ $EUID -eq 0 ]] || sudo=(sudo -n)
    echo "postfix postfix/main_mailer_type select No configuration" | "${sudo[@]}" debconf-set-selections \
        || die "debconf-set-selections failed; install postfix yourself"
    apt_install postfix || die "could not install postfix"
    [[ -x /usr/sbin/smtp-sink ]] || die "postfix installed but /usr/sbin/smtp-sink is missing"
}

# harness_lock NAME — one run of scripts/NAME at a time on this machine, whichever tree it comes from:
# the cluster, database, Redis index and ports are the machine's. A second run waits (up to 15 min).
harness_lock() {
    local lock=${TMPDIR:-/tmp}/mailroom-harness-$1.lock
    command -v flock >/dev/null 2>&1 || { log "warning: flock not found; not guarding against a concurrent run"; return 0; }
    exec 9>"$lock"
    if ! flock -n 9; then
        log "another scripts/$1 run is in progress on this machine; waiting for it (up to 15 minutes)"
        flock -w 900 9 || die "another scripts/$1 run still holds $lock after 15 minutes"
    fi
}

# harness_prepare NAME DB — PostgreSQL (with database DB) and Redis up, the build current, the run
# directory bench/target/NAME ready, the clean-up trap set.
harness_prepare() {
    local name=$1 db=$2
    ensure_postgres "$db" "${BENCH_PG_PORT:-5432}" "${BENCH_DB_PASSWORD:-}"
    export BENCH_DB_PASSWORD=${BENCH_DB_PASSWORD:-$MAILROOM_PG_PASSWORD}
    local redis_url=${BENCH_REDIS_URL:-redis://127.0.0.1:6379}
    parse_redis_url "$redis_url" || die "BENCH_REDIS_URL must be redis://host:port"
    is_local_host "$URL_HOST" || die "the harness only runs against a Redis on the loopback"
    ensure_redis "$URL_PORT"
    harness_build
    [[ -d $MAILROOM_ROOT/bench/target/lib ]] || die "bench/target/lib is missing; build with: mvn -B -DskipTests package"
    HARNESS_RUN_DIR=${BENCH_RUN_DIR:-$MAILROOM_ROOT/bench/target/$name}
    mkdir -p "$HARNESS_RUN_DIR"
    export BENCH_RUN_DIR=$HARNESS_RUN_DIR MAILROOM_ROOT
}

# harness_build — lib.sh's build_if_needed with `mvn package` of the whole reactor, never `install`: the
# harness and the processes run from each module's target/ (its jar and lib/, which a reactor build fills
# with this tree's own module jars), so nothing is read from or written to ~/.m2's dev.mailroom
# snapshots — a run from one clone or worktree neither runs another's code nor replaces the snapshots
# another build resolves.
harness_build() {
    build_if_needed package
}

# harness_cleanup — ends whatever the run left behind, by the pids it recorded, checking each is ours.
harness_cleanup() {
    local rc=$? name pid args
    local pids=$HARNESS_RUN_DIR/pids
    if [[ -n $HARNESS_RUN_DIR && -f $pids ]]; then
        while read -r name pid; do
            [[ -n ${pid:-} ]] && kill -0 "$pid" 2>/dev/null || continue
            args=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
            [[ $args == *dev.mailroom.* || $args == */scripts/mailroom* || $args == *smtp-sink* ]] || continue
            log "stopping leftover $name (pid $pid)"
            kill -TERM "$pid" 2>/dev/null || true
            for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
            kill -KILL "$pid" 2>/dev/null || true
        done <"$pids"
    fi
    if [[ -n $HARNESS_STOP_CLUSTER ]]; then
        # shellcheck disable=SC2086  # "VERSION NAME"
        pg_ctlcluster --skip-systemctl-redirect $HARNESS_STOP_CLUSTER stop >&2 || log "warning: could not stop cluster $HARNESS_STOP_CLUSTER"
    fi
    exit "$rc"
}

# harness_java MAIN ARGS... — the harness JVM. Within a run it starts from a copy of bench's jar and
# libraries in the run directory, so a rebuild of the shared tree meanwhile cannot pull them away.
harness_java() {
    local main=$1 jar lib=$MAILROOM_ROOT/bench/target/lib
    shift
    jar=$(module_jar bench) || die "bench/target/bench-*.jar not found; build with: mvn -B -DskipTests package"
    if [[ -n $HARNESS_RUN_DIR ]]; then
        rm -rf "$HARNESS_RUN_DIR/classpath"
        mkdir -p "$HARNESS_RUN_DIR/classpath"
        cp "$jar" "$HARNESS_RUN_DIR/classpath/bench.jar"
        cp -r "$lib" "$HARNESS_RUN_DIR/classpath/lib"
        jar=$HARNESS_RUN_DIR/classpath/bench.jar lib=$HARNESS_RUN_DIR/classpath/lib
    fi
    "$JAVA" -Xmx1g -Djava.awt.headless=true -cp "$jar:$lib/*" "$main" "$@"
}

# harness_snapshot — copies what `scripts/mailroom web|worker` runs (scripts/, each module's jar and
# lib/) into the run directory: the processes start from there, so another engineer's rebuild of the
# shared tree during a run cannot replace their classes under them (a ClassNotFoundException mid-run).
harness_snapshot() {
    local snap=$HARNESS_RUN_DIR/snapshot module jar
    rm -rf "$snap"
    mkdir -p "$snap"
    cp -r "$MAILROOM_ROOT/scripts" "$snap/scripts"
    for module in web worker db; do
        jar=$(module_jar "$module") || die "$module/target/$module-*.jar not found; build with: mvn -B -DskipTests package"
        mkdir -p "$snap/$module/target"
        cp "$jar" "$snap/$module/target/"
        [[ -d $MAILROOM_ROOT/$module/target/lib ]] && cp -r "$MAILROOM_ROOT/$module/target/lib" "$snap/$module/target/lib"
    done
    export BENCH_PROCESS_ROOT=$snap
    # What was measured: the commit, and whether the modules' sources differed from it.
    BENCH_BUILD=$(git -C "$MAILROOM_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
    if [[ -n $(git -C "$MAILROOM_ROOT" status --porcelain -- core db worker web 2>/dev/null) ]]; then
        BENCH_BUILD+=" + uncommitted changes in core/db/worker/web"
    fi
    export BENCH_BUILD
}

# harness_run MAIN ARGS... — the harness JVM in the foreground (not exec: the clean-up trap must run).
harness_run() {
    export MAILROOM_SKIP_BUILD=1
    harness_snapshot
    harness_java "$@"
}

trap harness_cleanup EXIT
trap 'exit 130' INT TERM HUP
