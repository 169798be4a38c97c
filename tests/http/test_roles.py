"""test_roles.py: THE ROLE MATRIX of district mode (docs/security.md "The workbench"). A district of two
enterprises, A and B, each with its enterprise account, integrator and evaluator; the accounts that
ask are A's enterprise, integrator and evaluator, B's enterprise, an integrator assigned to nothing,
the supervisor and the bureau. Every one of them asks every route of server/routes.c about its own
enterprise and the other one, and the table below says which of them may: the others get the refused
status. For each refused request the test checks the status, that the answer says nothing of the
enterprise asked about (neither its credit code nor its name), that nothing was stored (the row
count the bureau sees), and that the refusal is in the audit log ("refused").

To add an endpoint (the supervisor's reviews, the bureau's assignments ...), add a row to MATRIX:
Row(method, path, who may, ok status[, body=..., target=...]). A path may name {A}, {B} (the credit
codes) and {A.diagnosis}, {B.evaluation}, ... (the ids of the sheets stored at the start)."""
import os
import re
import sqlite3
import sys
import time
from html.parser import HTMLParser

sys.path.insert(0, os.path.dirname(__file__))
from server import Client, Server, add_account, audit, done, example, ok  # noqa: E402

A, B = "91640303MA76L2K45X", "91640303MA7CK4N152"
NAME = {A: "宁夏红寺堡杞润枸杞食品有限公司", B: "宁夏红寺堡润泓化工有限公司"}
PASSWORD = "district password 1"
POLICY = "hongsibu-2024"

# the sheets: A is examples/food-*, B examples/chemical-*; a self-check is the diagnosis re-labelled
SHEET = {
    (A, "self-check"): example("food-before.xml").replace(b'phase="diagnosis"', b'phase="self-check"'),
    (A, "diagnosis"): example("food-before.xml"),
    (A, "evaluation"): example("food-after.xml"),
    (B, "self-check"): example("chemical-before.xml").replace(b'phase="diagnosis"', b'phase="self-check"'),
    (B, "diagnosis"): example("chemical-before.xml"),
    (B, "evaluation"): example("chemical-after.xml"),
}
# who stores each at the start
AUTHOR = {"self-check": {A: "ent_a", B: "ent_b"}, "diagnosis": {A: "int_a", B: "int_b"},
          "evaluation": {A: "eval_a", B: "eval_b"}}

# the accounts that ask (the matrix's columns), and two more that only store B's sheets
ASKING = ["ent_a", "ent_b", "int_a", "eval_a", "int_none", "sup", "chief"]
ACCOUNTS = [("ent_a", "enterprise", A), ("ent_b", "enterprise", B), ("int_a", "integrator", None),
            ("eval_a", "evaluator", None), ("int_b", "integrator", None), ("eval_b", "evaluator", None),
            ("int_none", "integrator", None), ("sup", "supervisor", None), ("chief", "bureau", None)]

ALL = set(ASKING)
READ = {A: {"ent_a", "int_a", "eval_a", "sup", "chief"}, B: {"ent_b", "sup", "chief"}}
ACCEPTANCE = {A: {"ent_a", "eval_a", "sup", "chief"}, B: {"ent_b", "sup", "chief"}}
DASHBOARD = {"sup", "chief"}


class Row:
    """One request of the matrix: who may (a set of ASKING names) gets ok; the others refused."""

    def __init__(self, method, path, may, ok, body=None, target=None, refused=403, what=None):
        self.method, self.path, self.may, self.ok = method, path, may, ok
        self.body, self.target, self.refused = body, target, refused
        self.what = what or "%s %s" % (method, path)


def form_row(path, fields_of, may, ok, target):
    return Row("POST", path, may, ok, body=("form", fields_of), target=target)


MATRIX = [
    # the JSON API
    Row("GET", "/api/health", ALL, 200),
    Row("GET", "/api/questionnaires", ALL, 200),
    Row("GET", "/api/questionnaires/miit-2024", ALL, 200),
    Row("POST", "/api/score", ALL, 200, body=("xml", (A, "diagnosis"))),
    Row("GET", "/api/sheets", ALL, 200),
    Row("GET", "/api/sheets?credit_code={B}", ALL, 200),
]
for T in (A, B):
    t = "A" if T == A else "B"
    MATRIX += [
        Row("POST", "/api/sheets", {"ent_a" if T == A else "ent_b"}, 201,
            body=("xml", (T, "self-check")), target=T, what="POST /api/sheets (%s's self-check)" % t),
        Row("POST", "/api/sheets", {"int_a"} if T == A else set(), 201,
            body=("xml", (T, "diagnosis")), target=T, what="POST /api/sheets (%s's diagnosis)" % t),
        Row("POST", "/api/sheets", {"eval_a"} if T == A else set(), 201,
            body=("xml", (T, "evaluation")), target=T, what="POST /api/sheets (%s's evaluation)" % t),
        Row("POST", "/api/sheets?replaces={%s.diagnosis}" % t, {"int_a"} if T == A else set(), 201,
            body=("xml", (T, "diagnosis")), target=T),
        Row("GET", "/api/sheets/{%s.diagnosis}" % t, READ[T], 200, target=T),
        Row("GET", "/api/sheets/{%s.self-check}?format=xml" % t, READ[T], 200, target=T),
        Row("GET", "/api/sheets/{%s.evaluation}/report.pdf" % t, READ[T], 200, target=T),
        Row("GET", "/api/enterprises/{%s}/compare?policy=%s" % (t, POLICY), READ[T], 200, target=T),
        Row("GET", "/api/enterprises/{%s}/acceptance.pdf?policy=%s" % (t, POLICY), ACCEPTANCE[T], 200,
            target=T),
    ]
