#!/usr/bin/env bash
# shellcheck disable=SC2034  # JAVA, URL_*, MAILROOM_PG_PASSWORD, PGBOUNCER_PORT are read by the sourcing scripts
# Shared helpers for Mailroom's scripts. Source it, don't run it:
#   source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
#
# On sourcing it sets strict mode, finds the repository root (MAILROOM_ROOT) and a JDK >= 21
# (exports JAVA_HOME, puts it first on PATH, sets JAVA). Maven is checked lazily by
# ensure_maven (build_if_needed and scripts/test call it), so running prebuilt jars needs no Maven.
#
# Functions: log, die, apt_install, ensure_maven, ensure_chromium, ensure_python_dkim, ensure_promtool, ensure_postgres,
# ensure_pgbouncer, ensure_redis, ensure_redis_cluster, ensure_redis_sentinel,
# build_if_needed, mark_built, wait_for_http, wait_for_port, port_open, module_jar,
# parse_jdbc_url, parse_redis_url, is_local_host.
#
# Environment honoured: JAVA_HOME (used if it is a JDK >= 21), MAILROOM_SKIP_BUILD=1
# (build_if_needed does nothing).

set -euo pipefail

MAILROOM_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"

log() { printf '[mailroom] %s\n' "$*" >&2; }
die() { printf '[mailroom] error: %s\n' "$*" >&2; exit 1; }

# --- package installation (Debian/Ubuntu) -------------------------------------------------

_MAILROOM_APT_UPDATED=""

