"""test_roles.py: THE ROLE MATRIX of district mode (docs/security.md "The workbench"). A district of two
enterprises, A and B, each with its enterprise account, integrator and evaluator, registered and
assigned by the bureau's API; the columns that ask are A's enterprise, integrator and evaluator, B's
enterprise, an integrator assigned to nothing, the supervisor, the bureau, and nobody (no session).
Every one of them asks every route of server/routes.c about its own enterprise and the other one, and
the table below says which of them may: the others get the refused status (403; without a session 401
from the API and 303 to /login from a page, as routes.c's gate says). Every state-changing route is
also asked once without the CSRF token by an account that may (403).

For every request the test reads the database (read-only: the SQLite file, or the PostgreSQL database) before and after: the counts
of sheets, documents, reviews, assignments, accounts, enterprises and live sessions, and the contents
of the tables a request could update (accounts, enterprises, sessions). A refused request changes
none of them and adds exactly one audit entry, "refused" (nobody's request, without a session, adds
none: the audit records accounts); an allowed one changes exactly what its row says (change=...). No
answer names an enterprise the account may not read (its credit code or its name), refused or not.

A completeness check parses routes.c's ROUTES table first and fails naming every (method, pattern)
no row asks, so a route added without a row fails the suite.

To add an endpoint, add a row to MATRIX: Row(method, path, who may, ok status[, body=..., target=...,
change=...]). A path or body may name {A}, {B} (the credit codes), {A.diagnosis}, {B.evaluation},
{A.doc} ... (the ids of the sheets and documents stored at the start)."""
import hashlib
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from server import (TOP, Client, FormFields, Server, add_account, audit, cli, connect, done,  # noqa: E402
                    example, multipart, ok)

A, B = "91640303MA76L2K45X", "91640303MA7CK4N152"
NAME = {A: "宁夏红寺堡杞润枸杞食品有限公司", B: "宁夏红寺堡润泓化工有限公司"}
C, D = "91640303MA76RT3C9U", "91640303MA76Y08D81"  # registered by the bureau during the matrix
PASSWORD = "district password 1"
POLICY = "hongsibu-2024"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
REASON = "现场复核后更正"

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

# the matrix's columns ("anon": no session), and the accounts (two more only store B's work)
ASKING = ["ent_a", "ent_b", "int_a", "eval_a", "int_none", "sup", "chief", "anon"]
ACCOUNTS = [("ent_a", "enterprise", A), ("ent_b", "enterprise", B), ("int_a", "integrator", None),
            ("eval_a", "evaluator", None), ("int_b", "integrator", None), ("eval_b", "evaluator", None),
            ("int_none", "integrator", None), ("sup", "supervisor", None), ("chief", "bureau", None)]

ALL = set(ASKING) - {"anon"}  # every account
READ = {A: {"ent_a", "int_a", "eval_a", "sup", "chief"}, B: {"ent_b", "sup", "chief"}}
ACCEPTANCE = {A: {"ent_a", "eval_a", "sup", "chief"}, B: {"ent_b", "sup", "chief"}}
DASHBOARD = {"sup", "chief"}
ARCHIVE = {"sup", "chief"}  # 一企一档 and an enterprise's history
REVIEW = {"sup"}
BUREAU = {"chief"}
OWN = {A: "ent_a", B: "ent_b"}


class Row:
    """One request of the matrix: who may (a set of account names) gets ok and changes what change
    says ({"sheet": 1, ...}); the other accounts get refused. anon: the status without a session of a
    route open to everyone (an OPEN route of routes.c). echo: an allowed answer may name what the
    request sent (a sheet scored)."""

    def __init__(self, method, path, may, ok, body=None, target=None, refused=403, what=None, change=None,
                 anon=None, echo=False):
        self.method, self.path, self.may, self.ok = method, path, may, ok
        self.body, self.target, self.refused = body, target, refused
        self.what = what or "%s %s" % (method, path)
        self.change, self.anon, self.echo = change or {}, anon, echo


