#!/bin/sh
# browser.sh test: the browser tests (tests/browser/*.py, Selenium) in real headless Chromium, a
# person's self-check (selfcheck.py) and a district's roles each doing its main task (district.py),
# against a real `digilevel serve` on an ephemeral loopback port, its store DL_TEST_STORE's (sqlite,
# or postgresql; tests/run.sh runs both: script/browser, script/browser-pg). Needs chromium, chromium-driver
# and python3-selenium (Debian; .ci/run installs them): without them the test is skipped with the
# reason printed, except in CI (CI=true), where that is a failure. Exits 0 when every check holds.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
export BUILD="${BUILD:-build}"
chromium=${CHROMIUM:-/usr/bin/chromium}
driver=${CHROMEDRIVER:-/usr/bin/chromedriver}
# the store is DL_TEST_STORE's, as in the HTTP tests (tests/scripts/http.sh): sqlite, or
# postgresql (a fresh database of DL_TEST_PG's server for each server), which needs psycopg2
modules=selenium
[ "${DL_TEST_STORE:-sqlite}" = postgresql ] && modules="selenium, psycopg2"
python=""
for p in /usr/bin/python3 python3; do
	if command -v "$p" > /dev/null 2>&1 && "$p" -c "import $modules" 2> /dev/null; then
		python=$p
		break
	fi
done
missing=""
[ -x "$chromium" ] || missing="$missing chromium"
[ -x "$driver" ] || missing="$missing chromium-driver"
[ -n "$python" ] || missing="$missing python3-selenium"
[ -n "$python" ] || [ "$modules" = selenium ] || missing="$missing (and python3-psycopg2)"
command -v pdftotext > /dev/null 2>&1 || missing="$missing poppler-utils"
if [ -n "$missing" ]; then
	echo "skip: the browser tests need$missing"
	[ "${CI:-}" = true ] && exit 1
	exit 0
fi
bad=0
for t in "$top"/tests/browser/*.py; do
	echo "# $(basename "$t")"
	CHROMIUM="$chromium" CHROMEDRIVER="$driver" "$python" "$t" || bad=1
done
exit $bad
