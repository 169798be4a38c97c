#!/bin/sh
# install-deps.sh test: scripts/install-deps.sh against stand-ins for id, dpkg-query, sudo and apt-get
# (nothing is installed): a user whose sudo fails is told what root must run; the packages for running
# and for testing are separate; an installed system needs nothing. Exits 0 when every check holds.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
bad=0
check() { # check WHAT COMMAND...: COMMAND must succeed
	what=$1
	shift
	if ! "$@"; then
		echo "not ok - $what"
		bad=1
	fi
}

mkdir "$tmp/bin"
stub() { printf '#!/bin/sh\n%s\n' "$2" > "$tmp/bin/$1" && chmod +x "$tmp/bin/$1"; }
stub id 'echo "${FAKE_UID:-1000}"'
stub dpkg-query '[ -n "${FAKE_INSTALLED:-}" ] && echo "install ok installed"; exit 0'
stub sudo 'echo "sudo: Permission denied" >&2; exit 1'
stub apt-get 'echo "apt-get $*" >> "$LOG"; exit 0'
export LOG="$tmp/apt.log"
deps() { PATH="$tmp/bin:$PATH" sh "$top/scripts/install-deps.sh" "$@" > "$tmp/out" 2>&1; }

# a user whose sudo fails: exit 1, the advice names the command for root and only the run packages
deps
check "sudo failing exits 1" [ $? -eq 1 ]
check "sudo failing says what root must run" \
	grep -q "apt-get update && apt-get install -y --no-install-recommends build-essential" "$tmp/out"
check "the packages for running do not include valgrind" sh -c "! grep -q valgrind '$tmp/out'"
check "sudo failing is explained" grep -q "installing with sudo failed" "$tmp/out"

# --test adds what the tests need
deps --test
check "--test names valgrind and poppler-utils" grep -q "libhpdf-dev.*valgrind poppler-utils" "$tmp/out"
check "--test names PostgreSQL's server and client" grep -q "libpq-dev.*valgrind.* postgresql" "$tmp/out"

# no sudo at all
rm "$tmp/bin/sudo"
PATH="$tmp/bin:/usr/bin:/bin" sh -c 'command -v sudo' > /dev/null 2>&1 && sudo_elsewhere=1 || sudo_elsewhere=0
if [ "$sudo_elsewhere" = 0 ]; then
	PATH="$tmp/bin:/usr/bin:/bin" sh "$top/scripts/install-deps.sh" > "$tmp/out" 2>&1
	check "no sudo exits 1" [ $? -eq 1 ]
	check "no sudo is explained" grep -q "sudo is not installed" "$tmp/out"
fi

# root: apt-get runs, with the missing packages
FAKE_UID=0 deps
check "root installs" [ $? -eq 0 ]
check "root runs apt-get install" grep -q "^apt-get install -y -q --no-install-recommends build-essential" "$LOG"

# everything installed: nothing to do
FAKE_INSTALLED=1 deps --test
check "all installed exits 0" [ $? -eq 0 ]
check "all installed says so" grep -q "all packages for building, running and testing present" "$tmp/out"

# an unknown option is a usage error
deps --bogus
check "unknown option exits 2" [ $? -eq 2 ]

[ "$bad" -eq 0 ] && echo "ok - install-deps.sh"
exit $bad
