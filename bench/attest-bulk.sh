#!/usr/bin/env bash
# Bulk attestation of 1,000 and of 10,000 certificates in one request, on SQLite and on a throwaway
# PostgreSQL cluster; prints the time of each run. `make bench` runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
pgdir=$(mktemp -d /tmp/certportal-bench-pg.XXXXXX)
trap 'scripts/pg-cluster.sh stop "$pgdir"' EXIT
CERTPORTAL_TEST_POSTGRES_URL=$(scripts/pg-cluster.sh start "$pgdir")
export CERTPORTAL_TEST_POSTGRES_URL
cargo run --quiet --release -p server --example attest_bulk
