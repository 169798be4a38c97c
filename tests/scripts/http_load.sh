#!/bin/sh
# http_load.sh test: the benchmark's load client (bench/http_load.c, built by `make check`) against a
# real `digilevel serve` on an ephemeral loopback port: 2 clients for 1 s answered with no failure
# (GET and a POST with a body), every non-2xx answer counted and failing the run, and an address
# that is not loopback refused. No speed is checked here: figures belong to `make bench`.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
case $build in /*) ;; *) build="$top/$build" ;; esac
load=$build/bench/http_load
bad=0
check() { # check WHAT COND...: one line per check
	what=$1
	shift
	if "$@"; then
		echo "ok - $what"
	else
		echo "not ok - $what"
		bad=1
	fi
}

tmp=$(mktemp -d)
server=
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	if [ -n "$server" ]; then
		kill -TERM "$server" 2>/dev/null
		wait "$server" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
cd "$top" || exit 1
unset LANG LANGUAGE LC_ALL LC_MESSAGES
"$build/digilevel" serve --db "$tmp/db" --listen 127.0.0.1:0 --port-file "$tmp/port" --quiet \
	--questionnaires questionnaires --policies policies 2>"$tmp/serve.log" &
server=$!
i=0
while [ ! -s "$tmp/port" ] && [ "$i" -lt 100 ] && kill -0 "$server" 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
if [ ! -s "$tmp/port" ]; then
	echo "not ok - the server did not start"
	cat "$tmp/serve.log"
	exit 1
fi
addr=127.0.0.1:$(cat "$tmp/port")

# field NAME LINE: the value of NAME=... in http_load's line
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

out=$("$load" -c 2 -d 1 "$addr" /api/health /api/questionnaires 2>"$tmp/err")
rc=$?
check "GET, 2 clients, 1 s: exit 0 ($out)" [ "$rc" -eq 0 ]
check "GET: requests answered" [ "$(field requests "$out")" != 0 ]
check "GET: 0 non-2xx, 0 errors" [ "$(field non2xx "$out")/$(field errors "$out")" = 0/0 ]

out=$("$load" -c 2 -d 1 -X POST -H 'Content-Type: application/xml' -b examples/food-before.xml \
	-b examples/food-after.xml "$addr" /api/score 2>"$tmp/err")
rc=$?
check "POST /api/score with two bodies: exit 0 ($out)" [ "$rc" -eq 0 ]
check "POST: 0 non-2xx, 0 errors" [ "$(field non2xx "$out")/$(field errors "$out")" = 0/0 ]
check "POST: answers of a score's size" [ "$(field bytes "$out")" -gt 10000 ]

out=$("$load" -c 2 -d 1 "$addr" /api/health /api/nothing-here 2>"$tmp/err")
rc=$?
check "a 404 in the cycle: exit 1 ($out)" [ "$rc" -eq 1 ]
check "a 404 in the cycle: counted" [ "$(field non2xx "$out")" != 0 ]
check "a 404 in the cycle: said on stderr" grep -q "not 2xx (the first: 404)" "$tmp/err"

"$load" -c 1 -d 1 192.0.2.1:80 / >/dev/null 2>"$tmp/err"
rc=$?
check "an address that is not loopback: refused (exit 2)" [ "$rc" -eq 2 ]
check "refused: said why" grep -q "is refused" "$tmp/err"
"$load" -c 257 -d 1 "$addr" / >/dev/null 2>&1
check "more than 256 clients: refused" [ "$?" -eq 2 ]
"$load" -c 1 -d 121 "$addr" / >/dev/null 2>&1
check "more than 120 s: refused" [ "$?" -eq 2 ]
exit $bad
