#!/usr/bin/env bash
# Enforces the dependency direction of the README's architecture with `cargo tree`.
#
#   scripts/check-boundaries.sh                  check this workspace (exit 0 ok, 1 violation, 2 error)
#   scripts/check-boundaries.sh --workspace DIR  check the workspace at DIR instead
#   scripts/check-boundaries.sh --self-test      prove the check fails when a forbidden edge is added
#
# For each crate below, every package reachable from it (normal, build and dev edges, all of its
# features, every target platform) is matched against its forbidden list; patterns are shell globs.
# A forbidden package anywhere in that graph is a violation, whichever crate pulled it in.
set -euo pipefail

# crate       forbidden packages (direct or transitive)
RULES='
forum-db      forum-core moderation search forum-web forum-e2e actix-* tracing-actix-web tera hyper reqwest
forum-core    moderation search forum-web forum-e2e actix-* tracing-actix-web tera hyper reqwest
moderation    search forum-web forum-e2e actix-* tracing-actix-web tera hyper reqwest
search        forum-db forum-core moderation forum-web forum-e2e diesel diesel_* libsqlite3-sys pq-sys actix-* tracing-actix-web tera hyper reqwest
forum-web     forum-e2e
'
# What the rules say, for the report.
# forum-web -> {moderation, search, forum-core, forum-db}; moderation -> forum-core -> forum-db;
# search is a leaf (tantivy, no diesel); nothing below forum-web knows HTTP or templates.

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
lock_flag=(--locked)

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }

# cargo tree with the lock file as committed; offline first (fast, no network), online if a crate
# is not in the local cache yet (a clean machine).
tree() {
    local out
    if out=$(cargo tree --manifest-path "$root/Cargo.toml" "${lock_flag[@]}" --offline "$@" 2>/dev/null); then
        printf '%s\n' "$out"
    else
        cargo tree --manifest-path "$root/Cargo.toml" "${lock_flag[@]}" --quiet "$@"
    fi
}

check() {
    local violations=0 crate forbidden pkgs pattern pkg
    while read -r crate forbidden; do
        [ -n "$crate" ] || continue
        if ! pkgs=$(tree -p "$crate" -e normal,build,dev --all-features --target all \
            --prefix none --format '{p}'); then
            echo "error: cargo tree failed for $crate" >&2
            return 2
        fi
        pkgs=$(awk '{print $1}' <<<"$pkgs" | sort -u)
        local bad=() patterns=()
        read -r -a patterns <<<"$forbidden" # no pathname expansion of the globs
        for pattern in "${patterns[@]}"; do
            while read -r pkg; do
                # shellcheck disable=SC2053 # the pattern is a glob on purpose
                if [[ -n "$pkg" && $pkg == $pattern ]]; then bad+=("$pkg"); fi
            done <<<"$pkgs"
        done
        if [ "${#bad[@]}" -eq 0 ]; then
            echo "ok   $crate ($(wc -l <<<"$pkgs") packages, none of: $forbidden)"
            continue
        fi
        for pkg in "${bad[@]}"; do
            violations=$((violations + 1))
            echo "FORBIDDEN $crate -> $pkg; pulled in by:"
            tree -p "$crate" -e normal,build,dev --all-features --target all -i "$pkg" \
                | sed 's/^/    /' || true
        done
    done <<<"$RULES"
    if [ "$violations" -gt 0 ]; then
        echo "boundaries: $violations forbidden dependency edge(s); see the rules in scripts/check-boundaries.sh and README (Architecture)"
        return 1
    fi
    echo "boundaries: ok"
}