def form_row(path, fields_of, may, ok, target, change=None, override=None, what=None):
    return Row("POST", path, may, ok, body=("form", fields_of, override or {}), target=target, change=change,
               what=what)


SHEET_ADDED = {"sheet": 1}
MATRIX = [
    # logging in and out: open to everyone (logging out needs a session: each asks with a new one)
    Row("GET", "/api/health", ALL, 200, anon=200),
    Row("POST", "/api/login", ALL, 200, body=("login",), anon=200, change={"session": 1},
        what="POST /api/login (the account's own name and password)"),
    Row("POST", "/login", ALL, 303, body=("login-form",), anon=303, change={"session": 1},
        what="POST /login (the account's own name and password)"),
    Row("POST", "/api/logout", ALL, 200, body=("fresh",), change={"session": -1}),
    Row("POST", "/logout", ALL, 303, body=("fresh",), change={"session": -1}),
    Row("GET", "/static/style.css", ALL, 200, anon=200),
    Row("GET", "/login", ALL, 303, anon=200),
    # the JSON API
    Row("GET", "/api/questionnaires", ALL, 200),
    Row("GET", "/api/questionnaires/miit-2024", ALL, 200),
    Row("POST", "/api/score", ALL, 200, body=("xml", (A, "diagnosis")), echo=True),
    Row("GET", "/api/sheets", ALL, 200),
    Row("GET", "/api/sheets?credit_code={B}", ALL, 200),
    Row("GET", "/api/enterprises", ALL, 200),
    Row("POST", "/api/enterprises", BUREAU, 201, body=("json", '{"credit_code": "%s", "name": "登记企业丙"}' % C),
        change={"enterprise": 1}, what="POST /api/enterprises (a new enterprise)"),
    Row("POST", "/district/register", BUREAU, 303, body=("fields", [("credit_code", D), ("name", "登记企业丁")]),
        change={"enterprise": 1}, what="POST /district/register (a new enterprise)"),
    Row("GET", "/district", BUREAU, 200),
    Row("GET", "/review", ALL, 200),
]
for T in (A, B):
    t = "A" if T == A else "B"
    own = {"A": {"int_a"}, "B": set()}  # A's integrator writes A's diagnosis and documents; nobody asking B's
    ev = {"A": {"eval_a"}, "B": set()}
    MATRIX += [
        # the supervisor's reviews first: they need the diagnosis stored at the start to be current
        Row("POST", "/api/reviews", REVIEW, 201, target=T, change={"review": 1},
            body=("json", '{"item": "sheet", "id": {%s.diagnosis}, "decision": "approved"}' % t),
            what="POST /api/reviews (approve %s's diagnosis)" % t),
        Row("POST", "/api/reviews", REVIEW, 201, target=T, change={"review": 1},
            body=("json", '{"item": "document", "id": {%s.doc}, "decision": "returned", "comment": "缺盖章页"}' % t),
            what="POST /api/reviews (return %s's contract)" % t),
        Row("POST", "/reviews", REVIEW, 303, target=T, change={"review": 1},
            body=("fields", [("item", "document"), ("id", "{%s.doc}" % t), ("decision", "approved"), ("comment", "")]),
            what="POST /reviews (approve %s's contract)" % t),
        # documents, the pipeline, 一企一档
        Row("POST", "/api/enterprises/{%s}/documents?kind=plan&filename=m.pdf" % t, own[t], 201, target=T,
            body=("pdf",), change={"document": 1}),
        Row("POST", "/enterprises/{%s}/documents" % t, own[t], 303, target=T, body=("multipart",),
            change={"document": 1}),
        Row("GET", "/api/enterprises/{%s}/documents" % t, READ[T], 200, target=T),
        Row("GET", "/api/documents/{%s.doc}" % t, READ[T], 200, target=T),
        Row("GET", "/enterprises/{%s}/documents" % t, READ[T], 200, target=T),
        Row("GET", "/api/enterprises/{%s}/reviews" % t, READ[T], 200, target=T),
        Row("GET", "/api/enterprises/{%s}/pipeline" % t, READ[T], 200, target=T),
        Row("GET", "/api/enterprises/{%s}/archive.zip" % t, ARCHIVE, 200, target=T),
        # the bureau's: registering again (the same name: nothing changes), assigning, the history
        Row("POST", "/api/enterprises", BUREAU, 200, target=T,
            body=("json", '{"credit_code": "%s", "name": "%s"}' % (T, NAME[T])),
            what="POST /api/enterprises (%s again)" % t),
        Row("POST", "/district/register", BUREAU, 303, target=T,
            body=("fields", [("credit_code", "{%s}" % t), ("name", NAME[T])]),
            what="POST /district/register (%s again)" % t),
        Row("POST", "/api/enterprises/{%s}/assignment" % t, BUREAU, 200, target=T, change={"assignment": 1},
            body=("json", '{"integrator": "%s"}' % ("int_a" if T == A else "int_b"))),
        Row("POST", "/district/assign", BUREAU, 303, target=T, change={"assignment": 2},
            body=("fields", [("credit_code", "{%s}" % t), ("integrator", "int_%s" % t.lower()),
                             ("evaluator", "eval_%s" % t.lower())]),
            what="POST /district/assign (%s)" % t),
        Row("GET", "/api/enterprises/{%s}/history.csv" % t, ARCHIVE, 200, target=T),
        Row("GET", "/api/enterprises/{%s}/history.json" % t, ARCHIVE, 200, target=T),
        Row("GET", "/enterprises/{%s}/history" % t, ARCHIVE, 200, target=T),
        # the sheets
        Row("POST", "/api/sheets", {OWN[T]}, 201, change=SHEET_ADDED,
            body=("xml", (T, "self-check")), target=T, what="POST /api/sheets (%s's self-check)" % t),
        Row("POST", "/api/sheets", own[t], 201, change=SHEET_ADDED,
            body=("xml", (T, "diagnosis")), target=T, what="POST /api/sheets (%s's diagnosis)" % t),
        Row("POST", "/api/sheets", ev[t], 201, change=SHEET_ADDED,
            body=("xml", (T, "evaluation")), target=T, what="POST /api/sheets (%s's evaluation)" % t),
        Row("POST", "/api/sheets?replaces={%s.diagnosis}" % t, own[t], 201, change=SHEET_ADDED,
            body=("xml", (T, "diagnosis")), target=T),
        # a submitted evaluation is frozen: a new version without a reason is 409, with one 201
        Row("POST", "/api/sheets?replaces={%s.evaluation}" % t, ev[t], 409,
            body=("xml", (T, "evaluation")), target=T, what="POST /api/sheets?replaces={%s.evaluation} "
            "(no reason: frozen)" % t),
        Row("POST", "/api/sheets?replaces={%s.evaluation}&reason=%s" % (t, urllib.parse.quote(REASON)), ev[t], 201,
            change=SHEET_ADDED, body=("xml", (T, "evaluation")), target=T,
            what="POST /api/sheets?replaces={%s.evaluation}&reason=..." % t),
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
    Row("GET", "/", ALL, 303),
    Row("GET", "/new", ALL, 200),
    Row("GET", "/new/self-check", {"ent_a", "ent_b"}, 200),
    Row("GET", "/new/diagnosis", {"int_a", "int_none"}, 200),
    Row("GET", "/new/evaluation", {"eval_a"}, 200),
    Row("POST", "/form/score", ALL, 200, body=("form", (A, "diagnosis"), {}), echo=True),
    Row("GET", "/sheets", ALL, 200),
    Row("GET", "/upload", ALL, 200),
    Row("GET", "/dashboard", DASHBOARD, 200),
]
for T in (A, B):
    t = "A" if T == A else "B"
    own = {"A": {"int_a"}, "B": set()}
    ev = {"A": {"eval_a"}, "B": set()}
    MATRIX += [
        Row("GET", "/sheets/{%s.diagnosis}" % t, READ[T], 200, target=T),
        Row("GET", "/enterprises/{%s}" % t, READ[T], 200, target=T),
        Row("GET", "/sheets/{%s.self-check}/edit" % t, {OWN[T]}, 200, target=T),
        Row("GET", "/sheets/{%s.diagnosis}/edit" % t, own[t], 200, target=T),
        Row("GET", "/sheets/{%s.evaluation}/edit" % t, ev[t], 200, target=T),
        form_row("/sheets", (T, "diagnosis"), own[t], 303, T, SHEET_ADDED),
        form_row("/sheets", (T, "self-check"), {OWN[T]}, 303, T, SHEET_ADDED),
        form_row("/sheets", (T, "evaluation"), ev[t], 409, T, what="POST /sheets (%s's evaluation again, no "
                 "reason: frozen)" % t),
        form_row("/sheets", (T, "evaluation"), ev[t], 303, T, SHEET_ADDED, {"reason": REASON},
                 what="POST /sheets (%s's evaluation again, with a reason)" % t),
        Row("POST", "/upload", own[t], 200, body=("upload", (T, "diagnosis")), change=SHEET_ADDED,
            target=T, refused=422, what="POST /upload (%s's diagnosis)" % t),
        Row("POST", "/upload", ev[t], 200, body=("upload", (T, "evaluation")), change=SHEET_ADDED,
            target=T, refused=422, what="POST /upload (%s's evaluation: a new lineage, never frozen)" % t),
    ]


