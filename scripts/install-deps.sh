#!/bin/sh
# install-deps.sh: install the Debian 12 packages digilevel needs, skipping those already installed.
# Safe to run again.
#
#   sh scripts/install-deps.sh          what building and running needs: compiler, libraries, and a
#                                       Chinese font for the PDF reports (make, make demo, make install)
#   sh scripts/install-deps.sh --test   that, and what the test suite needs (make check, make asan,
#                                       make leakcheck, make bench): valgrind, poppler-utils,
#                                       libxml2-utils, python3-openpyxl, libreoffice-calc-nogui,
#                                       postgresql, python3-psycopg2
#
# Run as root, or as a user who may use sudo. Otherwise it names the missing packages and the
# command for root to run, and exits 1.
set -eu
# libxlsxwriter-dev writes the self-assessment workbook, libzip-dev reads a filled one back and writes an
# enterprise's 一企一档 (archive.zip); gettext
# compiles the Chinese message catalogue (msgfmt) and lists the messages (xgettext); libmicrohttpd-dev
# and libsqlite3-dev are the workbench's HTTP server and store (digilevel serve), libargon2-dev hashes
# the passwords of its district accounts, libpq-dev is the client of a store in PostgreSQL.
run="build-essential pkg-config gettext libxml2-dev libpcre2-dev nettle-dev libhpdf-dev libxlsxwriter-dev libzip-dev libmicrohttpd-dev libsqlite3-dev libargon2-dev libpq-dev fonts-wqy-zenhei fonts-arphic-uming"
# valgrind: make leakcheck, and its header for tests/unit/test_alloc_fail.c; poppler-utils: pdftotext
# in the report tests; libxml2-utils: xmllint, which bench/run.sh compares against; python3-openpyxl
# and libreoffice-calc-nogui: the workbooks filled and re-saved by other programs in tests/scripts/xlsx.sh
# (skipped, with the reason printed, without them); chromium, chromium-driver and python3-selenium:
# the workbench's browser tests (tests/browser/); curl and openssl: its HTTP tests (a TLS certificate);
# postgresql: the server of the store's tests on PostgreSQL (make check starts a throwaway cluster of its
# own, tests/scripts/pg_cluster.sh, and never uses the one the package may set up); python3-psycopg2: the
# HTTP tests look inside a PostgreSQL store as they look inside an SQLite file (tests/http/server.py).
test="valgrind poppler-utils libxml2-utils python3-openpyxl libreoffice-calc-nogui chromium chromium-driver python3-selenium curl openssl postgresql python3-psycopg2"
case "${1:-}" in
"") packages=$run what="building and running" ;;
--test) packages="$run $test" what="building, running and testing" ;;
-h | --help)
	sed -n '2,13s/^# \{0,1\}//p' "$0"
	exit 0
	;;
*)
	echo "install-deps: unknown option '$1' (use --test for the test suite's packages too)" >&2
	exit 2
	;;
esac

advise() { # advise WHY: what to do when this script cannot install
	echo "install-deps: $1" >&2
	echo "install-deps: digilevel needs these Debian 12 packages for $what:$missing" >&2
	echo "install-deps: ask someone with root access to run:" >&2
	echo "    apt-get update && apt-get install -y --no-install-recommends$missing" >&2
	echo "install-deps: then run this script again (it will find them installed)." >&2
	exit 1
}

if ! command -v dpkg-query > /dev/null 2>&1; then
	missing=" $packages"
	advise "dpkg-query not found: this script knows Debian 12 (and its derivatives) only; install the equivalent packages with your system's package manager"
fi
missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "install-deps: all packages for $what present"
	exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo > /dev/null 2>&1 || advise "not running as root, and sudo is not installed"
	sudo="sudo"
fi
echo "install-deps: installing$missing"
# shellcheck disable=SC2086 # word splitting of the package list is intended
if ! $sudo apt-get update -q ||
	! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing; then
	if [ -n "$sudo" ]; then
		advise "installing with sudo failed (see the message above: no sudo rights, or a wrong password?)"
	fi
	advise "apt-get failed (see the message above: no network, or another apt-get running?)"
fi
