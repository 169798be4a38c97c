#!/bin/sh
# xlsx.sh test: the spreadsheet route end to end, with real programs on both sides.
#   1. `template --format xlsx` gives the same bytes twice;
#   2. the template filled by openpyxl (python3-openpyxl: another writer than digilevel's
#      libxlsxwriter, and one that writes strings inline) with the answers of each example sheet
#      scores exactly as the XML does (`score --format json`, less what a workbook does not hold:
#      the profile, the assessors' duties and organisations, the file's SHA-256), and so does the
#      XML `import` makes of it; dates counted from 1904, a date typed as text and numbers typed as
#      text read the same; `batch` takes the workbook;
#   3. the filled workbook and the blank template re-saved by LibreOffice (`soffice --headless`,
#      shared strings, its own styles and parts) read the same.
# Without python3-openpyxl or soffice the parts that need them are skipped with the reason printed.
# Exits 0 when every check that ran holds.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
case $build in /*) ;; *) build="$top/$build" ;; esac
dl="$build/digilevel"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
bad=0
no() {
	echo "not ok - $*"
	bad=1
}
ok() { echo "ok - $*"; }
export DIGILEVEL_QUESTIONNAIRES="$top/questionnaires"

"$dl" template --format xlsx miit-2024 -o "$tmp/t1.xlsx" && "$dl" template --format xlsx miit-2024 -o "$tmp/t2.xlsx" ||
	no "template --format xlsx"
cmp -s "$tmp/t1.xlsx" "$tmp/t2.xlsx" && ok "the same template twice gives the same bytes" || no "template bytes differ between runs"
"$dl" template --format xlsx --phase self-check miit-2024 -o "$tmp/self.xlsx" && "$dl" validate "$tmp/self.xlsx" > /dev/null 2> "$tmp/self.err"
grep -q '问卷!F4: 问题 Q01' "$tmp/self.err" && ok "a blank template's problems are at its cells" || no "blank template: $(head -n 3 "$tmp/self.err")"

py=""
for candidate in /usr/bin/python3 python3; do
	if command -v "$candidate" > /dev/null 2>&1 && "$candidate" -c 'import openpyxl' 2> /dev/null; then
		py=$candidate
		break
	fi
done
if [ -z "$py" ]; then
	echo "skipped: the round trips need python3 with openpyxl (Debian python3-openpyxl; sh scripts/install-deps.sh --test)"
	exit $bad
fi

# same A.json B.json: the two scores agree on everything a workbook holds
cat > "$tmp/same.py" << 'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for j in (a, b):
    j.pop("profile", None)
    j["assessment"].pop("sheet_sha256", None)
    for person in j["assessment"].get("assessors", []):
        person.pop("duty", None)
        person.pop("organisation", None)
if a != b:
    for k in sorted(set(a) | set(b)):
        if a.get(k) != b.get(k):
            print("  differs in %s" % k)
    sys.exit(1)
PY
same() { "$py" "$tmp/same.py" "$1" "$2"; }
fill() { "$py" "$top/tests/xlsx/fill.py" "$tmp/t1.xlsx" "$@"; }

for ex in food-before chemical-before equipment-before fuel-before textile-before; do
	xml="$top/examples/$ex.xml"
	"$dl" score --format json "$xml" > "$tmp/$ex.xml.json" || { no "$ex.xml scores"; continue; }
	fill "$xml" "$tmp/$ex.xlsx" || { no "fill $ex"; continue; }
	"$dl" score --format json "$tmp/$ex.xlsx" > "$tmp/$ex.xlsx.json" 2> "$tmp/$ex.err" && same "$tmp/$ex.xml.json" "$tmp/$ex.xlsx.json" &&
		ok "$ex: the workbook filled by openpyxl scores as the XML" ||
		no "$ex: workbook and XML score differently: $(head -n 5 "$tmp/$ex.err")"
	"$dl" import "$tmp/$ex.xlsx" -o "$tmp/$ex.imported.xml" && "$dl" score --format json "$tmp/$ex.imported.xml" > "$tmp/$ex.imported.json" &&
		same "$tmp/$ex.xml.json" "$tmp/$ex.imported.json" && ok "$ex: import gives XML that scores the same" ||
		no "$ex: import"
done

xml="$top/examples/food-before.xml"
DL_FILL_1904=1 fill "$xml" "$tmp/1904.xlsx" && unzip -p "$tmp/1904.xlsx" xl/workbook.xml | grep -q 'date1904="1"' ||
	no "openpyxl wrote a workbook counting dates from 1904"
"$dl" score --format json "$tmp/1904.xlsx" > "$tmp/1904.json" && same "$tmp/food-before.xml.json" "$tmp/1904.json" &&
	ok "dates counted from 1904 read the same" || no "the 1904 date system"
fill "$xml" "$tmp/text.xlsx" "企业信息!a:date=2024年12月12日" "数据!f:devices_total=86" "数据!f:digital_investment_avg= 12.6 " \
	"场景!s:S03=2" &&
	"$dl" score --format json "$tmp/text.xlsx" > "$tmp/text.json" && same "$tmp/food-before.xml.json" "$tmp/text.json" &&
	ok "a date and numbers typed as text read the same" || no "dates and numbers as text"
fill "$xml" "$tmp/serial.xlsx" "企业信息!a:date=#number:45638" && "$dl" score --format json "$tmp/serial.xlsx" > "$tmp/serial.json" &&
	same "$tmp/food-before.xml.json" "$tmp/serial.json" && ok "a date serial number (45638) is 2024-12-12" || no "date serial"
"$dl" batch "$tmp/food-before.xlsx" "$top/examples/food-after.xml" > "$tmp/batch.csv" 2> "$tmp/batch.err" &&
	grep -q '38.525' "$tmp/batch.csv" && ok "batch pairs a workbook with an XML sheet" || no "batch: $(head -n 3 "$tmp/batch.err")"

if ! command -v soffice > /dev/null 2>&1; then
	echo "skipped: LibreOffice re-save (soffice not installed: Debian libreoffice-calc-nogui; sh scripts/install-deps.sh --test)"
	exit $bad
fi
mkdir -p "$tmp/lo" "$tmp/home"
cp "$tmp/t1.xlsx" "$tmp/blank.xlsx"
if HOME="$tmp/home" timeout 180 soffice --headless --norestore --convert-to xlsx --outdir "$tmp/lo" \
	"$tmp/food-before.xlsx" "$tmp/chemical-before.xlsx" "$tmp/blank.xlsx" > "$tmp/lo.log" 2>&1; then
	for ex in food-before chemical-before; do
		"$dl" score --format json "$tmp/lo/$ex.xlsx" > "$tmp/$ex.lo.json" 2> "$tmp/lo.err" &&
			same "$tmp/$ex.xml.json" "$tmp/$ex.lo.json" && ok "$ex: re-saved by LibreOffice, the same score" ||
			no "$ex: LibreOffice's copy: $(head -n 5 "$tmp/lo.err")"
	done
	unzip -l "$tmp/lo/food-before.xlsx" | grep -q sharedStrings.xml || no "LibreOffice's copy has shared strings"
	"$dl" validate "$tmp/blank.xlsx" > /dev/null 2> "$tmp/blank.err"
	"$dl" validate "$tmp/lo/blank.xlsx" > /dev/null 2> "$tmp/lo-blank.err"
	sed 's|lo/||' "$tmp/lo-blank.err" | cmp -s "$tmp/blank.err" - && ok "a blank template re-saved by LibreOffice has the same problems at the same cells" ||
		no "blank template after LibreOffice: $(diff "$tmp/blank.err" "$tmp/lo-blank.err" | head -n 5)"
else
	no "soffice --convert-to xlsx: $(tail -n 3 "$tmp/lo.log")"
fi
exit $bad
