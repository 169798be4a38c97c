#!/bin/sh
# xlsx_out.sh test: the workbooks and spreadsheet CSV that `batch` and `cohort` write, read back by
# other programs than digilevel:
#   1. `batch --xlsx` and `cohort --xlsx` give the same bytes twice, refuse "-" and an input;
#   2. read with openpyxl (python3-openpyxl): the sheet names, Chinese headers, the cell types and
#      number formats (money 0.00 with the exact value, scores with every digit, dates as dates in
#      yyyy-mm-dd, periods such as 2025-10 as text), the frozen header row and the filter;
#   3. a directory holding a workbook filled by openpyxl (and Excel's ~$ lock file) is read by
#      `batch`: the workbook pairs with the XML evaluation;
#   4. the CSV for a spreadsheet (--csv-excel) opened by LibreOffice (`soffice --headless`): the
#      period stays the text 2025-10, a full date becomes a date, money a number.
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
policy="$top/policies/hongsibu-2024.xml"
targets="$top/policies/hongsibu-2024-targets.xml"
cd "$tmp" || exit 1
cp -r "$top/examples" ex

# 1. bytes, refusals
"$dl" batch --policy "$policy" -j 2 --xlsx b1.xlsx ex 2> /dev/null && "$dl" batch --policy "$policy" -j 1 --xlsx b2.xlsx ex 2> /dev/null &&
	cmp -s b1.xlsx b2.xlsx && ok "batch --xlsx: the same bytes for -j 1 and -j 2" || no "batch --xlsx bytes"
[ -s b1.xlsx ] && [ "$("$dl" batch --policy "$policy" --xlsx b3.xlsx ex 2> /dev/null | wc -c)" -eq 0 ] &&
	ok "batch --xlsx alone writes nothing on standard output" || no "batch --xlsx alone wrote standard output"
"$dl" cohort --targets "$targets" --policy "$policy" --xlsx c1.xlsx ex > /dev/null 2>&1 &&
	"$dl" cohort --targets "$targets" --policy "$policy" --xlsx c2.xlsx ex > /dev/null 2>&1 &&
	cmp -s c1.xlsx c2.xlsx && ok "cohort --xlsx: the same bytes twice" || no "cohort --xlsx bytes"
"$dl" cohort --targets "$targets" --policy "$policy" --format csv --csv-dir tables ex > /dev/null 2>&1 &&
	[ "$(ls tables | wc -l)" -eq 14 ] && head -n 1 tables/roster.csv | grep -q '^credit_code,name,stage' &&
	ok "cohort --csv-dir: a CSV file per table" || no "cohort --csv-dir"
cp ex/food-before.xml keep.xml
"$dl" batch --xlsx keep.xml ex/food-after.xml keep.xml > /dev/null 2>&1
[ $? -eq 2 ] && cmp -s keep.xml ex/food-before.xml && ok "--xlsx over an input is refused, the input kept" || no "--xlsx over an input"
"$dl" --lang en batch --xlsx ex/rows.xlsx ex > /dev/null 2> err.txt
[ $? -eq 2 ] && [ ! -e ex/rows.xlsx ] && grep -q 'is in the input directory' err.txt &&
	ok "--xlsx into an input directory is refused" || no "--xlsx into an input directory: $(head -n 1 err.txt)"
"$dl" batch --xlsx missing-dir/rows.xlsx ex > /dev/null 2>&1
[ $? -eq 3 ] && [ ! -e missing-dir ] && ok "--xlsx into a missing directory: exit 3, nothing written" || no "--xlsx, a missing directory"
echo old > old.xlsx
chmod 644 old.xlsx
"$dl" batch --xlsx old.xlsx ex > /dev/null 2>&1 && unzip -l old.xlsx > /dev/null 2>&1 && [ "$(stat -c %a old.xlsx)" = 644 ] &&
	ok "--xlsx replaces a file whole, keeping its mode" || no "--xlsx replacing a file"

