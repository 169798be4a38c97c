#!/usr/bin/env python3
"""make_cases.py BUILD: (re)make the workbooks of the golden cases tests/cases/xlsx-*: a blank
template, workbooks filled by openpyxl from the examples (tests/xlsx/fill.py), one with the slips
people make, and hostile zips. Run from the top of the repository with Debian's python3 (it needs
python3-openpyxl); the files are committed, so the suite itself needs neither python nor openpyxl.
"""
import io
import os
import shutil
import subprocess
import sys
import zipfile

build = sys.argv[1] if len(sys.argv) > 1 else "build"
top = os.getcwd()
cases = os.path.join(top, "tests", "cases")
digilevel = os.path.join(build, "digilevel")
fill = [sys.executable, os.path.join(top, "tests", "xlsx", "fill.py")]
tmp = os.path.join(build, "xlsx-cases")
os.makedirs(tmp, exist_ok=True)
template = os.path.join(tmp, "自评表.xlsx")
env = dict(os.environ, DIGILEVEL_QUESTIONNAIRES=os.path.join(top, "questionnaires"))
subprocess.run([digilevel, "template", "--format", "xlsx", "miit-2024", "-o", template], check=True, env=env)


def case(name, files):
    d = os.path.join(cases, name)
    os.makedirs(d, exist_ok=True)
    for dest, src in files.items():
        if isinstance(src, bytes):
            with open(os.path.join(d, dest), "wb") as f:
                f.write(src)
        else:
            shutil.copyfile(src, os.path.join(d, dest))


def filled(example, out, *slips):
    subprocess.run(fill + [template, os.path.join(top, "examples", example), out] + list(slips), check=True)
    return out


food = filled("food-before.xml", os.path.join(tmp, "food.xlsx"))
case("xlsx-validate-blank", {"自评表.xlsx": template})
case("xlsx-score-food", {"food-before.xlsx": food})
case("xlsx-import-food", {"food-before.xlsx": food})
case("xlsx-import-output-is-input", {"food.xlsx": food})
case("xlsx-compare-food", {"food-before.xlsx": food})

# every slip at once: a letter, full-width digits, a percent sign, a thousands separator, a decimal
# comma and a unit in figure cells; an option not in the list and a full-width letter; 是/否 answered
# otherwise; a level 5 and "2级"; a date that is no date and one that does not exist; a negative
# head count; an unknown scale
slips = filled("food-before.xml", os.path.join(tmp, "slips.xlsx"),
               "数据!f:devices_total=八十六", "数据!f:devices_digital=２１", "数据!f:pass_rate_after=98.2%",
               "数据!f:revenue_avg=8,350", "数据!f:digital_investment_avg=12,6", "数据!f:employees_y1=126人",
               "问卷!q:Q05=C 很多", "问卷!q:Q08=Ｃ", "问卷!o:Q06:B=有",
               "场景!s:S03=#number:5", "场景!s:S13=2级",
               "企业信息!a:date=去年12月", "企业信息!e:employees=#number:-3", "企业信息!e:scale=中型")
case("xlsx-slips", {"slips.xlsx": slips})
bad_date = filled("food-before.xml", os.path.join(tmp, "bad-date.xlsx"), "企业信息!a:date=2025-02-29")
case("xlsx-bad-date", {"bad-date.xlsx": bad_date})
# the checks made after loading (a wrong credit code, 无 with another option, no organisation) point
# at cells too
checks = filled("food-before.xml", os.path.join(tmp, "checks.xlsx"),
                "企业信息!e:credit-code=91640303MA76L2K45Y", "问卷!o:Q01:A=是", "企业信息!a:organisation=")
case("xlsx-check-at-cells", {"checks.xlsx": checks})


def zipped(entries, compression=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in entries:
            z.writestr(name, data)
    return buf.getvalue()


with open(food, "rb") as f:
    food_bytes = f.read()
# cut in the middle: no central directory
case("xlsx-hostile-truncated", {"sheet.xlsx": food_bytes[: len(food_bytes) // 2]})
# a zip that is no workbook
case("xlsx-hostile-not-workbook", {"notes.xlsx": zipped([("notes.txt", "hello")])})
# a zip bomb: a worksheet of 200 MiB of blanks, a few hundred KB compressed
with zipfile.ZipFile(io.BytesIO(food_bytes)) as z:
    parts = [(i.filename, z.read(i.filename)) for i in z.infolist()]
bomb = [(n, d) if n != "xl/worksheets/sheet4.xml" else (n, d + b" " * (200 * 1024 * 1024)) for n, d in parts]
case("xlsx-hostile-bomb", {"bomb.xlsx": zipped(bomb)})
# more entries than a workbook has
case("xlsx-hostile-entries", {"many.xlsx": zipped(parts + [("x/%d" % i, "") for i in range(1001)])})
# a DOCTYPE with entities in a part (openpyxl writes the strings inline, in the worksheets)
doctype = [(n, d) if n != "xl/worksheets/sheet2.xml" else
           (n, d.replace(b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]><worksheet', 1))
           for n, d in parts]
case("xlsx-hostile-doctype", {"doctype.xlsx": zipped(doctype)})
# a workbook of another program (no hidden sheet)
import openpyxl  # noqa: E402
plain = openpyxl.Workbook()
plain.active["A1"] = "企业名称"
plain.save(os.path.join(tmp, "plain.xlsx"))
case("xlsx-hostile-plain-workbook", {"plain.xlsx": os.path.join(tmp, "plain.xlsx")})
