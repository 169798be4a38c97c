#!/bin/sh
# bench/http.sh: the workbench over HTTP, for docs/performance.md (`make bench`, after bench/run.sh).
#
#   sh bench/http.sh [BUILD]       BUILD: the build directory holding digilevel and bench/http_load
#
# Starts the real server (`digilevel serve`) on an ephemeral loopback port with a new database in
# bench/out/http/, stores the ten example sheets (POST /api/sheets), then loads it with
# bench/http_load (keep-alive connections, one request after the other per client) with 1, 8 and 32
# clients:
#   1. POST /api/score, cycling through the ten examples as bodies (client k starts at sheet k);
#   2. GET /api/sheets/{id}/report.pdf, cycling through the ten stored sheets' 数字化诊断报告;
# and prints, for each, requests/s, latency p50/p90/p99/max, and the server's CPU time per request
# (its utime + stime from /proc, which other jobs on the machine disturb far less than the wall).
# Then it scores the same sheets with `digilevel batch --per-sheet` (a directory of copies of the
# ten examples, -j 1 and all cores, the fastest of BENCH_REPEAT runs). The ratio of the HTTP scoring
# rate to batch's is measured apart, side by side: BENCH_HTTP_RATIO_ROUNDS rounds, each a scoring
# run over HTTP (BENCH_HTTP_RATIO_SECONDS, with the number of clients that scored fastest above)
# and one batch run (all cores) right after it, each round giving its own ratio; the median round
# counts. On a shared machine the speed of a core drifts by a third within minutes, so two figures
# taken minutes apart compare the moments more than the programs (one 10 s HTTP run against the
# fastest of five batch runs read 0.75 and 0.86 for the same build, ten minutes apart).
# Any answer that is not 2xx fails the benchmark.
# Every figure goes to bench/out/results.txt as http_NAME=value (the lines of an earlier run of this
# script are replaced; bench/run.sh's are kept).
#
# Environment (all optional):
#   BENCH_HTTP_SECONDS=10   measured seconds per run (BENCH_QUICK: 3)
#   BENCH_HTTP_WARM=1       unrecorded warm-up seconds before each run
#   BENCH_HTTP_CLIENTS="1 8 32"
#   BENCH_HTTP_SHEETS=2000  sheets batch scores (copies of the ten examples; BENCH_QUICK: 500)
#   BENCH_REPEAT=5          batch runs per figure, the fastest counts (BENCH_QUICK: 3)
#   BENCH_HTTP_RATIO_ROUNDS=9   rounds of the side-by-side ratio (BENCH_QUICK: 3)
#   BENCH_HTTP_RATIO_SECONDS=2  seconds of each round's scoring over HTTP
#   BENCH_QUICK=1           shorter runs
set -eu
# shellcheck source=bench/serve_lib.sh
. "$(dirname "$0")/serve_lib.sh"

BUILD=${1:-build}
DL=$BUILD/digilevel
LOAD=$BUILD/bench/http_load
QUICK=${BENCH_QUICK:-}
SECONDS_PER_RUN=${BENCH_HTTP_SECONDS:-10}
[ -n "$QUICK" ] && SECONDS_PER_RUN=${BENCH_HTTP_SECONDS:-3}
WARM=${BENCH_HTTP_WARM:-1}
CLIENTS=${BENCH_HTTP_CLIENTS:-1 8 32}
SHEETS=${BENCH_HTTP_SHEETS:-2000}
[ -n "$QUICK" ] && SHEETS=${BENCH_HTTP_SHEETS:-500}
REPEAT=${BENCH_REPEAT:-5}
[ -n "$QUICK" ] && REPEAT=${BENCH_REPEAT:-3}
RATIO_SECONDS=${BENCH_HTTP_RATIO_SECONDS:-2}
RATIO_ROUNDS=${BENCH_HTTP_RATIO_ROUNDS:-9}
[ -n "$QUICK" ] && RATIO_ROUNDS=${BENCH_HTTP_RATIO_ROUNDS:-3}
CORES=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc)
TICKS=$(getconf CLK_TCK)
TIME=/usr/bin/time
OUT=bench/out
WORK=$OUT/http
RESULTS=$OUT/results.txt

bench_ready http curl "$TIME"
load() { awk '{print $1}' /proc/loadavg 2>/dev/null || echo "?"; }
# cpu PID: the process's CPU time so far, in clock ticks (utime + stime, all its threads)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }

