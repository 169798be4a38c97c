#!/bin/sh
# messages.sh: every message the sources mark for translation (_ and N_, collected by xgettext into
# BUILD/digilevel.pot) has a Chinese translation in po/zh_CN.po or a fragment po/zh_CN.*.po, none
# is fuzzy, and every translation keeps its msgid's printf directives (msgfmt --check). A message
# without a translation would reach a Chinese reader in English.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
case $build in /*) ;; *) build="$top/$build" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pot="$build/digilevel.pot"
[ -f "$pot" ] || { echo "no $pot: run make check (it makes it)"; exit 1; }
cd "$top"
status=0
# one English message, one Chinese translation: msgcat --use-first would keep one of two silently,
# and a word that means two things ("approved": a review's 已批准, a subsidy's 核定补助) needs two
# msgids (or contexts).
if ! python3 - po/zh_CN.po $(ls po/zh_CN.*.po 2> /dev/null) <<'PY'
import re, sys
seen, bad = {}, 0
entry = re.compile(r'^(?:msgctxt ((?:".*"\n)+))?msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', re.M)
text = lambda block: "".join(re.findall(r'"(.*)"', block or ""))
for name in sys.argv[1:]:
    for m in entry.finditer(open(name, encoding="utf-8").read()):
        key, translation = (text(m.group(1)), text(m.group(2))), text(m.group(3))
        if not key[1]:
            continue
        if key in seen and seen[key][0] != translation:
            print("translated differently: msgid \"%s\": %s in %s, %s in %s"
                  % (key[1], seen[key][0], seen[key][1], translation, name))
            bad = 1
        seen.setdefault(key, (translation, name))
sys.exit(bad)
PY
then
	echo "(give one of them another msgid)"
	status=1
fi
msgcat --use-first po/zh_CN.po $(ls po/zh_CN.*.po 2> /dev/null) > "$tmp/all.po"
msgfmt --check --statistics -o /dev/null "$tmp/all.po" 2> "$tmp/stats" || { cat "$tmp/stats"; status=1; }
cat "$tmp/stats"
if grep -q 'fuzzy' "$tmp/stats"; then
	echo "fuzzy translations: a reviewed translation has no fuzzy flag"
	status=1
fi
# msgcmp: each msgid of the .pot must have a (non-empty) translation
if ! msgcmp "$tmp/all.po" "$pot" > "$tmp/missing" 2>&1; then
	echo "messages without a Chinese translation:"
	cat "$tmp/missing"
	status=1
fi
exit $status
