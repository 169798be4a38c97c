"""test_api.py: the JSON API of `digilevel serve` (docs/api.md) against a real server on a loopback
port: every answer checked against the CLI's bytes for the same sheet, errors as JSON with the
right status, nothing stored on 422, versions and history."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from server import EXAMPLES, STORE, TOP, Server, cli, done, example, ok  # noqa: E402

PAIRS = ["chemical", "equipment", "food", "fuel", "textile"]
SHEETS = sorted(f for f in os.listdir(EXAMPLES) if f.endswith(".xml"))

s = Server().start()
try:
    # health and questionnaires
    status, doc, _, hdrs = s.json("GET", "/api/health")
    ok(status == 200 and doc["status"] == "ok" and doc["version"] and doc["db"].startswith(STORE),
       "GET /api/health: ok, version, db")
    ok(hdrs.get("content-type", "").startswith("application/json"), "health is JSON")
    status, doc, _, _ = s.json("GET", "/api/questionnaires")
    ok(status == 200 and [q["id"] for q in doc] == ["miit-2024"] and len(doc[0]["sha256"]) == 64,
       "GET /api/questionnaires lists miit-2024 with its digest")
    status, _, body, _ = s.json("GET", "/api/questionnaires/miit-2024")
    rc, out = cli("show", "--format", "json", "miit-2024")
    ok(status == 200 and body == out, "GET /api/questionnaires/miit-2024 is `show --format json`, byte for byte")
    status, doc, _, _ = s.json("GET", "/api/questionnaires/nope")
    ok(status == 404 and "error" in doc, "an unknown questionnaire: 404 with a JSON error")

    # scoring without storing: the CLI's bytes
    for name in SHEETS:
        status, _, body, _ = s.json("POST", "/api/score", example(name))
        rc, out = cli("score", "--format", "json", "examples/" + name)
        ok(status == 200 and body == out, "POST /api/score %s: the bytes of `score --format json`" % name)
    status, _, body, _ = s.json("POST", "/api/score?target=4", example("food-before.xml"))
    rc, out = cli("score", "--format", "json", "--target", "4", "examples/food-before.xml")
    ok(status == 200 and body == out, "POST /api/score?target=4: the bytes of `score --target 4`")
    status, doc, _, _ = s.json("POST", "/api/score?target=x", example("food-before.xml"))
    ok(status == 400 and "error" in doc, "target=x: 400")
    status, doc, _, _ = s.json("POST", "/api/score", b"")
    ok(status == 400 and "error" in doc, "an empty body: 400 with a JSON error")

    # a sheet with several problems: every one, with line and column, in Chinese
    bad = example("food-before.xml").replace(b"<answer ", b"<answer bogus=\"1\" ", 1)
    bad = bad.replace(b"credit-code=\"", b"credit-code=\"X", 1) if b"credit-code=\"" in bad else bad
    bad = bad.replace(b"</enterprise>", b"<nonsense/></enterprise>", 1)
    status, doc, _, _ = s.json("POST", "/api/score", bad)
    diags = (doc or {}).get("diagnostics", [])
    ok(status == 422 and len(diags) >= 2, "POST /api/score of a sheet with problems: 422 with every problem (%d)" % len(diags))
    ok(all(d["line"] > 0 and d["column"] > 0 and d["message"] for d in diags), "each problem has a line, a column and a message")
    ok(any(any("\u4e00" <= ch <= "\u9fff" for ch in d["message"]) for d in diags), "the messages are in Chinese")
    status, doc, _, _ = s.json("POST", "/api/score", b"<not xml")
    ok(status == 422 and doc["diagnostics"], "not XML: 422 with a diagnostic")

    # storing
    status, doc, _, _ = s.json("GET", "/api/sheets")
    ok(status == 200 and doc == [], "an empty store lists nothing")
    status, doc, _, _ = s.json("POST", "/api/sheets", bad)
    ok(status == 422 and doc["diagnostics"], "POST /api/sheets of a bad sheet: 422")
    status, doc, _, _ = s.json("GET", "/api/sheets")
    ok(doc == [], "nothing stored on 422")
    ids = {}
    for name in SHEETS:
        status, doc, _, hdrs = s.json("POST", "/api/sheets", example(name))
        ok(status == 201 and doc["version"] == 1 and doc["level"] in range(5) and len(doc["sha256"]) == 64
           and hdrs.get("location") == "/api/sheets/%d" % doc["id"], "POST /api/sheets %s: 201 with its fields" % name)
        ids[name] = doc["id"]
    status, doc, _, _ = s.json("GET", "/api/sheets")
    ok(status == 200 and [r["id"] for r in doc] == sorted(ids.values(), reverse=True), "GET /api/sheets: newest first")
    code = doc[0]["credit_code"]
    status, doc, _, _ = s.json("GET", "/api/sheets?credit_code=" + code)
    ok(status == 200 and doc and all(r["credit_code"] == code for r in doc), "?credit_code= filters")
    for name in SHEETS:
        status, hdrs, body = s.request("GET", "/api/sheets/%d" % ids[name], headers={"Accept": "application/xml"})
        ok(status == 200 and body == example(name) and "attachment" in hdrs.get("content-disposition", ""),
           "GET /api/sheets/%d as XML: the bytes posted" % ids[name])
        status, _, body, _ = s.json("GET", "/api/sheets/%d" % ids[name])
        rc, out = cli("score", "--format", "json", "examples/" + name)
        ok(status == 200 and body == out, "GET /api/sheets/%d: the score JSON of the CLI" % ids[name])
    # a new version
    first = ids["food-before.xml"]
    changed = example("food-before.xml").replace(b"</assessment>", b"</assessment>", 1)
    status, doc, _, _ = s.json("POST", "/api/sheets?replaces=%d" % first, changed)
    ok(status == 201 and doc["version"] == 2 and doc["lineage"] == first, "?replaces=ID: version 2 of the same lineage")
    status, doc, _, _ = s.json("GET", "/api/sheets?history=1&credit_code=" + doc["credit_code"])
    ok(status == 200 and sum(1 for r in doc if r["lineage"] == first) == 2, "?history=1 lists both versions")
    status, doc, _, _ = s.json("POST", "/api/sheets?replaces=999999", example("food-before.xml"))
    ok(status == 404 and "error" in doc, "?replaces= an unknown id: 404")
    status, doc, _, _ = s.json("POST", "/api/sheets?replaces=abc", example("food-before.xml"))
    ok(status == 400 and "error" in doc, "?replaces=abc: 400")

    # a filled workbook: scored as `score` scores it, stored as the XML `import` makes of it
    wb = os.path.join(TOP, "tests/cases/xlsx-import-food/food-before.xlsx")
    with open(wb, "rb") as f:
        workbook = f.read()
    status, _, body, _ = s.json("POST", "/api/score", workbook)
    rc, out = cli("score", "--format", "json", wb)
    ok(status == 200 and body == out, "POST /api/score of a workbook: the bytes of `score` on it")
    status, doc, _, _ = s.json("POST", "/api/sheets", workbook)
    ok(status == 201, "POST /api/sheets of a workbook: 201")
    status, hdrs, body = s.request("GET", "/api/sheets/%d?format=xml" % doc["id"])
    rc, out = cli("import", wb)
    ok(status == 200 and body == out, "the workbook is stored as the XML `digilevel import` makes of it")
    with open(os.path.join(TOP, "tests/cases/xlsx-slips/slips.xlsx"), "rb") as f:
        status, doc, _, _ = s.json("POST", "/api/sheets", f.read())
    ok(status == 422 and any("!" in d["where"] for d in doc["diagnostics"]),
       "a workbook with mistakes: 422, each problem at its cell (%s)" % (doc["diagnostics"][0]["where"] if doc else None))
    status, rows, _, _ = s.json("GET", "/api/sheets")
    xlsx_id = max(r["id"] for r in rows)

    # the diagnostic report: the CLI's PDF bytes
    with tempfile.TemporaryDirectory() as t:
        for name in ("food-before.xml", "chemical-before.xml"):
            status, hdrs, body = s.request("GET", "/api/sheets/%d/report.pdf" % ids[name])
            pdf = os.path.join(t, name + ".pdf")
            rc, _ = cli("report", "diagnostic", "examples/" + name, "-o", pdf)
            with open(pdf, "rb") as f:
                want = f.read()
            ok(status == 200 and hdrs.get("content-type") == "application/pdf" and body == want,
               "GET /api/sheets/%d/report.pdf: the bytes of `report diagnostic`" % ids[name])
        status, hdrs, body = s.request("GET", "/api/sheets/%d/report.pdf?target=4" % ids["food-before.xml"])
        pdf = os.path.join(t, "t4.pdf")
        cli("report", "diagnostic", "--target", "4", "examples/food-before.xml", "-o", pdf)
        with open(pdf, "rb") as f:
            ok(status == 200 and body == f.read(), "report.pdf?target=4: the bytes of `report diagnostic --target 4`")
    status, doc, _, _ = s.json("GET", "/api/sheets/999999/report.pdf")
    ok(status == 404 and "error" in doc, "the report of an unknown sheet: 404")
    status, doc, _, _ = s.json("GET", "/api/sheets/abc")
    ok(status == 404 and "error" in doc, "/api/sheets/abc: 404")

    # an enterprise's pair and the cohort: the bytes of the CLI run on the server's export (the
    # server names a stored sheet by its export file name, and counts the cohort in that order)
    policy = os.path.join(TOP, "policies/hongsibu-2024.xml")
    targets = os.path.join(TOP, "policies/hongsibu-2024-targets.xml")
    with tempfile.TemporaryDirectory() as t:
        exp = os.path.join(t, "export")
        rc, _ = cli("serve", "--export", exp, "--db", s.db)
        ok(rc == 0, "serve --export while the server runs")
        # the CLI run in the export finds questionnaires/ and policies/ there, under the relative
        # names the server (started in the checkout) gives them in its documents
        os.symlink(os.path.join(TOP, "questionnaires"), os.path.join(exp, "questionnaires"))
        os.symlink(os.path.join(TOP, "policies"), os.path.join(exp, "policies"))
        policy = "policies/hongsibu-2024.xml"
        targets = "policies/hongsibu-2024-targets.xml"
        files = sorted(n for n in os.listdir(exp) if n.endswith(".xml"))
        codes = sorted(set(n.split("-")[0] for n in files))
        ok(len(codes) == len(PAIRS), "the export holds the %d enterprises" % len(PAIRS))
        for code in codes:
            before = [n for n in files if n.startswith(code + "-diagnosis-")][-1]
            after = [n for n in files if n.startswith(code + "-evaluation-")][-1]
            status, _, body, _ = s.json("GET", "/api/enterprises/%s/compare?policy=hongsibu-2024" % code)
            rc, out = cli("compare", "--format", "json", "--policy", policy, before, after, cwd=exp)
            ok(status == 200 and body == out, "GET /api/enterprises/%s/compare?policy=: the bytes of `compare --policy`" % code)
            status, hdrs, body = s.request("GET", "/api/enterprises/%s/acceptance.pdf?policy=hongsibu-2024" % code)
            pdf = os.path.join(t, code + ".pdf")
            cli("report", "acceptance", "--policy", policy, before, after, "-o", pdf, cwd=exp)
            with open(pdf, "rb") as f:
                ok(status == 200 and hdrs.get("content-type") == "application/pdf" and body == f.read(),
                   "GET /api/enterprises/%s/acceptance.pdf?policy=: the bytes of `report acceptance`" % code)
        status, _, body, _ = s.json("GET", "/api/enterprises/%s/compare" % code)
        rc, out = cli("compare", "--format", "json", before, after, cwd=exp)
        ok(status == 200 and body == out, "compare without a policy: the bytes of `compare`")
        status, doc, _, _ = s.json("GET", "/api/enterprises/%s/acceptance.pdf" % code)
        ok(status == 400 and "hongsibu-2024" in doc["error"], "acceptance.pdf without ?policy=: 400 naming the policies")
        status, doc, _, _ = s.json("GET", "/api/enterprises/%s/compare?policy=nope" % code)
        ok(status == 404 and "error" in doc, "an unknown policy: 404")
        status, doc, _, _ = s.json("GET", "/api/enterprises/91000000000000000X/compare")
        ok(status == 404 and "error" in doc, "an enterprise with nothing stored: 404")

        q = "?targets=hongsibu-2024-targets&policy=hongsibu-2024"
        status, _, body, _ = s.json("GET", "/api/cohort" + q)
        rc, out = cli("cohort", "--format", "json", "--targets", targets, "--policy", policy, ".", cwd=exp)
        ok(status == 200 and body == out, "GET /api/cohort: the bytes of `cohort --format json` on the export")
        status, hdrs, body = s.request("GET", "/api/cohort.csv" + q + "&table=roster")
        rc, out = cli("cohort", "--format", "csv", "--table", "roster", "--targets", targets, "--policy", policy, ".", cwd=exp)
        ok(status == 200 and body == out and hdrs.get("content-type", "").startswith("text/csv"),
           "GET /api/cohort.csv?table=roster: the bytes of `cohort --format csv --table roster`")
        status, hdrs, body = s.request("GET", "/api/cohort.pdf" + q)
        pdf = os.path.join(t, "cohort.pdf")
        cli("cohort", "--targets", targets, "--policy", policy, "--pdf", pdf, ".", cwd=exp)
        with open(pdf, "rb") as f:
            ok(status == 200 and body == f.read(), "GET /api/cohort.pdf: the bytes of `cohort --pdf`")
        status, doc, _, _ = s.json("GET", "/api/cohort.csv?table=nope")
        ok(status == 400 and "error" in doc, "an unknown table: 400")

    # errors are JSON with the right status
    status, doc, _, _ = s.json("GET", "/api/nothing")
    ok(status == 404 and "error" in doc, "an unknown address: 404 JSON")
    status, doc, _, _ = s.json("DELETE", "/api/sheets")
    ok(status == 405 and "error" in doc, "a method an address does not take: 405 JSON")
finally:
    code = s.stop()
ok(code == 0, "the server stops cleanly on SIGTERM (exit %s)" % code)

# the store survives a restart
s2 = Server(folder=s.folder).start()
try:
    status, doc, _, _ = s2.json("GET", "/api/sheets?history=1")
    ok(status == 200 and len(doc) == len(SHEETS) + 2, "after a restart every version is there")
    status, dashboard, _, _ = s2.json("GET", "/api/cohort?targets=hongsibu-2024-targets&policy=hongsibu-2024")
finally:
    s2.stop()

# the database is no lock-in: --export, then `cohort` on the folder gives the dashboard's numbers
with tempfile.TemporaryDirectory() as t:
    out = os.path.join(t, "export")
    rc, _ = cli("serve", "--export", out, "--db", s.db)
    names = sorted(os.listdir(out))
    ok(rc == 0 and len([n for n in names if n.endswith(".xml")]) == len(SHEETS) + 1 and "history" in names,
       "serve --export writes the standing sheets, older versions under history/ (%s)" % len(names))
    rc, body = cli("cohort", "--format", "json", "--targets", "policies/hongsibu-2024-targets.xml",
                   "--policy", "policies/hongsibu-2024.xml", out)
    import json as _json
    exported = _json.loads(body.decode("utf-8")) if rc == 0 else None
    ok(exported is not None and exported == dashboard, "`cohort` on the export after a restart: the dashboard's numbers")
    rc, _ = cli("serve", "--export", out, "--db", s.db)
    ok(rc != 0, "a second export into the same folder is refused (nothing is replaced)")
done()
