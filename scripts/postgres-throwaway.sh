#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests and benchmarks: nothing is installed, nothing outlives `stop`.
#
#   scripts/postgres-throwaway.sh start [DIR]   # initdb + start; prints the database URL on stdout
#   scripts/postgres-throwaway.sh url   [DIR]   # prints the URL of a running cluster
#   scripts/postgres-throwaway.sh stop  [DIR]   # stops the server and removes DIR
#
# DIR defaults to $INDICATORS_PG_DIR or ${TMPDIR:-/tmp}/indicators-postgres-$UID. The server listens on
# 127.0.0.1 and on a unix socket inside DIR only, with trust authentication (fine for a throwaway).
# Needs Debian's server binaries: `apt-get install -y postgresql-15` (they land in
# /usr/lib/postgresql/15/bin; override with $PG_BIN). initdb refuses to run as root, so as root the
# cluster runs as the `postgres` user that the package creates.
set -euo pipefail

action="${1:-}"
dir="${2:-${INDICATORS_PG_DIR:-${TMPDIR:-/tmp}/indicators-postgres-$(id -u)}}"
pg_bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

url() {
    echo "postgresql://postgres@127.0.0.1:$(cat "$dir/port")/postgres"
}

start() {
    if [ ! -x "$pg_bin/initdb" ]; then
        echo "postgres-throwaway: $pg_bin/initdb not found; install it with: apt-get install -y postgresql-15" >&2
        exit 3
    fi
    if [ -f "$dir/data/postmaster.pid" ]; then
        echo "postgres-throwaway: already running in $dir" >&2
        url
        return
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$dir"
        # `mktemp -d` makes 0700 folders: let the postgres user traverse (not list) the parents.
        local parent="$dir"
        while parent="$(dirname "$parent")" && [ "$parent" != / ]; do
            runuser -u postgres -- test -x "$parent" || chmod o+x "$parent"
        done
    fi
    # A free TCP port, chosen by the kernel (or at random when there is no python3).
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' \
        >"$dir/port" 2>/dev/null || echo $((20000 + RANDOM % 40000)) >"$dir/port"
    local port
    port="$(cat "$dir/port")"
    as_owner "$pg_bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    url
}

stop() {
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    fi
    rm -rf "$dir"
}

case "$action" in
    start) start ;;
    stop) stop ;;
    url) url ;;
    *) echo "usage: $0 start|stop|url [DIR]" >&2; exit 2 ;;
esac
