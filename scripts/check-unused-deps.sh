#!/usr/bin/env bash
# Refuses unused dependencies: runs cargo-machete over the workspace and compares its findings
# with .ci/unused-deps-allow ("crate dependency  # reason" lines).
#   exit 0: every finding is allowed (allow lines no longer needed are listed as STALE: delete them;
#           they do not fail the run, so that removing a dependency never needs a second edit here)
#   exit 1: an unused dependency that is not allowed
#   exit 2: cargo-machete missing or failed
set -euo pipefail
cd "$(dirname "$0")/.."
allow_file=.ci/unused-deps-allow

if ! cargo machete --version >/dev/null 2>&1; then
    echo "error: cargo-machete is not installed (cargo install --locked cargo-machete)" >&2
    exit 2
fi

status=0
out=$(cargo machete --skip-target-dir 2>&1) || status=$?
if [ "$status" -gt 1 ]; then
    printf '%s\n' "$out"
    echo "error: cargo machete failed (exit $status)" >&2
    exit 2
fi

# "forum-core -- ./crates/forum-core/Cargo.toml:" starts a crate, "\tdep" lines follow.
found=$(awk '/^[^ \t]+ -- .*Cargo\.toml:$/ {crate=$1; next}
             /^\t[^ \t]+$/ && crate != "" {sub(/^\t/, ""); print crate, $0; next}
             {crate=""}' <<<"$out" | sort -u)
allowed=$(sed -e 's/#.*//' "$allow_file" | awk 'NF == 2 {print $1, $2}' | sort -u)

new=$(comm -23 <(printf '%s\n' "$found") <(printf '%s\n' "$allowed") | sed '/^$/d')
stale=$(comm -13 <(printf '%s\n' "$found") <(printf '%s\n' "$allowed") | sed '/^$/d')
known=$(comm -12 <(printf '%s\n' "$found") <(printf '%s\n' "$allowed") | sed '/^$/d')

if [ -n "$known" ]; then
    echo "unused dependencies accepted by $allow_file (remove them from the crate, then the line):"
    sed 's/^/    /' <<<"$known"
fi
rc=0
if [ -n "$new" ]; then
    echo "UNUSED dependencies (remove them from the crate's Cargo.toml; if cargo-machete is wrong, add"
    echo "\"crate dependency  # why\" to $allow_file):"
    sed 's/^/    /' <<<"$new"
    rc=1
fi
if [ -n "$stale" ]; then
    echo "warning: STALE lines in $allow_file (no longer reported: delete them):"
    sed 's/^/    /' <<<"$stale"
fi
if [ "$rc" -eq 0 ]; then
    echo "unused dependencies: none beyond $allow_file ($(grep -c . <<<"$known" || true) accepted)"
fi
exit "$rc"
