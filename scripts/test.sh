#!/usr/bin/env bash
# Runs the workspace tests (cargo-nextest when installed, else cargo test), keeps the full output
# in $CARGO_TARGET_DIR/test-output.log and ends with the summary lines.
# Extra arguments go to the test runner, e.g. `scripts/test.sh -p forum-e2e`.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/forum-target}
mkdir -p "$CARGO_TARGET_DIR"
log="$CARGO_TARGET_DIR/test-output.log"

scope=(--workspace)
if [ "$#" -gt 0 ]; then
    scope=("$@")
fi

status=0
if cargo nextest --version >/dev/null 2>&1; then
    echo "test: cargo nextest run ${scope[*]}"
    cargo nextest run --no-fail-fast "${scope[@]}" 2>&1 | tee "$log" || status=$?
    # nextest does not run doctests; cover them for the default (whole workspace) scope.
    if [ "$status" -eq 0 ] && [ "$#" -eq 0 ]; then
        cargo test --doc --workspace 2>&1 | tee -a "$log" || status=$?
    fi
else
    echo "test: cargo test ${scope[*]} (cargo-nextest not installed)"
    cargo test --no-fail-fast "${scope[@]}" 2>&1 | tee "$log" || status=$?
fi

echo
echo "==== test summary (full log: $log) ===="
grep -E '^ *(Summary \[|FAIL \[|TIMEOUT \[|SIG[A-Z]+ \[)|^test result:|^test .* FAILED$|SKIPPED|^error(\[E[0-9]+\])?:' "$log" \
    | grep -v 'test result: ok. 0 passed; 0 failed; 0 ignored' | awk '!seen[$0]++' | tail -n 80 || true
# One plain closing line ("N passed, N failed") that any CI reader understands.
count() { # pattern: sum of "N <word>" on the nextest summary line, else over all result lines
    local src
    if grep -q 'Summary \[' "$log"; then src=$(grep -E 'Summary \[' "$log" | tail -1); else src=$(cat "$log"); fi
    { grep -Eo "[0-9]+ $1" <<<"$src" || true; } | awk '{s+=$1} END {print s+0}'
}
passed=$(count passed)
failed=$(count failed)
if [ "$status" -eq 0 ]; then
    echo "==== tests passed ===="
else
    echo "==== tests FAILED (exit $status) ===="
fi
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"
