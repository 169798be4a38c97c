# bench/serve_lib.sh: the workbench a benchmark loads, started and stopped the same way by
# bench/http.sh and bench/district.sh, which source it (`. "$(dirname "$0")/serve_lib.sh"`).
#
# start_server DB: start `$DL serve` with the database DB on an ephemeral loopback port, with the
# checkout's questionnaires and policies, quiet, its stderr in $WORK/serve.log; wait until it has
# written its port to $WORK/port (at most about 10 s; when it exits first or takes longer, print its
# log and exit 1). Sets SERVER (its process id), PORT and ADDR (127.0.0.1:PORT), and stops the
# server when the script ends or is interrupted.
# stop_server: stop it (TERM, then wait for it); nothing when it is not running.
#
# The script sets DL (the digilevel program) and WORK (its folder, made) before start_server.

SERVER=
stop_server() {
	if [ -n "$SERVER" ]; then
		kill -TERM "$SERVER" 2>/dev/null || true
		wait "$SERVER" 2>/dev/null || true
		SERVER=
	fi
}

start_server() {
	"$DL" serve --db "$1" --listen 127.0.0.1:0 --port-file "$WORK/port" --quiet \
		--questionnaires questionnaires --policies policies 2>"$WORK/serve.log" &
	SERVER=$!
	trap stop_server EXIT
	trap 'stop_server; exit 1' INT TERM
	i=0
	while [ ! -s "$WORK/port" ]; do
		i=$((i + 1))
		if [ "$i" -gt 100 ] || ! kill -0 "$SERVER" 2>/dev/null; then
			echo "bench: the server did not start:" >&2
			cat "$WORK/serve.log" >&2
			exit 1
		fi
		sleep 0.1
	done
	PORT=$(cat "$WORK/port")
	ADDR=127.0.0.1:$PORT
}
