"""test_api.py: the JSON API of `digilevel serve` (docs/api.md) against a real server on a loopback
port: every answer checked against the CLI's bytes for the same sheet, errors as JSON with the
right status, nothing stored on 422, versions and history."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from server import EXAMPLES, Server, cli, done, example, ok  # noqa: E402

PAIRS = ["chemical", "equipment", "food", "fuel", "textile"]
SHEETS = sorted(f for f in os.listdir(EXAMPLES) if f.endswith(".xml"))

s = Server().start()
try:
    # health and questionnaires
    status, doc, _, hdrs = s.json("GET", "/api/health")
    ok(status == 200 and doc["status"] == "ok" and doc["version"] and doc["db"].startswith("sqlite"),
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
    ok(status == 200 and len(doc) == len(SHEETS) + 1, "after a restart every version is there")
finally:
    s2.stop()
done()
