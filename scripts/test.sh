#!/usr/bin/env bash
# Every test: unit, database (SQLite and PostgreSQL), HTTP, SMTP, and the browser tests with
# and without JavaScript. Called by `make test` after `make deps`.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${CACHE:-$HOME/.cache/certportal}
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
start=$(date +%s)

step "free disk (the build cache is in ${CARGO_TARGET_DIR:-target})"
df -h "${CARGO_TARGET_DIR:-.}" /tmp 2>/dev/null || true

step "formatting, no cycle between domain folders, no SQL outside a store"
cargo fmt --all --check
scripts/domain-cycles.py
scripts/store-only.py

# A throwaway PostgreSQL cluster for this run.
pgdir=$(mktemp -d /tmp/certportal-pg.XXXXXX)
# And a throwaway S3-compatible server (SeaweedFS) for the stored files.
s3dir=$(mktemp -d /tmp/certportal-s3.XXXXXX)
trap 'scripts/pg-cluster.sh stop "$pgdir"; scripts/s3-server.sh stop "$s3dir"' EXIT
step "PostgreSQL cluster in $pgdir"
export CERTPORTAL_TEST_POSTGRES_URL=$(scripts/pg-cluster.sh start "$pgdir")
export CERTPORTAL_TEST_REQUIRE_POSTGRES=1
step "S3-compatible server (SeaweedFS) in $s3dir"
s3vars=$(scripts/s3-server.sh start "$s3dir")
export ${s3vars?}
export CERTPORTAL_TEST_REQUIRE_S3=1
export CERTPORTAL_TEST_PYTHON="$CACHE/venv/bin/python"
# The PDF signature validators (pyHanko in the venv, poppler's pdfsig) must be there.
export CERTPORTAL_TEST_REQUIRE_VALIDATORS=1

step "unit, database, HTTP and SMTP tests (SQLite and PostgreSQL)"
cargo test -p bankid --all-features
cargo test -p app --features ssr
# One at a time: each #[tokio::test] has a runtime of its own, and pages rendered at the same
# moment in two runtimes of one process hang now and then (about 1 run in 10). A server has one
# runtime; tests/concurrency.rs renders 300 pages at once on one runtime and never hangs.
cargo test -p server -- --test-threads=1

step "release build (server and WASM)"
cargo leptos build --release --precompress

step "browser tests in Chromium, with and without JavaScript"
CERTPORTAL_BIN="$CARGO_TARGET_DIR/release/certportal" CERTPORTAL_SITE_ROOT="$PWD/target/site" end2end/run.sh

step "all tests passed in $(( $(date +%s) - start )) s"
