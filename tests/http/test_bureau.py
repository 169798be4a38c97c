"""test_bureau.py: the bureau's part of district mode against a real `digilevel serve`
(docs/api.md "Enterprises", docs/workbench.md "The bureau"): registering enterprises, assigning
integrators and evaluators (and refusing a wrong account), an enterprise's history (the page, the
CSV and the JSON show the answers that changed, with who changed them), frozen evaluations (a new
version without a reason is 409, with one it is stored with its reason), and the 验收意见 naming
the evaluation's digest (and in district mode its stored version). The district-mode part runs
with accounts made by `digilevel user add`, logged in as each role; which role may ask which route
(assign, register, the history) is tests/http/test_roles.py's matrix."""
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from server import PROGRAM, TOP, Server, cli, done, example, ok  # noqa: E402

FOOD = "91640303MA76L2K45X"
FROZEN = "这份评估已提交，修改须写明原因"
CHANGED_Q01 = (b'<choose option="C"/>', b'<choose option="D"/>')


def pdf_text(data):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        p = subprocess.run(["pdftotext", f.name, "-"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return p.stdout.decode("utf-8", "replace").replace("\n", "")


def personal():
    s = Server().start()
    try:
        # registering
        status, doc, _, _ = s.json("POST", "/api/enterprises",
                                   json.dumps({"credit_code": FOOD, "name": "杞润食品"}).encode())
        ok(status == 201 and doc["credit_code"] == FOOD and doc["name"] == "杞润食品"
           and doc["integrator"] is None and doc["evaluator"] is None,
           "POST /api/enterprises registers an enterprise: 201")
        status, doc, _, _ = s.json("POST", "/api/enterprises",
                                   json.dumps({"credit_code": FOOD, "name": "宁夏红寺堡杞润枸杞食品有限公司"}).encode())
        ok(status == 200 and doc["name"] == "宁夏红寺堡杞润枸杞食品有限公司", "registering it again renames it: 200")
        status, doc, _, _ = s.json("POST", "/api/enterprises",
                                   json.dumps({"credit_code": FOOD[:-1] + "Y", "name": "x"}).encode())
        ok(status == 422 and "校验码" in doc["error"], "a credit code with a wrong check character: 422 saying so in Chinese")
        status, doc, _, _ = s.json("POST", "/api/enterprises", b'{"credit_code": 5}')
        ok(status == 400 and "error" in doc, "a body that is not the JSON object asked for: 400")
        status, doc, _, _ = s.json("POST", "/api/enterprises", json.dumps({"credit_code": FOOD, "name": ""}).encode())
        ok(status == 422 and "名称" in doc["error"], "an empty name: 422")
        status, doc, _, _ = s.json("GET", "/api/enterprises")
        ok(status == 200 and [e["credit_code"] for e in doc] == [FOOD], "GET /api/enterprises lists it")

        # assignment without accounts: nobody can be named, nobody can be unassigned
        status, doc, _, _ = s.json("POST", "/api/enterprises/%s/assignment" % FOOD, b'{"integrator": "int1"}')
        ok(status == 422 and "int1" in doc["error"], "assigning an account that does not exist: 422 naming it")
        status, doc, _, _ = s.json("POST", "/api/enterprises/%s/assignment" % FOOD, b'{"integrator": null}')
        ok(status == 200 and doc["integrator"] is None, "unassigning: 200")

        # history: a diagnosis changed in one answer and one figure
        before = example("food-before.xml")
        status, first, _, _ = s.json("POST", "/api/sheets", before)
        changed = before.replace(*CHANGED_Q01, 1).replace(b'id="devices_total">86', b'id="devices_total">90')
        status, second, _, _ = s.json("POST", "/api/sheets?replaces=%d&reason=%s" % (
            first["id"], urllib.parse.quote("核对设备台账")), changed)
        ok(status == 201 and second["version"] == 2 and second["reason"] == "核对设备台账",
           "a new version of a diagnosis keeps the reason given")
        status, hdrs, body = s.request("GET", "/api/enterprises/%s/history.csv" % FOOD)
        text = body.decode("utf-8")
        ok(status == 200 and hdrs["content-type"].startswith("text/csv") and text.startswith("\ufeff"),
           "history.csv: CSV with a BOM")
        lines = text.lstrip("\ufeff").splitlines()
        q01 = [l for l in lines if ",Q01," in l]
        ok(len(q01) == 1 and "B、C" in q01[0] and "B、D" in q01[0] and "企业网络建设连接情况" in q01[0]
           and second["sha256"] in q01[0] and "核对设备台账" in q01[0],
           "history.csv: Q01 with its question, B、C → B、D, the version's digest and reason")
        ok(any(",devices_total," in l and ",86,90" in l for l in lines), "history.csv: the figure 86 → 90")
        status, hdrs, body = s.request("GET", "/api/enterprises/%s/history.csv?table=audit" % FOOD)
        ok(status == 200 and "sheet.submit" in body.decode("utf-8"), "history.csv?table=audit: the audit entries")
        status, doc, _, _ = s.json("GET", "/api/enterprises/%s/history.json" % FOOD)
        ch = doc["changes"][0] if status == 200 and doc["changes"] else {}
        ok(ch.get("sheet") == second["id"] and ch.get("replaces") == first["id"]
           and {"kind": "question", "id": "Q01", "question": "企业网络建设连接情况", "before": "B、C",
                "after": "B、D"} in ch.get("answers", []),
           "history.json: the version, the one it replaced, and the changed answer")
        status, hdrs, body = s.request("GET", "/enterprises/%s/history" % FOOD)
        page = body.decode("utf-8")
        ok(status == 200 and "企业网络建设连接情况" in page and "B、D" in page and "核对设备台账" in page
           and "审计记录" in page, "the history page shows the changed answer, the reason and the audit entries")
        status, hdrs, body = s.request("GET", "/enterprises/91350100M000100Y43/history")
        ok(status == 404, "the history of an enterprise nobody knows: 404")

        # frozen: a submitted evaluation changed only with a reason
        after = example("food-after.xml")
        status, ev, _, _ = s.json("POST", "/api/sheets", after)
        ok(status == 201 and not ev["draft"], "an evaluation submitted")
        changed = after.replace(b"<note>", b"<note>\xe5\xa4\x8d\xe6\xa0\xb8\xef\xbc\x9a", 1)
        status, doc, _, _ = s.json("POST", "/api/sheets?replaces=%d" % ev["id"], changed)
        ok(status == 409 and doc == {"error": FROZEN}, "replacing it without a reason: 409 %s" % FROZEN)
        status, doc, _, _ = s.json("POST", "/api/sheets?replaces=%d&reason=%%20" % ev["id"], changed)
        ok(status == 409, "a blank reason is no reason: 409")
        status, doc, _, _ = s.json("GET", "/api/sheets?credit_code=%s&phase=evaluation&history=1" % FOOD)
        ok(status == 200 and len(doc) == 1, "nothing was stored by the refusals")
        reason = "现场复核后更正说明"
        status, ev2, _, _ = s.json("POST", "/api/sheets?replaces=%d&reason=%s" % (ev["id"], urllib.parse.quote(reason)),
                                   changed)
        ok(status == 201 and ev2["version"] == 2 and ev2["reason"] == reason,
           "with a reason: 201 and the reason on the row")
        status, doc, _, _ = s.json("GET", "/api/sheets?credit_code=%s&phase=evaluation" % FOOD)
        ok(status == 200 and doc and doc[0]["reason"] == reason, "the list gives the reason")
        status, hdrs, body = s.request("GET", "/enterprises/%s/history" % FOOD)
        ok(reason in body.decode("utf-8"), "the history page shows the reason")
        status, hdrs, body = s.request("GET", "/sheets/%d" % ev2["id"])
        ok(status == 200 and "本版本的修改原因：" + reason in body.decode("utf-8"), "the result page shows the reason")
        status, hdrs, body = s.request("GET", "/sheets/%d/edit" % ev2["id"])
        page = body.decode("utf-8")
        ok(status == 200 and 'name="reason"' in page and "修改原因" in page,
           "the edit form of a submitted evaluation asks for the 修改原因")
        status, hdrs, body = s.request("GET", "/sheets/%d/edit" % first["id"])
        ok(status == 200 and 'name="reason"' not in body.decode("utf-8"), "a diagnosis's form does not")

        # the 验收意见 names the evaluation's digest (personal mode: no version, the CLI's bytes)
        status, hdrs, pdf = s.request("GET", "/api/enterprises/%s/acceptance.pdf?policy=hongsibu-2024" % FOOD)
        text = pdf_text(pdf) if status == 200 else ""
        ok(status == 200 and "依据：评估表 SHA-256" in text and ev2["sha256"] in text and "存储版本" not in text,
           "acceptance.pdf names the evaluation's SHA-256 (pdftotext)")
        folder = tempfile.mkdtemp(prefix="dl-bureau-")
        if not os.environ.get("DL_KEEP"):
            atexit.register(shutil.rmtree, folder, True)
        for name, sheet_id in (("before.xml", second["id"]), ("after.xml", ev2["id"])):
            st, _, xml = s.request("GET", "/api/sheets/%d?format=xml" % sheet_id)
            with open(os.path.join(folder, name), "wb") as f:
                f.write(xml)
        # the CLI run there finds questionnaires/ and policies/ under the names the server gives them
        os.symlink(os.path.join(TOP, "questionnaires"), os.path.join(folder, "questionnaires"))
        os.symlink(os.path.join(TOP, "policies"), os.path.join(folder, "policies"))
        out = os.path.join(folder, "a.pdf")
        cli("report", "acceptance", "--policy", "policies/hongsibu-2024.xml", "before.xml", "after.xml",
            "-o", out, cwd=folder)
        with open(out, "rb") as f:
            ok(f.read() == pdf, "the personal server's 验收意见 is the bytes of `report acceptance` on the stored XML")
    finally:
        s.stop()


# --- district mode ----------------------------------------------------------------------------------

def user_add(db, role, name, code=None):
    args = [PROGRAM, "user", "add", "--db", db, "--role", role] + (["--credit-code", code] if code else []) + [name]
    p = subprocess.run(args, input=b"correct horse battery\n", stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=TOP)
    return p.returncode == 0


class Session:
    """A logged-in account: its cookie and CSRF token on every request."""

    def __init__(self, s, name):
        self.s, self.cookie, self.csrf = s, None, None
        status, hdrs, body = s.request("POST", "/api/login", json.dumps(
            {"user": name, "password": "correct horse battery"}).encode(), {"Content-Type": "application/json"})
        self.status = status
        if status == 200:
            self.cookie = hdrs.get("set-cookie", "").split(";")[0]
            try:
                self.csrf = json.loads(body.decode("utf-8")).get("csrf")
            except ValueError:
                pass

    def json(self, method, path, body=None):
        h = {"Cookie": self.cookie or ""}
        if self.csrf:
            h["X-CSRF-Token"] = self.csrf
        return self.s.json(method, path, body, h)

    def request(self, method, path, body=None):
        h = {"Cookie": self.cookie or ""}
        if self.csrf:
            h["X-CSRF-Token"] = self.csrf
        return self.s.request(method, path, body, h)


def district():
    s = Server()
    users = [("bureau", "boss", None), ("integrator", "int1", None), ("integrator", "int2", None),
             ("evaluator", "eva1", None), ("integrator", "gone", None), ("enterprise", "food", FOOD)]
    if not all(user_add(s.db, role, name, code) for role, name, code in users):
        ok(False, "`digilevel user add` makes the district's accounts")
        return
    subprocess.run([PROGRAM, "user", "disable", "--db", s.db, "gone"], cwd=TOP, stdout=subprocess.DEVNULL)
    s.start()
    try:
        boss, int1, eva1, food = Session(s, "boss"), Session(s, "int1"), Session(s, "eva1"), Session(s, "food")
        ok(all(x.status == 200 for x in (boss, int1, eva1, food)), "each role logs in")
        status, doc, _, _ = boss.json("POST", "/api/enterprises", json.dumps({"credit_code": FOOD, "name": "杞润"}).encode())
        ok(status in (200, 201), "the bureau registers the enterprise")
        path = "/api/enterprises/%s/assignment" % FOOD
        status, doc, _, _ = boss.json("POST", path, b'{"integrator": "int1", "evaluator": "eva1"}')
        ok(status == 200 and doc["integrator"] == "int1" and doc["evaluator"] == "eva1", "the bureau assigns int1 and eva1")
        status, doc, _, _ = boss.json("POST", path, b'{"integrator": "int2"}')
        ok(status == 200 and doc["integrator"] == "int2" and doc["evaluator"] == "eva1", "and reassigns the integrator to int2")
        status, doc, _, _ = boss.json("POST", path, b'{"evaluator": "int1"}')
        ok(status == 422 and "int1" in doc["error"] and "评估机构" in doc["error"],
           "an integrator assigned as evaluator: 422 saying why")
        status, doc, _, _ = boss.json("POST", path, b'{"integrator": "gone"}')
        ok(status == 422 and "停用" in doc["error"], "a disabled account: 422")
        status, doc, _, _ = boss.json("GET", "/api/enterprises")
        ok(status == 200 and doc[0]["integrator"] == "int2" and doc[0]["evaluator"] == "eva1",
           "the refusals changed nothing")
        status, doc, _, _ = int1.json("GET", "/api/enterprises")
        ok(status == 200 and doc == [], "int1, no longer assigned, lists no enterprise")
        status, doc, _, _ = food.json("GET", "/api/enterprises")
        ok(status == 200 and [e["credit_code"] for e in doc] == [FOOD], "the enterprise lists itself")
        status, _, body = boss.request("GET", "/district")
        page = body.decode("utf-8")
        ok(status == 200 and "int2" in page and "eva1" in page and "digilevel user add" in page,
           "the bureau's page: the assignment and the accounts")

        # the evaluator's work, frozen, and changed with a reason
        int2 = Session(s, "int2")
        status, diag, _, _ = int2.json("POST", "/api/sheets", example("food-before.xml"))
        ok(status == 201, "the assigned integrator stores the diagnosis")
        status, ev, _, _ = eva1.json("POST", "/api/sheets", example("food-after.xml"))
        ok(status == 201 and ev["author"] == "eva1", "the assigned evaluator stores the evaluation, as its author")
        changed = example("food-after.xml").replace(*CHANGED_Q01, 1)
        status, doc, _, _ = eva1.json("POST", "/api/sheets?replaces=%d" % ev["id"], changed)
        ok(status == 409 and doc == {"error": FROZEN}, "district: replacing it without a reason: 409")
        status, ev2, _, _ = eva1.json("POST", "/api/sheets?replaces=%d&reason=%s" % (
            ev["id"], urllib.parse.quote("复核更正")), changed)
        ok(status == 201 and ev2["reason"] == "复核更正" and ev2["version"] == 2, "with a reason: 201")
        status, _, body = boss.request("GET", "/api/enterprises/%s/history.csv" % FOOD)
        rows = [l for l in body.decode("utf-8").splitlines() if ",Q01," in l]
        ok(status == 200 and len(rows) == 1 and ",eva1,evaluator," in rows[0] and "复核更正" in rows[0],
           "the history names who changed Q01, in which role, and why")
        status, _, body = boss.request("GET", "/enterprises/%s/history" % FOOD)
        page = body.decode("utf-8")
        ok(status == 200 and "服务商 int1" in page and "评估机构 eva1" in page and "integrator int1" not in page,
           "the history page says an assignment's role in words (服务商 int1), not as stored")
        status, hdrs, pdf = eva1.request("GET", "/api/enterprises/%s/acceptance.pdf?policy=hongsibu-2024" % FOOD)
        text = pdf_text(pdf) if status == 200 else ""
        ok(status == 200 and "存储版本第 2 版" in text and ev2["sha256"] in text,
           "district: the 验收意见 names the evaluation's stored version and SHA-256")
    finally:
        s.stop()


personal()
rc, out = cli("user", "--help")
if rc == 0:
    district()
else:
    print("# district mode: `digilevel user` is not built yet; its checks wait for it")
done()
