#!/bin/sh
# http.sh test: the workbench's JSON API and its hostile-request suite against a real
# `digilevel serve` on an ephemeral loopback port (tests/http/*.py, Python's standard library).
# Exits 0 when every check of every test file holds.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
export BUILD="${BUILD:-build}"
bad=0
for t in "$top"/tests/http/test_*.py; do
	echo "# $(basename "$t")"
	python3 "$t" || bad=1
done
exit $bad
