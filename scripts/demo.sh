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
# The two PDF reports of every bundled pair: out/<industry>-diagnostic.pdf, out/<industry>-acceptance.pdf.
echo
echo "== digilevel report: 数字化诊断报告 and 验收意见 (policies/hongsibu-2024.xml) into out/"
mkdir -p out || status=1
for before in examples/*-before.xml; do
	industry=$(basename "$before" -before.xml)
	if "$cli" report diagnostic "$before" -o "out/$industry-diagnostic.pdf"; then
		echo "out/$industry-diagnostic.pdf"
	else
		status=1
	fi
	[ -f "examples/$industry-after.xml" ] || continue
	if "$cli" report acceptance --policy policies/hongsibu-2024.xml "$before" \
		"examples/$industry-after.xml" -o "out/$industry-acceptance.pdf"; then
		echo "out/$industry-acceptance.pdf"
	else
		status=1
	fi
done
exit $status
