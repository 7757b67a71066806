#!/usr/bin/env bash
# The certificate PDF's writing and signing time per certificate. `make bench` runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet --release -p server --example pdf_signing