MATRIX += [
    Row("GET", "/api/cohort", DASHBOARD, 200),
    Row("GET", "/api/cohort.csv?table=roster", DASHBOARD, 200),
    Row("GET", "/api/cohort.pdf", DASHBOARD, 200),
    # the pages
    Row("GET", "/static/style.css", ALL, 200),
    Row("GET", "/login", ALL, 303),
    Row("GET", "/", ALL, 303),
    Row("GET", "/new", ALL, 200),
    Row("GET", "/new/self-check", {"ent_a", "ent_b"}, 200),
    Row("GET", "/new/diagnosis", {"int_a", "int_none"}, 200),
    Row("GET", "/new/evaluation", {"eval_a"}, 200),
    form_row("/form/score", (A, "diagnosis"), ALL, 200, None),
    Row("GET", "/sheets", ALL, 200),
    Row("GET", "/upload", ALL, 200),
    Row("GET", "/dashboard", DASHBOARD, 200),
]
for T in (A, B):
    t = "A" if T == A else "B"
    MATRIX += [
        Row("GET", "/sheets/{%s.diagnosis}" % t, READ[T], 200, target=T),
        Row("GET", "/sheets/{%s.self-check}/edit" % t, {"ent_a"} if T == A else {"ent_b"}, 200, target=T),
        Row("GET", "/sheets/{%s.diagnosis}/edit" % t, {"int_a"} if T == A else set(), 200, target=T),
        Row("GET", "/sheets/{%s.evaluation}/edit" % t, {"eval_a"} if T == A else set(), 200, target=T),
        form_row("/sheets", (T, "diagnosis"), {"int_a"} if T == A else set(), 303, T),
        form_row("/sheets", (T, "self-check"), {"ent_a"} if T == A else {"ent_b"}, 303, T),
        Row("GET", "/enterprises/{%s}" % t, READ[T], 200, target=T),
        Row("POST", "/upload", {"int_a"} if T == A else set(), 200, body=("upload", (T, "diagnosis")),
            target=T, refused=422, what="POST /upload (%s's diagnosis)" % t),
    ]
# Not in the matrix: POST /login, /api/login, /logout, /api/logout (tests/http/test_auth.py).


