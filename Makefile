# Nightshift: the two commands a newcomer needs are `make demo` and `make test`.
SWIFT ?= swift
BIN := .build/debug
CC ?= cc
C_PLUGINS := $(BIN)/libc-threshold.so

.PHONY: deps build plugins demo test bench fuzz soak leaks clean

## Install the Debian packages and Python test peers (idempotent).
deps:
	scripts/install-deps.sh

## Build the host, the CLI and every plugin.
build: deps
	$(SWIFT) build
	$(MAKE) plugins

## Build the C plugins with the system C compiler.
plugins: $(C_PLUGINS)

$(BIN)/libc-threshold.so: plugins/c-threshold/threshold.c Sources/NightshiftABI/include/nightshift_plugin.h
	@mkdir -p $(BIN)
	$(CC) -shared -fPIC -O2 -Wall -Wextra -I Sources/NightshiftABI/include -o $@ $<

## Run the offline demo deployment for about a minute, then print the morning summary.
demo: build
	scripts/demo.sh

## Run the whole test suite (starts and stops its own PostgreSQL).
test: build
	scripts/with-postgres.sh $(SWIFT) test

## Soak both bots under a random, seeded schedule of every fault kind for SOAK_MINUTES (default 10), then check
## exactly-once events, no duplicate orders, flat memory and descriptors (docs/soak.md). SOAK_SEED repeats a run.
soak: build
	scripts/with-postgres.sh python3 scripts/soak/soak.py

## A short faulted run of the host under valgrind; fails on a definite leak from Sources/ or plugins/ (docs/soak.md).
leaks: build
	@command -v valgrind >/dev/null || { apt-get update && apt-get install -y --no-install-recommends valgrind; }
	scripts/with-postgres.sh scripts/leaks/leaks.sh

## Fuzz every parser that reads outside input for FUZZ_SECONDS each (docs/fuzzing.md); fails if one crashed.
## Crash inputs land in fuzz/crashes/<target>/, which the test suite replays.
FUZZ_SECONDS ?= 60
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh $(FUZZ_TARGETS)

clean:
	rm -rf .build var

## Measure the performance figures in a release build, PostgreSQL ingest in a private server (docs/benchmarks.md).
## The whole package is built for release: P5 starts the release `nightshift` with the Swift plugins beside it.
bench: build
	$(SWIFT) build -c release
	scripts/with-postgres.sh sh -c 'NIGHTSHIFT_BENCH_PG_URL="$$NIGHTSHIFT_TEST_PG_URL" .build/release/nightshift-bench'
