#!/usr/bin/env bash
# Runs the browser tests against the release build, each project (with and without JavaScript)
# on a fresh SQLite database of its own: a certificate is attested once per period, so the two
# walks through the same demo data must not meet. Email goes to a real SMTP server (aiosmtpd)
# whose Maildir the specs read. `make test` calls it after building.
set -euo pipefail
cd "$(dirname "$0")"
bin=${CERTPORTAL_BIN:?the server binary}
work=$(mktemp -d /tmp/certportal-e2e.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
smtp_port=$(free_port)
cleanup() {
  local rc=$?
  set +e
  for pid in ${server:-} ${smtp:-}; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT

# A real SMTP server that keeps what it receives in a Maildir the specs read.
"${CERTPORTAL_TEST_PYTHON:-python3}" -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$work/mail" &
smtp=$!
export E2E_MAILDIR="$work/mail" CERTPORTAL_SMTP_URL="smtp://127.0.0.1:$smtp_port"
export CERTPORTAL_SITE_ROOT="${CERTPORTAL_SITE_ROOT:-../target/site}" RUST_LOG="${RUST_LOG:-warn}" \
  CERTPORTAL_WORKER_POLL_SECS=1 CERTPORTAL_BANKID=simulator

projects=${E2E_PROJECTS:-js no-js}
# Each project twice: the specs on the demo data as it is, then those that move the portal's
# time (`*.clock.spec.ts`) on a server of their own with the test clock.
for run in $projects $(for p in $projects; do echo "$p:clock"; done); do
  project=${run%:clock}
  dir="$work/$run"
  if [ "$run" != "$project" ]; then
    export CERTPORTAL_TEST_CLOCK=move-time-for-tests E2E_CLOCK=1
  else
    unset CERTPORTAL_TEST_CLOCK E2E_CLOCK
  fi
  mkdir -p "$dir"
  port=$(free_port)
  export DATABASE_URL="sqlite://$dir/e2e.db" CERTPORTAL_ADDR="127.0.0.1:$port" \
    CERTPORTAL_BASE_URL="http://127.0.0.1:$port" CERTPORTAL_KEY_FILE="$dir/certportal.key" \
    CERTPORTAL_BANKID_SIMULATOR_ADDR="127.0.0.1:$(free_port)" \
    CERTPORTAL_STORAGE_URL="$dir/documents" CERTPORTAL_UPLOAD_DIR="$dir/incoming" \
    CERTPORTAL_SIGNING_DIR="$dir/signing"
  "$bin" seed-demo >/dev/null
  CERTPORTAL_ADMIN_PASSWORD="Glomsk-Start-2026" "$bin" create-admin --username glomsk --email glomsk@exempel.se --name "Greta Glömsk" >/dev/null
  "$bin" serve >"$dir/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    kill -0 "$server" 2>/dev/null || { cat "$dir/server.log"; exit 1; }
    sleep 0.1
  done
  # A run whose --grep matches no spec of its kind is not a failure.
  BASE_URL="http://127.0.0.1:$port" npx playwright test --project "$project" --pass-with-no-tests "$@" \
    || { echo "--- server log ($run)"; tail -50 "$dir/server.log"; exit 1; }
  kill "$server"; wait "$server" 2>/dev/null || true
  server=
done
