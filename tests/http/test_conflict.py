"""test_conflict.py: no lost update (docs/store.md "Lost updates", docs/api.md): two clients saving a new
version of the same version at once get one 201 and one 409, and the lineage gains one version; the 409
names the version saved meanwhile. The same for documents, and for the form page, which answers 409
with a sentence and keeps what was typed. Through the HTTP API only, so that it runs on either engine."""
import json
import os
import sys
import threading
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from server import FormFields, Server, done, example, ok  # noqa: E402

CODE = "91640303MA76L2K45X"  # the food example's credit code
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def at_once(*calls):
    """Run the calls in threads started together; their results in order."""
    results = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(i):
        start.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def lineage(s, first):
    """The versions of first's lineage through the API, newest first."""
    status, rows, _, _ = s.json("GET", "/api/sheets?history=1&credit_code=" + CODE)
    return [r for r in rows if r["lineage"] == first] if status == 200 else None


s = Server().start()
try:
    xml = example("food-before.xml")
    status, first, _, _ = s.json("POST", "/api/sheets", xml)
    ok(status == 201, "the first version (%d)" % status)
    one = first["id"]

    # two clients replace the same version at once: one 201, one 409 naming the winner
    answers = at_once(lambda: s.json("POST", "/api/sheets?replaces=%d" % one, xml),
                      lambda: s.json("POST", "/api/sheets?replaces=%d" % one, xml))
    statuses = sorted(a[0] for a in answers)
    ok(statuses == [201, 409], "two clients replacing version 1 at once: one 201, one 409 (%s)" % statuses)
    won = [a[1] for a in answers if a[0] == 201]
    lost = [a[1] for a in answers if a[0] == 409]
    if won and lost:
        ok(lost[0]["newest"] == won[0]["id"] and lost[0]["newest_version"] == 2,
           "the 409 names the version saved meanwhile: %s" % lost[0])
        ok("第 2 版" in lost[0]["error"], "and says so in Chinese: %s" % lost[0]["error"])
    versions = lineage(s, one)
    ok(versions is not None and [r["version"] for r in versions] == [2, 1],
       "the lineage has one new version: %s" % ([r["version"] for r in versions] if versions else versions))

    # later, the loser tries again with the stale id: still 409, still nothing stored
    status, doc, _, _ = s.json("POST", "/api/sheets?replaces=%d" % one, xml)
    ok(status == 409 and doc["newest_version"] == 2, "replacing version 1 again later: 409 (%d)" % status)
    ok(len(lineage(s, one)) == 2, "still two versions")
    status, doc, _, _ = s.json("POST", "/api/sheets?replaces=%d" % won[0]["id"], xml)
    ok(status == 201 and doc["version"] == 3, "replacing the newest version: 201, version 3 (%d)" % status)
    three = doc["id"]

    # documents: the same rule
    def post_document(replaces=None):
        q = {"kind": "contract", "filename": "合同.pdf"}
        if replaces:
            q["replaces"] = str(replaces)
        return s.json("POST", "/api/enterprises/%s/documents?%s" % (CODE, urllib.parse.urlencode(q)), PDF,
                      {"Content-Type": "application/octet-stream"})

    status, contract, _, _ = post_document()
    ok(status == 201, "a contract (%d)" % status)
    answers = at_once(lambda: post_document(contract["id"]), lambda: post_document(contract["id"]))
    statuses = sorted(a[0] for a in answers)
    ok(statuses == [201, 409], "two clients replacing the contract at once: one 201, one 409 (%s)" % statuses)
    status, docs, _, _ = s.json("GET", "/api/enterprises/%s/documents" % CODE)
    ok(status == 200 and sorted(d["version"] for d in docs if d["lineage"] == contract["lineage"]) == [1, 2],
       "the contract's lineage has one new version")
    lost = [a[1] for a in answers if a[0] == 409]
    ok(lost and "第 2 版" in lost[0]["error"], "the 409 says version 2 was saved meanwhile: %s" % lost)

    # the form: opened on version 3, someone else saves version 4, then the form is saved
    status, _, page = s.request("GET", "/sheets/%d/edit" % three)
    parser = FormFields()
    parser.feed(page.decode("utf-8"))
    fields = parser.fields + [("action", "submit")]
    ok(status == 200 and ("replaces", str(three)) in fields, "the edit form of version 3")
    status, doc, _, _ = s.json("POST", "/api/sheets?replaces=%d" % three, xml)
    ok(status == 201 and doc["version"] == 4, "someone else saves version 4 meanwhile")
    typed = "改过的企业名称"
    fields = [(k, typed if k == "e.name" else v) for k, v in fields]
    ok(any(k == "e.name" for k, _ in fields), "the form has the enterprise's name to change")
    body = urllib.parse.urlencode(fields).encode("utf-8")
    status, _, page = s.request("POST", "/sheets", body, {"Content-Type": "application/x-www-form-urlencoded"})
    page = page.decode("utf-8")
    ok(status == 409, "saving the form opened on version 3: 409 (%d)" % status)
    ok("第 4 版" in page and typed in page, "the page says version 4 was saved meanwhile and keeps what was typed")
    ok([r["version"] for r in lineage(s, one)] == [4, 3, 2, 1], "nothing was stored")
finally:
    s.stop()

# the sentence in English when the server is started with --lang en
s = Server(extra=["--lang", "en"]).start()
try:
    xml = example("food-before.xml")
    status, first, _, _ = s.json("POST", "/api/sheets", xml)
    s.json("POST", "/api/sheets?replaces=%d" % first["id"], xml)
    status, doc, _, _ = s.json("POST", "/api/sheets?replaces=%d" % first["id"], xml)
    ok(status == 409 and doc["error"].startswith("someone else saved version 2 of this sheet meanwhile"),
       "in English: %s" % json.dumps(doc, ensure_ascii=False))
finally:
    s.stop()
done()
