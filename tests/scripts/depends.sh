#!/bin/sh
# depends.sh test: an object depends on the headers it includes and on no others. For the headers of
# the repository chosen below, `make -n -W HEADER check` (what a change to it would rebuild) must compile exactly
# the sources whose dependency file (-MMD -MP, beside each object in $BUILD/obj) lists that header;
# and the dependency files must exist and list what a source includes. Nothing is built or touched.
# Exits 0 when every check holds.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
case $build in /*) ;; *) build="$top/$build" ;; esac
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
bad=0
no() {
	echo "not ok - $*"
	bad=1
}
unset MAKEFLAGS MFLAGS

# "source header" for every header each dependency file lists, and BUILD as the objects were built
# with (the .d files name the objects as make did: a relative BUILD stays relative)
find "$build/obj" -name '*.d' > "$tmp/dfiles"
[ -s "$tmp/dfiles" ] || { no "dependency files in $build/obj"; exit 1; }
xargs cat < "$tmp/dfiles" | awk '
	{ line = line $0 }
	/\\$/ { sub(/\\$/, "", line); next }
	{ split(line, w, /[ \t]+/); line = ""
	  if (w[1] !~ /\.o:$/) next
	  if (!printed_build) { b = w[1]; sub(/\/obj\/.*/, "", b); print "BUILD " b > "/dev/stderr"; printed_build = 1 }
	  for (i = 3; i in w; i++) if (w[i] != "") print w[2], w[i] }' > "$tmp/pairs" 2> "$tmp/build"
made_as=$(sed -n 's/^BUILD //p' "$tmp/build")
# objects of sources removed since they were built (their .d files stay in an old build) do not count,
# nor those `make check` does not build (bench/: `make bench` leaves its objects in the same build)
while read -r src h; do
	case $src in bench/*) continue ;; esac
	[ -f "$top/$src" ] && echo "$src $h"
done < "$tmp/pairs" > "$tmp/current"
mv "$tmp/current" "$tmp/pairs"
grep -q '^cli/main.c include/digilevel.h$' "$tmp/pairs" || no "cli/main.c's dependency file lists include/digilevel.h"

# the generated datadir.h is remade on every run (it follows PREFIX), so make -n counts its users
# as rebuilt whatever else changed
datadir_users=$(awk '$2 ~ /\/gen\/datadir\.h$/ { print $1 }' "$tmp/pairs" | sort -u)
# the public headers, those of the tests, and the six private ones with the fewest users (each make
# -n reads the whole dependency graph: every header would take long)
private=$(cd "$top" && find engine reports cli -name '*.h' 2>/dev/null | while read -r h; do
	echo "$(awk -v h="$h" '$2 == h' "$tmp/pairs" | wc -l) $h"
done | awk '$1 > 0' | sort -n | head -n 6 | cut -d' ' -f2)
headers="$(cd "$top" && find include tests fuzz bench -name '*.h' 2>/dev/null | sort) $private"
checked=0
for h in $headers; do
	{ awk -v h="$h" '$2 == h { print $1 }' "$tmp/pairs"; echo "$datadir_users"; } | sed '/^$/d' | sort -u > "$tmp/want"
	[ -s "$tmp/want" ] || continue
	(cd "$top" && make -n -W "$h" BUILD="$made_as" check 2> /dev/null) |
		sed -n 's/.* -c \([^ ]*\.c\) -o .*/\1/p' | sort -u > "$tmp/got"
	if ! cmp -s "$tmp/want" "$tmp/got"; then
		no "a change to $h rebuilds exactly the objects that include it (< not rebuilt, > rebuilt without including it)"
		diff "$tmp/want" "$tmp/got" | grep '^[<>]' | head -5
	fi
	checked=$((checked + 1))
done
[ "$checked" -gt 8 ] || no "headers checked ($checked)"
[ "$bad" -eq 0 ] && echo "ok - $checked headers: a change rebuilds exactly the objects that include them"
exit $bad