class FormFields(HTMLParser):
    """The fields the form #sheet would post, as a browser sends them (checked boxes only)."""

    def __init__(self):
        super().__init__()
        self.fields, self.inside, self.select, self.textarea = [], False, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "sheet":
            self.inside = True
        if not self.inside or not a.get("name") and tag != "option":
            return
        if tag == "input" and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a["name"] != "csrf":
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self.select = [a["name"], None, None]
        elif tag == "option" and self.select is not None:
            if self.select[2] is None:
                self.select[2] = a.get("value", "")
            if "selected" in a:
                self.select[1] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = [a["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            self.fields.append((self.select[0], self.select[1] if self.select[1] is not None else ""))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append(tuple(self.textarea))
            self.textarea = None


def assign(chief, db, code, integrator, evaluator):
    """Assign code's integrator and evaluator: by the bureau's API when the server has it, else
    (until it is merged) straight into the store's tables, as the bureau's page would."""
    body = ('{"integrator": "%s", "evaluator": "%s"}' % (integrator, evaluator)).encode()
    status, _, _, _ = chief.json("POST", "/api/enterprises/%s/assignment" % code, body,
                                 {"Content-Type": "application/json"})
    if status in (200, 201):
        return True
    if status not in (404, 405):
        return False
    c = sqlite3.connect(db, timeout=30)
    try:
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        c.execute("INSERT OR IGNORE INTO enterprise (credit_code, name) VALUES (?, ?)", (code, NAME[code]))
        for role, who in (("integrator", integrator), ("evaluator", evaluator)):
            c.execute("INSERT INTO assignment (credit_code, role, user, by_user, at) VALUES (?, ?, ?, ?, ?)",
                      (code, role, who, "chief", now))
        c.commit()
    finally:
        c.close()
    return True


s = Server()
for name, role, code in ACCOUNTS:
    add_account(s.db, name, role, PASSWORD, code)
s.start()
try:
    clients = {}
    for name, _, _ in ACCOUNTS:
        c = Client(s)
        status, _, _ = c.login(name, PASSWORD)
        ok(status == 200, "%s logs in" % name)
        clients[name] = c
    chief = clients["chief"]
    ok(assign(chief, s.db, A, "int_a", "eval_a") and assign(chief, s.db, B, "int_b", "eval_b"),
       "the bureau assigns A's and B's integrator and evaluator")

    # the sheets every request below is about, each stored by the account whose work it is
    ids = {}
    for (code, phase), xml in SHEET.items():
        author = AUTHOR[phase][code]
        status, doc, _, _ = clients[author].json("POST", "/api/sheets", xml)
        ok(status == 201 and doc["credit_code"] == code, "%s stores %s's %s (%s)" % (author, code, phase, status))
        ids["%s.%s" % ("A" if code == A else "B", phase)] = doc["id"] if status == 201 else 0
    forms = {}
    for (code, phase) in SHEET:
        sid = ids["%s.%s" % ("A" if code == A else "B", phase)]
        status, _, body = clients[AUTHOR[phase][code]].request("GET", "/sheets/%d/edit" % sid)
        parser = FormFields()
        parser.feed(body.decode("utf-8"))
        forms[(code, phase)] = parser.fields + [("action", "submit")]
        ok(status == 200 and ("replaces", str(sid)) in parser.fields,
           "the edit form of %s's %s, as its author sees it" % (code, phase))

    def placeholders(path):
        path = path.replace("{A}", A).replace("{B}", B)
        return re.sub(r"\{([AB]\.[a-z-]+)\}", lambda m: str(ids[m.group(1)]), path)

    def rows_stored():
        status, doc, _, _ = chief.json("GET", "/api/sheets?history=1")
        return len(doc) if status == 200 else -1

    def refusals():
        return len([e for e in audit(s.db) if e["action"] == "refused"])

    def send(c, row):
        path = placeholders(row.path)
        kind, what = row.body if row.body else (None, None)
        if kind == "xml":
            return c.request(row.method, path, SHEET[what])
        if kind == "form":
            return c.form(path, forms[what])
        if kind == "upload":
            return c.upload(path, [("sheet.xml", SHEET[what])])
        return c.request(row.method, path)

    checked = refused_count = 0
    for row in MATRIX:
        for who in ASKING:
            allowed = who in row.may
            before_rows = rows_stored() if not allowed else None
            before_refusals = refusals() if not allowed else None
            status, hdrs, body = send(clients[who], row)
            checked += 1
            if allowed:
                ok(status == row.ok, "%-8s %s: %d (%d)" % (who, row.what, row.ok, status))
                continue
            refused_count += 1
            text = body.decode("utf-8", "replace")
            # what the account may not read must not show (its own enterprise is in its header)
            secret = [code for code in ([row.target] if row.target else [A, B]) if who not in READ[code]]
            told = [x for code in secret for x in (code, NAME[code]) if x in text]
            # an upload is refused file by file: the answer lists it as refused
            listed = row.refused != 422 or "已拒绝" in text
            ok(status == row.refused and not told and listed,
               "%-8s %s: refused %d (%d)%s" % (who, row.what, row.refused, status,
                                               ", but the answer tells " + ", ".join(told) if told else ""))
            ok(rows_stored() == before_rows, "%-8s %s: nothing stored" % (who, row.what))
            ok(refusals() == before_refusals + 1, "%-8s %s: the refusal is on record" % (who, row.what))
    ok(checked == len(MATRIX) * len(ASKING) and refused_count > 100,
       "%d requests asked, %d of them refused" % (checked, refused_count))

    # what a list shows: only the sheets of enterprises the account may read
    sees = {"ent_a": {A}, "ent_b": {B}, "int_a": {A}, "eval_a": {A}, "int_none": set(), "sup": {A, B},
            "chief": {A, B}}
    for who, codes in sees.items():
        status, doc, _, _ = clients[who].json("GET", "/api/sheets?history=1")
        got = set(r["credit_code"] for r in doc) if status == 200 else None
        ok(got == codes, "GET /api/sheets as %s: the sheets of %s" % (who, sorted(codes) or "no one"))
        status, _, body = clients[who].request("GET", "/sheets")
        text = body.decode("utf-8")
        ok(all((code in text) == (code in codes) for code in (A, B)),
           "GET /sheets as %s shows only what it may read" % who)
    status, doc, _, _ = clients["ent_a"].json("GET", "/api/sheets?credit_code=" + B)
    ok(status == 200 and doc == [], "an enterprise asking for another's sheets gets none")
    refused = [e for e in audit(s.db) if e["action"] == "refused"]
    ok(all(e["user"] in ASKING and e["role"] and e["remote"] == "127.0.0.1" and e["detail"] for e in refused),
       "each refusal names the account, its role, the address and the request")
finally:
    ok(s.stop() == 0, "the server stops cleanly")
done()
