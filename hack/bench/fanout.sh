#!/usr/bin/env bash
# hack/bench/fanout.sh — the live-query fan-out benchmark (`make bench-fanout`).
#
# Usage: hack/bench/fanout.sh
#
# 1. starts the hack cluster (hack/pg.sh, wal_level=logical) unless
#    DATABASE_URL names a server, and creates the database trellis_fanout
#    on it afresh (dropped first when it exists);
# 2. builds the engine into .cache/bench/bin;
# 3. runs hack/bench/fanout (Go): for each (subscribers, queries)
#    combination it starts the engine on 127.0.0.1:$FANOUT_PORT, subscribes
#    over graphql-transport-ws, commits updates at a fixed rate and measures
#    delivery latency, statements per change and when idle, memory per idle
#    subscriber and engine CPU per commit, then writes the table to
#    hack/bench/results/<UTC time>-<commit>-fanout.md and prints it.
#
# Environment (defaults in brackets):
#   FANOUT_SUBSCRIBERS  comma-separated subscriber counts [100,1000,10000]
#   FANOUT_QUERIES      comma-separated counts of distinct queries [10,100]
#   FANOUT_RATE         commits per second [20]
#   FANOUT_DURATION     write phase of each combination [10s]
#   FANOUT_PORT         port of the engine under test [18091]
#   FANOUT_MODE         literal (one cohort per query) or variables (one
#                       cohort, $id varies) [literal]
#   FANOUT_OUT          folder for the results file [hack/bench/results]
#   DATABASE_URL        a server to use instead of the hack cluster (any
#                       database on it: trellis_fanout is created next to it)
set -euo pipefail

readonly DBNAME=trellis_fanout
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
readonly ROOT
readonly BIN="$ROOT/.cache/bench/bin"

LOG_PREFIX="bench fanout"
# shellcheck source=hack/lib.sh
source "$ROOT/hack/lib.sh"

cd "$ROOT"
GO="${GO:-go}"

if [[ -n "${DATABASE_URL:-}" ]]; then
	admin="$DATABASE_URL"
	[[ "$admin" =~ ^postgres(ql)?:// ]] || die "DATABASE_URL must be a postgres:// URL"
	# The same server, database trellis_fanout: replace the URL's path.
	url="$(sed -E "s#^([a-z]+://[^/?]*)(/[^?]*)?#\1/$DBNAME#" <<<"$admin")"
else
	bash hack/pg.sh start >/dev/null
	admin="$(bash hack/pg.sh url postgres)"
	url="$(bash hack/pg.sh url "$DBNAME")"
fi
[[ "$(q "$admin" "show wal_level")" == logical ]] ||
	log "warning: wal_level is not logical: the engine will poll"
log "creating $DBNAME afresh"
q "$admin" "drop database if exists $DBNAME with (force)" >/dev/null
q "$admin" "create database $DBNAME" >/dev/null

mkdir -p "$BIN" "$ROOT/.cache/bench/fanout"
log "building the engine"
"$GO" build -o "$BIN/trellis" ./cmd/trellis

"$GO" run ./hack/bench/fanout \
	-database-url "$url" \
	-trellis "$BIN/trellis" \
	-subscribers "${FANOUT_SUBSCRIBERS:-100,1000,10000}" \
	-queries "${FANOUT_QUERIES:-10,100}" \
	-rate "${FANOUT_RATE:-20}" \
	-duration "${FANOUT_DURATION:-10s}" \
	-port "${FANOUT_PORT:-18091}" \
	-mode "${FANOUT_MODE:-literal}" \
	-work-dir "$ROOT/.cache/bench/fanout" \
	-out "${FANOUT_OUT:-hack/bench/results}"
