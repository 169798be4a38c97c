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
msgcat --use-first po/zh_CN.po $(ls po/zh_CN.*.po 2> /dev/null) > "$tmp/all.po"
status=0
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
