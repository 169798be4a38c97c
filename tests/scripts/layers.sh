#!/bin/sh
# layers.sh test: the folders are the architecture (docs/architecture.md), and nothing crosses them
# the wrong way. The library's layers are the Makefile's LAYERS, lowest first (base, input, model,
# scoring, output, reports, cohort). Nothing is built. Checks:
#   - a file of a layer includes the headers of its own layer, of lower layers, of include/ and of
#     the system only;
#   - cli/ includes only include/ (the public API), its own headers and the generated datadir.h,
#     and of server/ the command's entry (serve.h) and, for `digilevel user` and `digilevel audit`,
#     the store (store.h) and the passwords (auth.h);
#   - every library source sits in a layer folder (engine/ holds no loose files or other folders);
#   - no two C files of the repository share a name (a file name says which one it is);
#   - no object of a layer calls a function (or uses data) of a higher layer, even through include/.
# Exits 0 when every check holds; each broken rule is a "not ok" line naming the file and header.
# The first four read the sources; the last reads the objects in $BUILD/obj (nm).
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
cd "$top" || exit 1

layers=$(sed -n 's/^LAYERS := //p' Makefile)
[ "$(echo "$layers" | wc -w)" -ge 7 ] || { no "the Makefile's LAYERS lists the layers ($layers)"; exit 1; }

# Includes that break the order and are allowed, one "file header" a line, each with why. None
# today: keep it that way, and move a header down (or split it) rather than add a line here.
allowed=""

# the repository's C files (builds, the demo's out/ and the .git folder aside)
find . \( -path ./.git -o -path './build*' -o -path ./out -o -path "./${build#"$top"/}" \) -prune -o \
	\( -name '*.c' -o -name '*.h' \) -type f -print > "$tmp/cfiles"
[ "$(wc -l < "$tmp/cfiles")" -gt 100 ] || no "the repository's C files are found"

# "rank layer header" for every header of a layer folder
rank=0
for layer in $layers; do
	rank=$((rank + 1))
	for h in "$layer"/*.h; do
		[ -f "$h" ] && echo "$rank $layer $(basename "$h")"
	done
done > "$tmp/headers"

# every #include of the files "rank layer file" on stdin whose header is in a higher layer, as
# "file layer name higherlayer" ("name" and <name> alike: a layer header reached with angle brackets
# is still that header)
higher() {
	awk -v headers="$tmp/headers" '
		BEGIN {
			while ((getline line < headers) > 0) { split(line, w, " "); hrank[w[3]] = w[1]; hlayer[w[3]] = w[2] }
		}
		{
			rank = $1; layer = $2; file = $3
			while ((getline line < file) > 0) {
				if (line !~ /^[ \t]*#[ \t]*include[ \t]*[<"]/) continue
				sub(/^[ \t]*#[ \t]*include[ \t]*[<"]/, "", line); sub(/[>"].*/, "", line)
				# a path to a layer header ("../base/alloc.h") is that header too
				if (line !~ /^digilevel\//) sub(/.*\//, "", line)
				if ((line in hrank) && hrank[line] > rank) print file, layer, line, hlayer[line]
			}
			close(file)
		}'
}

# 1. the library: no include of a higher layer's header
rank=0
for layer in $layers; do
	rank=$((rank + 1))
	for f in "$layer"/*.c "$layer"/*.h; do
		[ -f "$f" ] && echo "$rank $layer $f"
	done
done > "$tmp/files"
files=$(wc -l < "$tmp/files")
[ "$files" -gt 50 ] || no "the library's files are found in the layer folders ($files)"
higher < "$tmp/files" > "$tmp/higher"
while read -r f layer name up; do
	case "$allowed" in *"$f $name"*) continue ;; esac
	no "$f (layer $layer) includes $name of a higher layer, $up"
done < "$tmp/higher"

# 2. the CLI: the public API, its own headers, the generated installed directories. Its files count
# as below every layer, so any layer header it includes shows; then its other includes must be its
# own, the API's or the system's.
for f in cli/*.c cli/*.h; do
	[ -f "$f" ] && echo "0 cli $f"
done > "$tmp/cli"
higher < "$tmp/cli" > "$tmp/higher"
while read -r f layer name up; do
	no "$f includes $name of the library's $up: the CLI uses include/ only"
done < "$tmp/higher"
cut -d' ' -f3 "$tmp/cli" | xargs sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]\([^>"]*\)[>"].*/\1/p' |
	sort -u > "$tmp/cli_includes"
