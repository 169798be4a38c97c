#!/bin/sh
# bench/province.sh: a province on PostgreSQL, for docs/performance.md ("A province on PostgreSQL")
# and docs/scale.md (`make bench`: 10,000 enterprises; `make bench-province`: 100,000).
#
#   sh bench/province.sh [BUILD]      BUILD: the build directory holding digilevel,
#                                     bench/http_load and bench/province_load
#
# 1. Starts a throwaway PostgreSQL cluster in bench/out/province/pg (tests/scripts/pg_cluster.sh:
#    its own socket, no TCP) and sets it as a server would run: fsync and full_page_writes on,
#    shared_buffers 1GB, max_wal_size 4GB (the test cluster's fsync=off is undone); the cluster is
#    stopped and removed at the end, also when the run fails.
# 2. Loads the province in steps (1,000 enterprises, 10,000, 100,000, as far as
#    BENCH_PROVINCE_ENTERPRISES): bench/gen.c's pairs stored by bench/province_load (scored as the
#    server scores them, saved by their city's integrator and evaluator with an audit entry each,
#    100 cities of 4 integrators and 2 evaluators, a bureau and a supervisor). The first step
#    (1,000 enterprises) is loaded with fsync on: the load rate a live server's writes see. The
#    later steps are bulk loads with fsync off (as restoring a dump would be), switched on again
#    (and a CHECKPOINT) before anything is measured.
# 3. After each step, with one `digilevel serve --db URL` (district mode: sessions from
#    POST /api/login, the cookie and CSRF token on every request, as bench/district.sh): the
#    server's start (it reads every row's fields), the bureau's dashboard (GET /api/cohort twice:
#    built, then kept by the server; the /dashboard page twice, up to BENCH_PROVINCE_DASHBOARD_MAX
#    enterprises), the enterprise list (GET /api/enterprises, up to BENCH_PROVINCE_LIST_MAX), each
#    one request timed by curl, and, with bench/http_load and 8 clients, a filtered list of sheets
#    (GET /api/sheets?credit_code=...&phase=diagnosis, cycling through 50 enterprises).
# 4. At the last step: p50/p99 of saves (POST /api/sheets as an integrator, diagnoses of its own
#    enterprises, each a new lineage) and of scores (POST /api/score) with 1 and 2 server processes
#    on the one database and 8, 32 and 64 clients (with two servers, half the clients on each; the
#    rate is the sum, the p50 and p99 the larger of the two servers'). Any answer that is not 2xx
#    fails the benchmark. Then every save acknowledged is in the database, and `digilevel audit
#    verify` holds.
# Figures go to bench/out/results.txt as province_NAME=value (an earlier run's lines replaced),
# with the machine's load average before and after each part.
#
# Environment: BENCH_PROVINCE_ENTERPRISES=10000 (BENCH_QUICK: 1000), BENCH_PROVINCE_SECONDS=10
# (BENCH_QUICK: 3) per load run, BENCH_HTTP_WARM=1, BENCH_PROVINCE_CLIENTS="8 32 64",
# BENCH_PROVINCE_THREADS=4 (province_load's), BENCH_PROVINCE_DASHBOARD_MAX=100000 (the largest step
# at which the /dashboard page is timed besides GET /api/cohort), BENCH_PROVINCE_LIST_MAX=100000 (the
# largest at which GET /api/enterprises is), BENCH_SEED (20241, as bench/run.sh).
set -eu
# shellcheck source=bench/serve_lib.sh
. "$(dirname "$0")/serve_lib.sh"

BUILD=${1:-build}
DL=$BUILD/digilevel
LOAD=$BUILD/bench/http_load
PLOAD=$BUILD/bench/province_load
QUICK=${BENCH_QUICK:-}
N=${BENCH_PROVINCE_ENTERPRISES:-10000}
[ -n "$QUICK" ] && N=${BENCH_PROVINCE_ENTERPRISES:-1000}
SECONDS_PER_RUN=${BENCH_PROVINCE_SECONDS:-10}
[ -n "$QUICK" ] && SECONDS_PER_RUN=${BENCH_PROVINCE_SECONDS:-3}
WARM=${BENCH_HTTP_WARM:-1}
CLIENTS=${BENCH_PROVINCE_CLIENTS:-8 32 64}
THREADS=${BENCH_PROVINCE_THREADS:-4}
DASHBOARD_MAX=${BENCH_PROVINCE_DASHBOARD_MAX:-100000}
LIST_MAX=${BENCH_PROVINCE_LIST_MAX:-100000}
SEED=${BENCH_SEED:-20241}
OUT=bench/out
WORK=$OUT/province
RESULTS=$OUT/results.txt
PASSWORD=province-bench-password
export BENCH_SERVE_WAIT=${BENCH_SERVE_WAIT:-600}

