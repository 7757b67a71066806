#!/usr/bin/env bash
# The handlers' queue page with 100,000 cases, each filter, on SQLite and on a throwaway
# PostgreSQL cluster; prints p50 and p99 of each. `make bench` runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
pgdir=$(mktemp -d /tmp/certportal-bench-pg.XXXXXX)
trap 'scripts/pg-cluster.sh stop "$pgdir"' EXIT
CERTPORTAL_TEST_POSTGRES_URL=$(scripts/pg-cluster.sh start "$pgdir")
export CERTPORTAL_TEST_POSTGRES_URL
cargo run --quiet --release -p server --example case_queue
