#!/usr/bin/env bash
# Runs a command with FORUM_TEST_POSTGRES_URL pointing at a reachable PostgreSQL server
# (superuser, trust auth), in this order:
#   1. $FORUM_TEST_POSTGRES_URL, if set and reachable;
#   2. postgres://postgres@127.0.0.1:5432/postgres, if it answers;
#   3. the Debian cluster started with pg_ctlcluster, if that then answers;
#   4. a throwaway cluster (initdb -A trust) on 127.0.0.1:5439.., stopped and deleted on exit.
# WITH_POSTGRES_THROWAWAY=1 skips 1-3 (always a fresh throwaway cluster).
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

DEFAULT_URL="postgres://postgres@127.0.0.1:5432/postgres"

pg_ok() {
    if command -v psql >/dev/null 2>&1; then
        PGCONNECT_TIMEOUT=3 psql "$1" -Atqc 'select 1' >/dev/null 2>&1
    else
        pg_isready -q -d "$1" >/dev/null 2>&1
    fi
}

wait_ok() { # url seconds
    local i
    for ((i = 0; i < $2 * 4; i++)); do
        pg_ok "$1" && return 0
        sleep 0.25
    done
    return 1
}

run() {
    echo "with-postgres: using $FORUM_TEST_POSTGRES_URL" >&2
    "$@"
}

throwaway_only=${WITH_POSTGRES_THROWAWAY:-0}

if [ "$throwaway_only" != 1 ] && [ -n "${FORUM_TEST_POSTGRES_URL:-}" ] && pg_ok "$FORUM_TEST_POSTGRES_URL"; then
    export FORUM_TEST_POSTGRES_URL
    run "$@"
    exit $?
fi
if [ "$throwaway_only" != 1 ] && [ -n "${FORUM_TEST_POSTGRES_URL:-}" ]; then
    echo "with-postgres: FORUM_TEST_POSTGRES_URL=$FORUM_TEST_POSTGRES_URL is not reachable; trying others" >&2
fi

if [ "$throwaway_only" != 1 ] && pg_ok "$DEFAULT_URL"; then
    export FORUM_TEST_POSTGRES_URL="$DEFAULT_URL"
    run "$@"
    exit $?
fi

if [ "$throwaway_only" != 1 ] && command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
    if [ -n "$version" ] && [ -d "/etc/postgresql/$version/main" ]; then
        echo "with-postgres: starting cluster $version/main with pg_ctlcluster" >&2
        pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
        if wait_ok "$DEFAULT_URL" 10; then
            export FORUM_TEST_POSTGRES_URL="$DEFAULT_URL"
            run "$@"
            exit $?
        fi
        echo "with-postgres: $DEFAULT_URL still refuses (auth or not running)" >&2
    fi
fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "with-postgres: no PostgreSQL reachable and no initdb under /usr/lib/postgresql/*/bin." >&2
    echo "  Install it (apt-get install postgresql) or set FORUM_TEST_POSTGRES_URL." >&2
    exit 1
fi

port=""
for p in $(seq 5439 5449); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
        port=$p
        break
    fi
done
if [ -z "$port" ]; then
    echo "with-postgres: ports 5439-5449 are all taken" >&2
    exit 1
fi

dir=$(mktemp -d /tmp/forum-pg.XXXXXX)
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}
cleanup() {
    as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
        echo "with-postgres: running as root but there is no 'postgres' user for initdb" >&2
        exit 1
    fi
    chown postgres: "$dir"
fi

echo "with-postgres: starting a throwaway cluster in $dir on 127.0.0.1:$port" >&2
if ! as_pg "$bindir/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log" 2>&1; then
    echo "with-postgres: initdb failed:" >&2
    cat "$dir/initdb.log" >&2
    exit 1
fi
if ! as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null; then
    echo "with-postgres: pg_ctl start failed:" >&2
    cat "$dir/server.log" >&2
    exit 1
fi
export FORUM_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
if ! wait_ok "$FORUM_TEST_POSTGRES_URL" 15; then
    echo "with-postgres: the throwaway cluster does not answer at $FORUM_TEST_POSTGRES_URL" >&2
    cat "$dir/server.log" >&2
    exit 1
fi

status=0
run "$@" || status=$?
exit "$status"