# --- the completeness check: every route of routes.c is asked -----------------------------------------

def routes_table():
    """routes.c's ROUTES: (method, pattern, gate) of each line, and how many lines it has."""
    with open(os.path.join(TOP, "server", "routes.c"), encoding="utf-8") as f:
        text = f.read()
    table = text[text.index("ROUTES[] = {"):]
    table = table[:table.index("\n};")]
    lines = [l.strip() for l in table.splitlines() if l.strip().startswith('{"')]
    found = re.findall(r'\{"([A-Z]+)", "([^"]+)", \w+, (SESSION|OPEN)\}', table)
    return found, len(lines)


def matches(pattern, path):
    """routes.c's match(): a {name} segment of the pattern is one non-empty segment of the path."""
    ps, xs = pattern.split("/"), path.split("/")
    return len(ps) == len(xs) and all(p == x or (len(p) > 2 and p[0] == "{" and x) for p, x in zip(ps, xs))


ROUTES, ROUTE_LINES = routes_table()


def route_of(method, path):
    path = path.split("?", 1)[0]
    for m, pattern, gate in ROUTES:
        if m == method and matches(pattern, path):
            return pattern, gate
    return None, None


def sample(path):
    """A row's path with its placeholders as some value (for matching against the patterns)."""
    return re.sub(r"\{[AB](\.[a-z-]+)?\}", "1", path)


