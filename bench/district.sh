#!/bin/sh
# bench/district.sh: the workbench in district mode under a mixed load of every role, for
# docs/performance.md ("District mode under load"; `make bench`, after bench/http.sh).
#
#   sh bench/district.sh [BUILD]      BUILD: the build directory holding digilevel and bench/http_load
#
# A district of the five example enterprises on an ephemeral loopback port, with a new database in
# bench/out/district/: a bureau, a supervisor, two integrators (three enterprises and two), one
# evaluator (all five) and an account for each enterprise, each logged in with its own session
# (POST /api/login; the cookie and CSRF token go on every request). Then, all at once for
# BENCH_DISTRICT_SECONDS, bench/http_load processes, each one session:
#   - each integrator: 2 clients saving its enterprises' diagnoses (POST /api/sheets);
#   - the evaluator: 2 clients saving the five evaluations (POST /api/sheets);
#   - each enterprise: 1 client listing its own sheets (GET /api/sheets?credit_code=...);
#   - the supervisor: 1 client listing every sheet (GET /api/sheets);
#   - the bureau: 1 client reading the cohort (GET /api/cohort).
# Afterwards: every save acknowledged (201) is in the store, once (the store's sheet count against
# the acknowledged saves), and `digilevel audit verify` holds. Any answer that is not 2xx fails.
# Figures go to bench/out/results.txt as district_NAME=value (an earlier run's lines replaced).
#
# Environment: BENCH_DISTRICT_SECONDS=10 (BENCH_QUICK: 3), BENCH_HTTP_WARM=1, BENCH_OUT=${BENCH_OUT:-bench/out}
# (tests/scripts/district_load.sh runs it for a second in a temporary folder: nothing lost, no
# figure checked).
set -eu
# shellcheck source=bench/serve_lib.sh
. "$(dirname "$0")/serve_lib.sh"

BUILD=${1:-build}
DL=$BUILD/digilevel
LOAD=$BUILD/bench/http_load
SECONDS_PER_RUN=${BENCH_DISTRICT_SECONDS:-10}
[ -n "${BENCH_QUICK:-}" ] && SECONDS_PER_RUN=${BENCH_DISTRICT_SECONDS:-3}
WARM=${BENCH_HTTP_WARM:-1}
OUT=${BENCH_OUT:-bench/out}
WORK=$OUT/district
RESULTS=$OUT/results.txt
PASSWORD=bench-district-password

bench_ready district curl python3
# code FILE: the credit code an example sheet names
code() { sed -n 's/.*<credit-code>\([^<]*\)<.*/\1/p' "$1" | head -n 1; }

echo
echo "5. the workbench in district mode: every role at once (bench/district.sh)"
echo "  load average before: $(awk '{print $1}' /proc/loadavg)"

# --- the district's accounts ---------------------------------------------------------------------

