#!/bin/sh
# bench/run.sh: the benchmark behind docs/performance.md (`make bench`).
#
#   sh bench/run.sh [BUILD]        BUILD: the build directory holding digilevel (default: build)
#
# Generates synthetic cohorts with bench/gen.c (deterministic: same seed, same bytes) under
# bench/out/, then measures and prints:
#   1. sheets scored per second, single-threaded (-j 1) and with all cores, from a directory of
#      sheet files and from one <answer-sheets> stream, against `xmllint --stream --noout` on the
#      same bytes (the floor: reading the XML and nothing else), with the ratio;
#   2. peak memory (maximum resident set, /usr/bin/time -v) for a small and a large cohort, in
#      --per-sheet streaming mode (must not grow with the number of sheets) and in pairing mode;
#   3. if `digilevel report` exists: diagnostic reports per second and bytes per report, and a
#      whole cohort's PDF reports (`batch --reports`: a 诊断报告 and a 验收意见 per enterprise) on
#      all cores.
# Every figure is also written to bench/out/results.txt (name=value) for docs/performance.md.
#
# Environment (all optional):
#   BENCH_SEED=20241       generator seed
#   BENCH_COHORT=2000      sheets in the throughput and report cohort (1,000 enterprises)
#   BENCH_SMALL=1000       sheets in the small memory run
#   BENCH_MID=10000        sheets in the middle memory run (the allocator has warmed up by then)
#   BENCH_LARGE=100000     sheets in the large memory run
#   BENCH_REPEAT=5         runs per throughput figure (the fastest counts: the others were disturbed)
#   BENCH_REPORTS=50       reports rendered one process at a time for the per-report figures
#   BENCH_QUICK=1          skip the large memory runs and the whole-cohort reports
#   CC=cc                  compiler for the generator
# Wall-clock figures depend on what else runs on the machine: the load average is printed before
# and after, and CPU time per sheet is printed beside every rate.
set -eu

BUILD=${1:-build}
DL=$BUILD/digilevel
OUT=bench/out
SEED=${BENCH_SEED:-20241}
COHORT=${BENCH_COHORT:-2000}
SMALL=${BENCH_SMALL:-1000}
MID=${BENCH_MID:-10000}
LARGE=${BENCH_LARGE:-100000}
REPEAT=${BENCH_REPEAT:-5}
REPORTS=${BENCH_REPORTS:-50}
QUICK=${BENCH_QUICK:-}
CORES=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc)
POLICY=policies/hongsibu-2024.xml
TIME=/usr/bin/time

if [ ! -x "$DL" ]; then
	echo "bench: $DL not found (run make first, or give the build directory)" >&2
	exit 2
fi
for tool in xmllint "$TIME"; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "bench: $tool is needed" >&2
		exit 2
	fi
done
mkdir -p "$OUT"
RESULTS=$OUT/results.txt
: >"$RESULTS"
TMP=$OUT/tmp
rm -rf "$TMP"
mkdir -p "$TMP"

note() { echo "$1=$2" >>"$RESULTS"; }
load() { awk '{print $1}' /proc/loadavg 2>/dev/null || echo "?"; }

# --- the machine --------------------------------------------------------------------------------

MODEL=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)
MEM=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || echo "?")
echo "machine: $CORES cores ($(nproc) online to this process), ${MODEL:-unknown CPU}, $MEM"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); digilevel: $($DL --version); $(xmllint --version 2>&1 | head -n 1)"
echo "load average before: $(load)"
note cores "$CORES"
note model "${MODEL:-unknown}"
note memory "$MEM"
note date "$(date -u '+%Y-%m-%d')"
note load_before "$(load)"

# --- corpora -------------------------------------------------------------------------------------

GEN=$OUT/gen
${CC:-cc} -std=c11 -O2 -o "$GEN" bench/gen.c
# Regenerate only when the generator or the seed changed.
STAMP="$(cksum <bench/gen.c) seed $SEED"
if [ ! -f "$OUT/corpus.stamp" ] || [ "$(cat "$OUT/corpus.stamp")" != "$STAMP" ]; then
	rm -rf "$OUT/corpus"
fi
CORPUS=$OUT/corpus
mkdir -p "$CORPUS"
echo "$STAMP" >"$OUT/corpus.stamp"

# corpus NAME SHEETS [-d]: a stream NAME.xml (and, with -d, a directory NAME/ of files)
corpus() {
	if [ "${3:-}" = -d ] && [ ! -d "$CORPUS/$1" ]; then
		mkdir -p "$CORPUS/$1.tmp"
		"$GEN" -s "$SEED" -n "$2" -d "$CORPUS/$1.tmp"
		mv "$CORPUS/$1.tmp" "$CORPUS/$1"
	fi
	if [ ! -f "$CORPUS/$1.xml" ]; then
		"$GEN" -s "$SEED" -n "$2" -o "$CORPUS/$1.tmp.xml"
		mv "$CORPUS/$1.tmp.xml" "$CORPUS/$1.xml"
	fi
}

