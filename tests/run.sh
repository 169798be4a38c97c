#!/bin/sh
# run.sh: the whole test suite: unit test programs, public-header compile tests, golden CLI cases,
# the fuzz corpus replay and the script tests (tests/scripts/: make install, install-deps.sh).
# Prints a diff for every failure and ends with "N passed, N failed", where each check of a unit
# test program counts and each other test (a header, a case, a corpus, a script) counts one.
#
#   BUILD            build directory (default: build)
#   DL_TEST_WRAPPER  command put in front of every program run (e.g. valgrind ...)
#   UPDATE=1         rewrite the expected output of golden cases instead of comparing (then review
#                    the diff with git before committing)
#   DL_TEST_ONLY     run only the tests whose names match one of these shell patterns, e.g.
#                    "unit/test_threads case/batch-*" (`make tsan` does); names are unit/NAME,
#                    header/PATH, case/NAME, fuzz/NAME, script/NAME and standalone
#   DL_TEST_PG       the PostgreSQL server the tests use (a libpq URL). Unset, the run starts a
#                    throwaway cluster of its own (tests/scripts/pg_cluster.sh, in BUILD/pg), names
#                    it in DL_TEST_PG and DL_TEST_PG_CLUSTER, and stops it at the end, whatever the
#                    outcome; PostgreSQL is required (sh scripts/install-deps.sh --test)
#
# The store's engine-neutral tests run twice, on SQLite and on PostgreSQL: the db layer's contract
# (unit/test_db, and unit/test_db-pg in a database of its own, DL_TEST_DB) and the workbench's
# HTTP and browser suites (script/http and script/browser, and script/http-pg and script/browser-pg
# with DL_TEST_STORE=postgresql: each server of the tests on a fresh database of DL_TEST_PG).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-build}
case $build in /*) ;; *) build="$top/$build" ;; esac
wrapper=${DL_TEST_WRAPPER:-}
passed=0
failed=0
skipped=0
failures=""
only=${DL_TEST_ONLY:-}

pass() { passed=$((passed + 1)); }
# selected NAME: whether DL_TEST_ONLY (empty: everything) selects the test NAME
selected() {
	[ -z "$only" ] && return 0
	set -f
	for pattern in $only; do
		# shellcheck disable=SC2254 # the pattern is a pattern on purpose
		case $1 in $pattern) set +f; return 0 ;; esac
	done
	set +f
	return 1
}
# fail NAME [WHY]: one failed test
fail() {
	failed=$((failed + 1))
	failures="$failures $1"
	echo "FAIL: $1${2:+ $2}"
}

# the plain runs of the store's tests are on SQLite; the -pg ones say so themselves
unset DL_TEST_STORE DL_TEST_DB

# 0. PostgreSQL for the tests of the store on it: one throwaway cluster for the whole run
tmp=$(mktemp -d)
pg_started=""
cleanup() {
	[ -z "$pg_started" ] || sh "$top/tests/scripts/pg_cluster.sh" stop "$build/pg"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [ -z "${DL_TEST_PG:-}" ]; then
	if DL_TEST_PG=$(sh "$top/tests/scripts/pg_cluster.sh" start "$build/pg" 2> "$tmp/pg.log"); then
		pg_started=1
		DL_TEST_PG_CLUSTER="$build/pg"
		export DL_TEST_PG DL_TEST_PG_CLUSTER
	else
		DL_TEST_PG=""
		fail "postgresql" "(no test cluster: the tests of the store on PostgreSQL fail)"
		cat "$tmp/pg.log"
	fi
fi

# pg_database NAME: a new, empty database NAME on DL_TEST_PG's server; its URL (the maintenance
# URL with NAME in place of its database)
pg_database() {
	[ -n "$DL_TEST_PG" ] || return 1
	createdb --maintenance-db="$DL_TEST_PG" "$1" > "$tmp/createdb.log" 2>&1 || {
		cat "$tmp/createdb.log" >&2
		return 1
	}
	echo "$DL_TEST_PG" | sed "s|^\([a-z]*://[^/?]*\)/[^?]*|\1/$1|"
}

# 1. unit test programs: each ends with "CHECKS passed=N failed=M skipped=K" (tests/unit/test_util.h)
# and every check counts. A program that exits non-zero without a failed check (a crash, a sanitizer
# or valgrind report) or ends without that line counts one failure more.
# run_unit NAME PROGRAM [VAR=VALUE]: run one, with VAR=VALUE in its environment
run_unit() {
	name=$1
	t=$2
	log="$build/${name#unit/}.log"
	(cd "$top" && env ${3:+"$3"} $wrapper "$t" > "$log" 2>&1)
	rc=$?
	counts=$(sed -n 's/^CHECKS passed=\([0-9]*\) failed=\([0-9]*\) skipped=\([0-9]*\)$/\1 \2 \3/p' "$log" | tail -n 1)
	if [ -n "$counts" ]; then
		set -- $counts
		passed=$((passed + $1))
		failed=$((failed + $2))
		skipped=$((skipped + $3))
		if [ "$2" -gt 0 ]; then
			failures="$failures $name"
			echo "FAIL: $name ($2 of $(($1 + $2)) checks, log: $log)"
			grep '^not ok' "$log" | head -n 30
		fi
	fi
	if [ -z "$counts" ] || { [ "$rc" -ne 0 ] && [ "$2" -eq 0 ]; }; then
		why="exit $rc"
		[ -n "$counts" ] || why="$why, no CHECKS line"
		fail "$name" "($why, log: $log)"
		tail -n 30 "$log"
	fi
}
for t in "$build"/tests/*; do
	[ -x "$t" ] && [ -f "$t" ] || continue
	name="unit/$(basename "$t")"
	! selected "$name" || run_unit "$name" "$t"
	# the db layer's engine-neutral contract again, on PostgreSQL
	[ "$name" = unit/test_db ] && selected "$name-pg" || continue
	if url=$(pg_database "t_$$_db"); then
		run_unit "$name-pg" "$t" "DL_TEST_DB=$url"
		dropdb --maintenance-db="$DL_TEST_PG" "t_$$_db" > /dev/null 2>&1
	else
		fail "$name-pg" "(no database on the test cluster)"
	fi
done

# 2. each public header compiles alone, as C11 and as C++
for h in "$top"/include/digilevel.h "$top"/include/digilevel/*.h; do
	rel=${h#"$top"/include/}
	selected "header/$rel" || continue
	printf '#include "%s"\nint main(void) { return 0; }\n' "$rel" > "$tmp/t.c"
	cp "$tmp/t.c" "$tmp/t.cpp"
	if ${CC:-cc} -std=c11 -Wall -Wextra -pedantic -Werror -I"$top/include" -c "$tmp/t.c" -o "$tmp/t.o" &&
		${CXX:-c++} -std=c++11 -Wall -Wextra -pedantic -Werror -I"$top/include" -c "$tmp/t.cpp" -o "$tmp/t.o"; then
		pass
	else
		fail "header/$rel"
	fi
done

# 3. golden CLI cases: tests/cases/NAME/cmd holds the arguments, expected the output and exit code
# cases sit three levels below the top: a relative path keeps messages the same in any checkout
export DIGILEVEL_QUESTIONNAIRES="../../../questionnaires"
# Messages are in the default language, Chinese, whatever the machine's locale; a case that wants
# another sets it in its file env (lines NAME=VALUE, exported), e.g. LANG=en_US.UTF-8.
unset LANGUAGE LC_ALL LC_MESSAGES LANG DIGILEVEL_LOCALEDIR
export DIGILEVEL_FONT="${DIGILEVEL_FONT:-}"
for dir in "$top"/tests/cases/*/; do
	[ -f "$dir/cmd" ] || continue
	name="case/$(basename "$dir")"
	selected "$name" || continue
	actual="$tmp/actual"
	(
		cd "$dir" || exit 3
		# shellcheck disable=SC2046 # the cmd file holds shell words on purpose
		eval "set -- $(cat cmd)"
		if [ -f env ]; then
			set -a
			. ./env
			set +a
		fi
		if [ -f stdin ]; then
			$wrapper "$build/digilevel" "$@" < stdin
		else
			$wrapper "$build/digilevel" "$@" < /dev/null
		fi
		echo "[exit $?]"
	) > "$actual" 2>&1
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$actual" "$dir/expected"
		pass
	elif diff -u "$dir/expected" "$actual" > "$tmp/diff" 2>&1; then
		pass
	else
		fail "$name"
		head -n 40 "$tmp/diff"
	fi