ok(ROUTES and len(ROUTES) == ROUTE_LINES,
   "routes.c's ROUTES table read: %d routes (%d lines)" % (len(ROUTES), ROUTE_LINES))
asked = set((r.method, route_of(r.method, sample(r.path))[0]) for r in MATRIX)
missing = ["%s %s" % (m, p) for m, p, _ in ROUTES if (m, p) not in asked]
ok(not missing, "every route of routes.c has a matrix row" +
   ("; none asks: " + ", ".join(missing) if missing else ""))
stray = [r.what for r in MATRIX if not route_of(r.method, sample(r.path))[0]]
ok(not stray, "every matrix row asks a route of routes.c" + ("; not: " + ", ".join(stray) if stray else ""))


def digest(rows):
    return hashlib.sha256(repr(rows).encode()).hexdigest()


readers = {}


def reader(db):
    """A read-only connection to db kept for the whole test (connecting each time is the slow part
    on PostgreSQL); each statement sees what was committed when it began."""
    return readers.get(db) or readers.setdefault(db, connect(db))


def newest(db, sheet):
    """The newest version's id of the lineage of sheet, read from the database (read-only)."""
    cur = reader(db).cursor()
    cur.execute("SELECT max(id) FROM sheet WHERE lineage = (SELECT lineage FROM sheet WHERE id = %d)" % int(sheet))
    return cur.fetchone()[0]


