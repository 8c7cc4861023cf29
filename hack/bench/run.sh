#!/usr/bin/env bash
# hack/bench/run.sh — the load benchmark (`make bench-load`).
#
# Usage: hack/bench/run.sh
#
# 1. loads the data set (hack/bench/dataset.sh: the hack cluster's database
#    trellis_bench, or DATABASE_URL; a no-op when already loaded);
# 2. builds the engine and the floor (hack/bench/floor) and installs the
#    load tool, bombardier (a pinned version from the Go module proxy), into
#    .cache/bench;
# 3. runs hack/bench (Go): it starts the engine on 127.0.0.1:$BENCH_PORT
#    with hack/bench/metadata and the floor on 127.0.0.1:$BENCH_FLOOR_PORT,
#    checks that both answer each query alike, drives each query with
#    bombardier (warm-up, then a measured run) against the engine, then
#    against the floor, stops both and writes the results tables to
#    hack/bench/results/<UTC time>-<commit>.md.
#
# Environment (defaults in brackets):
#   BENCH_DURATION     length of each measured run [10s]
#   BENCH_WARMUP       warm-up run before each measured run [3s]
#   BENCH_CONNECTIONS  load tool's concurrent connections [32]
#   BENCH_PORT         port of the engine under test [18089]
#   BENCH_FLOOR_PORT   port of the floor [18090]
#   BENCH_POOL_CONNS   Postgres pool size of the engine and of the floor
#                      [50, the engine's default]
#   BENCH_ONLY         comma-separated query names to run [all]
#   BENCH_OUT          folder for the results file [hack/bench/results]
#   DATABASE_URL       benchmark database instead of the hack cluster's
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
readonly ROOT
readonly BOMBARDIER_VERSION=v1.2.6
readonly BIN="$ROOT/.cache/bench/bin"

log() { printf 'bench: %s\n' "$*" >&2; }

cd "$ROOT"
GO="${GO:-go}"

url="$(bash hack/bench/dataset.sh | tail -n 1)"

mkdir -p "$BIN"
log "building the engine and the floor"
"$GO" build -o "$BIN/trellis" ./cmd/trellis
"$GO" build -o "$BIN/floor" ./hack/bench/floor

# bombardier goes into a folder named after its version, so that changing
# the pin installs the new one; go install is skipped once it is there.
bombardier="$ROOT/.cache/bench/bombardier-$BOMBARDIER_VERSION/bombardier"
if [[ ! -x "$bombardier" ]]; then
	log "installing bombardier $BOMBARDIER_VERSION"
	GOBIN="$(dirname "$bombardier")" "$GO" install "github.com/codesenberg/bombardier@$BOMBARDIER_VERSION"
fi

"$GO" run ./hack/bench \
	-database-url "$url" \
	-trellis "$BIN/trellis" \
	-floor "$BIN/floor" \
	-bombardier "$bombardier" \
	-duration "${BENCH_DURATION:-10s}" \
	-warmup "${BENCH_WARMUP:-3s}" \
	-connections "${BENCH_CONNECTIONS:-32}" \
	-port "${BENCH_PORT:-18089}" \
	-floor-port "${BENCH_FLOOR_PORT:-18090}" \
	-pool-max-conns "${BENCH_POOL_CONNS:-50}" \
	-only "${BENCH_ONLY:-}" \
	-out "${BENCH_OUT:-hack/bench/results}" \
	-engine-log "$ROOT/.cache/bench/engine.log" \
	-floor-log "$ROOT/.cache/bench/floor.log"
