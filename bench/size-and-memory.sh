#!/usr/bin/env bash
# Prints the release WASM's size (raw, gzip, brotli), the JS and CSS sizes, what a first visit to
# a page downloads (brotli, as the server sends it: the page and every /pkg file it loads), and the
# server's resident memory when idle: after start, and after 200 page requests. `make bench`
# builds first. Budget (issue 9): at most 200 KB for the attester's page and the holder's start
# page, at most 250 KB for the largest page.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${CACHE:-$HOME/.cache/certportal}
bin=${CERTPORTAL_BIN:-${CARGO_TARGET_DIR:-$CACHE/target}/release/certportal}
pkg=target/site/pkg

size() { wc -c <"$1" | tr -d ' '; }
kb() { awk -v b="$1" 'BEGIN { printf "%.0f KB", b / 1024 }'; }
report() {
  local f=$1
  local raw gz br
  raw=$(size "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  if [ -f "$f.br" ]; then br=$(size "$f.br"); else br=$(python3 -c 'import sys,brotli; print(len(brotli.compress(open(sys.argv[1],"rb").read(), quality=11)))' "$f" 2>/dev/null || echo 0); fi
  printf '%-16s raw %8s   gzip %8s   brotli %8s\n' "$(basename "$f")" "$(kb "$raw")" "$(kb "$gz")" "$(kb "$br")"
}

echo "== release bundle ($pkg)"
for f in "$pkg/certportal.wasm" "$pkg/certportal.js" "$pkg/certportal.css"; do
  [ -f "$f" ] || { echo "missing $f: run make build" >&2; exit 1; }
  report "$f"
done

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite://$work/bench.db" CERTPORTAL_ADDR="127.0.0.1:$port" CERTPORTAL_KEY_FILE="$work/key" \
  CERTPORTAL_BASE_URL="http://127.0.0.1:$port" RUST_LOG=warn
"$bin" seed-demo >/dev/null
"$bin" serve >"$work/log" 2>&1 &
pid=$!
trap 'rc=$?; kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"; exit $rc' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
sleep 1
base="http://127.0.0.1:$port"

echo "== a first visit, brotli as sent: the page and every /pkg file it loads"
# Signs in as a demo user, as a browser's form would; prints the session cookie.
session() {
  local jar="$work/jar-$1"
  curl -fsS -o /dev/null -c "$jar" -H "Origin: $base" --data-urlencode "username=$1" \
    --data-urlencode "password=$2" "$base/api/auth/login"
  awk '$6 ~ /certportal_session/ { print $6 "=" $7 }' "$jar"
}
holder=$(session certifierad Demo-certifierad-2026)
admin=$(session foretagsadmin Demo-foretag-2026)
staff=$(session handlaggare Demo-handlaggare-2026)
[ -n "$holder" ] && [ -n "$admin" ] && [ -n "$staff" ] || { echo "a demo sign-in failed" >&2; exit 1; }
sent() { curl -sS -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: br' "$@"; }
largest=0
visit() {
  local label=$1 path=$2 cookie=${3:-} total assets
  local -a auth=()
  [ -n "$cookie" ] && auth=(-H "Cookie: $cookie")
  total=$(sent "${auth[@]}" "$base$path")
  assets=$(curl -fsS "${auth[@]}" "$base$path" | grep -o '/pkg/[A-Za-z0-9_.-]*' | sort -u)
  for a in $assets; do total=$((total + $(sent "$base$a"))); done
  [ "$total" -gt "$largest" ] && largest=$total
  printf '%-44s %7s  (%s)\n' "$label" "$(kb "$total")" "$(echo $assets | tr ' ' '+')"
}
visit "attester's page (/attest/<link>)" /attest/bench-link
visit "holder's start page (/my/certificates)" /my/certificates "$holder"
visit "start page, anonymous (/)" /
visit "company page, admin (/companies)" /companies "$admin"
visit "people search, handler (/staff/people)" /staff/people "$staff"
visit "accounts, handler (/staff/accounts)" /staff/accounts "$staff"
echo "largest of these: $(kb "$largest") (budget 250 KB; the attester's and holder's pages 200 KB)"

echo "== server memory (SQLite, idle)"
rss() { awk '/VmRSS/ { printf "%.1f MB", $2 / 1024 }' "/proc/$pid/status"; }
echo "after start:            $(rss)"
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/"
  curl -fsS -o /dev/null "http://127.0.0.1:$port/login"
done
sleep 1
echo "after 200 page views:   $(rss)"
