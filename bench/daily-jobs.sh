#!/usr/bin/env bash
# The daily jobs (inactivation, expiry, reminders and what they send) over 1,000,000
# certificates, on SQLite and on a throwaway PostgreSQL cluster; prints the time of each day and
# that the same day's work run again sends nothing. `make bench` runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
pgdir=$(mktemp -d /tmp/certportal-bench-pg.XXXXXX)
trap 'scripts/pg-cluster.sh stop "$pgdir"' EXIT
CERTPORTAL_TEST_POSTGRES_URL=$(scripts/pg-cluster.sh start "$pgdir")
export CERTPORTAL_TEST_POSTGRES_URL
cargo run --quiet --release -p server --example daily_jobs
