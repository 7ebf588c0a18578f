# Developer entry points. Build output lives outside the work tree.
SHELL := /bin/bash
export CARGO_TARGET_DIR ?= $(HOME)/.cache/forum-target

RELEASE_BIN := $(CARGO_TARGET_DIR)/release/forum
DEBUG_BIN := $(CARGO_TARGET_DIR)/debug/forum
DATA_DIR ?= data

.PHONY: help run build test e2e fmt lint bench

help:
	@echo "make run    - build (release), seed demo content once, serve on config/env (data/ + SQLite)"
	@echo "make test   - all workspace tests (nextest if installed) with PostgreSQL ensured"
	@echo "make e2e    - only the end-to-end suites (tests/, incl. the browser test)"
	@echo "make fmt    - cargo fmt --all"
	@echo "make lint   - rustfmt check + clippy -D warnings"
	@echo "make bench  - bench/load.sh: release server + wrk/oha load on / and a 30-answer thread"

run:
	cargo build --release -p forum-web
	mkdir -p $(DATA_DIR)
	FORUM_DATABASE_URL=sqlite://$(DATA_DIR)/forum.sqlite3 FORUM_DATA_DIR=$(DATA_DIR) \
		$(RELEASE_BIN) seed-demo --if-empty
	@echo "email (confirmation and reset links too) is written to $(DATA_DIR)/mail/ as .eml files"
	FORUM_DATABASE_URL=sqlite://$(DATA_DIR)/forum.sqlite3 FORUM_DATA_DIR=$(DATA_DIR) \
		FORUM_EMAIL_TRANSPORT=file exec $(RELEASE_BIN) serve

build:
	cargo build -p forum-web --bin forum

# The e2e tests spawn $(DEBUG_BIN): build it once here, so the test processes need not. The
# email tests run a real SMTP server (aiosmtpd, set up once in ~/.cache by the script).
test: build
	FORUM_SMTP_PYTHON=$$(scripts/ensure-smtp-sink.sh) FORUM_E2E_SKIP_BUILD=1 \
		scripts/with-postgres.sh scripts/test.sh

e2e: build
	FORUM_SMTP_PYTHON=$$(scripts/ensure-smtp-sink.sh) FORUM_E2E_SKIP_BUILD=1 \
		scripts/with-postgres.sh scripts/test.sh -p forum-e2e

fmt:
	cargo fmt --all

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

bench:
	bench/load.sh