py=""
for candidate in /usr/bin/python3 python3; do
	if command -v "$candidate" > /dev/null 2>&1 && "$candidate" -c 'import openpyxl' 2> /dev/null; then
		py=$candidate
		break
	fi
done
if [ -z "$py" ]; then
	echo "skipped: reading the workbooks back needs python3 with openpyxl (Debian python3-openpyxl; sh scripts/install-deps.sh --test)"
	exit $bad
fi

# 2. what openpyxl reads: check.py WORKBOOK KIND prints "ok - ..." or "not ok - ..." lines
cat > check.py << 'PY'
import datetime, sys
import openpyxl
path, kind = sys.argv[1:3]
wb = openpyxl.load_workbook(path)
bad = []
def expect(what, cond):
    print(("ok - " if cond else "not ok - ") + kind + ": " + what)
def header(ws):
    return [c.value for c in ws[1]]
def column(ws, title):
    return header(ws).index(title) + 1
def cell(ws, row, title):
    return ws.cell(row=row, column=column(ws, title))
def row_of(ws, title, value):
    col = column(ws, title)
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=col).value == value)
for ws in wb:
    expect(ws.title + ": header frozen", ws.freeze_panes == "A2")
    expect(ws.title + ": filter over the table", ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A1:"))
    expect(ws.title + ": name fits Excel", len(ws.title) <= 31 and not any(ch in ws.title for ch in "[]:*?/\\"))
    expect(ws.title + ": headers are text", all(isinstance(v, str) and v for v in header(ws)))
if kind == "batch":
    expect("one sheet 企业", wb.sheetnames == ["企业"])
    ws = wb["企业"]
    expect("Chinese headers", header(ws)[:3] == ["统一社会信用代码", "企业名称", "细分行业"])
    expect("one row per enterprise", ws.max_row == 6)
    food = row_of(ws, "统一社会信用代码", "91640303MA76L2K45X")
    c = cell(ws, food, "改造前总分")
    expect("a score is a number with every digit: 38.525 shown 0.000", c.data_type == "n" and c.value == 38.525 and c.number_format == "0.000")
    c = cell(ws, food, "补助金额（元）")
    expect("money is a number, exact, shown 0.00", c.data_type == "n" and c.value == 385070 and c.number_format == "0.00")
    c = cell(ws, food, "改造前评估日期")
    expect("a date is a date, yyyy-mm-dd", c.is_date and c.value == datetime.datetime(2024, 12, 12) and c.number_format == "yyyy-mm-dd")
    c = cell(ws, food, "改造后等级")
    expect("a level is a whole number", c.data_type == "n" and c.value == 2 and c.number_format == "0")
    expect("the pairing in Chinese", cell(ws, food, "配对情况").value == "已配对")
    expect("a column as wide as its text", ws.column_dimensions["B"].width >= 28)
elif kind == "per-sheet":
    expect("one sheet 答卷", wb.sheetnames == ["答卷"])
    ws = wb["答卷"]
    expect("a row per sheet", ws.max_row == 11)
    expect("dimension titles from the questionnaire", "数字化基础" in header(ws))
elif kind == "cohort":
    want = ["概况", "目标完成情况", "细分行业", "等级分布", "等级变化", "占比目标", "补助", "推进阶段",
            "进度节点", "企业名册", "资金核定与拨付", "服务商绩效", "薄弱场景", "平均提升"]
    expect("a worksheet per table, Chinese names", wb.sheetnames == want)
    ws = wb["目标完成情况"]
    c = cell(ws, 2, "期限")
    expect("a period is text: 2025-10", c.data_type == "s" and c.value == "2025-10")
    c = cell(ws, 2, "截止日期")
    expect("a deadline is a date", c.is_date and c.value == datetime.datetime(2025, 10, 31))
    c = cell(ws, 2, "完成率（%）")
    expect("a rate is a number shown 0.0", c.data_type == "n" and c.value == 13 and c.number_format == "0.0")
    ws = wb["补助"]
    total = row_of(ws, "阶段", "total")
    c = cell(ws, total, "补助金额（元）")
    expect("the subsidy total, exact", c.data_type == "n" and c.value == 1319830 and c.number_format == "0.00")
    ws = wb["企业名册"]
    r = row_of(ws, "统一社会信用代码", "91640303MA76RT3C9U")
    expect("a verdict in Chinese", cell(ws, r, "验收结论").value == "限期整改")
    expect("a rectification deadline is a date", cell(ws, r, "整改期限").value == datetime.datetime(2025, 7, 13))
    ws = wb["概况"]
    expect("the as-of date is a date", ws.cell(row=5, column=2).value == datetime.datetime(2025, 6, 24))
PY
"$dl" batch --policy "$policy" --per-sheet --xlsx p.xlsx ex > /dev/null 2>&1 || no "batch --per-sheet --xlsx"
"$py" check.py b1.xlsx batch > out.txt 2>&1 && "$py" check.py p.xlsx per-sheet >> out.txt 2>&1 &&
	"$py" check.py c1.xlsx cohort >> out.txt 2>&1 || no "openpyxl cannot read the workbooks: $(tail -n 3 out.txt)"
cat out.txt
grep -q '^not ok' out.txt && bad=1

# 3. a directory with a workbook: filled by openpyxl, paired with the XML evaluation
mkdir dir
"$dl" template --format xlsx miit-2024 -o t.xlsx && "$py" "$top/tests/xlsx/fill.py" t.xlsx ex/food-before.xml dir/food-before.XLSX ||
	no "fill a workbook"
cp ex/food-after.xml dir/
printf 'not a workbook' > 'dir/~$food-before.XLSX'
"$dl" batch dir > dir.csv 2> dir.err
[ $? -eq 0 ] && grep -q '^91640303MA76L2K45X,.*,paired,dir/food-before.XLSX,2024-12-12,1,一级,38.525,' dir.csv &&
	! grep -q '~\$' dir.csv dir.err && ok "a directory's workbook (X.XLSX) is read and paired; Excel's lock file is not" ||
	no "a directory with a workbook: $(cat dir.err | head -n 3) $(tail -n 1 dir.csv)"

# 4. the CSV for a spreadsheet, opened by LibreOffice
"$dl" cohort --targets "$targets" --policy "$policy" --format csv --csv-excel ex > targets.csv 2> /dev/null &&
	[ "$(head -c 3 targets.csv | od -An -tx1 | tr -d ' ')" = efbbbf ] && grep -q '^retrofitted,"=""1""",,拟改造企业数量,家,是,"=""2025-10""",,2025-10-31,' targets.csv &&
	ok "--csv-excel: a byte order mark, Chinese words, the period as =\"2025-10\"" || no "--csv-excel: $(head -n 2 targets.csv)"
if ! command -v soffice > /dev/null 2>&1; then
	echo "skipped: opening the CSV in LibreOffice (soffice not installed: Debian libreoffice-calc-nogui)"
	exit $bad
fi
mkdir -p lo home
# the import dialog's choices: comma, double quote, UTF-8 (76), from line 1
if HOME="$tmp/home" timeout 180 soffice --headless --norestore --infilter="CSV:44,34,76,1" --convert-to xlsx --outdir lo targets.csv > lo.log 2>&1; then
	cat > lo.py << 'PY'
import datetime, sys
import openpyxl
ws = openpyxl.load_workbook(sys.argv[1], data_only=True).active
row = [c.value for c in ws[2]]
print(row[:10])
assert ws["A1"].value == "目标编号", ws["A1"].value
assert row[6] == "2025-10", row[6]                          # the period: text, not a date
assert row[8] == datetime.datetime(2025, 10, 31), row[8]    # the deadline: a date
assert row[9] == 23 and isinstance(row[9], int), row[9]     # the goal: a number
PY
	"$py" lo.py lo/targets.xlsx > lo.out 2>&1 && ok "LibreOffice opens the CSV: the period stays 2025-10, the date is a date" ||
		no "LibreOffice's reading of the CSV: $(tail -n 2 lo.out)"
else
	no "soffice --convert-to xlsx: $(tail -n 3 lo.log)"
fi
exit $bad
