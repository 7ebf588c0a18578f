#!/usr/bin/env bash
# Access log cost: a release `forum` on loopback (SQLite, demo content plus BENCH_THREADS extra
# threads), wrk on `/` with the page cache on, once per FORUM_LOG_ACCESS mode, repeated
# BENCH_ROUNDS times in alternation. stderr goes to a file, as in production. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/forum-target}
bin=${FORUM_BIN:-$CARGO_TARGET_DIR/release/forum}
[ -x "$bin" ] || cargo build --release -p forum-web
command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }

work=$(mktemp -d /tmp/forum-accessbench.XXXXXX)
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
secret() { head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
export FORUM_DATABASE_URL="sqlite://$work/forum.sqlite3" FORUM_DATA_DIR="$work/data"
export FORUM_THEME_DIR="$root/themes" FORUM_BIND="127.0.0.1:$port" FORUM_BASE_URL="http://127.0.0.1:$port"
export FORUM_SESSION_SECRET=$(secret) FORUM_JWT_SECRET=$(secret)
unset RUST_LOG
mkdir -p "$FORUM_DATA_DIR"
"$bin" seed-demo --bench-threads "${BENCH_THREADS:-300}" >/dev/null 2>"$work/seed.log"

for round in $(seq 1 "${BENCH_ROUNDS:-4}"); do
    for mode in ${BENCH_MODES:-all off}; do
        log="$work/server-$mode-$round.log"
        FORUM_LOG_ACCESS=$mode "$bin" serve >"$log" 2>&1 &
        pid=$!
        for _ in $(seq 1 100); do curl -fsS "$FORUM_BASE_URL/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
        curl -fsS "$FORUM_BASE_URL/" >/dev/null
        before=$(stat -c %s "$log")
        out=$(wrk -t2 -c64 -d"${BENCH_DURATION:-5}"s --latency "$FORUM_BASE_URL/")
        bytes=$(($(stat -c %s "$log") - before))
        total=$(awk '/requests in/ {print $1}' <<<"$out")
        printf 'round %s access=%-6s %10s req/s  p50 %-8s p99 %-8s log +%s bytes (%s B/request)\n' \
            "$round" "$mode" "$(awk '/^Requests\/sec/ {print $2}' <<<"$out")" \
            "$(awk '$1 == "50%" {print $2}' <<<"$out")" "$(awk '$1 == "99%" {print $2}' <<<"$out")" \
            "$bytes" "$((bytes / (total > 0 ? total : 1)))"
        kill -TERM "$pid"
        wait "$pid" 2>/dev/null || true
        pid=""
    done
done