done

# 4. fuzz corpus replay: every input must be handled without a crash, hang or sanitizer report
for corpus in "$top"/tests/fuzz/*/; do
	[ -d "$corpus" ] || continue
	target=$(basename "$corpus")
	selected "fuzz/$target" || continue
	if [ ! -x "$build/fuzz/replay-$target" ]; then
		fail "fuzz/$target (no driver $build/fuzz/replay-$target)"
	elif (cd "$top" && $wrapper "$build/fuzz/replay-$target" "$corpus") > "$tmp/fuzz.log" 2>&1; then
		pass
	else
		fail "fuzz/$target"
		tail -n 20 "$tmp/fuzz.log"
	fi
done

# 5. script tests: tests/scripts/NAME.sh exits 0 when all its checks hold (installing, install-deps);
# the workbench's suites (http, browser) run again on PostgreSQL as NAME-pg
# run_script NAME FILE [VAR=VALUE]: run one, with VAR=VALUE in its environment
run_script() {
	if env BUILD="$build" ${3:+"$3"} sh "$2" > "$tmp/script.log" 2>&1; then
		pass
	else
		fail "$1"
		# the failed checks and the sections they are in, then the end of the output
		grep -E '^(# |not ok|Traceback)' "$tmp/script.log" | grep -B1 -E '^(not ok|Traceback)' | head -n 40
		tail -n 30 "$tmp/script.log"
	fi
}
for t in "$top"/tests/scripts/*.sh; do
	[ -f "$t" ] || continue
	name="script/$(basename "$t" .sh)"
	! selected "$name" || run_script "$name" "$t"
	case $name in script/http | script/browser) ;; *) continue ;; esac
	! selected "$name-pg" || run_script "$name-pg" "$t" DL_TEST_STORE=postgresql
done

# 6. the repository stands alone: no file cites a path outside it (docs/sources.md names the sources)
if ! selected standalone; then
	:
elif grep -rIln --exclude-dir='.git' --exclude-dir='build*' --exclude-dir=out '\.\./shared' "$top" > "$tmp/outside" 2>/dev/null; then
	fail "standalone (files citing a path outside the repository: $(tr '\n' ' ' < "$tmp/outside"))"
else
	pass
fi

# 7. no golden output holds this checkout's own path: it would fail in any other clone (CI's)
if grep -lF "$top/" "$top"/tests/cases/*/expected > "$tmp/absolute" 2>/dev/null; then
	fail "portable expected output (files naming $top: $(tr '\n' ' ' < "$tmp/absolute"))"
else
	pass
fi

[ "$failed" -eq 0 ] || echo "failed:$failures"
[ "$skipped" -eq 0 ] || echo "($skipped checks skipped: a font or a tool is not installed; see the logs in $build)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