# parts NAME SHEETS: the same sheets as NAME.xml, as stream files of 2,000 sheets each
parts() {
	if [ ! -f "$CORPUS/$1-parts/done" ]; then
		rm -rf "$CORPUS/$1-parts"
		mkdir -p "$CORPUS/$1-parts"
		"$GEN" -s "$SEED" -n "$2" -o "$CORPUS/$1-parts/$1.xml" -p 2000
		: >"$CORPUS/$1-parts/done"
	fi
}

echo
echo "generating (seed $SEED; kept in $CORPUS until bench/gen.c or the seed changes) ..."
corpus "c$COHORT" "$COHORT" -d
corpus "s$SMALL" "$SMALL"
[ -n "$QUICK" ] || corpus "s$MID" "$MID"
[ -n "$QUICK" ] || corpus "s$LARGE" "$LARGE"
BYTES=$(wc -c <"$CORPUS/c$COHORT.xml")
echo "cohort: $COHORT sheets ($((COHORT / 2)) enterprises, pairs adjacent), $((BYTES / 1024)) KiB as a stream," \
	"$((BYTES / COHORT)) bytes per sheet"
note cohort_sheets "$COHORT"
note bytes_per_sheet "$((BYTES / COHORT))"

# Every generated sheet must score, at the level it was built for.
"$GEN" -s "$SEED" -n "$COHORT" -l | awk '{print $3}' >"$TMP/levels.want"
"$DL" batch --per-sheet -j "$CORES" "$CORPUS/c$COHORT" 2>"$TMP/check.err" |
	awk -F, 'NR > 1 {print $9}' >"$TMP/levels.got" || true
if ! cmp -s "$TMP/levels.want" "$TMP/levels.got"; then
	echo "bench: the generated cohort does not score as generated:" >&2
	head -n 20 "$TMP/check.err" >&2
	exit 1
fi
echo "check: all $COHORT sheets score, each at the level it was generated for" \
	"($(sort "$TMP/levels.got" | uniq -c | awk '{printf "%s%s at %s", (NR > 1 ? ", " : ""), $1, $2}'))"

# --- timing helpers ------------------------------------------------------------------------------

# timed NAME CMD...: run CMD REPEAT times (stdout discarded); keep the fastest wall time.
# Sets WALL (s), CPU (user + sys, s, of that run) and RSS (KiB, the largest of all runs).
timed() {
	name=$1
	shift
	WALL=
	RSS=0
	i=0
	while [ "$i" -lt "$REPEAT" ]; do
		"$TIME" -f "%e %U %S %M" -o "$TMP/$name.time" "$@" >/dev/null 2>"$TMP/$name.err" || {
			echo "bench: failed: $*" >&2
			tail -n 5 "$TMP/$name.err" >&2
			exit 1
		}
		read -r w u s m <"$TMP/$name.time"
		if [ -z "$WALL" ] || awk "BEGIN {exit !($w < $WALL)}"; then
			WALL=$w
			CPU=$(awk "BEGIN {print $u + $s}")
		fi
		[ "$m" -gt "$RSS" ] && RSS=$m
		i=$((i + 1))
	done
}

rate() { awk "BEGIN {printf \"%.0f\", $1 / ($2 > 0 ? $2 : 0.001)}"; }
per() { awk "BEGIN {printf \"%.0f\", $1 * 1000000 / $2}"; }

# row LABEL KEY SHEETS: print the rate of the last timed run and note it as KEY
row() {
	r=$(rate "$3" "$WALL")
	printf "  %-46s %8s sheets/s  %6.2f s  %5s us CPU/sheet\n" "$1" "$r" "$WALL" "$(per "$CPU" "$3")"
	note "$2" "$r"
	note "$2_cpu_us" "$(per "$CPU" "$3")"
	LAST=$r
}

ratio() { awk "BEGIN {printf \"%.2f\", $1 / $2}"; }

# --- 1. throughput -------------------------------------------------------------------------------

