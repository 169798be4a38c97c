"""test_supervisor.py: the supervisor's part of the workbench (docs/api.md "Documents", "Reviews",
"一企一档"): documents uploaded and served byte for byte, reviews approving and returning with a
comment, the pipeline's states, the review queue and the enterprise page, the dashboard's pipeline,
and the 一企一档 archive opened with zipfile and checked against its manifest and the API's bytes.
Personal mode (no accounts: every role's action is allowed) first; district mode after it: the
supervisor's work with accounts (who is named as author and reviewer, the audit entries, what each
role's pages show). Who may ask which route is tests/http/test_roles.py's matrix."""
import hashlib
import io
import json
import os
import re
import sys
import urllib.parse
import zipfile

sys.path.insert(0, os.path.dirname(__file__))
import server as harness  # noqa: E402
from server import Server, done, example, multipart, ok  # noqa: E402

CODE = "91640303MA76L2K45X"  # the food example's credit code
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
DOCX = b"PK\x03\x04" + b"\x00" * 60
CONTRACT_NAME = "数字化改造合同.pdf"


def post_document(s, kind, filename, body, replaces=None, code=CODE):
    q = {"kind": kind, "filename": filename}
    if replaces:
        q["replaces"] = str(replaces)
    path = "/api/enterprises/%s/documents?%s" % (code, urllib.parse.urlencode(q))
    return s.json("POST", path, body, {"Content-Type": "application/octet-stream"})


def review(s, item, ident, decision, comment=None, headers=None):
    body = {"item": item, "id": ident, "decision": decision}
    if comment is not None:
        body["comment"] = comment
    h = {"Content-Type": "application/json"}
    h.update(headers or {})
    return s.json("POST", "/api/reviews", json.dumps(body).encode(), h)


def pipeline(s, code=CODE):
    status, doc, _, _ = s.json("GET", "/api/enterprises/%s/pipeline" % code)
    return {k: v["state"] for k, v in doc["steps"].items()} if status == 200 else status