# Copies the workspace manifests (and sources, so every target exists) to a temp dir, adds one
# forbidden edge at a time, and requires the check to fail there naming that edge. The unchanged
# copy must pass first, so a failure is the rule's doing and not a broken copy.
self_test() {
    local pristine failures=0 out status
    self_test_tmp=$(mktemp -d)
    trap 'rm -rf "$self_test_tmp"' EXIT
    local tmp=$self_test_tmp
    pristine="$tmp/pristine"
    mkdir -p "$pristine"
    cp "$root/Cargo.toml" "$root/Cargo.lock" "$pristine/"
    cp -r "$root/crates" "$root/tests" "$pristine/"
    mkdir -p "$pristine/bench" && cp -r "$root/bench/bare" "$pristine/bench/"
    [ -f "$root/rust-toolchain.toml" ] && cp "$root/rust-toolchain.toml" "$pristine/"

    # name | manifest to edit | section | line added after that section header | expected message
    # (forum-db -> forum-core as a normal dependency is a cycle that cargo itself refuses; as a
    # dev-dependency cargo accepts it, so that is the case this check has to catch.)
    local cases='
search-tera|crates/search/Cargo.toml|[dependencies]|tera.workspace = true|search -> tera
search-diesel|crates/search/Cargo.toml|[dependencies]|diesel.workspace = true|search -> diesel
search-forum-core|crates/search/Cargo.toml|[dependencies]|forum-core.workspace = true|search -> forum-core
forum-db-search|crates/forum-db/Cargo.toml|[dependencies]|search.workspace = true|forum-db -> search
forum-db-dev-forum-core|crates/forum-db/Cargo.toml|[dev-dependencies]|forum-core.workspace = true|forum-db -> forum-core
forum-core-optional-actix|crates/forum-core/Cargo.toml|[dependencies]|actix-web = { workspace = true, optional = true }|forum-core -> actix-web
moderation-tracing-actix-web|crates/moderation/Cargo.toml|[dependencies]|tracing-actix-web.workspace = true|moderation -> tracing-actix-web
'
    local work="$tmp/work"
    rm -rf "$work" && cp -r "$pristine" "$work"
    status=0
    out=$("$0" --workspace "$work" 2>&1) || status=$?
    if [ "$status" -ne 0 ]; then
        echo "self-test: the unchanged copy does not pass (exit $status):"
        printf '%s\n' "$out" | sed 's/^/    /'
        return 1
    fi
    echo "self-test: unchanged copy passes"

    local name manifest section line expect
    while IFS='|' read -r name manifest section line expect; do
        [ -n "$name" ] || continue
        rm -rf "$work" && cp -r "$pristine" "$work"
        if ! grep -qxF "$section" "$work/$manifest"; then
            failures=$((failures + 1))
            echo "self-test: FAIL $name: $manifest has no $section section to add to"
            continue
        fi
        awk -v sec="$section" -v add="$line" '{print} $0 == sec {print add}' \
            "$work/$manifest" >"$work/m.tmp"
        mv "$work/m.tmp" "$work/$manifest"
        status=0
        out=$("$0" --workspace "$work" 2>&1) || status=$?
        if [ "$status" -eq 1 ] && grep -qF "FORBIDDEN $expect;" <<<"$out"; then
            echo "self-test: ok   $name: exit 1 with \"FORBIDDEN $expect\""
        else
            failures=$((failures + 1))
            echo "self-test: FAIL $name: expected exit 1 naming \"$expect\", got exit $status:"
            printf '%s\n' "$out" | sed 's/^/    /'
        fi
    done <<<"$cases"
    if [ "$failures" -gt 0 ]; then
        echo "self-test: $failures case(s) did not fail as they should"
        return 1
    fi
    echo "self-test: every forbidden edge was caught"
}

case "${1:-}" in
"") check ;;
--workspace)
    [ -n "${2:-}" ] || { usage >&2; exit 2; }
    root=$(cd "$2" && pwd)
    # A copy edited by the self-test has a lock file that needs the added edge: let cargo update it.
    lock_flag=()
    check
    ;;
--self-test) self_test ;;
-h | --help) usage ;;
*) usage >&2; exit 2 ;;
esac
