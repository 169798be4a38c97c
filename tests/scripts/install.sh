#!/bin/sh
# install.sh test: `make install` into a temporary PREFIX (and once more with DESTDIR and another
# LIBDIR), then, from another directory and without DIGILEVEL_QUESTIONNAIRES, every command of the
# installed program on the installed examples and policies: each must succeed and print what the
# build tree prints (the questionnaire's folder aside). Then a changed copy in ./questionnaires must
# be reported. The installed shared library has its soname links and exports only the API
# (tests/scripts/exports.sh); the .pc file and the man page carry the version.
# Only the CLI is compiled again (for the new PREFIX), in a copy of $BUILD (timestamps kept, so the
# library there is up to date).
# Exits 0 when every check holds.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
case $build in /*) ;; *) build="$top/$build" ;; esac
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
unset DIGILEVEL_QUESTIONNAIRES
bad=0
no() {
	echo "not ok - $*"
	bad=1
}

prefix="$tmp/prefix"
mkdir "$tmp/build"
cp -pR "$build/obj" "$build/gen" "$build/libdigilevel.a" "$build"/libdigilevel.so* "$tmp/build/" || exit 1
if ! make -C "$top" -s -j2 BUILD="$tmp/build" PREFIX="$prefix" install > "$tmp/make.log" 2>&1; then
	cat "$tmp/make.log"
	no "make install PREFIX=$prefix"
	exit 1
fi
share="$prefix/share/digilevel"
part() { sed -n "s/^#define DL_VERSION_$1 *\([0-9][0-9]*\)\$/\1/p" "$top/include/digilevel/common.h"; }
version=$(part MAJOR).$(part MINOR).$(part PATCH)
for f in bin/digilevel lib/libdigilevel.a lib/libdigilevel.so.$version include/digilevel.h \
	lib/pkgconfig/digilevel.pc share/man/man1/digilevel.1 \
	share/digilevel/questionnaires/miit-2024.xml share/digilevel/questionnaires/sheet.xsd \
	share/digilevel/policies/hongsibu-2024.xml share/digilevel/policies/hongsibu-2024-targets.xml \
	share/digilevel/policies/policy.xsd share/digilevel/policies/README.md \
	share/digilevel/examples/food-before.xml share/digilevel/examples/README.md \
	share/doc/digilevel/README.md share/doc/digilevel/docs/security.md; do
	[ -f "$prefix/$f" ] || no "installed $f"
done
grep -q "$prefix/share/digilevel" "$prefix/share/man/man1/digilevel.1" || no "the man page names the installed data directory"
head -n 1 "$prefix/share/man/man1/digilevel.1" | grep -q "\"digilevel $version\"" || no "the man page says version $version"
grep -q "^Version: $version\$" "$prefix/lib/pkgconfig/digilevel.pc" || no "digilevel.pc says version $version"
"$prefix/bin/digilevel" --version | grep -qx "digilevel $version" || no "--version says $version"
sh "$top/tests/scripts/exports.sh" "$prefix/lib" || no "the installed shared library: links and exports"
"$prefix/bin/digilevel" --help | grep -q "$share" || no "--help names the installed data directory"
[ -f "$prefix/share/locale/zh_CN/LC_MESSAGES/digilevel.mo" ] || no "installed the Chinese message catalogue"
# the installed program finds it (messages in Chinese by default) from another directory
(cd "$tmp" && env -u LANGUAGE -u LC_ALL -u LC_MESSAGES -u LANG "$prefix/bin/digilevel" --help) | grep -q "退出码" ||
	no "the installed program's messages are Chinese"
(cd "$tmp" && "$prefix/bin/digilevel" --lang en --help) | grep -q "exit codes" || no "--lang en: English messages"

# DESTDIR stages the same tree below it, with the library in LIBDIR; the program and the .pc file
# still name PREFIX and LIBDIR, and nothing is written outside DESTDIR
libdir="$prefix/lib/multiarch"
make -C "$top" -s BUILD="$tmp/build" PREFIX="$prefix" LIBDIR="$libdir" DESTDIR="$tmp/stage" install > "$tmp/make.log" 2>&1 || no "make install DESTDIR"
[ -f "$tmp/stage$prefix/share/digilevel/questionnaires/miit-2024.xml" ] || no "DESTDIR: questionnaires staged"
[ -f "$tmp/stage$prefix/share/digilevel/policies/hongsibu-2024.xml" ] || no "DESTDIR: policies staged"
[ -f "$tmp/stage$libdir/libdigilevel.a" ] || no "DESTDIR, LIBDIR: libdigilevel.a staged in LIBDIR"
sh "$top/tests/scripts/exports.sh" "$tmp/stage$libdir" > /dev/null || no "DESTDIR, LIBDIR: the shared library and its links staged in LIBDIR"
grep -q "^libdir=$libdir\$" "$tmp/stage$libdir/pkgconfig/digilevel.pc" || no "DESTDIR, LIBDIR: digilevel.pc names LIBDIR"
[ -e "$libdir" ] && no "DESTDIR: nothing written to LIBDIR itself"

# every command, from another directory, by the installed program (copied away from PREFIX: the
# compiled-in data directory is what finds the questionnaire) and by the build tree's
mkdir -p "$tmp/work/inst" "$tmp/work/tree" "$tmp/elsewhere"
cp "$prefix/bin/digilevel" "$tmp/elsewhere/digilevel"
ex="$share/examples"
pol="$share/policies/hongsibu-2024.xml"
tgt="$share/policies/hongsibu-2024-targets.xml"
run_all() { # run_all PROGRAM OUTDIR
	p=$1
	o=$2
	cd "$o" || return
	i=0
	while read -r name args; do
		i=$((i + 1))
		# shellcheck disable=SC2086 # args are words on purpose
		eval "set -- $args"
		"$p" "$@" > "$name.out" 2> "$name.err"
		echo "$?" > "$name.rc"
	done << LIST
validate validate $ex/food-before.xml $ex/food-after.xml $pol $tgt
score score --target 3 $ex/food-before.xml
score-json score --format json $ex/food-after.xml
show show miit-2024
template template --phase evaluation miit-2024
compare compare --policy $pol $ex/food-before.xml $ex/food-after.xml
compare-json compare --format json --policy $pol $ex/fuel-before.xml $ex/fuel-after.xml
diagnostic report diagnostic --format text $ex/food-before.xml -o diagnostic.txt
acceptance report acceptance --format text --policy $pol $ex/food-before.xml $ex/food-after.xml -o acceptance.txt
pdf report acceptance --policy $pol $ex/food-before.xml $ex/food-after.xml -o acceptance.pdf
batch batch --policy $pol --csv batch.csv --jsonl batch.jsonl -j 2 $ex
cohort cohort --targets $tgt --policy $pol --format csv --rows rows.csv -j 2 $ex
LIST
	cd "$top" || return
}
run_all "$tmp/elsewhere/digilevel" "$tmp/work/inst"
run_all "$build/digilevel" "$tmp/work/tree"
for rc in "$tmp"/work/inst/*.rc; do
	name=$(basename "$rc" .rc)
	[ "$(cat "$rc")" = 0 ] || { no "installed: $name exits $(cat "$rc")"; cat "$tmp/work/inst/$name.err"; }
done
head -c 5 "$tmp/work/inst/acceptance.pdf" | grep -q '%PDF-' || no "installed: report writes a PDF"
# the same results, but for where the questionnaire was found (and where a report's lines fall)
for f in "$tmp"/work/tree/*; do
	name=$(basename "$f")
	[ "$name" = acceptance.pdf ] && continue
	for w in inst tree; do
		sed -e "s|$share/questionnaires|QDIR|g" -e "s|$(cd "$top" && pwd -P)/questionnaires|QDIR|g" \
			-e "s|$build/../questionnaires|QDIR|g" -e 's/y= *[0-9.]*//' "$tmp/work/$w/$name" \
			> "$tmp/work/$w.norm" # a longer folder name may take another line in a report
	done
	cmp -s "$tmp/work/inst.norm" "$tmp/work/tree.norm" ||
		{ no "installed and build tree differ in $name"; diff "$tmp/work/tree.norm" "$tmp/work/inst.norm" | head -10; }
