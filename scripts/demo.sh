#!/bin/sh
# demo.sh: what `make demo` runs: validate and score every bundled example answer sheet.
set -u
build=${1:-build}
cli="$build/digilevel"
status=0
echo "== digilevel demo: validating the bundled examples"
"$cli" validate examples/*.xml || status=1
for sheet in examples/*.xml; do
	echo
	echo "== digilevel score $sheet"
	"$cli" score "$sheet" | sed -n '1,/^判定依据/p' | sed '$d' || status=1
done
exit $status
