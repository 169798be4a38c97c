#!/usr/bin/env python3
"""fill.py TEMPLATE.xlsx SHEET.xml OUT.xlsx [SLIP...]: fill a digilevel self-assessment workbook
with the answers of an answer-sheet XML, using openpyxl (a different writer than digilevel's
libxlsxwriter), the way a person would: dates as dates, figures and levels as numbers, options
picked from the drop-down texts. Rows are found by the ids in the hidden column A.

Each SLIP is SHEET!CELL=TEXT (or SHEET!ROWID=TEXT, the answer cell of the row with that id) and
writes TEXT as a string over what was filled, to make the slips people make; "#number:" before
TEXT writes a number, "#date:" a date, "#bool:" a boolean. DL_FILL_1904=1 in the environment makes
the workbook count dates from 1904 (its dates are then stored as other serial numbers).
"""
import datetime
import os
import sys
import xml.etree.ElementTree as ET

import openpyxl

ANSWER_COL = {"企业信息": 3, "数据": 5, "问卷": 6, "场景": 5}


def rows_by_id(ws):
    return {ws.cell(row=r, column=1).value: r for r in range(1, ws.max_row + 1)
            if ws.cell(row=r, column=1).value}


def number(text):
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() else float(text)


def main():
    template, sheet_xml, out = sys.argv[1:4]
    slips = sys.argv[4:]
    wb = openpyxl.load_workbook(template)
    if os.environ.get("DL_FILL_1904"):  # count dates from 1904, as old Excel for Mac did
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    root = ET.parse(sheet_xml).getroot()
    hidden = wb["_digilevel"]
    labels = {}
    for r in range(1, hidden.max_row + 1):
        key = hidden.cell(row=r, column=1).value or ""
        if key.startswith("labels:"):
            q = key[len("labels:"):]
            ids = [hidden.cell(row=r + 1, column=c).value for c in range(2, hidden.max_column + 1)]
            texts = [hidden.cell(row=r, column=c).value for c in range(2, hidden.max_column + 1)]
            labels[q] = {i: t for i, t in zip(ids, texts) if i}

    ent = wb["企业信息"]
    rows = rows_by_id(ent)
    e = root.find("enterprise")
    for field in ["name", "credit-code", "region", "address", "industry", "scale", "main-products"]:
        node = e.find(field)
        if node is not None and node.text:
            ent.cell(row=rows["e:" + field], column=3).value = node.text.strip()
    if e.find("employees") is not None:
        ent.cell(row=rows["e:employees"], column=3).value = int(e.find("employees").text)
    tags = [t.text for t in e.iter("tag")]
    if tags:
        ent.cell(row=rows["e:tags"], column=3).value = "；".join(tags)
    a = root.find("assessment")
    phases = {"diagnosis": "诊断（改造前）", "evaluation": "评测（改造后）", "self-check": "自评"}
    ent.cell(row=rows["a:phase"], column=3).value = phases[a.get("phase")]
    y, m, d = (int(x) for x in a.get("date").split("-"))
    ent.cell(row=rows["a:date"], column=3).value = datetime.date(y, m, d)
    ent.cell(row=rows["a:organisation"], column=3).value = a.find("organisation").text
    for i, person in enumerate(a.findall("assessor"), start=1):
        r = rows["r:%d" % i]
        for col, attr in [(3, "name"), (4, "role"), (5, "title"), (6, "contact")]:
            if person.get(attr):
                ent.cell(row=r, column=col).value = person.get(attr)

    fig = wb["数据"]
    rows = rows_by_id(fig)
    for f in root.iter("figure"):
        if f.text and f.text.strip():
            fig.cell(row=rows["f:" + f.get("id")], column=5).value = number(f.text)

    qs = wb["问卷"]
    rows = rows_by_id(qs)
    for ans in root.iter("answer"):
        q = ans.get("question")
        r = rows["q:" + q]
        for ch in ans.findall("choose"):
            o = ch.get("option")
            if "o:%s:%s" % (q, o) in rows:
                qs.cell(row=rows["o:%s:%s" % (q, o)], column=6).value = "是"
            else:
                qs.cell(row=r, column=6).value = labels[q][o]
        if ans.find("value") is not None:
            qs.cell(row=r, column=7).value = number(ans.find("value").text)
        if ans.find("note") is not None:
            qs.cell(row=r, column=8).value = ans.find("note").text
        ev = [x.text for x in ans.findall("evidence")]
        if ev:
            qs.cell(row=r, column=9).value = "\n".join(ev)

    sc = wb["场景"]
    rows = rows_by_id(sc)
    max_level = int(hidden.cell(row=3, column=2).value)
    for s in root.iter("scenario"):
        r = rows["s:" + s.get("id")]
        sc.cell(row=r, column=5).value = int(s.get("level"))
        if s.find("note") is not None:
            sc.cell(row=r, column=6 + max_level).value = s.find("note").text
        ev = [x.text for x in s.findall("evidence")]
        if ev:
            sc.cell(row=r, column=7 + max_level).value = "\n".join(ev)

    for slip in slips:
        where, text = slip.split("=", 1)
        name, cell = where.split("!", 1)
        ws = wb[name]
        if ":" in cell:
            target = ws.cell(row=rows_by_id(ws)[cell], column=ANSWER_COL[name])
        else:
            target = ws[cell]
        if text.startswith("#number:"):
            target.value = number(text[len("#number:"):])
        elif text.startswith("#date:"):
            target.value = datetime.date(*(int(x) for x in text[len("#date:"):].split("-")))
        elif text.startswith("#bool:"):
            target.value = text[len("#bool:"):] == "1"
        else:
            target.value = text
    wb.save(out)


if __name__ == "__main__":
    main()
