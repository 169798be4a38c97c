#!/bin/sh
# district_load.sh test: bench/district.sh for one second in a temporary folder: a district of the
# five example enterprises with every role logged in at once (integrators and the evaluator saving,
# the enterprises, the supervisor and the bureau reading), every answer 2xx, every save that was
# acknowledged found in the store, and the audit chain whole afterwards. No speed is checked here:
# the figures belong to `make bench` (docs/performance.md).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
case $build in /*) ;; *) build="$top/$build" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$top" || exit 1
if BENCH_OUT="$tmp" BENCH_DISTRICT_SECONDS=1 BENCH_HTTP_WARM=0 sh bench/district.sh "$build" \
	> "$tmp/log" 2>&1; then
	grep -E 'saves acknowledged|审计链' "$tmp/log"
	echo "ok - a district under load: nothing lost, the audit chain whole"
	exit 0
fi
cat "$tmp/log"
echo "not ok - a district under load (bench/district.sh)"
exit 1