done

# not found: the message names the folders searched and how to name another
mkdir "$tmp/empty"
(cd "$tmp/empty" && "$tmp/elsewhere/digilevel" --lang en show miit-2099) > "$tmp/nf" 2>&1
grep -q "in $share/questionnaires (holds miit-2024 2024); give the folder that holds it with --questionnaires DIR or DIGILEVEL_QUESTIONNAIRES=DIR" "$tmp/nf" ||
	{ no "not found names the installed folder and the options"; cat "$tmp/nf"; }

# a changed copy in ./questionnaires (四级 needs 0 points) is used, named, and reported
mkdir -p "$tmp/cwd/questionnaires"
sed 's/<grade level="4" min-score="80">/<grade level="4" min-score="0">/' "$share/questionnaires/miit-2024.xml" \
	> "$tmp/cwd/questionnaires/miit-2024.xml"
sum=$(sha256sum "$tmp/cwd/questionnaires/miit-2024.xml" | cut -d' ' -f1)
installed_sum=$(sha256sum "$share/questionnaires/miit-2024.xml" | cut -d' ' -f1)
(cd "$tmp/cwd" && env -u LANGUAGE -u LC_ALL -u LC_MESSAGES -u LANG "$tmp/elsewhere/digilevel" score \
	"$ex/food-before.xml") > "$tmp/ov.out" 2> "$tmp/ov.err"
