#!/usr/bin/env bash
# Load test: a release `forum` on loopback with a seeded SQLite database (demo content plus
# BENCH_THREADS extra threads and one thread with 30 answers), hit by oha (if installed) or wrk
# for a fixed duration against `/` and the 30-answer thread. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/forum-target}
DURATION=${BENCH_DURATION:-5}          # seconds per measurement
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-3000}         # extra seeded threads
WRK_THREADS=${BENCH_WRK_THREADS:-2}
ROUNDS=${BENCH_ROUNDS:-3}              # measurements per row, interleaved with the bare program

if command -v oha >/dev/null 2>&1; then
    tool=oha
elif command -v wrk >/dev/null 2>&1; then
    tool=wrk
else
    echo "bench: neither oha nor wrk is installed (apt-get install wrk)" >&2
    exit 1
fi

echo "==== build (release) ===="
cargo build --release -p forum-web -p bench-bare
bin="$CARGO_TARGET_DIR/release/forum"
bare_bin="$CARGO_TARGET_DIR/release/bench-bare"

work=$(mktemp -d /tmp/forum-bench.XXXXXX)
pid=""
cleanup() {
    if [ -n "${bare_pid:-}" ]; then kill -TERM "$bare_pid" 2>/dev/null || true; fi
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo $((20000 + RANDOM % 20000)))
secret() { head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

export FORUM_DATABASE_URL="sqlite://$work/forum.sqlite3"
export FORUM_DATA_DIR="$work/data"
export FORUM_THEME_DIR="$root/themes"
export FORUM_BIND="127.0.0.1:$port"
export FORUM_BASE_URL="http://127.0.0.1:$port"
export FORUM_SESSION_SECRET=$(secret)
export FORUM_JWT_SECRET=$(secret)
export FORUM_COOKIE_SECURE=false
# The seed's thousands of answers queue thousands of notification emails; delivering them is
# background work this benchmark does not measure (with `file`, the worker would be writing
# .eml files on the same two cores while pages are measured).
export FORUM_EMAIL_TRANSPORT=off
mkdir -p "$FORUM_DATA_DIR"

echo "==== seed: demo + $THREADS threads + one 30-answer thread ===="
seed_start=$SECONDS
"$bin" seed-demo --bench-threads "$THREADS" | tee "$work/seed.out"
echo "seeded in $((SECONDS - seed_start)) s"
thread_path=$(sed -n 's/^bench-thread: *//p' "$work/seed.out" | head -1)
if [ -z "$thread_path" ]; then
    echo "bench: seed-demo printed no 'bench-thread: /t/slug/id' line" >&2
    exit 1
fi

start_server() { # label; extra env is taken from the caller's environment
    echo "==== serve on $FORUM_BASE_URL ($1) ===="
    "$bin" serve >>"$work/server.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 600); do
        curl -fsS "$FORUM_BASE_URL/healthz" >/dev/null 2>&1 && break
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "bench: server exited during start-up:" >&2
            tail -n 40 "$work/server.log" >&2
            exit 1
        fi
        sleep 0.1
    done
    curl -fsS "$FORUM_BASE_URL/healthz" >/dev/null
    for path in / "$thread_path"; do
        code=$(curl -s -o /dev/null -w '%{http_code}' "$FORUM_BASE_URL$path")
        if [ "$code" != 200 ]; then
            echo "bench: GET $path answered $code, not 200" >&2
            exit 1
        fi
    done

}

stop_server() {
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    pid=""
}

# One line per measurement: label<TAB>req/s<TAB>p50 ms<TAB>p99 ms<TAB>non-2xx. The summary takes
# each row's median over the rounds: the machine's speed drifts between runs (other tenants,
# frequency), so the forum and the bare program are measured alternately, round after round.
results="$work/results.tsv"
: >"$results"
ms() { # "1.23ms" / "456.00us" / "1.2s" -> milliseconds
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}
run_load() { # label path [base-url]; a Cookie header when $COOKIE is set
    local url="${3:-$FORUM_BASE_URL}$2" out="$work/load.out"
    local hdr=()
    if [ -n "${COOKIE:-}" ]; then hdr=(-H "Cookie: $COOKIE"); fi
    echo
    echo "==== $1: $tool ${DURATION}s, $CONNECTIONS connections, $url ===="
    if [ "$tool" = oha ]; then
        oha --no-tui -z "${DURATION}s" -c "$CONNECTIONS" "${hdr[@]}" "$url" | tee "$out"
        local rps p50 p99
        rps=$(awk '/Requests\/sec/ {print $2; exit}' "$out")
        p50=$(awk '/50(\.00)?% in/ {print $3, $4; exit}' "$out")
        p99=$(awk '/99(\.00)?% in/ {print $3, $4; exit}' "$out")
        printf '%s\t%s\t%s\t%s\t0\n' "$1" "$rps" "$(ms "${p50// /}")" "$(ms "${p99// /}")" >>"$results"
    else
        wrk -t "$WRK_THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --latency "${hdr[@]}" "$url" | tee "$out"
        local rps p50 p99 errs
        rps=$(awk '/^Requests\/sec/ {print $2; exit}' "$out")
        p50=$(awk '$1 == "50%" {print $2; exit}' "$out")
        p99=$(awk '$1 == "99%" {print $2; exit}' "$out")
        errs=$(awk '/Non-2xx or 3xx responses/ {print $NF; exit}' "$out")
        printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$rps" "$(ms "$p50")" "$(ms "$p99")" "${errs:-0}" >>"$results"
    fi
}

# Sign in as a demo member through the real form (CSRF token from the page), for the
# signed-in rows: members always take the render path, and their pages carry the forms.
sign_in() {
    local jar="$work/cookies.txt" token
    rm -f "$jar"
    token=$(curl -fsS -c "$jar" -b "$jar" "$FORUM_BASE_URL/login" \
        | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -1)
    curl -fsS -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$token" \
        --data-urlencode "login=maria" --data-urlencode "password=demo-password-1" \
        --data-urlencode "next=/" "$FORUM_BASE_URL/login"
    COOKIE="forum_session=$(awk '$6 == "forum_session" {print $7}' "$jar" | tail -1)"
    # The whole page first: `grep -q` stops reading at the first match, which fails curl's
    # write (and with pipefail the pipeline) when the page is still coming.
    local home
    home=$(curl -fsS -H "Cookie: $COOKIE" "$FORUM_BASE_URL/")
    if ! grep -q 'action="/logout"' <<<"$home"; then
        echo "bench: signing in as maria failed" >&2
        exit 1
    fi
}

start_bare() {
    bare_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    echo "==== bare actix-web + tera + SQLite on 127.0.0.1:$bare_port ===="
    "$bare_bin" "$work/forum.sqlite3" "127.0.0.1:$bare_port" "$root/bench/bare/templates" \
        >>"$work/bare.log" 2>&1 &
    bare_pid=$!
    for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$bare_port/" 2>/dev/null && break; sleep 0.1; done
}
bare_load() { # label path
    local saved=${COOKIE:-}
    COOKIE=""
    run_load "$1" "$2" "http://127.0.0.1:$bare_port"
    COOKIE=$saved
}

# Anonymous readers (most traffic) are served from the page cache; signed-in members and a
# cold cache take the render path: database reads + tera. The bare actix-web + tera + SQLite
# program on the same database is the yardstick, measured between the forum's rows.
start_bare
thread_id=${thread_path##*/}
start_server "anonymous page cache on"
sign_in
for round in $(seq 1 "$ROUNDS"); do
    echo; echo "######## round $round of $ROUNDS (page cache on) ########"
    bare_load "home / (bare stack)" /
    COOKIE="" run_load "home / (cached)" /
    run_load "home / (signed in)" /
    bare_load "thread 30 (bare stack)" "/t/$thread_id"
    COOKIE="" run_load "thread 30 (cached)" "$thread_path"
    run_load "thread 30 (signed in)" "$thread_path"
done
COOKIE=""
stop_server
FORUM_ANON_CACHE_SECS=0 start_server "page cache off: every request renders"
for round in $(seq 1 "$ROUNDS"); do
    echo; echo "######## round $round of $ROUNDS (page cache off) ########"
    bare_load "home / (bare stack)" /
    run_load "home / (render)" /
    bare_load "thread 30 (bare stack)" "/t/$thread_id"
    run_load "thread 30 (render)" "$thread_path"
done
stop_server

echo
echo "==== summary ($tool, ${DURATION}s each, $CONNECTIONS connections, $THREADS extra threads, median of $ROUNDS rounds) ===="
python3 - "$results" <<'PY'
import sys, statistics
rows = {}
for line in open(sys.argv[1]):
    label, rps, p50, p99, errs = line.rstrip("\n").split("\t")
    rows.setdefault(label, []).append((float(rps), float(p50), float(p99), int(errs or 0)))
med = lambda xs: statistics.median(xs)
for label, v in rows.items():
    print(f"{label:26s} {med([r[0] for r in v]):10.0f} req/s   p50 {med([r[1] for r in v]):6.2f} ms   "
          f"p99 {med([r[2] for r in v]):6.2f} ms   non-2xx {sum(r[3] for r in v)}")
print()
print("==== ratio to the bare stack (medians, same machine, same run, measured alternately) ====")
for page in ("thread 30", "home /"):
    bare = med([r[0] for r in rows.get(f"{page} (bare stack)", [(0, 0, 0, 0)])])
    cells = []
    for kind in ("signed in", "render", "cached"):
        v = rows.get(f"{page} ({kind})")
        cells.append(f"{kind} {med([r[0] for r in v]) / bare:.2f}x" if v and bare else f"{kind} n/a")
    print(f"{page:12s} " + "   ".join(cells))
PY
echo "server log: $(wc -l <"$work/server.log") lines; errors: $(grep -ci 'error' "$work/server.log" || true)"
