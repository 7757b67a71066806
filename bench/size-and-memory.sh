#!/usr/bin/env bash
# Prints the release WASM's size (raw, gzip, brotli), the JS and CSS sizes, and the server's
# resident memory when idle: after start, and after 200 page requests. `make bench` builds first.
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

echo "== server memory (SQLite, idle)"
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite://$work/bench.db" CERTPORTAL_ADDR="127.0.0.1:$port" CERTPORTAL_KEY_FILE="$work/key" RUST_LOG=warn
"$bin" serve >"$work/log" 2>&1 &
pid=$!
trap 'rc=$?; kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"; exit $rc' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
sleep 1
rss() { awk '/VmRSS/ { printf "%.1f MB", $2 / 1024 }' "/proc/$pid/status"; }
echo "after start:            $(rss)"
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/"
  curl -fsS -o /dev/null "http://127.0.0.1:$port/login"
done
sleep 1
echo "after 200 page views:   $(rss)"