while read -r name; do
	{ [ -f "include/$name" ] || [ -f "cli/$name" ] || [ "$name" = datadir.h ] || [ "$name" = serve.h ] ||
		[ "$name" = store.h ] || [ "$name" = auth.h ]; } && continue
	grep -q " $(basename "$name")\$" "$tmp/headers" && continue # a layer's header: said above
	# a system header is no file of this repository
	grep -q "/$(basename "$name")\$" "$tmp/cfiles" &&
		no "cli/ includes $name, a header of this repository outside include/ and cli/"
done < "$tmp/cli_includes"

# 2b. server/ (the workbench, a part of the program like cli/) includes only include/, its own
#     headers and the generated ones: it reaches the engine through the public API only
for f in server/*.c server/*.h; do
	[ -f "$f" ] || continue
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" | while read -r name; do
		{ [ -f "include/$name" ] || [ -f "server/$name" ] || [ "$name" = datadir.h ] ||
			[ "$name" = static.h ]; } && continue
		echo "$f includes $name, a header outside include/ and server/"
	done
done > "$tmp/server_bad"
while read -r line; do no "$line"; done < "$tmp/server_bad"

# 3. every library source is in a layer folder
for f in engine/* reports/*; do
	[ -d "$f" ] && case " $layers reports/tools " in *" $f "*) continue ;; esac
	case $f in reports/*.c | reports/*.h) continue ;; esac
	no "$f is not in a layer folder of the Makefile's LAYERS (it would not be built or checked)"
done

# 4. no two C files share a name
sed 's|.*/||' "$tmp/cfiles" | sort | uniq -d > "$tmp/dups"
while read -r name; do
	no "files share the name $name: $(grep "/$name\$" "$tmp/cfiles" | sed 's|^\./||' | tr '\n' ' ')"
done < "$tmp/dups"

# 5. the same order for calls: a public header is open to every layer, so a lower layer could call
# a higher one through include/ without including its private headers. No object of a layer may use
# a symbol another object of a higher layer defines (read from the objects `make check` built).
rank=0
for layer in $layers; do
	rank=$((rank + 1))
	for o in "$build/obj/$layer"/*.o; do
		# an object of a source removed since (an old build) does not count
		[ -f "$o" ] && [ -f "$layer/$(basename "$o" .o).c" ] && echo "$o $rank $layer"
	done
done > "$tmp/objects"
if [ -s "$tmp/objects" ]; then
	# "OBJECT:ADDRESS T NAME" and "OBJECT: U NAME", one nm for all
	{
		cut -d' ' -f1 "$tmp/objects" | xargs nm -A --defined-only -g | sed 's/^/def /'
		cut -d' ' -f1 "$tmp/objects" | xargs nm -A -u | sed 's/^/use /'
	} | awk -v objects="$tmp/objects" -v build="$build/obj/" '
		BEGIN { while ((getline line < objects) > 0) { split(line, w, " "); rank[w[1]] = w[2]; layer[w[1]] = w[3] } }
		{ o = $2; sub(/:.*/, "", o) }
		$1 == "def" && $3 ~ /^[TDRBC]$/ { print "def", $4, rank[o], layer[o] }
		$1 == "use" { o2 = o; sub("^" build, "", o2); print "use", $NF, rank[o], o2 }'
fi > "$tmp/symbols"
grep -q '^def ' "$tmp/symbols" || no "the library's objects are found in $build/obj (build first)"
awk '$1 == "def" { rank[$2] = $3; layer[$2] = $4; next }
	($2 in rank) && rank[$2] > $3 { print $4, $2, layer[$2] }' "$tmp/symbols" > "$tmp/calls"
while read -r o sym up; do
	no "${o%.o}.c uses $sym of a higher layer, $up"
done < "$tmp/calls"

[ "$bad" -eq 0 ] && echo "ok - $files library files include no higher layer, cli/ only include/, no file name twice, no call upward"
exit $bad
