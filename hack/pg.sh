#!/usr/bin/env bash
# hack/pg.sh — a private, throwaway PostgreSQL cluster for development and tests.
#
# Usage: hack/pg.sh start|stop|status|url [DBNAME]|psql [PSQL ARGS...]|bindir
#
#   start   initialise (first time) and start the cluster; prints its URL.
#           A no-op that prints the URL when it is already running.
#   stop    stop the cluster (fast shutdown); a no-op when it is not running.
#   status  exit 0 when the cluster is running, 3 when it is not.
#   url     print the connection URL (of DBNAME, default "postgres").
#   psql    run psql against the cluster's "postgres" database.
#   bindir  print the directory of the PostgreSQL server binaries in use.
#
# Data, logs and the unix socket live in <repo>/.pgdata/. The cluster listens
# on 127.0.0.1:$TRELLIS_PG_PORT (default 55432) with trust authentication and
# the superuser "postgres". It is tuned for tests (fsync off): never keep data
# you care about in it.
#
# When the server binaries (PostgreSQL 15 or later) are missing, the script
# installs Debian's packages if it runs as root, and otherwise says what to
# install. When run as root, the server runs as an unprivileged OS user.
#
# Environment: TRELLIS_PG_PORT (port), TRELLIS_PG_BINDIR (server binaries),
# TRELLIS_PG_ROOT (a folder for data, logs and socket instead of .pgdata: a
# private cluster, e.g. for tests that restart it; when run as root, the
# server's user must be able to reach it), TRELLIS_PG_WAL_LEVEL (wal_level:
# minimal, replica or logical; default logical).
set -euo pipefail

readonly MIN_MAJOR=15
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
readonly ROOT
# world_searchable succeeds when every directory from / to $1 lets other
# users through, so that the unprivileged server user can reach it.
world_searchable() {
	local d="$1"
	while [[ "$d" != / && -n "$d" ]]; do
		[[ "$(stat -c %A "$d")" == ?????????[xt] ]] || return 1
		d="$(dirname "$d")"
	done
}

# The cluster lives in .pgdata (or $TRELLIS_PG_ROOT). When running as root
# from a folder the server's user cannot reach (a clone under /root, say), the
# data goes to /var/tmp and .pgdata is a link to it.
PGROOT="${TRELLIS_PG_ROOT:-$ROOT/.pgdata}"
# SOCKKEY names the fallback socket folder of this cluster (see socket_dir).
SOCKKEY="$ROOT"
if [[ -n "${TRELLIS_PG_ROOT:-}" ]]; then
	mkdir -p "$PGROOT"
	PGROOT="$(cd "$PGROOT" && pwd -P)"
	SOCKKEY="$PGROOT"
elif [[ "$(id -u)" == 0 && ! -L "$PGROOT" ]] && ! world_searchable "$ROOT"; then
	alt="/var/tmp/trellis-pg-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
	mkdir -p "$alt"
	[[ -e "$PGROOT" ]] && rm -rf "$PGROOT"
	ln -s "$alt" "$PGROOT"
fi
if [[ -L "$PGROOT" ]]; then
	PGROOT="$(readlink -f "$PGROOT")"
fi
readonly PGROOT SOCKKEY
readonly PGDATA="$PGROOT/data"
readonly LOGDIR="$PGROOT/log"
readonly LOGFILE="$LOGDIR/postgres.log"
PORT="${TRELLIS_PG_PORT:-55432}"
WAL_LEVEL="${TRELLIS_PG_WAL_LEVEL:-logical}"
case "$WAL_LEVEL" in
minimal | replica | logical) ;;
*)
	printf 'pg.sh: error: TRELLIS_PG_WAL_LEVEL must be minimal, replica or logical, not %s\n' "$WAL_LEVEL" >&2
	exit 1
	;;
esac
readonly WAL_LEVEL

BINDIR=""
RUN_USER=""
APT_UPDATED=0