echo
echo "1. scoring throughput, $COHORT sheets (fastest of $REPEAT runs)"
FILES=$CORPUS/c$COHORT
STREAM=$CORPUS/c$COHORT.xml
# xmllint gets every file in one process, as digilevel does
ls "$FILES"/*.xml >"$TMP/files.list"
timed xl_files sh -c "xargs xmllint --stream --noout <'$TMP/files.list'"
row "xmllint --stream --noout, files" xmllint_files "$COHORT"
XL_FILES=$LAST
timed xl_stream xmllint --stream --noout "$STREAM"
row "xmllint --stream --noout, stream" xmllint_stream "$COHORT"
XL_STREAM=$LAST
for mode in files stream; do
	if [ "$mode" = files ]; then src=$FILES; xl=$XL_FILES; else src=$STREAM; xl=$XL_STREAM; fi
	for j in 1 "$CORES"; do
		timed "dl_${mode}_j$j" "$DL" batch --per-sheet -j "$j" "$src"
		row "digilevel batch --per-sheet -j $j, $mode" "score_${mode}_j$j" "$COHORT"
		# issue 10: single-threaded at least 0.4 of xmllint's rate; issue 5: all cores 0.5
		target="0.50 with all cores"
		[ "$j" = 1 ] && target="0.40 single-threaded"
		printf "  %-46s %8s of xmllint's rate (target: %s)\n" "" "$(ratio "$LAST" "$xl")" "$target"
		note "ratio_${mode}_j$j" "$(ratio "$LAST" "$xl")"
		if [ "$j" = 1 ]; then
			ONE=$LAST
		else
			printf "  %-46s %8s of the single-threaded rate (target: no slower)\n" "" \
				"$(ratio "$LAST" "$ONE")"
			note "threads_gain_${mode}" "$(ratio "$LAST" "$ONE")"
		fi
		[ "$j" = "$CORES" ] && break
	done
done
timed dl_pairs "$DL" batch --policy "$POLICY" -j "$CORES" "$STREAM"
row "digilevel batch --policy (pairing) -j $CORES, stream" "pairs_stream_j$CORES" "$COHORT"

# --- 2. memory -----------------------------------------------------------------------------------

# peak LABEL KEY SHEETS ARGS...: one run under /usr/bin/time -v; prints the maximum resident set
peak() {
	label=$1
	key=$2
	n=$3
	shift 3
	"$TIME" -v "$DL" batch "$@" >/dev/null 2>"$TMP/$key.err" || true
	if grep -q "larger than the limit" "$TMP/$key.err"; then
		PEAK=refused
		return
	fi
	if ! grep -q "batch: $n sheets, $n scored, 0 failed" "$TMP/$key.err"; then
		echo "bench: $label did not score all $n sheets:" >&2
		grep -v "^	" "$TMP/$key.err" | tail -n 5 >&2
		exit 1
	fi
	PEAK=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$TMP/$key.err")
	secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$TMP/$key.err" |
		awk -F: '{s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s}')
	printf "  %-46s %8.1f MiB  %7.2f s  %8s sheets/s\n" "$label" "$(awk "BEGIN {print $PEAK / 1024}")" \
		"$secs" "$(rate "$n" "$secs")"
	note "$key" "$PEAK"
	note "${key}_rate" "$(rate "$n" "$secs")"
}

# streams N: the stream(s) of the N-sheet cohort that batch accepts (one file, else parts)
STREAM_NOTE=
streams() {
	if [ "$(cat "$TMP/refused.$1" 2>/dev/null)" = yes ]; then
		parts "s$1" "$1"
		ls "$CORPUS/s$1-parts"/*.xml
	else
		echo "$CORPUS/s$1.xml"
	fi
}

# memory MODE-LABEL KEY N ARGS...: peak for the N-sheet cohort, falling back to parts when refused
memory() {
	label=$1
	key=$2
	n=$3
	shift 3
	[ "$(cat "$TMP/refused.$n" 2>/dev/null)" = yes ] && label="$label (in parts)"
	# shellcheck disable=SC2046
	peak "$label" "$key" "$n" "$@" $(streams "$n")
	if [ "$PEAK" = refused ]; then
		# a stream of any size is read as one (each sheet is held to the file size limit,
		# not the stream: docs/security.md); splitting it would hide the regression
		echo "bench: batch refused the single stream of $n sheets:" >&2
		grep -v "^	" "$TMP/$key.err" | tail -n 5 >&2
		exit 1
	fi
}

echo
echo "2. peak memory (maximum resident set), -j $CORES"
SIZES=$SMALL
[ -n "$QUICK" ] || SIZES="$SMALL $MID $LARGE"
for n in $SIZES; do
	memory "--per-sheet, stream, $n sheets" "rss_stream_$n" "$n" --per-sheet -j "$CORES"
done
for n in $SIZES; do
	memory "pairing --policy, stream, $n sheets" "rss_pairs_$n" "$n" --policy "$POLICY" -j "$CORES"
done
if [ -n "$STREAM_NOTE" ]; then
	echo "  note: batch refused the single stream of$STREAM_NOTE sheets (a stream file over the 16 MiB"
	echo "  file limit is not recognised as a stream): measured on the same sheets as streams of 2,000."
	note stream_refused "$STREAM_NOTE"
fi
if [ -z "$QUICK" ]; then
	# A stream is read a 64 KiB block and one sheet at a time (engine/model/stream.c): flat means the
	# largest cohort needs no more than the middle one.
	mid=$(sed -n "s/^rss_stream_$MID=//p" "$RESULTS")
	large=$(sed -n "s/^rss_stream_$LARGE=//p" "$RESULTS")
	growth=$(ratio "$large" "$mid")
	verdict=$(awk "BEGIN {print ($growth <= 1.10) ? \"flat\" : \"GROWS\"}")
	echo "  --per-sheet: $LARGE sheets use ${growth}x the memory of $MID: $verdict (target: flat)"
	note rss_stream_growth "$growth"
	mid=$(sed -n "s/^rss_pairs_$MID=//p" "$RESULTS")
	large=$(sed -n "s/^rss_pairs_$LARGE=//p" "$RESULTS")
	per=$(awk "BEGIN {printf \"%.1f\", ($large - $mid) * 2 / ($LARGE - $MID)}")
	echo "  pairing: $LARGE sheets use $(ratio "$large" "$mid")x the memory of $MID:" \
		"$per KiB per enterprise (its diagnosis and its row are kept until the end, by design)"
	note rss_pairs_growth "$(ratio "$large" "$mid")"
	note rss_pairs_per_enterprise_kib "$per"
fi

# --- 3. reports ----------------------------------------------------------------------------------

echo
echo "3. PDF reports"
if ! "$DL" report --help >/dev/null 2>&1; then
	echo "  digilevel has no report command in this build: not measured"
	note reports none
else
	R=$TMP/reports
	mkdir -p "$R"
	ls "$FILES"/*-before.xml | head -n "$REPORTS" >"$TMP/report.list"
	n=$(wc -l <"$TMP/report.list")
	cat >"$TMP/diagnostic.sh" <<-EOF
		for f in "\$@"; do
			"$DL" report diagnostic "\$f" -o "$R/\$(basename "\$f" .xml).pdf" || exit 1
		done
	EOF
	timed rep1 sh -c "xargs sh '$TMP/diagnostic.sh' <'$TMP/report.list'"
	bytes=$(cat "$R"/*.pdf | wc -c)
	printf "  %-46s %8.2f reports/s  %6.2f s  %5.0f ms CPU/report  %s KiB/report\n" \
		"report diagnostic, one at a time, $n sheets" "$(awk "BEGIN {print $n / $WALL}")" "$WALL" \
		"$(awk "BEGIN {print $CPU * 1000 / $n}")" "$((bytes / n / 1024))"
	note reports_per_s_j1 "$(awk "BEGIN {printf \"%.2f\", $n / $WALL}")"
	note report_cpu_ms "$(awk "BEGIN {printf \"%.0f\", $CPU * 1000 / $n}")"
	note report_bytes "$((bytes / n))"
	if "$DL" report diagnostic "$(head -n 1 "$TMP/report.list")" -o "$R/again.pdf" &&
		cmp -s "$R/again.pdf" "$R/$(basename "$(head -n 1 "$TMP/report.list")" .xml).pdf"; then
		echo "  (the same sheet gives a byte-identical PDF)"
	fi
	if [ -n "$QUICK" ]; then
		echo "  whole-cohort reports skipped (BENCH_QUICK)"
	else
		# The whole cohort as an evaluator runs it: one batch scores every sheet, pairs them and
		# writes each enterprise's 诊断报告 and 验收意见 into a directory, on all cores.
		rm -rf "$R"
		REPEAT_SAVED=$REPEAT
		REPEAT=1
		timed cohort_reports "$DL" batch -j "$CORES" --policy "$POLICY" --reports "$R" \
			--csv "$TMP/cohort-rows.csv" "$FILES"
		REPEAT=$REPEAT_SAVED
		enterprises=$((COHORT / 2))
		written=$(ls "$R"/*.pdf 2>/dev/null | wc -l)
		bytes=$(cat "$R"/*.pdf | wc -c)
		verdict=$(awk "BEGIN {print ($WALL < 60) ? \"met\" : \"NOT met\"}")
		printf "  %-46s %8.1f s  %6.1f s CPU  %s PDFs, %s KiB each, peak %s MiB\n" \
			"batch --reports, $enterprises enterprises, -j $CORES" "$WALL" "$CPU" "$written" \
			"$((bytes / written / 1024))" "$((RSS / 1024))"
		echo "  whole cohort, all PDFs: $WALL s on $CORES cores: $verdict (target: under 60 s on 2 cores)"
		note cohort_reports_s "$WALL"
		note cohort_reports_cpu_s "$CPU"
		note cohort_reports_written "$written"
		note cohort_reports_bytes "$((bytes / written))"
		note cohort_reports_rss_kib "$RSS"
	fi
fi

echo
echo "load average after: $(load)"
note load_after "$(load)"
rm -rf "$TMP"
echo "figures: $RESULTS"
