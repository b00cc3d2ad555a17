# Access Console. `make run` and `make test` work on a fresh machine: both call scripts/bootstrap first.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

ACCESS_CONSOLE_TOOLS ?= $(HOME)/.cache/access-console/tools
export ACCESS_CONSOLE_TOOLS
export PATH := $(ACCESS_CONSOLE_TOOLS)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

LISTEN       ?= 127.0.0.1:8080
DATABASE_URL ?= sqlite://data/access-console.db
SERVER       := target/release/access-console

.PHONY: run test bench fuzz ui server bootstrap test-bootstrap clean

## run: install what is missing, build the release UI and server, serve both on http://$(LISTEN)
run: bootstrap ui server
	$(SERVER) serve --listen $(LISTEN) --database-url $(DATABASE_URL) --dist dist

## test: every test: core unit tests, API and CLI tests, browser tests in headless Chromium
test: test-bootstrap ui
	cargo test --locked --workspace --exclude access-console-ui

## bench: the timing commands whose figures are in docs/benchmarks.md (printed, not asserted)
bench: test-bootstrap ui
	cargo run --release --locked -p access-core --example inspect_timing
	cargo run --release --locked -p access-core --example dn_timing
	cargo run --release --locked -p access-console --example users_list_timing
	cargo run --release --locked -p access-console --example events_list_timing
	cargo test --release --locked -p e2e -- --ignored --nocapture ui_timing
	scripts/bench-browser
	@for f in dist/*; do echo "$$f $$(gzip -9 -c $$f | wc -c) bytes gzip"; done

## fuzz: the never_panics property tests of access-core (PEM bundles, DER certificates, DN parsing and
## printing) with FUZZ_CASES cases each, in release. cargo-fuzz (libFuzzer) needs a nightly toolchain,
## which this machine cannot install; a failing case is printed, shrunk, and becomes a regression test.
FUZZ_CASES ?= 200000
fuzz:
	PROPTEST_CASES=$(FUZZ_CASES) cargo test --release --locked -p access-core never_panics -- --nocapture

bootstrap:
	scripts/bootstrap

test-bootstrap:
	scripts/bootstrap --with-browser

## ui: the static site in dist/ (release: wasm-opt, hashed file names, relative URLs)
ui:
	trunk build --release --offline --locked

server:
	cargo build --release --locked -p access-console

clean:
	rm -rf dist target