def snapshot(db):
    """What a request could change, read from the database (read-only): per table its count
    and what identifies its contents; and the audit's entries, all and "refused"."""
    cur = reader(db).cursor()

    def one(sql):
        cur.execute(sql)
        return cur.fetchall()
    st = {}
    for table in ("sheet", "document", "review", "assignment"):  # never updated (triggers)
        st[table] = tuple(one("SELECT count(*), coalesce(max(id), 0) FROM %s" % table)[0])
    rows = [tuple(r) for r in one('SELECT name, role, credit_code, password_hash, disabled FROM "user" ORDER BY id')]
    st["account"] = (len(rows), digest(rows))
    rows = [tuple(r) for r in one("SELECT credit_code, name FROM enterprise ORDER BY credit_code")]
    st["enterprise"] = (len(rows), digest(rows))
    rows = [tuple(r) for r in one("SELECT token_sha256, ended FROM session ORDER BY token_sha256")]
    st["session"] = (len([r for r in rows if r[1] is None]), digest(rows))  # the live ones
    entries = tuple(one("SELECT count(*), coalesce(sum(CASE WHEN action = 'refused' THEN 1 ELSE 0 END), 0)"
                        " FROM audit")[0])
    return st, entries


def differences(before, after, expected):
    """The tables whose change is not the one expected, as words ("sheet +1", "enterprise changed")."""
    wrong = []
    for table in before:
        want, delta = expected.get(table, 0), after[table][0] - before[table][0]
        if delta != want:
            wrong.append("%s %+d" % (table, delta))
        elif want == 0 and after[table] != before[table]:
            wrong.append("%s changed" % table)
    return wrong


s = Server()
for name, role, code in ACCOUNTS:
    add_account(s.db, name, role, PASSWORD, code)
