#!/bin/sh
# lint.sh: what `make lint` runs: banned functions, clang-tidy and cppcheck over the C sources.
set -u
status=0
# the library's layer folders, lowest first: the Makefile's LAYERS is their one list
layers=$(sed -n 's/^LAYERS := //p' Makefile)
incs=$(for l in $layers; do printf ' -I%s' "$l"; done)
srcs=$(for l in $layers cli server; do printf ' %s/*.c' "$l"; done)
banned='\b(strcpy|strcat|sprintf|vsprintf|atoi|atol|gets|strtok)[[:space:]]*\('
# shellcheck disable=SC2086 # $srcs holds globs on purpose
if grep -nE "$banned" $srcs fuzz/*.c 2>/dev/null; then
	echo "lint: banned functions used (see STYLE: use snprintf, strtol, dl__copy_truncated)"
	status=1
fi
if command -v cppcheck >/dev/null; then
	# shellcheck disable=SC2086 # $incs holds one -I flag per layer
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
		--suppress=missingIncludeSystem -Iinclude $incs -Iserver engine reports cli server || status=1
fi
if command -v clang-tidy >/dev/null; then
	for f in $srcs; do
		# shellcheck disable=SC2086 # $incs holds one -I flag per layer
		clang-tidy -quiet --checks='-*,bugprone-*,-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier,-bugprone-narrowing-conversions,-bugprone-assignment-in-if-condition,-bugprone-not-null-terminated-result,cert-err34-c' \
			"$f" -- -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude $incs -Iserver -Ibuild/gen \
			$(pkg-config --cflags libxml-2.0 libmicrohttpd sqlite3 libpq) 2>/dev/null | grep -E "warning|error" && status=1
	done
fi
[ $status -eq 0 ] && echo "lint: clean"
exit $status
