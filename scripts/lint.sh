#!/bin/sh
# lint.sh: what `make lint` runs: banned functions, clang-tidy and cppcheck over the C sources.
set -u
status=0
banned='\b(strcpy|strcat|sprintf|vsprintf|atoi|atol|gets|strtok)[[:space:]]*\('
if grep -nE "$banned" engine/*.c reports/*.c cli/*.c fuzz/*.c 2>/dev/null; then
	echo "lint: banned functions used (see STYLE: use snprintf, strtol, dl__copy_truncated)"
	status=1
fi
if command -v cppcheck >/dev/null; then
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
		--suppress=missingIncludeSystem -Iinclude -Iengine -Ireports engine reports cli || status=1
fi
if command -v clang-tidy >/dev/null; then
	for f in engine/*.c reports/*.c cli/*.c; do
		clang-tidy -quiet --checks='-*,bugprone-*,-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier,-bugprone-narrowing-conversions,-bugprone-assignment-in-if-condition,-bugprone-not-null-terminated-result,cert-err34-c' \
			"$f" -- -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -Iengine -Ireports -Ibuild/gen \
			$(pkg-config --cflags libxml-2.0) 2>/dev/null | grep -E "warning|error" && status=1
	done
fi
[ $status -eq 0 ] && echo "lint: clean"
exit $status
