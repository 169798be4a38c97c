# bench/serve_lib.sh: what the benchmarks of the workbench, bench/http.sh and bench/district.sh,
# share (each sources it: `. "$(dirname "$0")/serve_lib.sh"`): making ready, starting `digilevel
# serve` on a loopback port and stopping it. The script sets DL (the digilevel program), LOAD
# (bench/http_load), WORK (its own folder) and RESULTS (the figures' file) first.
#
# bench_ready PREFIX TOOL...: check that $DL and $LOAD are built and every TOOL is there (else exit 2
# naming what is missing), make $WORK anew, and drop an earlier run's PREFIX_ lines from $RESULTS.
# note NAME VALUE: a figure, as PREFIX_NAME=VALUE in $RESULTS.
# field NAME LINE: the value of NAME=... in a line bench/http_load printed.
# start_server DB [NAME]: start `$DL serve` with the database DB (a file or a PostgreSQL URL) on an
# ephemeral loopback port, with the checkout's questionnaires and policies, quiet, its stderr in
# $WORK/serve.log ($WORK/NAME.log); wait until it has written its port to $WORK/port
# ($WORK/NAME.port), at most BENCH_SERVE_WAIT seconds (10; a server re-reads every stored row at
# start); when it exits first or takes longer, print its log and exit 1. Sets SERVER (its process
# id), PORT and ADDR (127.0.0.1:PORT); several may run at once (each with its NAME). Every server
# started is stopped when the script ends or is interrupted, and then bench_cleanup runs (a
# function the script may define after sourcing this; by default nothing).
# stop_server: stop every server started (TERM, then wait for each); nothing when none runs.

bench_ready() {
	NOTE_PREFIX=$1
	shift
	for f in "$DL" "$LOAD"; do
		if [ ! -x "$f" ]; then
			echo "bench: $f not found (run make bench, or make $f)" >&2
			exit 2
		fi
	done
	for tool in "$@"; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "bench: $tool is needed" >&2
			exit 2
		fi
	done
	rm -rf "$WORK"
	mkdir -p "$WORK"
	touch "$RESULTS"
	sed -i "/^${NOTE_PREFIX}_/d" "$RESULTS"
}

note() { echo "${NOTE_PREFIX}_$1=$2" >>"$RESULTS"; }
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

SERVER=
SERVERS=
bench_cleanup() { :; }
stop_server() {
	for sl_pid in $SERVERS; do
		kill -TERM "$sl_pid" 2>/dev/null || true
		wait "$sl_pid" 2>/dev/null || true
	done
	SERVERS=
	SERVER=
}

start_server() {
	sl_name=${2:-}
	sl_port=$WORK/${sl_name:-port}${sl_name:+.port}
	sl_log=$WORK/${sl_name:-serve}.log
	rm -f "$sl_port"
	"$DL" serve --db "$1" --listen 127.0.0.1:0 --port-file "$sl_port" --quiet \
		--questionnaires questionnaires --policies policies 2>"$sl_log" &
	SERVER=$!
	SERVERS="$SERVERS $SERVER"
	trap 'stop_server; bench_cleanup' EXIT
	trap 'stop_server; bench_cleanup; exit 1' INT TERM
	i=0
	while [ ! -s "$sl_port" ]; do
		i=$((i + 1))
		if [ "$i" -gt $((${BENCH_SERVE_WAIT:-10} * 10)) ] || ! kill -0 "$SERVER" 2>/dev/null; then
			echo "bench: the server did not start:" >&2
			cat "$sl_log" >&2
			exit 1
		fi
		sleep 0.1
	done
	# shellcheck disable=SC2034 # for the script that sources this
	PORT=$(cat "$sl_port")
	ADDR=127.0.0.1:$PORT
}

# login NAME: log in on $ADDR as NAME with $PASSWORD (files in $WORK); sets COOKIE and CSRF
login() {
	answer=$(curl -sS -D "$WORK/login.head" -H 'Content-Type: application/json' \
		--data-binary "{\"user\":\"$1\",\"password\":\"$PASSWORD\"}" "http://$ADDR/api/login")
	COOKIE=$(sed -n 's/^[Ss]et-[Cc]ookie: \(dl_session=[0-9a-f]*\).*/\1/p' "$WORK/login.head")
	CSRF=$(echo "$answer" | sed -n 's/.*"csrf": *"\([0-9a-f]*\)".*/\1/p')
	if [ -z "$COOKIE" ] || [ -z "$CSRF" ]; then
		echo "bench: $1 could not log in: $answer" >&2
		exit 1
	fi
}
