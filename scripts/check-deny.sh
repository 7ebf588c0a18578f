#!/usr/bin/env bash
# cargo deny over Cargo.lock with deny.toml: licences, bans, sources, and advisories from the
# offline RustSec snapshot in ../shared/datasets/rustsec-advisory-db (beside the checkout).
#   scripts/check-deny.sh            all four checks (advisories skipped, loudly, without the snapshot)
#   scripts/check-deny.sh licenses   only the named checks (advisories, bans, licenses, sources)
# FORUM_ADVISORY_DB_ARCHIVE=path/to/advisory-db.tar.gz overrides where the snapshot is read from.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

checks=("$@")
[ "${#checks[@]}" -gt 0 ] || checks=(advisories bans licenses sources)

# cargo-deny opens <db-path>/<last URL segment>-<xxhash64 of the URL> (cargo-deny 0.20's naming),
# for db-path and db-urls as set in deny.toml.
db_root="$HOME/.cache/forum-advisory-dbs"
db_dir="$db_root/advisory-db-3157b0e258782691"
archive=${FORUM_ADVISORY_DB_ARCHIVE:-$root/../shared/datasets/rustsec-advisory-db/advisory-db.tar.gz}

want_advisories=0
for c in "${checks[@]}"; do [ "$c" = advisories ] && want_advisories=1; done

if [ "$want_advisories" -eq 1 ]; then
    if [ ! -f "$archive" ] && [ "${FORUM_REQUIRE_ADVISORIES:-0}" = 1 ]; then
        echo "error: no RustSec snapshot at $archive and FORUM_REQUIRE_ADVISORIES=1 (CI)" >&2
        exit 1
    fi
    if [ ! -f "$archive" ]; then
        echo "ADVISORIES SKIPPED: no RustSec snapshot at $archive"
        echo "(put the advisory database archive there, or set FORUM_ADVISORY_DB_ARCHIVE)"
        kept=()
        for c in "${checks[@]}"; do [ "$c" = advisories ] || kept+=("$c"); done
        checks=("${kept[@]}")
    else
        # Unpacked afresh on every run (about a second) into the git checkout cargo-deny expects,
        # so the database is exactly the snapshot, never a leftover of an older one.
        rm -rf "$db_dir"
        mkdir -p "$db_dir"
        tar -xzf "$archive" -C "$db_dir"
        source_md="$(dirname "$archive")/SOURCE.md"
        snapshot=$(grep -Eo 'committed [0-9]{4}-[0-9]{2}-[0-9]{2}' "$source_md" 2>/dev/null \
            | head -1 | cut -d' ' -f2 || true)
        (
            cd "$db_dir"
            git init -q -b main
            git add -A
            # The commit carries the snapshot's date; cargo-deny's freshness check reads the
            # checkout time, so the age is printed below instead.
            GIT_AUTHOR_DATE="${snapshot:+${snapshot}T00:00:00Z}" \
                GIT_COMMITTER_DATE="${snapshot:+${snapshot}T00:00:00Z}" \
                git -c user.name=ci -c user.email=ci@localhost -c commit.gpgsign=false \
                commit -q -m "RustSec advisory-db snapshot${snapshot:+ of $snapshot}"
        )
        count=$(find "$db_dir/crates" -name 'RUSTSEC-*.md' | wc -l)
        if [ -n "$snapshot" ]; then
            age=$(( ($(date +%s) - $(date -d "$snapshot" +%s)) / 86400 ))
            echo "advisories: RustSec snapshot of $snapshot ($age days old, $count advisories; later ones are not checked)"
        else
            echo "advisories: RustSec snapshot of unknown date ($count advisories)"
        fi
    fi
fi

if [ "${#checks[@]}" -eq 0 ]; then
    echo "nothing left to check"
    exit 0
fi

# cargo-deny reads `cargo metadata` offline: make sure every locked crate is downloaded first
# (a no-op when the cache is warm).
cargo fetch --locked --quiet

# The full report (with an inclusion graph per finding) goes to a log; on success only the
# headline of each warning is shown, on failure everything.
log="${CARGO_TARGET_DIR:-$root/target}/cargo-deny.log"
mkdir -p "$(dirname "$log")"
status=0
cargo deny --color never --locked --offline check --show-stats "${checks[@]}" >"$log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
    cat "$log"
    echo "cargo deny: FAILED (exit $status); the diagnostics above name the crate and the rule in deny.toml"
    exit "$status"
fi
grep -E '^(warning|bug)\[' "$log" | sed 's/^/    /' || true
grep -E '^ *(advisories|bans|licenses|sources) (ok|FAILED)' "$log" || true
echo "cargo deny: ok (full report with inclusion graphs: $log)"
