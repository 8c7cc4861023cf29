# Trellis developer tasks. `make help` lists them.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

GO           ?= go
BIN          ?= bin/trellis
METADATA_DIR ?= examples/tutoring/metadata
TEST_TIMEOUT ?= 8m
TEST_FLAGS   ?= -race -count=1 -timeout $(TEST_TIMEOUT)

.PHONY: help build run test bench bench-load bench-fanout bench-go console-assets db-up db-down db-status fmt vet clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

build: ## build bin/trellis
	$(GO) build -o $(BIN) ./cmd/trellis

run: ## serve the tutoring example (engine on :8080, console at /console)
	@url="$$(bash hack/example-db.sh | tail -n 1)"; \
	assets=(); [[ -f .cache/console/graphiql.min.js ]] && assets=(--console-assets-dir .cache/console); \
	echo "trellis: http://localhost:8080 (console: http://localhost:8080/console), database $$url"; \
	$(GO) run ./cmd/trellis serve --metadata-dir $(METADATA_DIR) --database-url "$$url" "$${assets[@]}"

console-assets: ## fetch GraphiQL into .cache/console (make run then serves it offline)
	@bash hack/console-assets.sh

# Tests find their server through engine/pgtest: TRELLIS_TEST_DATABASE_URL
# when set, else Docker when an engine answers, else the hack cluster, which
# is started here first (installing PostgreSQL if it must).
test: ## go vet, then every test with -race against a real Postgres
	@[[ -n "$${TRELLIS_TEST_DATABASE_URL:-}" ]] || bash hack/pg.sh start >/dev/null
	$(GO) vet ./...
	$(GO) test $(TEST_FLAGS) ./...

bench: ## the load and fan-out benchmarks, then the Go benchmarks (no tests)
	@# One after the other, even under make -j: they would skew each other.
	@$(MAKE) --no-print-directory bench-load
	@$(MAKE) --no-print-directory bench-fanout
	@$(MAKE) --no-print-directory bench-go

# The load benchmark: a fixed data set, the engine on a private port and
# bombardier at fixed concurrency; the table goes to hack/bench/results/.
# BENCH_DURATION, BENCH_CONNECTIONS, … tune it (hack/bench/run.sh lists them).
bench-load: ## load benchmark: req/s, p50/p99, CPU/request, peak RSS per query
	@bash hack/bench/run.sh

# The live-query fan-out benchmark: the engine on a private port, WebSocket
# subscribers and one writer committing at a fixed rate; the table goes to
# hack/bench/results/. FANOUT_SUBSCRIBERS, FANOUT_QUERIES, … tune it
# (hack/bench/fanout.sh lists them).
bench-fanout: ## fan-out benchmark: delivery p50/p99, statements per change, memory per subscriber
	@bash hack/bench/fanout.sh

bench-go: ## the in-process Go benchmarks (go test -bench)
	@[[ -n "$${TRELLIS_TEST_DATABASE_URL:-}" ]] || bash hack/pg.sh start >/dev/null
	$(GO) test -run '^$$' -bench . -benchmem ./...

db-up: ## start the development cluster (hack/pg.sh) and print its URL
	@bash hack/pg.sh start

db-down: ## stop the development cluster
	@bash hack/pg.sh stop

db-status: ## is the development cluster running?
	@bash hack/pg.sh status

fmt: ## gofmt every Go file
	$(GO) fmt ./...

vet: ## go vet
	$(GO) vet ./...

clean: ## remove build output (the cluster's .pgdata stays: rm -rf .pgdata)
	rm -rf bin
