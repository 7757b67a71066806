#!/usr/bin/env bash
# Uploads a 50 MB PDF as the demo holder ("Överför", the plain form's POST) to a release server
# on SQLite with the local document store, and prints the upload's throughput and the server's
# peak memory growth while it ran (VmHWM after clearing it, minus VmRSS before). `make bench`
# builds first. Goal (issue 10): growth under 10 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${CACHE:-$HOME/.cache/certportal}
bin=${CERTPORTAL_BIN:-${CARGO_TARGET_DIR:-$CACHE/target}/release/certportal}
size_mb=${UPLOAD_MB:-50}

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite://$work/bench.db" CERTPORTAL_ADDR="127.0.0.1:$port" CERTPORTAL_KEY_FILE="$work/key" \
  CERTPORTAL_BASE_URL="http://127.0.0.1:$port" CERTPORTAL_STORAGE_URL="$work/documents" \
  CERTPORTAL_UPLOAD_DIR="$work/incoming" CERTPORTAL_UPLOAD_MAX_MB=$((size_mb + 10)) RUST_LOG=warn
"$bin" seed-demo >/dev/null
"$bin" serve >"$work/log" 2>&1 &
pid=$!
trap 'rc=$?; kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"; exit $rc' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fsS "$base/health" >/dev/null 2>&1 && break; sleep 0.1; done

jar="$work/jar"
curl -fsS -o /dev/null -c "$jar" -H "Origin: $base" --data-urlencode "username=certifierad" \
  --data-urlencode "password=Demo-certifierad-2026" "$base/api/auth/login"
cookie=$(awk '$6 ~ /certportal_session/ { print $6 "=" $7 }' "$jar")
api() { curl -fsS -H "Cookie: $cookie" -H 'Accept: application/json' -H "Origin: $base" --data "$2" "$base/api/$1"; }
case_id=$(api cases/mine "" | python3 -c 'import json,sys; print(json.load(sys.stdin)["cases"][0]["id"])')
req=$(api cases/get "id=$case_id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requirements"][0]["id"])')
url="$base/my/cases/$case_id/documents/$req/upload"

python3 - "$work/big.pdf" "$size_mb" <<'PY'
import os, sys
with open(sys.argv[1], "wb") as f:
    f.write(b"%PDF-1.4\n")
    left = int(sys.argv[2]) * 1024 * 1024 - 9
    block = os.urandom(1 << 20)
    while left > 0:
        f.write(block[: min(left, len(block))])
        left -= len(block)
PY
printf '%%PDF-1.4\n%%%%EOF\n' >"$work/small.pdf"
upload() {
  curl -sS -o /dev/null -w '%{http_code} %{time_total}\n' -H "Cookie: $cookie" -H "Origin: $base" \
    -F "file=@$1;type=application/pdf" -F "note=bench" "$url"
}
rss() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$pid/status"; }
# Warm: the first upload pays for what every later one reuses.
upload "$work/small.pdf" >/dev/null
sleep 0.5
echo 5 >"/proc/$pid/clear_refs"
before=$(rss VmRSS)
read -r code secs < <(upload "$work/big.pdf")
peak=$(rss VmHWM)
[ "$code" = 303 ] || { echo "upload answered $code" >&2; tail -5 "$work/log" >&2; exit 1; }
stored=$(find "$work/documents" -type f -size +$((size_mb - 1))M | wc -l)
[ "$stored" = 1 ] || { echo "the file was not stored" >&2; exit 1; }
echo "== upload of a ${size_mb} MB PDF (plain form, SQLite, local document store)"
awk -v s="$secs" -v mb="$size_mb" 'BEGIN { printf "time %.2f s   throughput %.0f MB/s\n", s, mb / s }'
awk -v b="$before" -v p="$peak" 'BEGIN { printf "server memory: before %.1f MB   peak %.1f MB   growth %.1f MB (goal < 10 MB)\n", b/1024, p/1024, (p-b)/1024 }'