# apt_install PKG... — installs Debian packages (as root, or through passwordless sudo).
apt_install() {
    command -v apt-get >/dev/null 2>&1 || die "cannot install $*: apt-get not found; install it yourself"
    local -a sudo=()
    if [[ $EUID -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || die "cannot install $*: not root and sudo not found"
        sudo=(sudo -n)
    fi
    if [[ -z $_MAILROOM_APT_UPDATED ]]; then
        log "apt-get update"
        "${sudo[@]}" apt-get update -q >&2 || die "apt-get update failed"
        _MAILROOM_APT_UPDATED=1
    fi
    log "apt-get install -y $*"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2
}

# --- JDK and Maven ----------------------------------------------------------------------------

# jdk_major HOME — prints the feature version (8, 17, 21, 25...) of the JDK at HOME; fails if
# HOME is not a JDK (a JRE without javac does not count: the project builds with it).
jdk_major() {
    local home=$1 version=""
    [[ -x $home/bin/java && -x $home/bin/javac ]] || return 1
    if [[ -r $home/release ]]; then
        version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
    fi
    if [[ -z $version ]]; then
        version=$("$home/bin/java" -version 2>&1 | sed -n '1s/.*version "\([^"]*\)".*/\1/p')
    fi
    version=${version#1.}          # 1.8.0_402 -> 8.0_402
    version=${version%%[!0-9]*}    # 21.0.5+11 -> 21
    [[ -n $version ]] || return 1
    printf '%s\n' "$version"
}

_jdk_ok() {
    local major
    major=$(jdk_major "$1" 2>/dev/null) && ((major >= 21))
}

_find_jdk() {
    local candidate
    if [[ -n ${JAVA_HOME:-} ]] && _jdk_ok "$JAVA_HOME"; then
        printf '%s\n' "$JAVA_HOME"; return 0
    fi
    if _jdk_ok /usr/lib/jvm/temurin-25-jdk-amd64; then
        printf '%s\n' /usr/lib/jvm/temurin-25-jdk-amd64; return 0
    fi
    # Any other JDK >= 21, newest first.
    while IFS= read -r candidate; do
        if _jdk_ok "$candidate"; then
            printf '%s\n' "$candidate"; return 0
        fi
    done < <(find /usr/lib/jvm -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sort -V -r)
    return 1
}

ensure_jdk() {
    local home
    if ! home=$(_find_jdk); then
        if [[ -n ${JAVA_HOME:-} ]]; then
            log "JAVA_HOME=$JAVA_HOME is not a JDK >= 21; looking elsewhere"
        fi
        log "no JDK >= 21 found under /usr/lib/jvm; trying to install openjdk-21-jdk-headless"
        apt_install openjdk-21-jdk-headless \
            || die "no JDK >= 21 available. Install one (e.g. Temurin 21 or 25) and set JAVA_HOME to it."
        home=$(_find_jdk) || die "openjdk-21-jdk-headless installed but no JDK >= 21 found; set JAVA_HOME"
    fi
    export JAVA_HOME=$home
    export PATH="$JAVA_HOME/bin:$PATH"
    JAVA="$JAVA_HOME/bin/java"
}

ensure_maven() {
    if ! command -v mvn >/dev/null 2>&1; then
        log "Maven not found; installing it"
        apt_install maven || die "could not install Maven; install Apache Maven 3.8+ yourself"
        command -v mvn >/dev/null 2>&1 || die "Maven installed but mvn is not on PATH"
    fi
}

# ensure_chromium — makes sure Debian's chromium and chromium-driver are installed (the console's
# browser tests drive /usr/bin/chromium through /usr/bin/chromedriver); installs them if missing.
ensure_chromium() {
    if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
        return 0
    fi
    log "chromium or chromedriver not found; installing chromium chromium-driver (the console's browser tests need them)"
    apt_install chromium chromium-driver || die "could not install chromium and chromium-driver; install them yourself"
    [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] \
        || die "chromium-driver installed but /usr/bin/chromium or /usr/bin/chromedriver is missing"
}

# ensure_python_dkim — makes sure Debian's python3-dkim (dkimpy) is installed: the worker's tests verify
# DKIM signatures with it through /usr/bin/python3, independently of Mailroom's own signing code.
ensure_python_dkim() {
    if [[ -x /usr/bin/python3 ]] && /usr/bin/python3 -c 'import dkim' >/dev/null 2>&1; then
        return 0
    fi
    log "python3-dkim not found; installing it (the DKIM tests verify signatures with dkimpy)"
    apt_install python3-dkim || die "could not install python3-dkim; install it yourself"
    /usr/bin/python3 -c 'import dkim' >/dev/null 2>&1 || die "python3-dkim installed but /usr/bin/python3 cannot import dkim"
}

# ensure_promtool — makes sure Prometheus's promtool is on PATH (scripts/test checks and unit-tests the alert rules
# in deploy/prometheus with it); installs Debian's prometheus package, which brings it, if missing. Where the package
# starts a Prometheus service of its own (systemd), that service is stopped and disabled: only promtool is wanted.
ensure_promtool() {
    command -v promtool >/dev/null 2>&1 && return 0
    log "promtool not found; installing prometheus (the alert rules' checks need its promtool)"
    apt_install --no-install-recommends prometheus || die "could not install prometheus (for promtool); install it yourself"
    command -v promtool >/dev/null 2>&1 || die "prometheus installed but promtool is not on PATH"
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
        log "stopping and disabling the prometheus service the package started"
        systemctl disable --now prometheus >&2 || log "warning: could not stop the prometheus service"
    fi
}

# --- network probes ---------------------------------------------------------------------------

# port_open HOST PORT — true if something accepts TCP connections there.
port_open() {
    if command -v timeout >/dev/null 2>&1; then
        timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
    else
        (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
    fi
}

# wait_for_port HOST PORT TIMEOUT_SECONDS
wait_for_port() {
    local host=$1 port=$2 deadline=$((SECONDS + $3))
    until port_open "$host" "$port"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

# http_ok URL — true if a GET answers 2xx within 2 s.
http_ok() {
    local url=$1
    if command -v curl >/dev/null 2>&1; then
        curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null
    elif command -v wget >/dev/null 2>&1; then
        wget -q -O /dev/null -T 2 -t 1 "$url" 2>/dev/null
    else
        # Plain http:// only: a minimal HTTP/1.0 request over bash's /dev/tcp.
        local rest=${url#http://} hostport path host port
        hostport=${rest%%/*}
        path=/; [[ $rest == */* ]] && path=/${rest#*/}
        host=${hostport%:*}; port=80; [[ $hostport == *:* ]] && port=${hostport##*:}
        timeout 2 bash -c '
            exec 3<>"/dev/tcp/$0/$1" || exit 1
            printf "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n" "$2" "$0" >&3
            IFS= read -r status <&3
            [[ $status =~ ^HTTP/[0-9.]+\ 2 ]]' "$host" "$port" "$path" 2>/dev/null
    fi
}

# wait_for_http URL TIMEOUT_SECONDS — waits until URL answers 2xx.
wait_for_http() {
    local url=$1 deadline=$((SECONDS + $2))
    until http_ok "$url"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

is_local_host() { [[ $1 == 127.0.0.1 || $1 == localhost || $1 == ::1 || $1 == '[::1]' ]]; }

# parse_jdbc_url URL — sets URL_HOST, URL_PORT, URL_DB from jdbc:postgresql://host[:port]/db[?...]
parse_jdbc_url() {
    local re='^jdbc:postgresql://([^/:?]+)(:([0-9]+))?/([^?]*)'
    [[ $1 =~ $re ]] || return 1
    URL_HOST=${BASH_REMATCH[1]}; URL_PORT=${BASH_REMATCH[3]:-5432}; URL_DB=${BASH_REMATCH[4]}
}

# parse_redis_url URL — sets URL_HOST, URL_PORT from redis://[user:pass@]host[:port][/db]
parse_redis_url() {
    local re='^rediss?://([^@/]*@)?([^/:?]+)(:([0-9]+))?'
    [[ $1 =~ $re ]] || return 1
    URL_HOST=${BASH_REMATCH[2]}; URL_PORT=${BASH_REMATCH[4]:-6379}
}

# --- PostgreSQL -----------------------------------------------------------------------------

# as_postgres CMD... — runs CMD as the postgres OS user (for psql over the local socket).
as_postgres() {
    if [[ $EUID -eq 0 ]] && command -v runuser >/dev/null 2>&1; then
        (cd / && runuser -u postgres -- "$@")
    elif [[ $EUID -eq 0 ]]; then
        (cd / && su postgres -s /bin/bash -c "$(printf '%q ' "$@")")
    elif [[ $(id -un) == postgres ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n -u postgres true 2>/dev/null; then
        (cd / && sudo -n -u postgres "$@")
    else
        return 1
    fi
}

_pg_installed() {
    command -v pg_ctlcluster >/dev/null 2>&1 || command -v postgres >/dev/null 2>&1 \
        || compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}

_pg_start_clusters() {
    command -v pg_ctlcluster >/dev/null 2>&1 \
        || die "PostgreSQL is not accepting connections and pg_ctlcluster is not available: start it yourself"
    local ver name status
    local -i found=0
    while read -r ver name _ status _; do
        found=1
        if [[ $status != online* ]]; then
            log "starting PostgreSQL cluster $ver/$name"
            pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start >&2 \
                || log "warning: could not start cluster $ver/$name"
        fi
    done < <(pg_lsclusters -h 2>/dev/null)
    if ((found == 0)); then
        ver=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)
        [[ -n $ver ]] || die "PostgreSQL has no server version installed under /usr/lib/postgresql"
        log "no PostgreSQL cluster exists; creating $ver/main"
        pg_createcluster "$ver" main >&2
        pg_ctlcluster --skip-systemctl-redirect "$ver" main start >&2
    fi
}

# _pg_sql PORT PASSWORD SQL — runs SQL as user postgres over TCP on 127.0.0.1, never prompting.
_pg_sql() {
    PGPASSWORD=$2 PGCONNECT_TIMEOUT=5 psql -X -w -q -A -t -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$1" -U postgres -d postgres -c "$3"
}

# ensure_postgres [DB [PORT [PASSWORD]]] — makes sure PostgreSQL accepts connections on
# 127.0.0.1:PORT (default 5432; starting or installing it if needed), that user postgres can log
# in over TCP, and that database DB (default test) exists.
#
# Login: with PASSWORD empty (the default; trust auth) it tries no password, then 'postgres'; if
# both are refused it runs ALTER USER postgres PASSWORD 'postgres' over the local socket as the
# postgres OS user (runuser/su/sudo). A non-empty PASSWORD is only tried, never forced onto the
# server (a refusal is an error). Afterwards MAILROOM_PG_PASSWORD
# holds the password that worked (empty under trust auth): callers export it as
# MAILROOM_DB_PASSWORD / MAILROOM_TEST_DB_PASSWORD when those are unset.
ensure_postgres() {
    local db=${1:-test} port=${2:-5432} password=${3:-} candidate
    [[ $db =~ ^[A-Za-z0-9_]+$ ]] || die "unsupported database name '$db' (letters, digits, _ only)"

    if ! port_open 127.0.0.1 "$port"; then
        if ! _pg_installed; then
            log "PostgreSQL is not installed; installing it"
            apt_install postgresql || die "could not install PostgreSQL"
        fi
        _pg_start_clusters
        wait_for_port 127.0.0.1 "$port" 30 \
            || die "PostgreSQL did not come up on 127.0.0.1:$port (see /var/log/postgresql/)"
    fi
    if command -v pg_isready >/dev/null 2>&1; then
        local -i tries=0
        until pg_isready -q -h 127.0.0.1 -p "$port"; do
            ((++tries < 60)) || die "PostgreSQL on 127.0.0.1:$port does not accept connections"
            sleep 0.5
        done
    fi

    if ! command -v psql >/dev/null 2>&1; then
        log "warning: psql not found; cannot check login or create database '$db'"
        MAILROOM_PG_PASSWORD=$password
        return 0
    fi

    local -i logged_in=0
    local -a candidates=("$password")
    [[ -n $password ]] || candidates+=(postgres)
    MAILROOM_PG_PASSWORD=""
    for candidate in "${candidates[@]}"; do
        if _pg_sql "$port" "$candidate" 'select 1' >/dev/null 2>&1; then
            MAILROOM_PG_PASSWORD=$candidate
            logged_in=1
            break
        fi
    done
    if ((logged_in == 0)); then
        # A password the caller chose is never forced onto the server: that could break other users.
        [[ -z $password ]] || die "PostgreSQL on 127.0.0.1:$port refuses user postgres with the configured password"
        log "login as postgres refused; setting its password to 'postgres' (ALTER USER postgres PASSWORD 'postgres')"
        as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$port" -c "ALTER USER postgres PASSWORD 'postgres'" >&2 \
            || die "cannot log in to PostgreSQL as postgres on 127.0.0.1:$port, nor become the postgres OS user to fix it; allow it in pg_hba.conf (e.g. 'host all all 127.0.0.1/32 trust')"
        _pg_sql "$port" postgres 'select 1' >/dev/null 2>&1 \
            || die "still cannot log in as postgres on 127.0.0.1:$port; check pg_hba.conf"
        MAILROOM_PG_PASSWORD=postgres
    fi

    if [[ -z $(_pg_sql "$port" "$MAILROOM_PG_PASSWORD" "select 1 from pg_database where datname = '$db'") ]]; then
        log "creating database $db"
        _pg_sql "$port" "$MAILROOM_PG_PASSWORD" "CREATE DATABASE \"$db\"" >/dev/null \
            || die "could not create database $db"
    fi
}

# --- PgBouncer --------------------------------------------------------------------------------

# PgBouncer in transaction pooling mode in front of the local PostgreSQL (scripts/test runs the suites through it).
# Clients connect with jdbc:postgresql://127.0.0.1:$PGBOUNCER_PORT/<db>?prepareThreshold=0: Debian's PgBouncer 1.18
# does not track server-side prepared statements, so PgJDBC must not name any.
PGBOUNCER_PORT=6432
_PGBOUNCER_DIR="${TMPDIR:-/tmp}/mailroom-pgbouncer"

# _pgbouncer_psql PORT DB SQL — runs SQL through PgBouncer as user postgres (no password: trust), never prompting.
_pgbouncer_psql() {
    PGCONNECT_TIMEOUT=5 psql -X -w -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U postgres -d "$2" -c "$3"
}

# ensure_pgbouncer [PG_PORT [PASSWORD [DB]]] — makes sure a PgBouncer in transaction pooling mode listens on
# 127.0.0.1:$PGBOUNCER_PORT (6432) and reaches every database of the PostgreSQL on 127.0.0.1:PG_PORT (default 5432)
# as user postgres; installs Debian's pgbouncer if missing (stopping the service the package may start: never relied
# on). Our own daemon, with its ini, auth file, log and pid file under ${TMPDIR:-/tmp}/mailroom-pgbouncer: clients
# are trusted (loopback only; user postgres listed in the auth file), and PgBouncer logs in to PostgreSQL with
# PASSWORD (default MAILROOM_PG_PASSWORD as ensure_postgres left it; empty under trust auth). PgBouncer refuses to
# run as root: as root it is started with -u postgres (or nobody where there is no postgres user), its directory
# handed to that user. Idempotent: a PgBouncer already answering there is reused (a warning if its pool_mode is not
# transaction); anything else on the port, or one that does not pass user postgres to database DB (default postgres),
# is an error. Call ensure_postgres first.
ensure_pgbouncer() {
    local pg_port=${1:-5432} password=${2:-${MAILROOM_PG_PASSWORD:-}} db=${3:-postgres} port=$PGBOUNCER_PORT
    local dir=$_PGBOUNCER_DIR mode
    command -v psql >/dev/null 2>&1 || die "ensure_pgbouncer needs psql (postgresql-client)"
    if port_open 127.0.0.1 "$port"; then
        mode=$(_pgbouncer_psql "$port" pgbouncer 'show config' 2>/dev/null | awk -F'|' '$1 == "pool_mode" { print $2 }' || true)
        if [[ -z $mode ]]; then
            _pgbouncer_psql "$port" "$db" 'select 1' >/dev/null 2>&1 \
                || die "something that is not a PgBouncer we can use listens on 127.0.0.1:$port; stop it (PgBouncer needs that port)"
            log "warning: cannot read the pool_mode of whatever answers on 127.0.0.1:$port (no admin access); using it"
            return 0
        fi
        [[ $mode == transaction ]] \
            || log "warning: the PgBouncer on 127.0.0.1:$port pools in $mode mode, not transaction; using it anyway"
        _pgbouncer_psql "$port" "$db" 'select 1' >/dev/null 2>&1 \
            || die "the PgBouncer on 127.0.0.1:$port does not pass user postgres to database $db (see its log; ours is $dir/pgbouncer.log)"
        return 0
    fi
    if ! command -v pgbouncer >/dev/null 2>&1 && [[ ! -x /usr/sbin/pgbouncer ]]; then
        log "PgBouncer is not installed; installing pgbouncer"
        apt_install pgbouncer || die "could not install pgbouncer; install it yourself"
        if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet pgbouncer 2>/dev/null; then
            log "stopping and disabling the pgbouncer service the package started (we run our own)"
            systemctl disable --now pgbouncer >&2 || log "warning: could not stop the pgbouncer service"
        fi
    fi
    local bin
    bin=$(command -v pgbouncer 2>/dev/null || echo /usr/sbin/pgbouncer)
    [[ -x $bin ]] || die "pgbouncer installed but not found on PATH nor at /usr/sbin/pgbouncer"
    port_open 127.0.0.1 "$port" && die "127.0.0.1:$port was taken while installing pgbouncer (the package's service?); stop it"

    local -a as_user=()
    local owner=""
    if [[ $EUID -eq 0 ]]; then
        owner=postgres
        getent passwd postgres >/dev/null 2>&1 || owner=nobody
        as_user=(-u "$owner")
    fi
    mkdir -p "$dir"
    # The auth file: trust still wants the user listed; its password is what PgBouncer gives PostgreSQL.
    (umask 077 && printf '"postgres" "%s"\n' "${password//\"/\"\"}" >"$dir/userlist.txt")
    cat >"$dir/pgbouncer.ini" <<INI
; Written by scripts/lib.sh (ensure_pgbouncer); rewritten at each start.
[databases]
* = host=127.0.0.1 port=$pg_port

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
admin_users = postgres
pool_mode = transaction
; Server connections per (database, user): enough for a web (10) and a worker (2 x slots + 4) pool's transactions
; at once, well under PostgreSQL's max_connections (100) with another suite running beside it.
default_pool_size = 20
reserve_pool_size = 5
reserve_pool_timeout = 3
max_client_conn = 1000
server_idle_timeout = 60
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
    [[ -z $owner ]] || chown -R "$owner" "$dir"
    rm -f "$dir/pgbouncer.pid"
    log "starting pgbouncer on 127.0.0.1:$port (transaction pooling, to 127.0.0.1:$pg_port${owner:+, as $owner}; $dir)"
    "$bin" -d "${as_user[@]}" "$dir/pgbouncer.ini" >&2 || die "pgbouncer failed to start (see $dir/pgbouncer.log)"
    local -i tries=0
    until _pgbouncer_psql "$port" pgbouncer 'show version' >/dev/null 2>&1; do
        ((++tries < 40)) || die "PgBouncer did not answer on 127.0.0.1:$port (see $dir/pgbouncer.log)"
        sleep 0.25
    done
    _pgbouncer_psql "$port" "$db" 'select 1' >/dev/null \
        || die "PgBouncer on 127.0.0.1:$port cannot reach database $db on 127.0.0.1:$pg_port as postgres (see $dir/pgbouncer.log)"
}

# --- Redis ------------------------------------------------------------------------------------

_redis_ping() {
    local port=$1
    if command -v redis-cli >/dev/null 2>&1; then
        [[ $(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) == PONG ]]
    else
        timeout 2 bash -c '
            exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
            printf "PING\r\n" >&3
            IFS= read -r reply <&3
            [[ $reply == +PONG* ]]' "$port" 2>/dev/null
    fi
}

# ensure_redis [PORT] — makes sure a Redis answers PING on 127.0.0.1:PORT (default 6379),
# starting (or installing, then starting) a non-persistent redis-server if needed.
ensure_redis() {
    local port=${1:-6379}
    _redis_ping "$port" && return 0
    if port_open 127.0.0.1 "$port"; then
        log "warning: something listens on 127.0.0.1:$port but does not answer PING (password?); leaving it alone"
        return 0
    fi
    if ! command -v redis-server >/dev/null 2>&1; then
        log "Redis is not installed; installing redis-server"
        apt_install redis-server || die "could not install redis-server"
        _redis_ping "$port" && return 0   # the package may have started its own service
    fi
    log "starting redis-server on 127.0.0.1:$port (no persistence)"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
        --logfile "${TMPDIR:-/tmp}/mailroom-redis-$port.log" >&2 \
        || die "redis-server failed to start"
    local -i tries=0
    until _redis_ping "$port"; do
        ((++tries < 40)) || die "Redis did not answer on 127.0.0.1:$port (see ${TMPDIR:-/tmp}/mailroom-redis-$port.log)"
        sleep 0.25
    done
}

# The Redis shapes the suites also run against (scripts/test): a 3-master Cluster and a Sentinel set (one master,
# one replica, three Sentinels), all on loopback, non-persistent, their state under ${TMPDIR:-/tmp}/mailroom-redis-shapes.
REDIS_CLUSTER_PORTS=(7000 7001 7002)
REDIS_SENTINEL_DATA_PORTS=(6390 6391)
REDIS_SENTINEL_PORTS=(26379 26380 26381)
REDIS_SENTINEL_MASTER=mailroom
REDIS_CLUSTER_URL="redis-cluster://127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002"
REDIS_SENTINEL_URL="redis-sentinel://127.0.0.1:26379,127.0.0.1:26380,127.0.0.1:26381/$REDIS_SENTINEL_MASTER/0"
_REDIS_SHAPES_DIR="${TMPDIR:-/tmp}/mailroom-redis-shapes"

# _redis_start PORT [ARGS...] — a non-persistent redis-server on 127.0.0.1:PORT unless one answers there.
_redis_start() {
    local port=$1
    shift
    _redis_ping "$port" && return 0
    port_open 127.0.0.1 "$port" && die "something on 127.0.0.1:$port does not answer PING; the Redis shapes need that port"
    mkdir -p "$_REDIS_SHAPES_DIR"
    # Each server its own RDB file, removed before it starts: a replica writes the master's snapshot to disk on
    # every full sync, and a Cluster node that loaded another shape's snapshot (keys in several databases, in a
    # shared dump.rdb) crashed on start. Nothing here is meant to outlive its server.
    rm -f "$_REDIS_SHAPES_DIR/dump.rdb" "$_REDIS_SHAPES_DIR/dump-$port.rdb"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no --dir "$_REDIS_SHAPES_DIR" \
        --dbfilename "dump-$port.rdb" --logfile "$_REDIS_SHAPES_DIR/redis-$port.log" "$@" >&2 \
        || die "redis-server on port $port failed to start"
    local -i tries=0
    until _redis_ping "$port"; do
        if ((++tries >= 120)); then
            log "the last lines of $_REDIS_SHAPES_DIR/redis-$port.log:"
            tail -n 20 "$_REDIS_SHAPES_DIR/redis-$port.log" >&2 2>/dev/null || true
            die "Redis did not answer on 127.0.0.1:$port within 30 s"
        fi
        sleep 0.25
    done
}

# _redis_stop PORT — shuts down the Redis on 127.0.0.1:PORT, if one answers there.
_redis_stop() {
    _redis_ping "$1" || return 0
    redis-cli -h 127.0.0.1 -p "$1" shutdown nosave >/dev/null 2>&1 || true
    local -i tries=0
    while port_open 127.0.0.1 "$1" && ((++tries < 40)); do sleep 0.25; done
}

# ensure_redis_cluster — a 3-master Redis Cluster on 127.0.0.1:7000-7002 (REDIS_CLUSTER_URL), created if missing.
ensure_redis_cluster() {
    ensure_redis
    local port missing=0
    for port in "${REDIS_CLUSTER_PORTS[@]}"; do _redis_ping "$port" || missing=1; done
    if ((missing)); then
        # A node that is gone took its slots with it: start the whole Cluster afresh, without the node files an
        # earlier Cluster (perhaps on another machine this /tmp was copied from) left behind.
        for port in "${REDIS_CLUSTER_PORTS[@]}"; do
            _redis_stop "$port"
            rm -f "$_REDIS_SHAPES_DIR/nodes-$port.conf"
        done
    fi
    for port in "${REDIS_CLUSTER_PORTS[@]}"; do
        _redis_start "$port" --cluster-enabled yes --cluster-config-file "nodes-$port.conf" --cluster-node-timeout 2000
    done
    if [[ $(redis-cli -p "${REDIS_CLUSTER_PORTS[0]}" cluster info | tr -d '\r' | grep '^cluster_known_nodes:') != "cluster_known_nodes:${#REDIS_CLUSTER_PORTS[@]}" ]]; then
        log "creating a Redis Cluster of ${#REDIS_CLUSTER_PORTS[@]} masters on ports ${REDIS_CLUSTER_PORTS[*]}"
        local -a nodes=()
        for port in "${REDIS_CLUSTER_PORTS[@]}"; do nodes+=("127.0.0.1:$port"); done
        redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >&2 || die "redis-cli --cluster create failed"
    fi
    local -i tries=0
    until redis-cli -p "${REDIS_CLUSTER_PORTS[0]}" cluster info | grep -q '^cluster_state:ok'; do
        ((++tries < 80)) || die "the Redis Cluster on ports ${REDIS_CLUSTER_PORTS[*]} did not reach cluster_state:ok"
        sleep 0.25
    done
}

# ensure_redis_sentinel — a master and a replica on 127.0.0.1:6390/6391 watched by three Sentinels on 26379-26381
# (REDIS_SENTINEL_URL, master name "mailroom"), started if missing. After a failover either may be the master.
ensure_redis_sentinel() {
    ensure_redis
    local master=${REDIS_SENTINEL_DATA_PORTS[0]} replica=${REDIS_SENTINEL_DATA_PORTS[1]} port
    if ! _redis_ping "$master" && ! _redis_ping "$replica"; then
        _redis_start "$master"
        _redis_start "$replica" --replicaof 127.0.0.1 "$master"
    else
        _redis_start "$master"   # whichever is missing comes back as a replica of the current master
        _redis_start "$replica"
    fi
    for port in "${REDIS_SENTINEL_PORTS[@]}"; do
        _redis_ping "$port" && continue
        mkdir -p "$_REDIS_SHAPES_DIR"
        # Sentinel rewrites its file as it learns the set; a fresh file each start.
        cat >"$_REDIS_SHAPES_DIR/sentinel-$port.conf" <<CONF
port $port
bind 127.0.0.1
daemonize yes
dir $_REDIS_SHAPES_DIR
logfile $_REDIS_SHAPES_DIR/sentinel-$port.log
sentinel monitor $REDIS_SENTINEL_MASTER 127.0.0.1 $(_redis_sentinel_current_master) 2
sentinel down-after-milliseconds $REDIS_SENTINEL_MASTER 2000
sentinel failover-timeout $REDIS_SENTINEL_MASTER 10000
sentinel parallel-syncs $REDIS_SENTINEL_MASTER 1
CONF
        redis-server "$_REDIS_SHAPES_DIR/sentinel-$port.conf" --sentinel >&2 || die "Sentinel on port $port failed to start"
    done
    local -i tries=0
    until [[ $(redis-cli -p "${REDIS_SENTINEL_PORTS[0]}" sentinel master "$REDIS_SENTINEL_MASTER" 2>/dev/null \
        | awk 'prev == "num-other-sentinels" { print; exit } { prev = $0 }') == 2 ]] \
        && redis-cli -p "$(_redis_sentinel_current_master)" info replication | grep -q '^connected_slaves:1'; do
        ((++tries < 120)) || die "the Sentinel set did not settle (3 Sentinels, 1 replica); see $_REDIS_SHAPES_DIR"
        sleep 0.25
    done
}

# _redis_sentinel_current_master — the port of whichever of the two data servers is the master now.
_redis_sentinel_current_master() {
    local port
    for port in "${REDIS_SENTINEL_DATA_PORTS[@]}"; do
        if redis-cli -p "$port" info replication 2>/dev/null | grep -q '^role:master'; then
            echo "$port"
            return 0
        fi
    done
    echo "${REDIS_SENTINEL_DATA_PORTS[0]}"
}

# --- build ------------------------------------------------------------------------------------

_BUILD_STAMP="$MAILROOM_ROOT/target/.mailroom-build-stamp"

# module_jar MODULE — prints the path of MODULE's main jar (fails if it is not built).
module_jar() {
    local jar
    for jar in "$MAILROOM_ROOT/$1/target/$1"-*.jar; do
        [[ -f $jar && $jar != *-sources.jar && $jar != *-tests.jar && $jar != *-javadoc.jar ]] || continue
        printf '%s\n' "$jar"
        return 0
    done
    return 1
}

# _build_reason — prints why a build is needed, or nothing if everything is up to date.
_build_reason() {
    local module newest="" jar changed
    local -a modules=() watched=("$MAILROOM_ROOT/pom.xml")
    mapfile -t modules < <(sed -n 's:.*<module>[[:space:]]*\([^<[:space:]]*\)[[:space:]]*</module>.*:\1:p' "$MAILROOM_ROOT/pom.xml")
    for module in "${modules[@]}"; do
        [[ -f $MAILROOM_ROOT/$module/pom.xml ]] && watched+=("$MAILROOM_ROOT/$module/pom.xml")
        [[ -d $MAILROOM_ROOT/$module/src ]] && watched+=("$MAILROOM_ROOT/$module/src")
        [[ -d $MAILROOM_ROOT/$module/src/main ]] || continue   # test-only or pom-only module
        if ! jar=$(module_jar "$module"); then
            printf '%s/target/%s-*.jar is missing\n' "$module" "$module"
            return 0
        fi
        if [[ -z $newest || $jar -nt $newest ]]; then newest=$jar; fi
    done
    [[ -n $newest ]] || { printf 'nothing is built yet\n'; return 0; }
    if [[ -f $_BUILD_STAMP && $_BUILD_STAMP -nt $newest ]]; then newest=$_BUILD_STAMP; fi
    changed=$(find "${watched[@]}" -type f -newer "$newest" -print -quit 2>/dev/null || true)
    if [[ -n $changed ]]; then
        printf '%s changed since the last build\n' "${changed#"$MAILROOM_ROOT"/}"
    fi
}

# mark_built STAMP_TMP — records a successful build that started when STAMP_TMP was touched.
mark_built() {
    mkdir -p "$(dirname "$_BUILD_STAMP")"
    if [[ -n ${1:-} && -f $1 ]]; then mv -f "$1" "$_BUILD_STAMP"; else touch "$_BUILD_STAMP"; fi
}

# new_build_stamp — prints a fresh temp file whose mtime marks the start of a build.
new_build_stamp() {
    mkdir -p "$(dirname "$_BUILD_STAMP")"
    mktemp "$_BUILD_STAMP.XXXXXX"
}

# build_if_needed [GOAL] — runs `mvn -B -q -DskipTests GOAL` (default install) at the root when a module
# jar is missing or a pom.xml or a file under */src is newer than the last build.
build_if_needed() {
    [[ ${MAILROOM_SKIP_BUILD:-0} == 1 ]] && return 0
    local goal=${1:-install} reason stamp
    reason=$(_build_reason)
    [[ -n $reason ]] || return 0
    log "build needed ($reason): mvn -B -q -DskipTests $goal"
    ensure_maven
    stamp=$(new_build_stamp)
    if ! (cd "$MAILROOM_ROOT" && mvn -B -q -DskipTests "$goal" >&2); then
        rm -f "$stamp"
        die "build failed (mvn -B -DskipTests $goal in $MAILROOM_ROOT)"
    fi
    mark_built "$stamp"
    log "build done"
}

ensure_jdk

# The server's key ring (MAILROOM_SECRET_KEY: seals stored secrets, signs unsubscribe links) for
# development, unless set: generated once into .run/secret-key, so every process started from this
# checkout (scripts/run, or web and workers by hand with MAILROOM_ENV=dev) seals and opens alike.
use_dev_secret_key() {
    if [[ -n ${MAILROOM_SECRET_KEY:-} ]]; then
        return 0
    fi
    local file=$MAILROOM_ROOT/.run/secret-key
    if [[ ! -s $file ]]; then
        mkdir -p "$MAILROOM_ROOT/.run"
        (umask 077 && printf 'dev1:%s\n' "$(head -c 32 /dev/urandom | base64 -w0)" >"$file")
    fi
    MAILROOM_SECRET_KEY=$(<"$file")
    export MAILROOM_SECRET_KEY
}
