#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the storage tests and prints, as the only line on
# stdout, the connection string to export as ATELIER_TEST_POSTGRES:
#
#   export ATELIER_TEST_POSTGRES="$(.ci/postgres.sh)"
#   dotnet test tests/Atelier.Storage.Tests
#   .ci/postgres.sh --stop
#
# Usage: .ci/postgres.sh [DIR]          create or restart the cluster kept in DIR (default .ci/tmp/pg)
#        .ci/postgres.sh --stop [DIR]   stop it
#
# The server listens on 127.0.0.1 only, on ${ATELIER_PG_PORT:-54329}, with a scram-sha-256 superuser
# "atelier" whose password is generated once and kept in DIR/password (mode 0600). Durability is
# switched off (fsync=off): the cluster holds nothing but test data. No systemd is involved; when run
# as root the server runs as the "postgres" OS user, since PostgreSQL refuses to run as root.
# Progress goes to stderr.
set -euo pipefail

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

mode=start
if [[ "${1:-}" == "--stop" ]]; then
    mode=stop
    shift
fi
[[ $# -le 1 ]] || die "usage: $0 [--stop] [DIR]"

port="${ATELIER_PG_PORT:-54329}"
[[ "$port" =~ ^[0-9]+$ ]] && (( port > 0 && port < 65536 )) || die "ATELIER_PG_PORT='$port' is not a port number"

root="$(realpath -m -- "${1:-.ci/tmp/pg}")"
data="$root/data"
socket="$root/socket"
marker="$root/.atelier-ci-cluster"

find_bin_dir() {
    local initdb
    if initdb="$(command -v initdb 2>/dev/null)"; then
        dirname -- "$(realpath -- "$initdb")"
        return
    fi
    # Debian and Ubuntu keep the server binaries off PATH, one folder per major version.
    local newest
    newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    [[ -n "$newest" && -x "$newest/initdb" ]] && printf '%s\n' "$newest"
}

as_pg() {
    if [[ "$(id -u)" == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

bin="$(find_bin_dir || true)"

if [[ "$mode" == stop ]]; then
    if [[ -n "$bin" && -f "$data/postmaster.pid" ]]; then
        as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >&2 || log "pg_ctl stop failed (server already gone?)"
    else
        log "no running cluster in $root"
    fi
    exit 0
fi

if [[ -z "$bin" ]]; then
    [[ "$(id -u)" == 0 ]] || die "PostgreSQL is not installed; run as root to apt-get install it, or install it yourself"
    log "installing PostgreSQL with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y postgresql >&2
    bin="$(find_bin_dir || true)"
    [[ -n "$bin" ]] || die "initdb is still missing after installing postgresql"
fi
major="$("$bin/initdb" --version | grep -oE '[0-9]+' | head -n 1)"

if [[ "$(id -u)" == 0 ]] && ! id postgres >/dev/null 2>&1; then
    log "creating the postgres OS user"
    useradd --system --no-create-home --shell /usr/sbin/nologin postgres
fi

# Refuse to take over a folder that is not ours: re-initialising deletes what is inside.
if [[ -d "$root" && ! -f "$marker" && -n "$(ls -A -- "$root")" ]]; then
    die "$root exists, is not empty and was not made by this script; give another folder"
fi

# A previous run's server on this folder: stop it cleanly and start again with today's settings.
if [[ -f "$data/postmaster.pid" ]]; then
    log "stopping the previous server in $data"
    as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >&2 || true
fi

if [[ ! -f "$data/PG_VERSION" || "$(cat "$data/PG_VERSION" 2>/dev/null)" != "$major" || ! -s "$root/password" ]]; then
    log "initialising a PostgreSQL $major cluster in $data"
    rm -rf -- "$data" "$socket" "$root/password"
    mkdir -p -- "$root"
    touch -- "$marker"
    umask 077
    head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$root/password"
    umask 022
    mkdir -p -- "$data" "$socket"
    if [[ "$(id -u)" == 0 ]]; then
        chown -R postgres: -- "$root"
    fi
    as_pg test -w "$root" -a -x "$root" \
        || die "the postgres OS user cannot write $root (a parent folder is closed to it?); give a folder under /tmp"
    chmod 700 "$data"
    as_pg "$bin/initdb" -D "$data" -U atelier --pwfile="$root/password" --auth=scram-sha-256 \
        --encoding=UTF8 --no-locale --no-instructions >&2
    cat >> "$data/postgresql.conf" <<EOF

# Written by .ci/postgres.sh: a throwaway cluster for tests.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$socket'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
fi

password="$(cat "$root/password")"

log "starting PostgreSQL $major on 127.0.0.1:$port"
if ! as_pg "$bin/pg_ctl" -D "$data" -l "$root/server.log" -o "-p $port" -w -t 60 start >&2; then
    tail -n 20 "$root/server.log" >&2 || true
    die "the server did not start (is port $port in use? set ATELIER_PG_PORT)"
fi

for _ in $(seq 1 60); do
    if PGPASSWORD="$password" "$bin/psql" -h 127.0.0.1 -p "$port" -U atelier -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; then
        log "ready"
        printf 'Host=127.0.0.1;Port=%s;Username=atelier;Password=%s;Database=postgres\n' "$port" "$password"
        exit 0
    fi
    sleep 0.5
done
tail -n 20 "$root/server.log" >&2 || true
die "the server started but does not accept connections on 127.0.0.1:$port"
