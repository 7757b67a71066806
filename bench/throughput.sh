#!/usr/bin/env bash
# Requests per second, in one run on one machine, for a bare axum handler (the yardstick), the
# anonymous start page, a signed-in holder's certificates page ("Mina sidor"), a certificate's
# public verification page and its JSON API answer, and each one's ratio to the yardstick. The
# public addresses' rate limit is on, set too high to refuse anything, so its cost is counted.
# The release server on SQLite with the demo data; wrk (Debian) with 2 threads and 16 connections
# for 10 seconds each, in three rounds (BENCH_ROUNDS), and the median of the rounds' ratios.
# `make bench` builds first.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${CACHE:-$HOME/.cache/certportal}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$CACHE/target}
bin=${CERTPORTAL_BIN:-$CARGO_TARGET_DIR/release/certportal}
secs=${BENCH_SECONDS:-10}
cargo build --quiet --release -p yardstick

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
work=$(mktemp -d)
bare_port=$(free_port)
port=$(free_port)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

"$CARGO_TARGET_DIR/release/yardstick" "127.0.0.1:$bare_port" &
pids+=($!)
export DATABASE_URL="sqlite://$work/bench.db" CERTPORTAL_ADDR="127.0.0.1:$port" \
  CERTPORTAL_BASE_URL="http://127.0.0.1:$port" CERTPORTAL_KEY_FILE="$work/key" \
  CERTPORTAL_BANKID_SIMULATOR_ADDR="127.0.0.1:$(free_port)" RUST_LOG=warn \
  CERTPORTAL_SIGNING_DIR="$work/signing" CERTPORTAL_PUBLIC_PER_MINUTE=1000000000
"$bin" seed-demo >/dev/null
"$bin" serve >"$work/log" 2>&1 &
pids+=($!)
up() { curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && curl -fsS "http://127.0.0.1:$bare_port/" >/dev/null 2>&1; }
for _ in $(seq 1 100); do up && break; sleep 0.1; done
up || { echo "the servers did not start:" >&2; cat "$work/log" >&2; exit 1; }

# Sign in as the demo holder, as a browser's form would.
curl -fsS -o /dev/null -c "$work/jar" -H "Origin: http://127.0.0.1:$port" \
  --data-urlencode username=certifierad --data-urlencode password=Demo-certifierad-2026 \
  "http://127.0.0.1:$port/api/auth/login"
cookie=$(awk '$6 ~ /certportal_session/ { print $6 "=" $7 }' "$work/jar")
[ -n "$cookie" ] || { echo "sign-in failed" >&2; exit 1; }
curl -fsS -o "$work/mine.html" -H "Cookie: $cookie" "http://127.0.0.1:$port/my/certificates"
grep -q 'data-testid="my-certificates"' "$work/mine.html" \
  || { echo "the certificates page did not answer as the holder's" >&2; exit 1; }

rps() {
  local r
  r=$(wrk -t2 -c16 -d"${secs}s" "$@" | awk '/Requests\/sec/ { print $2 }')
  [ -n "$r" ] || { echo "wrk printed no figure for $*" >&2; exit 1; }
  echo "$r"
}
curl -fsS "http://127.0.0.1:$port/verify/10001" | grep -q 'data-testid="verify-card"' \
  || { echo "the verification page did not show the certificate" >&2; exit 1; }

# Two processes share the machine's cores with wrk, so one run's figures wander (the yardstick
# by a quarter between runs): each round measures the yardstick beside each page, and the ratio
# printed is the median of the rounds'.
rounds=${BENCH_ROUNDS:-3}
: >"$work/figures"
for round in $(seq 1 "$rounds"); do
  bare=$(rps "http://127.0.0.1:$bare_port/")
  start=$(rps "http://127.0.0.1:$port/")
  mine=$(rps -H "Cookie: $cookie" "http://127.0.0.1:$port/my/certificates")
  verify=$(rps "http://127.0.0.1:$port/verify/10001")
  api=$(rps "http://127.0.0.1:$port/api/v1/certificates/10001")
  echo "$round $bare $start $mine $verify $api" | tee -a "$work/figures" \
    | awk '{ printf "round %d: yardstick %.0f, start %.0f, certificates %.0f, verification %.0f, API %.0f requests/s\n", $1, $2, $3, $4, $5, $6 }'
done
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v c="$1" '{ print $c }' "$work/figures" | median; }
ratio() { awk -v c="$1" '{ print $c / $2 }' "$work/figures" | median; }
awk -v b="$(col 2)" -v s="$(col 3)" -v m="$(col 4)" -v v="$(col 5)" -v a="$(col 6)" \
  -v rs="$(ratio 3)" -v rm="$(ratio 4)" -v rv="$(ratio 5)" -v ra="$(ratio 6)" -v n="$rounds" 'BEGIN {
  printf "median of %d rounds:\n", n
  printf "bare axum handler            %9.0f requests/s\n", b
  printf "start page, anonymous        %9.0f requests/s   ratio %.3f (goal 0.1)\n", s, rs
  printf "holder'"'"'s certificates page  %9.0f requests/s   ratio %.3f (goal 0.05)\n", m, rm
  printf "verification page            %9.0f requests/s   ratio %.3f (goal 0.4)\n", v, rv
  printf "verification API (JSON)      %9.0f requests/s   ratio %.3f (goal 0.6)\n", a, ra
}'