PGBIN=$(pg_config --bindir 2>/dev/null || true)
[ -x "$PGBIN/psql" ] || PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r | head -n 1)
PSQL=$PGBIN/psql
[ -x "$PLOAD" ] || {
	echo "bench: $PLOAD not found (run make bench, or make $PLOAD)" >&2
	exit 2
}
[ -x "$PSQL" ] || {
	echo "bench: psql is needed (PostgreSQL's client programs)" >&2
	exit 2
}
# a cluster a killed run left behind (bench_ready removes the folder that names it)
sh tests/scripts/pg_cluster.sh stop "$WORK/pg" >/dev/null 2>&1 || true
bench_ready province curl
load() { awk '{print $1 "/" $2 "/" $3}' /proc/loadavg; }
now() { date +%s.%N; }
elapsed() { awk "BEGIN {printf \"%.2f\", $(now) - $1}"; }

echo
echo "6. a province on PostgreSQL (bench/province.sh): $N enterprises"
echo "  load average (1/5/15 min) before: $(load)"
note load_before "$(load)"

# --- the cluster ---------------------------------------------------------------------------------

bench_cleanup() { sh tests/scripts/pg_cluster.sh stop "$WORK/pg" >/dev/null 2>&1 || true; }
trap 'bench_cleanup' EXIT
trap 'bench_cleanup; exit 1' INT TERM
ADMIN=$(sh tests/scripts/pg_cluster.sh start "$WORK/pg")
sql() { "$PSQL" -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }
sql -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET full_page_writes = on" \
	-c "ALTER SYSTEM SET shared_buffers = '1GB'" -c "ALTER SYSTEM SET max_wal_size = '4GB'" "$ADMIN"