DB=$WORK/district.db
account() { # NAME ROLE [CREDIT-CODE]
	if [ $# -eq 3 ]; then
		echo "$PASSWORD" | "$DL" user add --db "$DB" --role "$2" --credit-code "$3" "$1" >/dev/null
	else
		echo "$PASSWORD" | "$DL" user add --db "$DB" --role "$2" "$1" >/dev/null
	fi
}
account bureau bureau
account supervisor supervisor
account integrator1 integrator
account integrator2 integrator
account evaluator evaluator
ENTERPRISES=
for f in examples/*-before.xml; do
	name=$(basename "$f" -before.xml)
	account "enterprise-$name" enterprise "$(code "$f")"
	ENTERPRISES="$ENTERPRISES $name"
done

# --- the server ----------------------------------------------------------------------------------

start_server "$DB"

# the bureau assigns: integrator1 the first three enterprises, integrator2 the others
login bureau
n=0
INT1_BODIES=
INT2_BODIES=
EVAL_BODIES=
for name in $ENTERPRISES; do
	n=$((n + 1))
	integrator=integrator1
	[ "$n" -gt 3 ] && integrator=integrator2
	c=$(code "examples/$name-before.xml")
	status=$(curl -sS -o "$WORK/assign.out" -w '%{http_code}' -H "Cookie: $COOKIE" \
		-H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' \
		--data-binary "{\"integrator\":\"$integrator\",\"evaluator\":\"evaluator\"}" \
		"http://$ADDR/api/enterprises/$c/assignment")
	if [ "$status" != 200 ] && [ "$status" != 201 ]; then
		echo "bench: assigning $c answered $status: $(cat "$WORK/assign.out")" >&2
		exit 1
	fi
	if [ "$integrator" = integrator1 ]; then
		INT1_BODIES="$INT1_BODIES -b examples/$name-before.xml"
	else
		INT2_BODIES="$INT2_BODIES -b examples/$name-before.xml"
	fi
	EVAL_BODIES="$EVAL_BODIES -b examples/$name-after.xml"
done
BUREAU_COOKIE=$COOKIE
BUREAU_CSRF=$CSRF

# --- the load: one http_load process per session, all at once ----------------------------------

JOBS=
start() { # KEY NAME CLIENTS ARGS...: log NAME in and load with its session in the background
	key=$1
	login "$2"
	c=$3
	shift 3
	"$LOAD" -c "$c" -d "$SECONDS_PER_RUN" -w "$WARM" -H "Cookie: $COOKIE" -H "X-CSRF-Token: $CSRF" \
		"$@" >"$WORK/$key.out" 2>"$WORK/$key.err" &
	JOBS="$JOBS $key:$!"
}
XML='Content-Type: application/xml'
start integrator1 integrator1 2 -X POST -H "$XML" $INT1_BODIES "$ADDR" /api/sheets
start integrator2 integrator2 2 -X POST -H "$XML" $INT2_BODIES "$ADDR" /api/sheets
start evaluator evaluator 2 -X POST -H "$XML" $EVAL_BODIES "$ADDR" /api/sheets
for name in $ENTERPRISES; do
	start "enterprise-$name" "enterprise-$name" 1 "$ADDR" \
		"/api/sheets?credit_code=$(code "examples/$name-before.xml")"
done
start supervisor supervisor 1 "$ADDR" /api/sheets
COOKIE=$BUREAU_COOKIE
CSRF=$BUREAU_CSRF
"$LOAD" -c 1 -d "$SECONDS_PER_RUN" -w "$WARM" -H "Cookie: $COOKIE" "$ADDR" /api/cohort \
	>"$WORK/bureau.out" 2>"$WORK/bureau.err" &
JOBS="$JOBS bureau:$!"

failed=0
saved=0
printf "  %-26s %3s %9s %8s %8s %8s\n" session clients req/s "p50 ms" "p99 ms" "max ms"
for job in $JOBS; do
	key=${job%%:*}
	if ! wait "${job#*:}"; then
		echo "bench: $key failed: $(cat "$WORK/$key.out") $(cat "$WORK/$key.err")" >&2
		failed=1
	fi
	line=$(cat "$WORK/$key.out")
	[ -n "$line" ] || continue
	printf "  %-26s %3s %9s %8s %8s %8s\n" "$key" "$(field clients "$line")" "$(field rps "$line")" \
		"$(field p50_ms "$line")" "$(field p99_ms "$line")" "$(field max_ms "$line")"
	note "${key}_rps" "$(field rps "$line")"
	note "${key}_p99_ms" "$(field p99_ms "$line")"
	case $key in integrator* | evaluator)
		saved=$((saved + $(field requests "$line") + $(field warmup "$line"))) ;;
	esac
done
stop_server
[ "$failed" -eq 0 ] || exit 1

# --- nothing lost --------------------------------------------------------------------------------

stored=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM sheet").fetchone()[0])' "$DB")
echo "  saves acknowledged (201): $saved; sheets in the store: $stored"
note saved "$saved"
note stored "$stored"
if [ "$saved" != "$stored" ]; then
	echo "bench: $saved saves were acknowledged but the store holds $stored sheets" >&2
	exit 1
fi
if ! "$DL" audit verify --db "$DB"; then
	echo "bench: the audit chain does not hold after the load" >&2
	exit 1
fi
echo "  load average after: $(awk '{print $1}' /proc/loadavg)"
