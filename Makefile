# certportal's two commands: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
CACHE ?= $(HOME)/.cache/certportal
export CACHE
# The build cache lives outside the clone, so a fresh clone (CI) does not rebuild the world.
export CARGO_TARGET_DIR ?= $(CACHE)/target
# Incremental caches grow with every change and are never swept; a clean rebuild of the app crate
# costs a little time, a full disk costs the run.
export CARGO_INCREMENTAL ?= 0
export PATH := $(HOME)/.cargo/bin:$(CACHE)/node/node_modules/.bin:$(PATH)
BIN := $(CARGO_TARGET_DIR)/release/certportal
export DATABASE_URL ?= sqlite://data/certportal.db

.PHONY: run test deps build migrate seed lint fmt bench clean-db

## make run: install, build, migrate, load demo data, serve on http://127.0.0.1:3000
run: deps build
	@$(BIN) seed-demo
	@echo "certportal: http://127.0.0.1:3000"
	@exec $(BIN) serve

## make test: every test, both databases, the browser tests with and without JavaScript
test: deps
	@scripts/test.sh

deps:
	@scripts/deps.sh

build:
	cargo leptos build --release --precompress
	@scripts/ship.sh

migrate: build
	$(BIN) migrate

seed: build
	$(BIN) seed-demo

lint: deps
	cargo fmt --all --check
	scripts/domain-cycles.py
	scripts/store-only.py
	cargo clippy -p app --features ssr --all-targets -- -D warnings
	cargo clippy -p server --all-targets -- -D warnings
	cargo clippy -p bankid --all-features --all-targets -- -D warnings
	cargo clippy -p yardstick -- -D warnings
	cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

fmt:
	cargo fmt --all

bench: deps build
	bench/size-and-memory.sh
	bench/attest-bulk.sh
	bench/throughput.sh
	bench/upload.sh
	bench/case-queue.sh
	bench/pdf-signing.sh
	bench/daily-jobs.sh

clean-db:
	rm -f data/certportal.db data/certportal.db-wal data/certportal.db-shm