log() { printf 'pg.sh: %s\n' "$*" >&2; }
warn() { printf 'pg.sh: warning: %s\n' "$*" >&2; }
die() {
	printf 'pg.sh: error: %s\n' "$*" >&2
	exit 1
}
is_root() { [[ "$(id -u)" == 0 ]]; }

# --- binaries ---------------------------------------------------------------

# major_of prints the major version of the server in bin directory $1.
major_of() {
	local v
	v="$("$1/postgres" --version 2>/dev/null | sed -nE 's/^[^0-9]*([0-9]+).*/\1/p')"
	[[ -n "$v" ]] || return 1
	printf '%s\n' "$v"
}

# find_bindir sets BINDIR to the highest PostgreSQL ≥ MIN_MAJOR found (or the
# version that created an existing cluster).
find_bindir() {
	local best="" best_major=0 d m
	local -a candidates=()
	if [[ -n "${TRELLIS_PG_BINDIR:-}" ]]; then
		candidates+=("$TRELLIS_PG_BINDIR")
	else
		local g
		for g in /usr/lib/postgresql/*/bin; do
			[[ -d "$g" ]] && candidates+=("$g")
		done
		if command -v pg_config >/dev/null 2>&1; then
			d="$(pg_config --bindir 2>/dev/null || true)"
			[[ -n "$d" ]] && candidates+=("$d")
		fi
		if command -v postgres >/dev/null 2>&1; then
			candidates+=("$(dirname "$(command -v postgres)")")
		fi
	fi
	for d in "${candidates[@]}"; do
		[[ -x "$d/postgres" && -x "$d/initdb" && -x "$d/pg_ctl" ]] || continue
		m="$(major_of "$d" 2>/dev/null)" || continue
		if ((m >= MIN_MAJOR && m > best_major)); then
			best="$d"
			best_major="$m"
		fi
	done
	BINDIR="$best"
	[[ -n "$BINDIR" ]] || return 1
	# An existing cluster needs the major version that created it.
	local have
	if [[ -s "$PGDATA/PG_VERSION" ]] && have="$(cat "$PGDATA/PG_VERSION")" && [[ "$have" != "$best_major" ]]; then
		for d in "${candidates[@]}"; do
			if [[ -x "$d/postgres" && "$(major_of "$d" 2>/dev/null)" == "$have" ]]; then
				BINDIR="$d"
				return 0
			fi
		done
		die "$PGDATA was created by PostgreSQL $have, which is no longer installed; remove .pgdata (hack/pg.sh stop; rm -rf .pgdata) to start afresh"
	fi
}

apt_install() {
	if ((APT_UPDATED == 0)); then
		log "apt-get update"
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$PGROOT/apt.log" 2>&1 || return 1
		APT_UPDATED=1
	fi
	log "apt-get install $*"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
		>>"$PGROOT/apt.log" 2>&1
}

ensure_binaries() {
	find_bindir && return 0
	if ! is_root; then
		die "PostgreSQL ${MIN_MAJOR}+ server binaries not found (looked in /usr/lib/postgresql/*/bin and pg_config --bindir).
Install them, e.g.:  sudo apt-get install postgresql postgresql-${MIN_MAJOR}-postgis-3 locales
or point TRELLIS_PG_BINDIR at a bin directory holding postgres, initdb and pg_ctl."
	fi
	# Debian's postinst would create and start a "main" cluster on 5432: we
	# do not want it, only the binaries.
	mkdir -p /etc/postgresql-common/createcluster.d
	printf 'create_main_cluster = false\n' >/etc/postgresql-common/createcluster.d/trellis.conf
	apt_install postgresql ||
		die "installing PostgreSQL with apt-get failed; see $PGROOT/apt.log"
	find_bindir || die "PostgreSQL installed, but no server ≥ ${MIN_MAJOR} found under /usr/lib/postgresql"
}

