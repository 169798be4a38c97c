#!/bin/sh
# demo.sh: what `make demo` runs: the pilot on the bundled examples, in its order. Validate and
# score every sheet, compare each before/after pair under the district's policy (acceptance and
# subsidy), write both PDF reports of every pair and the 改造方案 of every diagnosis into out/
# (the food example's from its chosen solutions, the others' from the recommended retrofit), and
# end with the cohort dashboard
# against the district's targets (its PDF and the per-enterprise rows into out/ too).
#
# Exits 1 when a command fails. A failed acceptance (不通过: the fuel pair, by design) is a verdict,
# not a failure: `digilevel compare` exits 0 whatever the verdict and says it in its output.
set -u
build=${1:-build}
cli="$build/digilevel"
policy=policies/hongsibu-2024.xml
targets=policies/hongsibu-2024-targets.xml
status=0
tmp=$(mktemp) || exit 1
trap 'rm -f "$tmp"' EXIT

# fail WHAT: a command failed (it has said why on stderr); the demo goes on and exits 1.
fail() {
	echo "demo: $* failed" >&2
	status=1
}

echo "== digilevel validate examples/*.xml"
"$cli" validate examples/*.xml || fail "validate"

echo
echo "== digilevel score: level and total of every sheet ($cli score FILE: why, and the plan)"
for sheet in examples/*.xml; do
	if "$cli" score "$sheet" > "$tmp"; then
		printf '%-27s %s · %s\n' "$(basename "$sheet")" "$(sed -n 's/^等级: //p' "$tmp")" \
			"$(sed -n 's/^总分: //p' "$tmp")"
	else
		fail "score $sheet"
	fi
done

# One line per pair, cut from the text of `digilevel compare --policy`: levels, verdict, subsidy.
echo
echo "== digilevel compare --policy $policy: acceptance (验收) and subsidy of every pair"
for before in examples/*-before.xml; do
	industry=$(basename "$before" -before.xml)
	after="examples/$industry-after.xml"
	[ -f "$after" ] || continue
	if ! "$cli" compare --policy "$policy" "$before" "$after" > "$tmp"; then
		fail "compare $before $after"
		continue
	fi
	levels=$(sed -n 's/^等级: //p' "$tmp")
	verdict=$(sed -n 's/^结论: //p' "$tmp")
	amount=$(sed -n 's/^补助金额: //p' "$tmp")
	if [ -n "$amount" ]; then
		subsidy="补助 $amount（$(sed -n 's/^补助阶段: //p' "$tmp")）"
	else # "补助: 不予补助" and the reason on the next line
		subsidy=$(sed -n '/^补助: /{n;s/^ *//;s/^验收不通过，//;p;}' "$tmp")
	fi
	if [ -z "$verdict" ] || [ -z "$subsidy" ]; then
		fail "reading the output of compare $before $after"
		continue
	fi
	printf '%-10s %s · 验收%s · %s\n' "$industry" "$levels" "$verdict" "$subsidy"
done

# The PDF reports of every bundled pair: out/<industry>-diagnostic.pdf, out/<industry>-plan.pdf
# (数字化改造方案), out/<industry>-acceptance.pdf.
echo
echo "== digilevel report: 数字化诊断报告, 数字化改造方案 and 验收意见 ($policy) into out/"
mkdir -p out || fail "mkdir out"
for before in examples/*-before.xml; do
	industry=$(basename "$before" -before.xml)
	if "$cli" report diagnostic --policy "$policy" "$before" -o "out/$industry-diagnostic.pdf"; then
		echo "out/$industry-diagnostic.pdf"
	else
		fail "report diagnostic $before"
	fi
	if "$cli" report plan --policy "$policy" "$before" -o "out/$industry-plan.pdf"; then
		echo "out/$industry-plan.pdf"
	else
		fail "report plan $before"
	fi
	[ -f "examples/$industry-after.xml" ] || continue
	if "$cli" report acceptance --policy "$policy" "$before" \
		"examples/$industry-after.xml" -o "out/$industry-acceptance.pdf"; then
		echo "out/$industry-acceptance.pdf"
	else
		fail "report acceptance $before"
	fi
done

# The dashboard: its header and first target, then the subsidies by phase. The summary line
# ("… sheets, … scored") is the command's own, on standard error.
echo
echo "== digilevel cohort --targets $targets: the district's dashboard"
if "$cli" cohort --targets "$targets" --policy "$policy" --pdf out/cohort.pdf \
	--rows out/cohort.csv examples > "$tmp"; then
	sed -n '1,/口径/p' "$tmp"
	echo "…"
	sed -n '/^六、/,$p' "$tmp"
	echo "out/cohort.pdf (the dashboard as a report), out/cohort.csv (one row per enterprise)"
else
	fail "cohort"
fi
echo
echo "== the same in a browser: $cli serve, then open http://127.0.0.1:8080 (README: the workbench)"
exit $status
