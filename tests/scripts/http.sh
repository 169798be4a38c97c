#!/bin/sh
# http.sh test: the workbench's JSON API, district mode, the role matrix, kill -9 and the
# hostile-request suite against a real `digilevel serve` on an ephemeral loopback port
# (tests/http/test_*.py, on tests/http/server.py). The store is DL_TEST_STORE's: sqlite (the
# default: a file in each server's folder) or postgresql (a fresh database of DL_TEST_PG's server
# for each server; needs Python's psycopg2, Debian's python3-psycopg2). tests/run.sh runs it both
# ways (script/http, script/http-pg). Exits 0 when every check of every test file holds.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
export BUILD="${BUILD:-build}"
store=${DL_TEST_STORE:-sqlite}
# Python's standard library, and the PostgreSQL driver for a store in PostgreSQL
case $store in
sqlite) need=sqlite3 ;;
postgresql) need=psycopg2 ;;
*)
	echo "not ok - DL_TEST_STORE is '$store': sqlite or postgresql"
	exit 1
	;;
esac
python=""
for p in /usr/bin/python3 python3; do
	if command -v "$p" > /dev/null 2>&1 && "$p" -c "import $need" 2> /dev/null; then
		python=$p
		break
	fi
done
if [ -z "$python" ]; then
	echo "not ok - the HTTP tests on $store need Python 3 with its module $need (Debian: python3-psycopg2; sh scripts/install-deps.sh --test)"
	exit 1
fi
echo "# on $store ($python)"
bad=0
for t in "$top"/tests/http/test_*.py; do
	echo "# $(basename "$t")"
	"$python" "$t" || bad=1
done
exit $bad
