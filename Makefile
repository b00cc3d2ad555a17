# Access Console. `make run` and `make test` work on a fresh machine: both call scripts/bootstrap first.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

ACCESS_CONSOLE_TOOLS ?= $(HOME)/.cache/access-console/tools
export ACCESS_CONSOLE_TOOLS
export PATH := $(ACCESS_CONSOLE_TOOLS)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

LISTEN       ?= 127.0.0.1:8080
DATABASE_URL ?= sqlite://data/access-console.db
SERVER       := target/release/access-console

.PHONY: run test lint api-conformance bench fuzz ui server bootstrap test-bootstrap bench-bootstrap clean

## run: install what is missing, build the release UI and server, serve both on http://$(LISTEN)
run: bootstrap ui server
	$(SERVER) serve --listen $(LISTEN) --database-url $(DATABASE_URL) --dist dist

## test: lint first, then every test: core unit tests, API and CLI tests, browser tests in headless Chromium, the
## UI's own unit tests (natively: routes, the session); then the
## server's tests again on PostgreSQL (a throw-away cluster each test process starts: tests/common/mod.rs),
## and the API conformance run (schemathesis against the real server with its OpenAPI document)
test: test-bootstrap lint ui
	cargo test --locked --workspace --exclude access-console-ui
	cargo test --locked -p access-console-ui --lib
	ACCESS_CONSOLE_TEST_BACKEND=postgres cargo test --locked -p access-console
	scripts/api-conformance

## lint: formatting, and clippy with warnings as errors, for the native crates and for the UI's wasm32
## build (the first step of `make test`)
lint:
	cargo fmt --all --check
	cargo clippy --locked --workspace --exclude access-console-ui --all-targets -- -D warnings
	cargo clippy --locked -p access-console-ui --target wasm32-unknown-unknown -- -D warnings

## bench: every benchmark; writes docs/benchmarks.md (scripts/bench: one fragment per step in
## target/bench/, then joined). Each step can be run alone: scripts/bench STEP (then scripts/bench assemble).
bench: bench-bootstrap ui
	scripts/bench clean
	scripts/bench core
	scripts/bench core-examples
	scripts/bench api-lists
	scripts/bench load
	scripts/bench ui-timing
	scripts/bench first-load
	scripts/bench-browser
	scripts/bench assemble

## fuzz: the never_panics property tests of access-core (PEM bundles, DER certificates, DN parsing and
## printing) with FUZZ_CASES cases each, in release. cargo-fuzz (libFuzzer) needs a nightly toolchain,
## which this machine cannot install; a failing case is printed, shrunk, and becomes a regression test.
FUZZ_CASES ?= 200000
fuzz:
	PROPTEST_CASES=$(FUZZ_CASES) cargo test --release --locked -p access-core never_panics -- --nocapture

## api-conformance: only the schemathesis run (MAX_EXAMPLES, SEED, API_AUTH_HEADER: see the script)
api-conformance: test-bootstrap
	scripts/api-conformance

bootstrap:
	scripts/bootstrap

test-bootstrap:
	scripts/bootstrap --with-browser

bench-bootstrap:
	scripts/bootstrap --with-browser --with-bench

## ui: the static site in dist/ (release: wasm-opt, hashed file names, relative URLs)
ui:
	trunk build --release --offline --locked

server:
	cargo build --release --locked -p access-console

clean:
	rm -rf dist target
