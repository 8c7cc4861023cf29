# hack/lib.sh — shell helpers the hack/ scripts share. Source it after
# setting LOG_PREFIX (the name messages start with) and ROOT (the repository).

log() { printf '%s: %s\n' "$LOG_PREFIX" "$*" >&2; }
die() {
	printf '%s: error: %s\n' "$LOG_PREFIX" "$*" >&2
	exit 1
}

# parse_reset_flag sets reset=1 for --reset, prints the script's header
# comment (lines $2..$3 of file $1) for -h/--help, and refuses anything else;
# the script's arguments follow the first three.
parse_reset_flag() {
	local file="$1" first="$2" last="$3"
	shift 3
	reset=0
	for arg in "$@"; do
		case "$arg" in
		--reset) reset=1 ;;
		-h | --help)
			sed -n "${first},${last}p" "$file" | sed 's/^# \{0,1\}//' >&2
			exit 0
			;;
		*) die "unknown argument $arg (usage: ${file#"$ROOT"/} [--reset])" ;;
		esac
	done
}

# Quiet NOTICEs (CREATE … IF NOT EXISTS, DROP … IF EXISTS and friends).
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

# PSQL is psql from PATH, else the one hack/pg.sh uses.
PSQL="$(command -v psql || true)"
if [[ -z "$PSQL" ]]; then
	bindir="$(bash "$ROOT/hack/pg.sh" bindir 2>/dev/null || true)"
	[[ -n "$bindir" && -x "$bindir/psql" ]] || die "psql not found; install postgresql-client"
	PSQL="$bindir/psql"
fi

# q runs one SQL statement on database URL $1 and prints the unaligned result.
q() { "$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