sh tests/scripts/pg_cluster.sh restart "$WORK/pg"
fsync() { # on|off
	sql -c "ALTER SYSTEM SET fsync = $1" -c "SELECT pg_reload_conf()" "$ADMIN" >/dev/null
	sleep 1
	[ "$1" = off ] || sql -c "CHECKPOINT" "$ADMIN"
	[ "$(sql -c 'SHOW fsync' "$ADMIN")" = "$1" ] || {
		echo "bench: fsync is not $1" >&2
		exit 1
	}
}
DB=$(sh tests/scripts/pg_cluster.sh createdb "$WORK/pg" province)
PGVERSION=$(sql -c "SHOW server_version" "$ADMIN")
echo "  PostgreSQL $PGVERSION: $(sql -c "SELECT string_agg(name || '=' || current_setting(name), ' ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'full_page_writes', 'synchronous_commit', 'shared_buffers', 'max_wal_size', 'max_connections', 'work_mem', 'wal_level')" "$ADMIN")"
note pg_version "${PGVERSION%% *}"

# --- the enterprises the load runs use -----------------------------------------------------------

GEN=$OUT/gen
${CC:-cc} -std=c11 -O2 -o "$GEN" bench/gen.c
# integrator int-1-1 has enterprises 1, 401, 801, ... (city 1, every fourth); 50 of the first
# 1,000 enterprises' codes for the filtered lists; the first step loads 1,000
mkdir -p "$WORK/bodies"
"$GEN" -s "$SEED" -n 2000 -d "$WORK/bodies"
CODES=
for f in $(ls "$WORK"/bodies/*-1-before.xml | head -n 50); do
	CODES="$CODES $(sed -n 's/.*<credit-code>\([^<]*\)<.*/\1/p' "$f" | head -n 1)"
done
SAVE_BODIES=
for e in 1 401 801; do
	SAVE_BODIES="$SAVE_BODIES -b $(printf '%s/e%06d-1-before.xml' "$WORK/bodies" "$e")"
done
SCORE_BODIES=
for f in $(ls "$WORK"/bodies/*.xml | head -n 20); do
	SCORE_BODIES="$SCORE_BODIES -b $f"
done

# timed KEY PATH: one GET as the bureau, timed by curl; notes KEY_s and KEY_bytes
timed() {
	r=$(curl -sS -o "$WORK/$1.out" -w '%{http_code} %{time_total} %{size_download}' --max-time 3600 \
		-H "Cookie: $BUREAU" "http://$ADDR$2")
	set -- "$1" "$2" $r
	if [ "$3" != 200 ]; then
		echo "bench: GET $2 answered $3: $(head -c 300 "$WORK/$1.out")" >&2
		exit 1
	fi
	case $1 in *_kept) label="GET $2, again (kept)" ;; *) label="GET $2" ;; esac
	printf "  %-44s %9.2f s  %12s bytes\n" "$label" "$4" "$5"
	note "${STEP}_$1_s" "$4"
	note "${STEP}_$1_bytes" "$5"
}

# run KEY CLIENTS ARGS...: one http_load run on $ADDR; sets LINE
run() {
	key=$1
	c=$2
	shift 2
	if ! LINE=$("$LOAD" -c "$c" -d "$SECONDS_PER_RUN" -w "$WARM" "$@" 2>"$WORK/$key.err"); then
		echo "bench: $key with $c clients failed: $LINE $(cat "$WORK/$key.err")" >&2
		exit 1
	fi
}
row() { # LABEL SERVERS CLIENTS RPS P50 P99
	printf "  %-34s %d server(s) %3s clients %8s req/s  p50 %8s  p99 %8s ms\n" "$@"
}

# --- the steps -----------------------------------------------------------------------------------

loaded=0
STEPS=
for s in 1000 10000 100000; do
	[ "$s" -lt "$N" ] && STEPS="$STEPS $s"
done
STEPS="$STEPS $N"
for size in $STEPS; do
	STEP=e$size
	echo
	echo "  -- $size enterprises ($((2 * size)) sheets); load average $(load)"
	accounts=
	if [ "$loaded" -eq 0 ]; then
		accounts=-a
		kind=fsync_on
	else
		fsync off
		kind=fsync_off
	fi
	"$GEN" -s "$SEED" -n $((2 * size)) -o /dev/stdout |
		"$PLOAD" -d "$DB" -j "$THREADS" -f $((loaded + 1)) $accounts >"$WORK/load.out" 2>"$WORK/load.err" || {
		echo "bench: loading failed: $(tail -n 5 "$WORK/load.err")" >&2
		exit 1
	}
	line=$(cat "$WORK/load.out")
	[ "$loaded" -eq 0 ] || fsync on
	echo "  loaded $(field enterprises "$line") enterprises ($kind, $THREADS threads): $(field sheets_per_s "$line") sheets/s, $(field tx_per_s "$line") transactions/s, $(field seconds "$line") s"
	note "${STEP}_load_${kind}_sheets_per_s" "$(field sheets_per_s "$line")"
	note "${STEP}_load_${kind}_tx_per_s" "$(field tx_per_s "$line")"
	loaded=$size
	sizes=$(sql -c "SELECT pg_database_size(current_database()), (SELECT count(*) FROM sheet), (SELECT count(*) FROM audit), (SELECT count(*) FROM enterprise), pg_total_relation_size('sheet'), pg_total_relation_size('audit')" -F ' ' "$DB")
	set -- $sizes
	echo "  database: $1 bytes; $2 sheets, $3 audit entries, $4 enterprises; table sheet $5 bytes, audit $6 bytes"
	note "${STEP}_db_bytes" "$1"
	note "${STEP}_sheets" "$2"
	note "${STEP}_audit" "$3"
	note "${STEP}_sheet_table_bytes" "$5"
	note "${STEP}_audit_table_bytes" "$6"

	t0=$(now)
	start_server "$DB" s1
	echo "  server started (reading every row's fields) in $(elapsed "$t0") s"
	note "${STEP}_start_s" "$(elapsed "$t0")"
	login bureau
	BUREAU=$COOKIE
	# the first request builds the dashboard (reads and scores every standing sheet), the second
	# is given the build the server kept (no sheet was added in between: cohort_store.h)
	timed cohort /api/cohort
	timed cohort_kept /api/cohort
	# the page does what GET /api/cohort does and more (under the targets' first policy: a build
	# of its own); beyond DASHBOARD_MAX enterprises only the API is timed
	if [ "$size" -le "$DASHBOARD_MAX" ]; then
		timed dashboard /dashboard
		timed dashboard_kept /dashboard
	fi
	[ "$size" -gt "$LIST_MAX" ] || timed enterprises /api/enterprises
	paths=
	for c in $CODES; do paths="$paths /api/sheets?credit_code=$c&phase=diagnosis"; done
	# shellcheck disable=SC2086 # the paths are words on purpose
	run list 8 -H "Cookie: $BUREAU" "$ADDR" $paths
	row "GET /api/sheets?credit_code=&phase=" 1 8 "$(field rps "$LINE")" "$(field p50_ms "$LINE")" "$(field p99_ms "$LINE")"
	note "${STEP}_list_c8_rps" "$(field rps "$LINE")"
	note "${STEP}_list_c8_p50_ms" "$(field p50_ms "$LINE")"
	note "${STEP}_list_c8_p99_ms" "$(field p99_ms "$LINE")"
	[ "$size" = "$N" ] || stop_server
done

# --- saves and scores with one and two servers ---------------------------------------------------

ADDR1=$ADDR
start_server "$DB" s2
ADDR2=$ADDR
ADDR=$ADDR1
login int-1-1
XML='Content-Type: application/xml'
SESSION="-H Cookie:$COOKIE -H X-CSRF-Token:$CSRF"
saved=0
echo "  load average $(load)"
for what in save score; do
	if [ "$what" = save ]; then
		path=/api/sheets
		bodies=$SAVE_BODIES
	else
		path=/api/score
		bodies=$SCORE_BODIES
	fi
	for servers in 1 2; do
		for c in $CLIENTS; do
			k=${what}_s${servers}_c$c
			if [ "$servers" = 1 ]; then
				# shellcheck disable=SC2086
				run "$k" "$c" -X POST -H "$XML" $SESSION $bodies "$ADDR1" "$path"
				rps=$(field rps "$LINE")
				p50=$(field p50_ms "$LINE")
				p99=$(field p99_ms "$LINE")
				[ "$what" = save ] && saved=$((saved + $(field requests "$LINE") + $(field warmup "$LINE")))
			else
				half=$((c / 2))
				# shellcheck disable=SC2086
				"$LOAD" -c "$half" -d "$SECONDS_PER_RUN" -w "$WARM" -X POST -H "$XML" $SESSION $bodies \
					"$ADDR1" "$path" >"$WORK/$k.a" 2>"$WORK/$k.a.err" &
				a=$!
				# shellcheck disable=SC2086
				"$LOAD" -c "$half" -d "$SECONDS_PER_RUN" -w "$WARM" -X POST -H "$XML" $SESSION $bodies \
					"$ADDR2" "$path" >"$WORK/$k.b" 2>"$WORK/$k.b.err" || {
					echo "bench: $k failed: $(cat "$WORK/$k.b" "$WORK/$k.b.err")" >&2
					exit 1
				}
				wait "$a" || {
					echo "bench: $k failed: $(cat "$WORK/$k.a" "$WORK/$k.a.err")" >&2
					exit 1
				}
				la=$(cat "$WORK/$k.a")
				lb=$(cat "$WORK/$k.b")
				rps=$(awk "BEGIN {print $(field rps "$la") + $(field rps "$lb")}")
				p50=$(awk "BEGIN {a = $(field p50_ms "$la"); b = $(field p50_ms "$lb"); print (a > b ? a : b)}")
				p99=$(awk "BEGIN {a = $(field p99_ms "$la"); b = $(field p99_ms "$lb"); print (a > b ? a : b)}")
				if [ "$what" = save ]; then
					saved=$((saved + $(field requests "$la") + $(field warmup "$la")))
					saved=$((saved + $(field requests "$lb") + $(field warmup "$lb")))
				fi
			fi
			row "POST $path" "$servers" "$c" "$rps" "$p50" "$p99"
			note "${k}_rps" "$rps"
			note "${k}_p50_ms" "$p50"
			note "${k}_p99_ms" "$p99"
		done
	done
done
stop_server

# --- nothing lost --------------------------------------------------------------------------------

stored=$(sql -c "SELECT count(*) FROM sheet" "$DB")
expected=$((2 * N + saved))
echo "  saves acknowledged (201): $saved; sheets in the database: $stored (expected $expected)"
note saved "$saved"
if [ "$stored" != "$expected" ]; then
	echo "bench: $saved saves were acknowledged but the database holds $stored sheets, not $expected" >&2
	exit 1
fi
t0=$(now)
if ! "$DL" audit verify --db "$DB" >"$WORK/verify.out" 2>&1; then
	cat "$WORK/verify.out" >&2
	echo "bench: the audit chain does not hold after the load" >&2
	exit 1
fi
echo "  audit verify: $(cat "$WORK/verify.out") ($(elapsed "$t0") s)"
note audit_verify_s "$(elapsed "$t0")"
echo "  load average after: $(load)"
note load_after "$(load)"
