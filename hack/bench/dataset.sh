#!/usr/bin/env bash
# hack/bench/dataset.sh — make sure the load benchmark's data set is loaded.
#
# Usage: hack/bench/dataset.sh [--reset]
#
# Without DATABASE_URL (or HASURA_GRAPHQL_DATABASE_URL) it starts the hack
# cluster (hack/pg.sh) and creates the database trellis_bench on it.
# With one of them set it uses that database instead, and refuses to touch
# it unless it holds no tables or holds this data set already.
#
# The data set is hack/bench/dataset.sql. Its checksum is recorded in
# bench_meta.data_version after a load: when it matches, nothing is done
# (a run after the first takes a second); when the file changed, or with
# --reset, the benchmark's tables are dropped and loaded again.
#
# The database URL is the last line of stdout; everything else goes to stderr.
set -euo pipefail

readonly DBNAME=trellis_bench
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
readonly HERE
ROOT="$(cd "$HERE/../.." && pwd -P)"
readonly ROOT
readonly DATASET="$HERE/dataset.sql"

LOG_PREFIX="bench dataset"
# shellcheck source=hack/lib.sh
source "$ROOT/hack/lib.sh"
parse_reset_flag "${BASH_SOURCE[0]}" 2 16 "$@"

# The data version is the checksum of dataset.sql: any edit means a reload.
version="$(sha256sum "$DATASET" | cut -c1-16)"

# loaded_version prints the version recorded in database $1 ("" if none).
loaded_version() {
	q "$1" "select coalesce((select version from bench_meta.data_version), '')
		where to_regclass('bench_meta.data_version') is not null" 2>/dev/null || true
}

# user_tables counts the tables and views outside the system schemas.
user_tables() {
	q "$1" "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where c.relkind in ('r','p','v','m','f')
		  and n.nspname not in ('pg_catalog','information_schema','hdb_catalog','bench_meta')
		  and n.nspname not like 'pg\_%'"
}

# load drops the benchmark's objects (an older version of them) and loads
# dataset.sql, all in one transaction, then records the version.
load() {
	local url="$1" started=$SECONDS
	log "loading ${DATASET#"$ROOT"/} (version $version) into $(sed -E 's#^[a-z]+://[^/]*/##; s#\?.*##' <<<"$url")"
	{
		printf '%s\n' 'drop table if exists comments, articles, users cascade;' \
			'drop type if exists article_status cascade;' \
			'drop schema if exists bench_meta cascade;'
		cat "$DATASET"
		printf '%s\n' 'create schema bench_meta;' \
			'create table bench_meta.data_version (version text not null);' \
			"insert into bench_meta.data_version values ('$version');"
	} | "$PSQL" -X -q -v ON_ERROR_STOP=1 --single-transaction -d "$url" -f - >/dev/null
	# Set the visibility map, so that index-only scans work from the first run.
	q "$url" "vacuum users, articles, comments" >/dev/null
	log "loaded in $((SECONDS - started)) s"
}

url="${DATABASE_URL:-${HASURA_GRAPHQL_DATABASE_URL:-}}"
if [[ -n "$url" ]]; then
	q "$url" "select 1" >/dev/null || die "cannot connect to the database given by DATABASE_URL/HASURA_GRAPHQL_DATABASE_URL"
	have="$(loaded_version "$url")"
	if [[ -z "$have" && "$(user_tables "$url")" != 0 ]]; then
		die "the database given by DATABASE_URL holds other tables: point it at an empty database"
	fi
else
	bash "$ROOT/hack/pg.sh" start >/dev/null
	admin="$(bash "$ROOT/hack/pg.sh" url postgres)"
	url="$(bash "$ROOT/hack/pg.sh" url "$DBNAME")"
	if [[ "$(q "$admin" "select count(*) from pg_database where datname = '$DBNAME'")" == 0 ]]; then
		log "creating $DBNAME"
		q "$admin" "create database $DBNAME" >/dev/null
	fi
	have="$(loaded_version "$url")"
fi

if ((reset == 1)) || [[ "$have" != "$version" ]]; then
	load "$url" || die "loading the data set failed (the transaction was rolled back)"
else
	log "data set version $version already loaded"
fi
printf '%s\n' "$url"