# ensure_postgis installs PostGIS for the server in use when it is missing.
ensure_postgis() {
	local major sharedir
	major="$(major_of "$BINDIR")"
	sharedir="$("$BINDIR/pg_config" --sharedir 2>/dev/null || echo "/usr/share/postgresql/$major")"
	[[ -e "$sharedir/extension/postgis.control" ]] && return 0
	if ! is_root; then
		warn "PostGIS is not installed for PostgreSQL $major (some tests need it): apt-get install postgresql-$major-postgis-3"
		return 0
	fi
	apt_install "postgresql-$major-postgis-3" ||
		warn "installing postgresql-$major-postgis-3 failed (see $PGROOT/apt.log); PostGIS tests will fail"
}

has_en_us() { locale -a 2>/dev/null | grep -qiE '^en_US\.utf-?8$'; }

# ensure_locale makes the en_US.UTF-8 OS locale available (before initdb,
# so that the cluster imports it as a collation).
ensure_locale() {
	has_en_us && return 0
	if ! is_root; then
		warn "the en_US.UTF-8 locale is missing (some tests need it): enable it in /etc/locale.gen and run locale-gen"
		return 0
	fi
	if ! command -v locale-gen >/dev/null 2>&1; then
		apt_install locales || {
			warn "installing the locales package failed (see $PGROOT/apt.log)"
			return 0
		}
	fi
	touch /etc/locale.gen
	if grep -qE '^[#[:space:]]*en_US\.UTF-8[[:space:]]+UTF-8' /etc/locale.gen; then
		sed -i -E 's/^[#[:space:]]*(en_US\.UTF-8[[:space:]]+UTF-8)/\1/' /etc/locale.gen
	else
		printf 'en_US.UTF-8 UTF-8\n' >>/etc/locale.gen
	fi
	locale-gen >>"$PGROOT/apt.log" 2>&1 || warn "locale-gen failed (see $PGROOT/apt.log)"
	has_en_us || warn "the en_US.UTF-8 locale is still missing"
}

# --- users and permissions --------------------------------------------------

# pick_user sets RUN_USER, the OS user the server runs as ("" = the caller).
pick_user() {
	if ! is_root; then
		RUN_USER=""
		return
	fi
	if [[ -d "$PGDATA" ]]; then
		local owner
		owner="$(stat -c %U "$PGDATA")"
		if [[ "$owner" != root && "$owner" != UNKNOWN ]]; then
			RUN_USER="$owner"
			return
		fi
	fi
	if id postgres >/dev/null 2>&1; then
		RUN_USER=postgres
	else
		if ! id trellis >/dev/null 2>&1; then
			useradd --system --user-group --no-create-home --home-dir /nonexistent \
				--shell /usr/sbin/nologin trellis ||
				die "could not create the OS user trellis to run PostgreSQL"
		fi
		RUN_USER=trellis
	fi
}

# as_user runs a command as RUN_USER (or as the caller when not root).
as_user() {
	if [[ -z "$RUN_USER" ]]; then
		"$@"
	elif command -v runuser >/dev/null 2>&1; then
		runuser -u "$RUN_USER" -- "$@"
	else
		su -s /bin/bash -c "$(printf '%q ' "$@")" "$RUN_USER"
	fi
}

# prepare_dirs creates .pgdata and hands it to RUN_USER.
prepare_dirs() {
	mkdir -p "$PGROOT" "$LOGDIR" "$PGROOT/run"
	[[ -z "$RUN_USER" ]] && return 0
	if [[ "$(stat -c %U "$PGROOT")" != "$RUN_USER" || "$(stat -c %U "$LOGDIR")" != "$RUN_USER" ]] ||
		[[ -d "$PGDATA" && "$(stat -c %U "$PGDATA")" != "$RUN_USER" ]]; then
		chown -R "$RUN_USER:" "$PGROOT"
	fi
	as_user test -w "$PGROOT" ||
		die "OS user $RUN_USER cannot reach $PGROOT (a parent directory is not searchable by it, e.g. /root); clone the repository somewhere world-readable such as /work or /srv"
}