# (in Chinese, the default: the installed catalogue is found)
grep -q "^questionnaires/miit-2024.xml: 警告：问卷“miit-2024”（版本“2024”）与随程序安装的 $share/questionnaires/miit-2024.xml 不同（这里的 SHA-256 为 $sum，安装的为 $installed_sum）" "$tmp/ov.err" ||
	{ no "a changed ./questionnaires copy is reported on stderr"; cat "$tmp/ov.err"; }
grep -q "questionnaires/miit-2024.xml.*$sum" "$tmp/ov.out" || no "the result names the copy it used and its SHA-256"
# an identical copy is not reported
cp "$share/questionnaires/miit-2024.xml" "$tmp/cwd/questionnaires/miit-2024.xml"
(cd "$tmp/cwd" && "$tmp/elsewhere/digilevel" score "$ex/food-before.xml") > /dev/null 2> "$tmp/ov.err"
[ -s "$tmp/ov.err" ] && { no "an identical copy is not reported"; cat "$tmp/ov.err"; }

# the installed workbench, started from another folder: it finds the installed questionnaires and
# policies, serves its compiled-in style sheet, and stops on SIGTERM
mkdir -p "$tmp/srv"
(cd "$tmp/srv" && exec "$tmp/elsewhere/digilevel" serve --listen 127.0.0.1:0 --port-file "$tmp/srv/port" --quiet) \
	2> "$tmp/srv/log" &
srv_pid=$!
for _ in $(seq 1 100); do [ -s "$tmp/srv/port" ] && break; sleep 0.05; done
port=$(cat "$tmp/srv/port" 2> /dev/null)
if [ -z "$port" ]; then
	no "installed: serve starts"
	cat "$tmp/srv/log"
else
	python3 - "$port" > "$tmp/srv/check" 2>&1 << 'PY' || { no "installed: serve answers"; cat "$tmp/srv/check"; }
import json, sys, urllib.request
base = "http://127.0.0.1:%s" % sys.argv[1]
health = json.load(urllib.request.urlopen(base + "/api/health"))
assert health["questionnaires"] >= 1 and health["policies"] >= 1, health
css = urllib.request.urlopen(base + "/static/style.css").read()
assert len(css) > 1000, len(css)
assert "中小企业" in urllib.request.urlopen(base + "/new").read().decode("utf-8")
PY
fi
kill "$srv_pid" 2> /dev/null
wait "$srv_pid" || no "installed: serve stops cleanly on SIGTERM"
[ -f "$tmp/srv/digilevel.db" ] || no "installed: serve made its database in the folder it was started in"

[ "$bad" -eq 0 ] && echo "ok - make install"
exit $bad
