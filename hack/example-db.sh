#!/usr/bin/env bash
# hack/example-db.sh — make sure the tutoring example's database exists.
#
# Usage: hack/example-db.sh [--reset]
#
# Without DATABASE_URL (or HASURA_GRAPHQL_DATABASE_URL) it starts the hack
# cluster (hack/pg.sh) and creates the database trellis_example on it. When
# the database was just created, is empty, or --reset drops and re-creates it,
# it applies examples/tutoring/migrations/default/*/up.sql in version order
# and then examples/tutoring/seeds/default/*.sql, each file in one
# transaction.
#
# With DATABASE_URL (or HASURA_GRAPHQL_DATABASE_URL) set it uses that database
# as it is: nothing is created or dropped, and the migrations and seeds are
# applied only when the database holds no tables yet.
#
# The database URL is the last line of stdout; everything else goes to stderr.
set -euo pipefail

readonly DBNAME=trellis_example
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
readonly ROOT
readonly EXAMPLE="$ROOT/examples/tutoring"

LOG_PREFIX=example-db
# shellcheck source=hack/lib.sh
source "$ROOT/hack/lib.sh"
parse_reset_flag "${BASH_SOURCE[0]}" 2 17 "$@"

# run_file applies one SQL file in a single transaction (errors on stderr).
run_file() {
	log "applying ${2#"$ROOT"/}"
	"$PSQL" -X -q -v ON_ERROR_STOP=1 --single-transaction -d "$1" -f "$2" >/dev/null
}

# is_empty succeeds when the database holds no user tables, views or types
# (objects that belong to extensions, such as PostGIS's, do not count).
is_empty() {
	local n
	n="$(q "$1" "select count(*) from pg_class c
		join pg_namespace n on n.oid = c.relnamespace
		where c.relkind in ('r','p','v','m','f')
		  and n.nspname not in ('pg_catalog','information_schema','hdb_catalog')
		  and n.nspname not like 'pg\_%'
		  and not exists (select 1 from pg_depend d
		                  where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')")"
	[[ "$n" == 0 ]]
}

apply_all() {
	local url="$1" dir file
	local -a migrations=() seeds=()
	# Version order: the numeric prefix of each migration directory.
	while IFS= read -r dir; do
		migrations+=("$dir")
	done < <(
		for dir in "$EXAMPLE"/migrations/default/*/; do
			[[ -f "$dir/up.sql" ]] || continue
			dir="${dir%/}"
			printf '%s\t%s\n' "${dir##*/}" "$dir"
		done | LC_ALL=C sort -t_ -k1,1n -k2 | cut -f2
	)
	for file in "$EXAMPLE"/seeds/default/*.sql; do
		[[ -f "$file" ]] && seeds+=("$file")
	done
	((${#migrations[@]} > 0)) || log "no migrations under ${EXAMPLE#"$ROOT"/}/migrations/default"
	for dir in "${migrations[@]}"; do
		run_file "$url" "$dir/up.sql" || return 1
	done
	for file in "${seeds[@]}"; do
		run_file "$url" "$file" || return 1
	done
}

url="${DATABASE_URL:-${HASURA_GRAPHQL_DATABASE_URL:-}}"
if [[ -n "$url" ]]; then
	((reset == 0)) || die "--reset is not supported with DATABASE_URL/HASURA_GRAPHQL_DATABASE_URL set: reset that database yourself"
	q "$url" "select 1" >/dev/null || die "cannot connect to the database given by DATABASE_URL/HASURA_GRAPHQL_DATABASE_URL"
	if is_empty "$url"; then
		apply_all "$url" || die "applying the example's migrations and seeds failed"
	else
		log "the database already holds tables: leaving it as it is"
	fi
	printf '%s\n' "$url"
	exit 0
fi

bash "$ROOT/hack/pg.sh" start >/dev/null
admin="$(bash "$ROOT/hack/pg.sh" url postgres)"
url="$(bash "$ROOT/hack/pg.sh" url "$DBNAME")"

if ((reset == 1)); then
	log "dropping $DBNAME"
	q "$admin" "drop database if exists $DBNAME with (force)" >/dev/null
fi
created=0
if [[ "$(q "$admin" "select count(*) from pg_database where datname = '$DBNAME'")" == 0 ]]; then
	log "creating $DBNAME"
	q "$admin" "create database $DBNAME" >/dev/null
	created=1
fi
if ((created == 1)) || is_empty "$url"; then
	if ! apply_all "$url"; then
		# Leave no half-built database behind: the next run starts afresh.
		q "$admin" "drop database if exists $DBNAME with (force)" >/dev/null || true
		die "applying the example's migrations and seeds failed; $DBNAME was dropped"
	fi
fi
printf '%s\n' "$url"
