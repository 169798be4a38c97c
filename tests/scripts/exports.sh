#!/bin/sh
# exports.sh test: the shared library in $BUILD is libdigilevel.so.VERSION with the links
# libdigilevel.so.MAJOR (its soname) and libdigilevel.so, VERSION as include/digilevel/common.h says,
# and it exports exactly the API: every function a public header declares with DL_EXTERN, at
# version DIGILEVEL_0, and nothing else (no dl__ internals, nothing of the dependencies).
# Usage: exports.sh [LIBDIR] checks LIBDIR instead (tests/scripts/install.sh checks an install).
# Exits 0 when every check holds.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
case $build in /*) ;; *) build="$top/$build" ;; esac
dir=${1:-$build}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
bad=0
no() {
	echo "not ok - $*"
	bad=1
}

part() { sed -n "s/^#define DL_VERSION_$1 *\([0-9][0-9]*\)\$/\1/p" "$top/include/digilevel/common.h"; }
major=$(part MAJOR)
version=$major.$(part MINOR).$(part PATCH)
lib="$dir/libdigilevel.so.$version"
[ -f "$lib" ] && [ ! -L "$lib" ] || { no "$lib is the library file"; exit 1; }
[ "$(readlink "$dir/libdigilevel.so.$major")" = "libdigilevel.so.$version" ] ||
	no "libdigilevel.so.$major links to libdigilevel.so.$version"
[ "$(readlink -f "$dir/libdigilevel.so")" = "$(readlink -f "$lib")" ] ||
	no "libdigilevel.so leads to libdigilevel.so.$version"
readelf -d "$lib" | grep -q "Library soname: \[libdigilevel.so.$major\]" || no "the soname is libdigilevel.so.$major"

# what the headers declare, and what the library exports (the version node itself aside)
grep -h '^DL_EXTERN' "$top"/include/digilevel.h "$top"/include/digilevel/*.h |
	sed 's/^[^(]*[^a-zA-Z0-9_]\([a-zA-Z0-9_]*\)(.*/\1/' | sort > "$tmp/declared"
nm -D --defined-only "$lib" | awk '$2 != "A" { print $3 }' | sort > "$tmp/exported"
sed 's/@.*//' "$tmp/exported" > "$tmp/names"
[ "$(wc -l < "$tmp/declared")" -gt 100 ] || no "the headers' declarations are found ($(wc -l < "$tmp/declared"))"
if ! cmp -s "$tmp/declared" "$tmp/names"; then
	no "the library exports exactly what the headers declare (< declared only, > exported only)"
	diff "$tmp/declared" "$tmp/names" | grep '^[<>]' | head -20
fi
if grep -v '@@DIGILEVEL_0$' "$tmp/exported" > "$tmp/unversioned"; then
	no "every export is at version DIGILEVEL_0 (not: $(head -5 "$tmp/unversioned" | tr '\n' ' '))"
fi

[ "$bad" -eq 0 ] && echo "ok - $lib exports the API, $(wc -l < "$tmp/names") functions"
exit $bad