echo
echo "4. the workbench over HTTP (digilevel serve on loopback, bench/http_load)"
echo "  load average before: $(load)"
note load_before "$(load)"

# the sheets batch scores: copies of the examples
COPIES=$WORK/sheets
mkdir -p "$COPIES"
copies=$(((SHEETS + 9) / 10))
SHEETS=$((copies * $(ls examples/*.xml | wc -l)))
i=0
while [ "$i" -lt "$copies" ]; do
	for f in examples/*.xml; do
		cp "$f" "$COPIES/$i-$(basename "$f")"
	done
	i=$((i + 1))
done

# --- the server ----------------------------------------------------------------------------------

start_server "$WORK/workbench.db"
echo "  server: $ADDR, pid $SERVER, at its defaults (a thread per connection, at most 256)"

# --- the sheets ----------------------------------------------------------------------------------

BODIES=
PDFS=
for f in examples/*.xml; do
	answer=$(curl -sS -H 'Content-Type: application/xml' --data-binary "@$f" "http://$ADDR/api/sheets")
	id=$(echo "$answer" | sed -n 's/^{"id": \([0-9][0-9]*\),.*/\1/p')
	if [ -z "$id" ]; then
		echo "bench: the server did not store $f: $answer" >&2
		exit 1
	fi
	BODIES="$BODIES -b $f"
	PDFS="$PDFS /api/sheets/$id/report.pdf"
done
echo "  stored the $(ls examples/*.xml | wc -l) example sheets; each run: $WARM s warm-up, then" \
	"$SECONDS_PER_RUN s measured"

# --- the runs ------------------------------------------------------------------------------------

# run KEY CLIENTS ARGS...: one http_load run; prints its row and notes its figures
run() {
	key=$1
	c=$2
	shift 2
	before=$(cpu "$SERVER")
	if ! line=$("$LOAD" -c "$c" -d "$SECONDS_PER_RUN" -w "$WARM" "$@" 2>"$WORK/$key.err"); then
		echo "bench: $key with $c clients failed:" >&2
		echo "$line" >&2
		cat "$WORK/$key.err" >&2
		exit 1
	fi
	after=$(cpu "$SERVER")
	# the server's CPU over the warm-up and the measured time, per request answered in both
	all=$(($(field requests "$line") + $(field warmup "$line")))
	us=$(awk "BEGIN {printf \"%.0f\", ($after - $before) * 1000000 / $TICKS / ($all > 0 ? $all : 1)}")
	printf "  %-34s %3s clients %8s req/s  p50 %7s  p90 %7s  p99 %7s  max %7s ms  %6s us CPU/req\n" \
		"$LABEL" "$c" "$(field rps "$line")" "$(field p50_ms "$line")" "$(field p90_ms "$line")" \
		"$(field p99_ms "$line")" "$(field max_ms "$line")" "$us"
	for f in rps p50_ms p90_ms p99_ms max_ms requests reconnects bytes; do
		note "${key}_c${c}_$f" "$(field "$f" "$line")"
	done
	note "${key}_c${c}_cpu_us" "$us"
	RPS=$(field rps "$line")
	P99=$(field p99_ms "$line")
	CPU_US=$us
}

LABEL="POST /api/score (10 examples)"
BEST_SCORE=0
for c in $CLIENTS; do
	# shellcheck disable=SC2086 # the -b options are words on purpose
	run score "$c" -X POST -H 'Content-Type: application/xml' $BODIES "$ADDR" /api/score
	[ "$c" = 8 ] && P99_8=$P99 && RPS_8=$RPS
	awk "BEGIN {exit !($RPS > $BEST_SCORE)}" && BEST_SCORE=$RPS && BEST_C=$c && SCORE_CPU=$CPU_US
done
LABEL="GET /api/sheets/ID/report.pdf"
for c in $CLIENTS; do
	# shellcheck disable=SC2086
	run pdf "$c" "$ADDR" $PDFS
done

# --- batch on the same sheets (the server waits) ----------------------------------------------------

# once CMD...: run it and read its wall time W and user + sys times U and S (s)
once() {
	"$TIME" -f "%e %U %S" -o "$WORK/batch.time" "$@" >/dev/null 2>"$WORK/batch.err" || {
		echo "bench: failed: $*" >&2
		tail -n 5 "$WORK/batch.err" >&2
		exit 1
	}
	read -r W U S <"$WORK/batch.time"
}

# timed CMD...: the fastest of REPEAT runs: WALL (s) and CPU (user + sys, s) of that run
timed() {
	WALL=
	i=0
	while [ "$i" -lt "$REPEAT" ]; do
		once "$@"
		w=$W u=$U s=$S
		if [ -z "$WALL" ] || awk "BEGIN {exit !($w < $WALL)}"; then
			WALL=$w
			CPU=$(awk "BEGIN {print $u + $s}")
		fi
		i=$((i + 1))
	done
}
for j in 1 "$CORES"; do
	timed "$DL" batch --per-sheet -j "$j" "$COPIES"
	rate=$(awk "BEGIN {printf \"%.0f\", $SHEETS / ($WALL > 0 ? $WALL : 0.001)}")
	us=$(awk "BEGIN {printf \"%.0f\", $CPU * 1000000 / $SHEETS}")
	printf "  %-34s %8s sheets/s  %6.2f s  %6s us CPU/sheet\n" \
		"batch --per-sheet -j $j, $SHEETS sheets" "$rate" "$WALL" "$us"
	note "batch_j${j}" "$rate"
	note "batch_j${j}_cpu_us" "$us"
	BATCH=$rate
	BATCH_CPU=$us
	[ "$j" = "$CORES" ] && break
done

# --- the ratio: scoring over HTTP and batch side by side -----------------------------------------

# Each round scores over HTTP for RATIO_SECONDS, then runs batch once, and takes the two ratios of
# that round (rates; batch's CPU per sheet to the server's per request): a slow spell of a shared
# machine that lasts longer than a round lowers both sides alike. The median round counts.
RATES=
CPUS=
r=0
while [ "$r" -lt "$RATIO_ROUNDS" ]; do
	before=$(cpu "$SERVER")
	# shellcheck disable=SC2086 # the -b options are words on purpose
	if ! line=$("$LOAD" -c "$BEST_C" -d "$RATIO_SECONDS" -w 0 -X POST \
		-H 'Content-Type: application/xml' $BODIES "$ADDR" /api/score 2>"$WORK/ratio.err"); then
		echo "bench: the ratio's scoring run failed:" >&2
		echo "$line" >&2
		cat "$WORK/ratio.err" >&2
		exit 1
	fi
	after=$(cpu "$SERVER")
	once "$DL" batch --per-sheet -j "$CORES" "$COPIES"
	RATES="$RATES $(awk "BEGIN {printf \"%.3f\", $(field rps "$line") * $W / $SHEETS}")"
	# (a round the server spent no whole tick on counts as no ratio: 0)
	CPUS="$CPUS $(awk "BEGIN {t = ($after - $before) / $TICKS / $(field requests "$line");
		printf \"%.3f\", (t > 0 ? ($U + $S) / $SHEETS / t : 0)}")"
	r=$((r + 1))
done
stop_server
# median WORDS: the middle one of the numbers (the upper of the two middle ones for an even count)
median() { echo "$@" | tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{v[NR] = $1} END {print v[int(NR / 2) + 1]}'; }
# shellcheck disable=SC2086 # the lists are split into words on purpose
note ratio_rounds "$(echo $RATES | tr ' ' ',')"
# shellcheck disable=SC2086
note ratio_cpu_rounds "$(echo $CPUS | tr ' ' ',')"

# --- verdicts ------------------------------------------------------------------------------------

# shellcheck disable=SC2086
ratio=$(awk "BEGIN {printf \"%.2f\", $(median $RATES)}")
# shellcheck disable=SC2086
cpu_ratio=$(awk "BEGIN {printf \"%.2f\", $(median $CPUS)}")
met=$(awk "BEGIN {print ($ratio >= 0.8) ? \"met\" : \"NOT met\"}")
echo "  side by side, $RATIO_ROUNDS rounds of scoring over HTTP ($BEST_C clients, $RATIO_SECONDS s) then" \
	"batch -j $CORES: the rate ratios$RATES; the CPU ratios$CPUS"
echo "  scoring over HTTP against batch -j $CORES (the median round): $ratio of its rate: $met" \
	"(target: 0.80); $cpu_ratio of its CPU per sheet"
note score_ratio "$ratio"
note score_cpu_ratio "$cpu_ratio"
if [ -n "${P99_8:-}" ]; then
	met=$(awk "BEGIN {print ($P99_8 < 50) ? \"met\" : \"NOT met\"}")
	echo "  p99 of a score with 8 clients: $P99_8 ms ($RPS_8 req/s): $met (target: under 50 ms)"
fi
echo "  load average after: $(load)"
note load_after "$(load)"