s.start()
try:
    def login(name):
        c = Client(s)
        status, _, _ = c.login(name, PASSWORD)
        return c if status == 200 else None

    clients = {name: login(name) for name, _, _ in ACCOUNTS}
    ok(all(clients.values()), "every account logs in")
    clients["anon"] = Client(s)
    chief = clients["chief"]
    # the district, set up by the bureau's API
    for code in (A, B):
        status, _, _, _ = chief.json("POST", "/api/enterprises", ('{"credit_code": "%s", "name": "%s"}' % (
            code, NAME[code])).encode(), {"Content-Type": "application/json"})
        # 200: an enterprise account's credit code makes the enterprise known already
        ok(status in (200, 201), "the bureau registers %s (%d)" % (code, status))
        t = "a" if code == A else "b"
        status, doc, _, _ = chief.json("POST", "/api/enterprises/%s/assignment" % code, (
            '{"integrator": "int_%s", "evaluator": "eval_%s"}' % (t, t)).encode(), {"Content-Type": "application/json"})
        ok(status == 200 and doc["integrator"] == "int_" + t and doc["evaluator"] == "eval_" + t,
           "the bureau assigns %s's integrator and evaluator (%d)" % (code, status))

    # the sheets and documents every request below is about, each stored by the account whose work it is
    ids = {}
    for (code, phase), xml in SHEET.items():
        author = AUTHOR[phase][code]
        status, doc, _, _ = clients[author].json("POST", "/api/sheets", xml)
        ok(status == 201 and doc["credit_code"] == code, "%s stores %s's %s (%s)" % (author, code, phase, status))
        ids["%s.%s" % ("A" if code == A else "B", phase)] = doc["id"] if status == 201 else 0
    for code, author in ((A, "int_a"), (B, "int_b")):
        status, doc, _, _ = clients[author].json(
            "POST", "/api/enterprises/%s/documents?kind=contract&filename=c.pdf" % code, PDF,
            {"Content-Type": "application/octet-stream"})
        ok(status == 201, "%s uploads %s's contract (%d)" % (author, code, status))
        ids["%s.doc" % ("A" if code == A else "B")] = doc["id"] if status == 201 else 0
    forms = {}
    for (code, phase) in SHEET:
        sid = ids["%s.%s" % ("A" if code == A else "B", phase)]
        status, _, body = clients[AUTHOR[phase][code]].request("GET", "/sheets/%d/edit" % sid)
        parser = FormFields()
        parser.feed(body.decode("utf-8"))
        forms[(code, phase)] = parser.fields + [("action", "submit")]
        ok(status == 200 and ("replaces", str(sid)) in parser.fields
           and (phase != "evaluation" or ("reason", "") in parser.fields),
           "the edit form of %s's %s, as its author sees it" % (code, phase))

    def fill(text):
        text = text.replace("{A}", A).replace("{B}", B)
        return re.sub(r"\{([AB]\.[a-z-]+)\}", lambda m: str(ids[m.group(1)]), text)

    def send(c, who, row, csrf=True):
        path = fill(row.path)
        kind = row.body[0] if row.body else None
        if kind == "xml":
            return c.request(row.method, path, SHEET[row.body[1]], csrf=csrf)
        if kind == "form":
            override = dict(row.body[2])
            # the form replaces its lineage's newest version, as one opened now would (an older
            # one is a conflict, 409: tests/http/test_conflict.py)
            replaces = dict(forms[row.body[1]]).get("replaces")
            if replaces and "replaces" not in override:
                override["replaces"] = str(newest(s.db, int(replaces)))
            return c.form(path, [(k, override.get(k, v)) for k, v in forms[row.body[1]]], csrf=csrf)
        if kind == "fields":
            return c.form(path, [(k, fill(v)) for k, v in row.body[1]], csrf=csrf)
        if kind == "upload":
            return c.upload(path, [("sheet.xml", SHEET[row.body[1]])], csrf=csrf)
        if kind == "json":
            return c.request(row.method, path, fill(row.body[1]).encode(), {"Content-Type": "application/json"},
                             csrf=csrf)
        if kind == "pdf":
            return c.request(row.method, path, PDF, {"Content-Type": "application/octet-stream"}, csrf=csrf)
        if kind == "multipart":
            body, ctype = multipart([("kind", "plan")], [("file", "m.pdf", PDF)])
            return c.request(row.method, path, body, {"Content-Type": ctype}, csrf=csrf)
        account = who if who != "anon" else "int_none"  # nobody logging in: as int_none
        if kind == "login":
            return c.request(row.method, path, ('{"user": "%s", "password": "%s"}' % (account, PASSWORD)).encode(),
                             {"Content-Type": "application/json"})
        if kind == "login-form":
            return c.form(path, [("user", account), ("password", PASSWORD)])
        return c.request(row.method, path, csrf=csrf)

    checked = refused_count = recorded_count = 0

    def ask(row, who, gate, csrf=True):
        """One request and everything checked about it."""
        global checked, refused_count, recorded_count
        label = "%-8s %s%s" % (who, row.what, "" if csrf else " without the CSRF token")
        c = clients[who]
        if row.body and row.body[0] == "fresh" and who != "anon":
            c = login(who)  # logging out ends the session it is sent with: a new one
        if who == "anon":
            allowed = gate == "OPEN"
            want = row.anon if allowed else 401 if row.path.startswith("/api/") else 303
        else:
            allowed = who in row.may and csrf
            want = row.ok if allowed else row.refused if csrf else 403
        before, entries = snapshot(s.db)
        status, hdrs, body = send(c, who, row, csrf)
        after, entries_after = snapshot(s.db)
        checked += 1
        text = body.decode("utf-8", "replace")
        # nothing of an enterprise the account may not read, whatever the answer
        secret = [code for code in (A, B) if who not in READ[code]]
        told = [] if allowed and row.echo else [x for code in secret for x in (code, NAME[code]) if x in text]
        if allowed:
            wrong = differences(before, after, row.change)
            ok(status == want and not told and not wrong and entries_after[1] == entries[1],
               "%s: %d (%d)%s%s" % (label, want, status, ", tells " + ", ".join(told) if told else "",
                                    ", but " + ", ".join(wrong) if wrong else ""))
            return
        refused_count += 1
        recorded_count += who != "anon"
        wrong = differences(before, after, {})
        # an upload is refused file by file: the answer lists it as refused
        shaped = want != 422 or "已拒绝" in text
        # a page without a session sends the browser to the login form
        shaped = shaped and (want != 303 or hdrs.get("location", "").startswith("/login"))
        # a refusal of an account is on record; nobody's (no session) is not: the audit records accounts
        recorded = (entries_after[0] - entries[0], entries_after[1] - entries[1]) == ((1, 1) if who != "anon" else (0, 0))
        ok(status == want and not told and shaped and not wrong and recorded,
           "%s: refused %d (%d)%s%s%s" % (label, want, status, ", but the answer tells " + ", ".join(told) if told else "",
                                          ", but " + ", ".join(wrong) if wrong else "",
                                          "" if recorded else ", audit %+d entries, %+d refused" % (
                                              entries_after[0] - entries[0], entries_after[1] - entries[1])))

    for row in MATRIX:
        _, gate = route_of(row.method, fill(row.path))
        for who in ASKING:
            ask(row, who, gate)
        if row.method != "GET" and gate == "SESSION":  # and once without the CSRF token
            ask(row, sorted(row.may)[0] if row.may else "int_none", gate, csrf=False)
    ok(checked >= len(MATRIX) * len(ASKING) and refused_count > 400,
       "the matrix: %d rows, %d requests asked, %d of them refused" % (len(MATRIX), checked, refused_count))

    # what a list shows: only what the account may read
    sees = {"ent_a": {A}, "ent_b": {B}, "int_a": {A}, "eval_a": {A}, "int_none": set(), "sup": {A, B},
            "chief": {A, B}}
    for who, codes in sees.items():
        status, doc, _, _ = clients[who].json("GET", "/api/sheets?history=1")
        got = set(r["credit_code"] for r in doc) if status == 200 else None
        ok(got == codes, "GET /api/sheets as %s: the sheets of %s" % (who, sorted(codes) or "no one"))
        status, doc, _, _ = clients[who].json("GET", "/api/enterprises")
        got = set(r["credit_code"] for r in doc) if status == 200 else None
        ok(got == (codes | ({C, D} if who in BUREAU | REVIEW else set())),
           "GET /api/enterprises as %s: %s" % (who, sorted(got or []) or "none"))
        status, _, body = clients[who].request("GET", "/sheets")
        text = body.decode("utf-8")
        ok(status == 200 and all((code in text) == (code in codes) for code in (A, B)),
           "GET /sheets as %s shows only what it may read" % who)
    status, doc, _, _ = clients["ent_a"].json("GET", "/api/sheets?credit_code=" + B)
    ok(status == 200 and doc == [], "an enterprise asking for another's sheets gets none")
    refused = [e for e in audit(s.db) if e["action"] == "refused"]
    ok(len(refused) == recorded_count and
       all(e["user"] in ASKING and e["role"] and e["remote"] == "127.0.0.1" and e["detail"] for e in refused),
       "each refusal names the account, its role, the address and the request")
finally:
    ok(s.stop() == 0, "the server stops cleanly")
rc, out = cli("audit", "verify", "--db", s.db)
ok(rc == 0, "`digilevel audit verify`: the chain of the matrix's audit entries holds (%d)" % rc)
done()