def chinese(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


s = Server().start()
try:
    # the sheets: a diagnosis and an evaluation of one enterprise
    status, doc, _, _ = s.json("POST", "/api/sheets", example("food-before.xml"))
    diag1 = doc["id"]
    status, doc, _, _ = s.json("POST", "/api/sheets", example("food-after.xml"))
    evaluation = doc["id"]
    ok(pipeline(s)["diagnosis"] == "submitted" and pipeline(s)["contract"] == "none",
       "pipeline: a finished diagnosis is submitted, no contract yet")
    ok(pipeline(s)["evaluation"] == "submitted" and pipeline(s)["acceptance"] in ("passed", "failed", "rectify"),
       "pipeline: the evaluation submitted, the acceptance decided on the pair (%s)" % pipeline(s)["acceptance"])

    # documents: upload, refusals, list, download
    status, contract, _, hdrs = post_document(s, "contract", CONTRACT_NAME, PDF)
    ok(status == 201 and contract["version"] == 1 and contract["kind"] == "contract"
       and contract["filename"] == CONTRACT_NAME and contract["size"] == len(PDF)
       and contract["sha256"] == hashlib.sha256(PDF).hexdigest()
       and contract["content_type"] == "application/pdf"
       and hdrs.get("location") == "/api/documents/%d" % contract["id"],
       "POST documents: a contract PDF stored, 201 with its fields")
    status, plan, _, _ = post_document(s, "plan", "改造方案.docx", DOCX)
    ok(status == 201 and plan["kind"] == "plan", "POST documents: a retrofit plan (.docx) stored")
    for kind, name, body, want, what in [
            ("bogus", "a.pdf", PDF, 400, "an unknown kind"),
            ("contract", "", PDF, 400, "no file name"),
            ("contract", "a.pdf", b"", 400, "an empty body"),
            ("contract", "../a.pdf", PDF, 422, "a file name with a folder"),
            ("contract", "a.exe", b"MZ\x90\x00", 422, "an extension not accepted"),
            ("contract", "a\x01b.pdf", PDF, 422, "a control character in the name"),
            ("contract", "合同" * 30 + ".pdf", PDF, 422, "a name longer than 120 bytes"),
            ("contract", "a.pdf", b"<html>not a pdf</html>", 422, "a .pdf that is not a PDF"),
            ("plan", "notes.txt", b"\xff\xfe bad", 422, "a .txt that is not UTF-8"),
            ("contract", "a.pdf", b"%PDF-" + b"0" * (12 * 1024 * 1024), 413, "a document above 12 MiB")]:
        status, doc, _, _ = post_document(s, kind, name, body)
        ok(status == want and doc and "error" in doc and chinese(doc["error"]),
           "POST documents, %s: %d with a Chinese message (got %d)" % (what, want, status))
    status, doc, _, _ = post_document(s, "contract", "a.pdf", PDF, replaces=99999)
    ok(status == 404, "replaces= an unknown document: 404")
    status, doc, _, _ = post_document(s, "contract", "a.pdf", PDF, replaces=plan["id"])
    ok(status == 422, "replaces= a document of another kind: 422")
    status, doc, _, _ = post_document(s, "contract", "a.pdf", PDF, code="nonsense")
    ok(status == 404, "documents of a credit code that cannot be one: 404")
    status, docs, _, _ = s.json("GET", "/api/enterprises/%s/documents" % CODE)
    ok(status == 200 and [d["id"] for d in docs] == [plan["id"], contract["id"]],
       "GET documents: every one, newest first (nothing stored by the refusals)")
    status, hdrs, body = s.request("GET", "/api/documents/%d" % contract["id"])
    disp = hdrs.get("content-disposition", "")
    ok(status == 200 and body == PDF and hdrs.get("content-type") == "application/pdf",
       "GET /api/documents/{id}: the bytes uploaded, as application/pdf")
    ok(disp.startswith("attachment; filename=\"%s-contract-" % CODE) and disp.isascii()
       and "filename*=UTF-8''" + urllib.parse.quote(CONTRACT_NAME, safe="") in disp,
       "the download is an attachment with an ASCII name and the Chinese one as filename* (%s)" % disp)
    status, doc, _, _ = s.json("GET", "/api/documents/424242")
    ok(status == 404 and chinese(doc["error"]), "an unknown document: 404")
    ok(pipeline(s)["contract"] == "uploaded" and pipeline(s)["plan"] == "uploaded",
       "pipeline: contract and plan uploaded, awaiting review")

    # the queue lists what waits
    status, _, page = s.request("GET", "/review")
    page = page.decode()
    ok(status == 200 and "审核" in page and "/sheets/%d" % diag1 in page
       and "/api/documents/%d" % contract["id"] in page and "/api/documents/%d" % plan["id"] in page,
       "GET /review: the diagnosis, the contract and the plan wait")
    ok("/sheets/%d\"" % evaluation not in page, "an evaluation is not in the queue")

    # reviews: refusals
    status, doc, _, _ = review(s, "document", contract["id"], "returned")
    ok(status == 422 and chinese(doc["error"]), "returned without a comment: 422")
    status, doc, _, _ = review(s, "document", contract["id"], "returned", "  \n ")
    ok(status == 422, "returned with a blank comment: 422")
    status, doc, _, _ = review(s, "document", contract["id"], "maybe", "x")
    ok(status == 422, "a decision neither approved nor returned: 422")
    status, doc, _, _ = review(s, "nothing", contract["id"], "approved")
    ok(status == 400, "an item neither sheet nor document: 400")
    status, doc, _, _ = review(s, "sheet", evaluation, "approved")
    ok(status == 422 and chinese(doc["error"]), "an evaluation is not reviewed: 422")
    status, doc, _, _ = review(s, "sheet", 987654, "approved")
    ok(status == 404, "an unknown sheet: 404")
    status, doc, _, _ = review(s, "document", contract["id"], "returned", "长" * 400)
    ok(status == 422, "a comment above 1000 bytes: 422")
    status, doc, _, _ = s.json("POST", "/api/reviews", b"{\"item\": \"sheet\", ", {"Content-Type": "application/json"})
    ok(status == 400 and chinese(doc["error"]), "a review that is not JSON: 400")
    status, revs, _, _ = s.json("GET", "/api/enterprises/%s/reviews" % CODE)
    ok(status == 200 and revs == [], "nothing recorded by the refusals")

    # reviews: approve the diagnosis, return the contract
    status, r1, _, _ = review(s, "sheet", diag1, "approved", "诊断报告完整")
    ok(status == 201 and r1["decision"] == "approved" and r1["item"] == "sheet" and r1["item_id"] == diag1
       and r1["credit_code"] == CODE and r1["at"], "POST /api/reviews: the diagnosis approved, 201")
    comment = "合同缺少盖章页，请补充后重新上传"
    status, r2, _, _ = review(s, "document", contract["id"], "returned", comment)
    ok(status == 201 and r2["decision"] == "returned" and r2["comment"] == comment,
       "POST /api/reviews: the contract returned with its comment")
    p = pipeline(s)
    ok(p["diagnosis"] == "approved" and p["contract"] == "returned" and p["plan"] == "uploaded",
       "pipeline: diagnosis approved, contract returned, plan awaiting (%s)" % p)
    status, revs, _, _ = s.json("GET", "/api/enterprises/%s/reviews" % CODE)
    ok(status == 200 and [r["id"] for r in revs] == [r2["id"], r1["id"]], "GET reviews: newest first")

    # the enterprise page shows the pipeline, the documents and the returned comment
    status, _, page = s.request("GET", "/enterprises/%s" % CODE)
    page = page.decode()
    ok(status == 200 and comment in page and "returned-notice" in page and 'class="returned"' in page,
       "the enterprise page: the returned contract set apart with its comment")
    ok("已批准" in page and CONTRACT_NAME in page and "/api/documents/%d" % contract["id"] in page
       and "/api/enterprises/%s/archive.zip" % CODE in page,
       "the enterprise page: the approval, the documents' links, the 一企一档 link")

    # a new version of the returned contract is reviewed again; the old one no longer can be
    status, contract2, _, _ = post_document(s, "contract", "数字化改造合同（盖章）.pdf", PDF + b"%stamp\n",
                                            replaces=contract["id"])
    ok(status == 201 and contract2["version"] == 2 and contract2["lineage"] == contract["lineage"],
       "a new version of the contract: version 2 of its lineage")
    ok(pipeline(s)["contract"] == "uploaded", "pipeline: the new version awaits review again")
    status, doc, _, _ = review(s, "document", contract["id"], "approved")
    ok(status == 409 and chinese(doc["error"]), "reviewing the replaced version: 409")
    status, _, page = s.request("GET", "/review")
    page = page.decode()
    ok("/api/documents/%d" % contract2["id"] in page and "/sheets/%d\"" % diag1 not in page,
       "the queue: the new contract waits, the approved diagnosis no longer")

    # a new diagnosis version starts its review again
    status, doc, _, _ = s.json("POST", "/api/sheets?replaces=%d" % diag1, example("food-before.xml"))
    diag2 = doc["id"]
    ok(pipeline(s)["diagnosis"] == "submitted", "a new diagnosis version: submitted again")
    status, doc, _, _ = s.json("POST", "/api/sheets?draft=1&replaces=%d" % diag2, example("food-before.xml"))
    status, r, _, _ = review(s, "sheet", doc["id"], "approved")
    ok(status == 422, "a draft is not reviewed: 422")
    ok(pipeline(s)["diagnosis"] == "submitted", "a draft after it changes nothing")

    # the pages: decide through the form, upload through the form
    form = urllib.parse.urlencode({"item": "document", "id": plan["id"], "decision": "returned",
                                   "comment": ""}).encode()
    status, _, page = s.request("POST", "/reviews", form, {"Content-Type": "application/x-www-form-urlencoded"})
    ok(status == 422 and "class=\"error\"" in page.decode() and chinese(page.decode()),
       "POST /reviews returned without a comment: 422, the queue with the reason")
    form = urllib.parse.urlencode({"item": "document", "id": plan["id"], "decision": "approved",
                                   "comment": "方案可行"}).encode()
    status, hdrs, _ = s.request("POST", "/reviews", form, {"Content-Type": "application/x-www-form-urlencoded"})
    ok(status == 303 and hdrs.get("location") == "/review?notice=approved", "POST /reviews: 303 back to the queue")
    status, _, page = s.request("GET", "/review?notice=approved")
    ok(status == 200 and "class=\"notice\"" in page.decode(), "the queue says the decision was recorded")
    ok(pipeline(s)["plan"] == "approved", "pipeline: the plan approved through the page")
    body, ctype = multipart([("kind", "plan"), ("replaces", "")], [("file", "C:\\扫描\\方案附件.pdf", PDF)])
    status, hdrs, _ = s.request("POST", "/enterprises/%s/documents" % CODE, body, {"Content-Type": ctype})
    ok(status == 303 and hdrs.get("location") == "/enterprises/%s/documents?notice=uploaded" % CODE,
       "POST /enterprises/{code}/documents (multipart): 303")
    status, docs, _, _ = s.json("GET", "/api/enterprises/%s/documents" % CODE)
    ok(docs[0]["filename"] == "方案附件.pdf" and docs[0]["kind"] == "plan", "the page's upload stored, its folder dropped")
    body, ctype = multipart([("kind", "plan")], [("file", "x.pdf", b"not a pdf")])
    status, _, page = s.request("POST", "/enterprises/%s/documents" % CODE, body, {"Content-Type": ctype})
    ok(status == 422 and "class=\"error\"" in page.decode(), "a bad file through the page: 422 with the reason")
    status, _, page = s.request("GET", "/enterprises/%s/documents" % CODE)
    ok(status == 200 and "type=\"file\"" in page.decode() and "方案附件.pdf" in page.decode(),
       "GET /enterprises/{code}/documents: the form and the documents")

    # the dashboard's pipeline
    status, r3, _, _ = review(s, "sheet", diag2, "approved")
    ok(status == 201 and r3["comment"] == "", "the new diagnosis version approved, without a comment")
    status, _, page = s.request("GET", "/dashboard")
    page = page.decode()
    ok(status == 200 and "pipeline-enterprises" in page and "pipeline-counts" in page
       and "/enterprises/%s" % CODE in page, "the dashboard shows the pipeline table and its counts")
    row = re.search(r'<table id="pipeline-enterprises">.*?</table>', page, re.S)
    ok(row and "已上传，待审核" in row.group(0) and "已批准" in row.group(0) and "已提交" in row.group(0),
       "the dashboard's row: the states in Chinese")
    counts = re.search(r'<table id="pipeline-counts">.*?</table>', page, re.S)
    ok(counts and re.search(r'<th scope="row">已批准</th><td>1</td>', counts.group(0)),
       "the dashboard's counts: one enterprise with its diagnosis approved")

    # 一企一档
    status, hdrs, data = s.request("GET", "/api/enterprises/%s/archive.zip" % CODE)
    ok(status == 200 and hdrs.get("content-type") == "application/zip"
       and re.match(r'attachment; filename="archive-%s-\d{8}T\d{6}Z\.zip"$' % CODE, hdrs.get("content-disposition", "")),
       "GET archive.zip: a ZIP attachment with an ASCII name")
    z = zipfile.ZipFile(io.BytesIO(data))
    ok(z.testzip() is None, "the archive's every member reads back (CRC)")
    names = z.namelist()
    manifest = json.loads(z.read("manifest.json"))
    listed = {f["name"]: f for f in manifest["files"]}
    ok(names[0] == "manifest.json" and set(names) - {"manifest.json"} == set(listed),
       "the manifest lists every other file (%d)" % len(listed))
    ok(all(len(z.read(n)) == listed[n]["size"] and hashlib.sha256(z.read(n)).hexdigest() == listed[n]["sha256"]
           for n in listed), "every file's size and SHA-256 are the manifest's")
    ok(manifest["credit_code"] == CODE and manifest["generated"].endswith("Z")
       and "remote" in manifest["downloaded_by"], "the manifest says whose file, when and for whom")
    status, rows, _, _ = s.json("GET", "/api/sheets?credit_code=%s&history=1" % CODE)
    sheets = [n for n in names if n.startswith("sheets/")]
    ok(len(sheets) == len(rows) == 4, "sheets/: every version, the draft too (%d)" % len(sheets))
    same = True
    for r in rows:
        _, _, xml = s.request("GET", "/api/sheets/%d" % r["id"], headers={"Accept": "application/xml"})
        member = [n for n in sheets if "-%010d-v" % r["id"] in n]
        same = same and len(member) == 1 and z.read(member[0]) == xml
    ok(same, "sheets/: each version byte-identical to GET /api/sheets/{id} as XML")
    reports = [n for n in names if n.startswith("reports/")]
    _, _, pdf2 = s.request("GET", "/api/sheets/%d/report.pdf" % diag2)
    _, _, pdfe = s.request("GET", "/api/sheets/%d/report.pdf" % evaluation)
    ok(any("-%010d-" % diag2 in n and z.read(n) == pdf2 for n in reports)
       and any("-%010d-" % evaluation in n and z.read(n) == pdfe for n in reports),
       "reports/: the newest diagnosis's and the evaluation's report, the bytes of report.pdf")
    ok(not any("-%010d-" % diag1 in n for n in reports), "reports/: no report of a replaced version")
    ok(any(n.startswith("reports/acceptance-") and z.read(n).startswith(b"%PDF") for n in reports),
       "reports/: the 验收意见 of the standing pair")
    docs_in = [n for n in names if n.startswith("documents/")]
    ok(len(docs_in) == 4 and any(n.endswith(CONTRACT_NAME) and z.read(n) == PDF for n in docs_in),
       "documents/: every version as uploaded, under its Chinese name")
    zrevs = json.loads(z.read("reviews.json"))
    status, revs, _, _ = s.json("GET", "/api/enterprises/%s/reviews" % CODE)
    ok(zrevs == revs, "reviews.json: the reviews the API lists")
    audit = json.loads(z.read("audit.json"))
    ok(isinstance(audit, list) and all(e["credit_code"] == CODE for e in audit), "audit.json: the enterprise's entries")
    status, doc, _, _ = s.json("GET", "/api/enterprises/91110000000000000X/archive.zip")
    ok(status == 404, "the archive of an enterprise nothing is stored about: 404")
finally:
    s.stop()


# the messages in English when the server is started with --lang en
s = Server(extra=["--lang", "en"]).start()
try:
    status, doc, _, _ = s.json("POST", "/api/sheets", example("food-before.xml"))
    status, doc, _, _ = review(s, "sheet", doc["id"], "returned")
    ok(status == 422 and doc["error"].startswith("say why the item is returned"),
       "--lang en: a return without a comment is refused in English (%s)" % doc.get("error"))
    status, doc, _, _ = post_document(s, "contract", "a.exe", b"MZ")
    ok(status == 422 and doc["error"].startswith("the file name is not accepted"), "--lang en: a bad file name in English")
    status, _, page = s.request("GET", "/review")
    ok(status == 200 and b"Review queue" in page, "--lang en: the queue's page in English")
finally:
    s.stop()


# --- district mode: the same work with accounts, roles and assignments ----------------------------

A = CODE
PASSWORD = "district password 1"
ACCOUNTS = [("ent_a", "enterprise", A), ("int_a", "integrator", None), ("eval_a", "evaluator", None),
            ("sup", "supervisor", None), ("chief", "bureau", None)]


def assign(chief, code, integrator, evaluator):
    """Assign code's integrator and evaluator by the bureau's API."""
    body = json.dumps({"integrator": integrator, "evaluator": evaluator}).encode()
    status, _, _, _ = chief.json("POST", "/api/enterprises/%s/assignment" % code, body,
                                 {"Content-Type": "application/json"})
    return status == 200


if not hasattr(harness, "Client"):
    print("# district mode: skipped (this build has no accounts)")
    done()

s = Server()
for name, role, code in ACCOUNTS:
    harness.add_account(s.db, name, role, PASSWORD, code)
s.start()
try:
    who = {}
    for name, _, _ in ACCOUNTS:
        who[name] = harness.Client(s)
        status, _, _ = who[name].login(name, PASSWORD)
        ok(status == 200, "district: %s logs in" % name)
    ok(assign(who["chief"], A, "int_a", "eval_a"), "district: the bureau assigns A's integrator and evaluator")
    status, doc, _, _ = who["int_a"].json("POST", "/api/sheets", example("food-before.xml"))
    diag = doc["id"] if status == 201 else 0
    ok(status == 201, "district: A's integrator stores A's diagnosis")
    status, doc, _, _ = who["eval_a"].json("POST", "/api/sheets", example("food-after.xml"))
    ok(status == 201, "district: A's evaluator stores A's evaluation")

    def upload(c, kind, name, body, code=A, replaces=None, csrf=True):
        q = {"kind": kind, "filename": name}
        if replaces:
            q["replaces"] = str(replaces)
        return c.json("POST", "/api/enterprises/%s/documents?%s" % (code, urllib.parse.urlencode(q)), body,
                      {"Content-Type": "application/octet-stream"}, csrf)

    status, contract, _, _ = upload(who["int_a"], "contract", CONTRACT_NAME, PDF)
    ok(status == 201 and contract["author"] == "int_a", "district: A's integrator uploads A's contract, as its author")
    for name in ("ent_a", "int_a", "sup", "chief"):
        status, _, raw, _ = who[name].json("GET", "/api/documents/%d" % contract["id"])
        ok(status == 200 and raw == PDF, "district: %s downloads A's contract" % name)

    def review_as(c, item, ident, decision, comment=None, csrf=True):
        body = {"item": item, "id": ident, "decision": decision}
        if comment is not None:
            body["comment"] = comment
        return c.json("POST", "/api/reviews", json.dumps(body).encode(), {"Content-Type": "application/json"}, csrf)

    status, r1, _, _ = review_as(who["sup"], "sheet", diag, "approved", "诊断完整")
    ok(status == 201 and r1["reviewer"] == "sup", "district: the supervisor approves the diagnosis, named as reviewer")
    comment = "合同缺少双方盖章页"
    status, r2, _, _ = review_as(who["sup"], "document", contract["id"], "returned", comment)
    ok(status == 201 and r2["reviewer"] == "sup", "district: the supervisor returns the contract")
    entries = harness.audit(s.db)
    ok(any(e["action"] == "review.approve" and e["user"] == "sup" for e in entries)
       and any(e["action"] == "review.return" and e["user"] == "sup" for e in entries),
       "district: the approval and the return are audited with the supervisor's name")
    status, _, page = who["int_a"].request("GET", "/enterprises/%s" % A)
    page = page.decode()
    ok(status == 200 and "returned-notice" in page and comment in page,
       "district: A's integrator sees the returned contract and the comment on A's page")
    ok("archive.zip" not in page, "district: no 一企一档 link for an integrator")
    status, _, page = who["int_a"].request("GET", "/review")
    page = page.decode()
    ok(status == 200 and 'name="decision"' not in page and CONTRACT_NAME in page,
       "district: an integrator's queue shows its items but no decision form")
    status, contract2, _, _ = upload(who["int_a"], "contract", "合同（盖章）.pdf", PDF, replaces=contract["id"])
    status, doc, _, _ = who["int_a"].json("GET", "/api/enterprises/%s/pipeline" % A)
    ok(status == 200 and doc["steps"]["contract"]["state"] == "uploaded" and doc["steps"]["diagnosis"]["state"] == "approved",
       "district: the integrator's new version waits for review again")
    status, _, page = who["sup"].request("GET", "/review")
    page = page.decode()
    ok(status == 200 and 'name="decision"' in page and 'name="csrf"' in page,
       "district: the supervisor's queue has decision forms carrying the CSRF token")
    status, hdrs, _ = who["sup"].form("/reviews", [("item", "document"), ("id", str(contract2["id"])),
                                                 ("decision", "approved"), ("comment", "")])
    ok(status == 303, "district: the supervisor approves through the queue's form")

    # 一企一档 (the bureau and the supervisor only: test_roles.py)
    for name, role in (("sup", "supervisor"), ("chief", "bureau")):
        status, hdrs, data = who[name].request("GET", "/api/enterprises/%s/archive.zip" % A)
        ok(status == 200 and hdrs.get("content-type") == "application/zip", "district: %s downloads A's 一企一档" % name)
        z = zipfile.ZipFile(io.BytesIO(data))
        manifest_bytes = z.read("manifest.json")
        manifest = json.loads(manifest_bytes)
        ok(manifest["downloaded_by"]["user"] == name and manifest["downloaded_by"]["role"] == role,
           "district: the manifest names who downloaded it (%s)" % name)
        digest = hashlib.sha256(manifest_bytes).hexdigest()
        ok(any(e["action"] == "archive" and e["user"] == name and e["sha256"] == digest and e["credit_code"] == A
               for e in harness.audit(s.db)), "district: the download is audited with the manifest's SHA-256")
    status, _, page = who["sup"].request("GET", "/enterprises/%s" % A)
    ok("/api/enterprises/%s/archive.zip" % A in page.decode(), "district: the supervisor's enterprise page links 一企一档")
    status, _, page = who["chief"].request("GET", "/dashboard")
    ok(status == 200 and "pipeline-enterprises" in page.decode(), "district: the bureau's dashboard shows the pipeline")
finally:
    ok(s.stop() == 0, "district: the server stops cleanly")

done()
