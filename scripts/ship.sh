#!/usr/bin/env bash
# Makes the binary to deploy from the release build: `target/dist/certportal` without its debug
# information (tens of megabytes instead of hundreds), and `target/dist/certportal.debug` with it.
# Keep the two side by side (or the .debug file in /usr/lib/debug/): a backtrace then names its
# functions, files and lines; without it, nothing. `make build` runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${CARGO_TARGET_DIR:-${CACHE:-$HOME/.cache/certportal}/target}/release/certportal
out=target/dist
mkdir -p "$out"
rm -f "$out/certportal" "$out/certportal.debug"
objcopy --only-keep-debug "$bin" "$out/certportal.debug"
objcopy --strip-all --add-gnu-debuglink="$out/certportal.debug" "$bin" "$out/certportal"
mb() { awk -v b="$(wc -c <"$1")" 'BEGIN { printf "%.0f MB", b / 1048576 }'; }
echo "build: $out/certportal ($(mb "$out/certportal")) to deploy, with $out/certportal.debug ($(mb "$out/certportal.debug")) beside it for backtraces; the site is target/site"