# socket_dir prints the unix socket directory (inside .pgdata unless that
# path is too long for a unix socket address).
socket_dir() {
	local d="$PGROOT/run"
	if ((${#d} + 20 > 100)); then
		d="/tmp/trellis-pg-$(printf '%s' "$SOCKKEY" | cksum | cut -d' ' -f1)"
	fi
	printf '%s\n' "$d"
}

# --- state ------------------------------------------------------------------

# running_pid prints the postmaster's pid and succeeds when the cluster runs.
running_pid() {
	local pidfile="$PGDATA/postmaster.pid" pid
	[[ -r "$pidfile" ]] || return 1
	pid="$(head -n1 "$pidfile" 2>/dev/null || true)"
	[[ "$pid" =~ ^[0-9]+$ ]] || return 1
	kill -0 "$pid" 2>/dev/null || [[ -d "/proc/$pid" ]] || return 1
	# A recycled pid that now belongs to another program is not our server,
	# and neither is a killed one that nobody has reaped yet (a zombie).
	if [[ -r "/proc/$pid/stat" ]]; then
		local stat
		stat="$(cat "/proc/$pid/stat" 2>/dev/null || true)"
		[[ "$stat" =~ ^[0-9]+\ \((postgres|postmaster)\)\ ([A-Za-z]) ]] || return 1
		[[ "${BASH_REMATCH[2]}" != [ZX] ]] || return 1
	fi
	printf '%s\n' "$pid"
}

# running_port prints the port of the running server, from postmaster.pid.
running_port() {
	sed -n 4p "$PGDATA/postmaster.pid" 2>/dev/null
}

current_port() {
	local p
	if running_pid >/dev/null && p="$(running_port)" && [[ "$p" =~ ^[0-9]+$ ]]; then
		printf '%s\n' "$p"
	else
		printf '%s\n' "$PORT"
	fi
}

url_for() {
	printf 'postgres://postgres@127.0.0.1:%s/%s?sslmode=disable\n' "$(current_port)" "${1:-postgres}"
}

# clear_stale removes the lock files a crashed server left behind.
clear_stale() {
	local pidfile="$PGDATA/postmaster.pid" sock lock pid
	if [[ -e "$pidfile" ]] && ! running_pid >/dev/null; then
		log "removing stale $pidfile"
		rm -f "$pidfile"
	fi
	sock="$(socket_dir)"
	for lock in "$sock"/.s.PGSQL.*.lock; do
		[[ -e "$lock" ]] || continue
		pid="$(head -n1 "$lock" 2>/dev/null || true)"
		if [[ ! "$pid" =~ ^[0-9]+$ ]] || ! kill -0 "$pid" 2>/dev/null ||
			[[ "$(cat "/proc/$pid/comm" 2>/dev/null)" != postgres ]] ||
			[[ "$(sed -E 's/.*\) (.).*/\1/' "/proc/$pid/stat" 2>/dev/null)" == [ZX] ]]; then
			rm -f "$lock" "${lock%.lock}"
		fi
	done
}

# --- commands ---------------------------------------------------------------

init_cluster() {
	[[ -s "$PGDATA/PG_VERSION" ]] && return 0
	log "initialising a new cluster in $PGDATA"
	rm -rf "$PGDATA"
	local locale=C.UTF-8
	if ! locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
		locale=C
	fi
	as_user "$BINDIR/initdb" --pgdata="$PGDATA" --username=postgres --auth=trust \
		--encoding=UTF8 --locale="$locale" --no-sync >>"$LOGDIR/initdb.log" 2>&1 ||
		die "initdb failed; see $LOGDIR/initdb.log"
	printf "\n# Trellis: settings for the development/test cluster.\ninclude_if_exists = 'trellis.conf'\n" \
		>>"$PGDATA/postgresql.conf"
}

# write_conf (re)writes the settings read at every server start.
write_conf() {
	local sock="$1" conf="$PGDATA/trellis.conf" senders=20
	# wal_level=minimal allows no WAL senders.
	[[ "$WAL_LEVEL" != minimal ]] || senders=0
	cat >"$conf" <<EOF
# Written by hack/pg.sh at every start; edits are lost.
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$sock'
max_connections = 200
wal_level = $WAL_LEVEL
max_replication_slots = 20
max_wal_senders = $senders
fsync = off
synchronous_commit = off
# Asynchronous commits reach the WAL sender (live queries) when the WAL
# writer flushes: every 10 ms, not the default 200 ms.
wal_writer_delay = 10ms
full_page_writes = off
logging_collector = off
log_min_messages = warning
EOF
	[[ -z "$RUN_USER" ]] || chown "$RUN_USER:" "$conf"
}

wait_ready() {
	local i
	for ((i = 0; i < 200; i++)); do
		if "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$(current_port)" -U postgres -d postgres; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

cmd_start() {
	mkdir -p "$PGROOT"
	if running_pid >/dev/null; then
		if find_bindir; then
			wait_ready || die "the server is running but does not answer; see $LOGFILE"
		fi
		url_for postgres
		return 0
	fi
	ensure_binaries
	ensure_locale
	ensure_postgis
	pick_user
	prepare_dirs
	init_cluster
	clear_stale
	local sock attempt
	sock="$(socket_dir)"
	mkdir -p "$sock"
	[[ -z "$RUN_USER" ]] || chown "$RUN_USER:" "$sock"
	write_conf "$sock"
	# A postmaster killed with -9 can leave children for a moment; they exit
	# on their own once they notice, so retry a few times.
	for attempt in 1 2 3 4 5; do
		if as_user "$BINDIR/pg_ctl" start --pgdata="$PGDATA" --log="$LOGFILE" \
			--wait --timeout=60 --silent >/dev/null 2>>"$LOGDIR/pg_ctl.log" 9>&-; then
			wait_ready || die "the server started but does not answer; see $LOGFILE"
			url_for postgres
			return 0
		fi
		if ((attempt < 5)); then
			sleep "$attempt"
			clear_stale
		fi
	done
	tail -n 20 "$LOGFILE" >&2 || true
	die "could not start PostgreSQL on port $PORT (another server on that port? set TRELLIS_PG_PORT); see $LOGFILE"
}

cmd_stop() {
	if ! running_pid >/dev/null; then
		return 0
	fi
	find_bindir || die "PostgreSQL server binaries not found"
	pick_user
	as_user "$BINDIR/pg_ctl" stop --pgdata="$PGDATA" --mode=fast --wait --timeout=60 --silent \
		>/dev/null 2>>"$LOGDIR/pg_ctl.log" || die "pg_ctl stop failed; see $LOGDIR/pg_ctl.log"
}

cmd_status() {
	if running_pid >/dev/null; then
		echo "running: $(url_for postgres)"
		return 0
	fi
	echo "not running"
	return 3
}

cmd_psql() {
	local psql=psql
	if find_bindir && [[ -x "$BINDIR/psql" ]]; then
		psql="$BINDIR/psql"
	fi
	exec "$psql" -d "$(url_for postgres)" "$@"
}

# with_lock runs a command holding .pgdata/lock (fd 9), so that concurrent
# starts (parallel test binaries) do not race. The server must not inherit fd 9.
with_lock() {
	mkdir -p "$PGROOT"
	if command -v flock >/dev/null 2>&1; then
		exec 9>"$PGROOT/lock"
		flock 9
	fi
	"$@"
}

main() {
	local cmd="${1:-}"
	[[ $# -gt 0 ]] && shift
	case "$cmd" in
	start) with_lock cmd_start ;;
	stop) with_lock cmd_stop ;;
	status) cmd_status ;;
	url) url_for "${1:-postgres}" ;;
	psql) cmd_psql "$@" ;;
	bindir)
		find_bindir || die "PostgreSQL ${MIN_MAJOR}+ server binaries not found"
		printf '%s\n' "$BINDIR"
		;;
	*)
		echo "usage: hack/pg.sh start|stop|status|url [DBNAME]|psql [ARGS...]|bindir" >&2
		exit 2
		;;
	esac
}

main "$@"
