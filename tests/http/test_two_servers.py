"""test_two_servers.py: two `digilevel serve` processes on two loopback ports against one PostgreSQL
database (docs/store.md "Several servers"), in district mode: eight client threads write sheets, new
versions, documents and reviews through both at once, each logging in on one server and using its
session on the other. Nothing acknowledged is lost (every 201 is there, the same through both), no
answer is a 500, the audit chain verifies with exactly the entries the clients were acknowledged, and
its rows have no gap and every prev link holds; two clients replacing one version through the two
servers get exactly one 201 and one 409. Always on PostgreSQL (DL_TEST_PG): that is what it is about."""
import hashlib
import json
import os
import subprocess
import sys
import threading
import urllib.parse

try:
    import psycopg2  # noqa: F401  (server.py reads the database with it)
except ImportError:  # the Debian python3 has it (python3-psycopg2); another python3 on PATH may not
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != "/usr/bin/python3":
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    raise

sys.path.insert(0, os.path.dirname(__file__))
from server import (PROGRAM, TOP, Client, Server, add_account, done, example,  # noqa: E402
                    fresh_database, ok, query)

PASSWORD = "correct horse 1"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
ENTERPRISES = {}  # credit code -> (diagnosis XML, evaluation XML)
for name in ("food", "chemical", "equipment", "fuel", "textile"):
    before, after = example(name + "-before.xml"), example(name + "-after.xml")
    code = before.split(b"<credit-code>")[1].split(b"</credit-code>")[0].decode()
    ENTERPRISES[code] = (before, after)
CODES = sorted(ENTERPRISES)
THREADS, ROUNDS = 8, 5

if not os.environ.get("DL_TEST_PG"):
    ok(False, "DL_TEST_PG names the test cluster (tests/run.sh starts one: make check)")
    done()

db = fresh_database()
for name, role in (("chief", "bureau"), ("sup", "supervisor"), ("int", "integrator"), ("eval", "evaluator")):
    add_account(db, name, role, PASSWORD)
servers = [Server(db=db).start(), Server(db=db).start()]
ok(servers[0].port != servers[1].port, "two servers on two ports, one database (%d, %d)"
   % (servers[0].port, servers[1].port))

lock = threading.Lock()
statuses = []  # every status any client got
acked = {"sheets": {}, "documents": {}, "reviews": set(), "logins": 0}  # id -> sha256


def note(status):
    with lock:
        statuses.append(status)
    return status


def session(name, login_on, use_on):
    """A client that logs in on server login_on and then talks to server use_on with that session."""
    c = Client(servers[login_on])
    status, _, _ = c.login(name, PASSWORD)
    note(status)
    if status == 200:
        with lock:
            acked["logins"] += 1
    c.s = servers[use_on]
    return c if status == 200 else None


def marked(xml, mark):
    """The XML with a comment after its root element, so that every save has bytes of its own."""
    return xml + ("<!-- %s -->\n" % mark).encode()


try:
    # the bureau logs in on one server and sets the district up through the other
    chief = session("chief", 0, 1)
    ok(chief is not None, "the bureau logs in on server 1 and its session works on server 2")
    for i, code in enumerate(CODES):
        chief.s = servers[i % 2]
        status, doc, _, _ = chief.json("POST", "/api/enterprises/%s/assignment" % code,
                                       b'{"integrator": "int", "evaluator": "eval"}',
                                       {"Content-Type": "application/json"})
        ok(note(status) == 200, "the bureau assigns %s through server %d (%d)" % (code, i % 2 + 1, status))
    # one diagnosis per enterprise to review while the load runs
    seeded = {}
    integrator = session("int", 1, 0)
    for code in CODES:
        status, doc, _, _ = integrator.json("POST", "/api/sheets", marked(ENTERPRISES[code][0], "seed"))
        if note(status) == 201:
            seeded[code] = doc["id"]
            acked["sheets"][doc["id"]] = doc["sha256"]
    ok(len(seeded) == len(CODES), "a diagnosis of each enterprise (%d)" % len(seeded))

    def worker(t):
        """Thread t: integrators save diagnoses, new versions and contracts; evaluators save
        evaluations; supervisors review the seeded diagnoses. Every request alternates servers."""
        kind = ("int", "int", "int", "int", "eval", "eval", "sup", "sup")[t]
        c = session(kind, t % 2, 1 - t % 2)
        if not c:
            return
        for r in range(ROUNDS):
            code = CODES[(t + r) % len(CODES)]
            c.s = servers[(t + r) % 2]
            mark = "thread %d round %d" % (t, r)
            if kind == "int":
                xml = marked(ENTERPRISES[code][0], mark)
                status, doc, _, _ = c.json("POST", "/api/sheets", xml)
                if note(status) != 201:
                    continue
                with lock:
                    acked["sheets"][doc["id"]] = doc["sha256"]
                c.s = servers[(t + r + 1) % 2]  # its next version through the other server
                xml = marked(ENTERPRISES[code][0], mark + " v2")
                status, doc, _, _ = c.json("POST", "/api/sheets?replaces=%d" % doc["id"], xml)
                if note(status) == 201:
                    with lock:
                        acked["sheets"][doc["id"]] = doc["sha256"]
                q = urllib.parse.urlencode({"kind": "contract", "filename": "合同-%d-%d.pdf" % (t, r)})
                body = PDF + ("%% %s\n" % mark).encode()
                status, doc, _, _ = c.json("POST", "/api/enterprises/%s/documents?%s" % (code, q), body,
                                           {"Content-Type": "application/octet-stream"})
                if note(status) == 201:
                    with lock:
                        acked["documents"][doc["id"]] = hashlib.sha256(body).hexdigest()
            elif kind == "eval":
                status, doc, _, _ = c.json("POST", "/api/sheets", marked(ENTERPRISES[code][1], mark))
                if note(status) == 201:
                    with lock:
                        acked["sheets"][doc["id"]] = doc["sha256"]
            else:
                body = {"item": "sheet", "id": seeded[code], "decision": "approved"}
                status, doc, _, _ = c.json("POST", "/api/reviews", json.dumps(body).encode(),
                                           {"Content-Type": "application/json"})
                if note(status) == 201:
                    with lock:
                        acked["reviews"].add(doc["id"])

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    bad = [s for s in statuses if s >= 500]
    ok(not bad, "no 5xx among %d answers (%s)" % (len(statuses), bad[:5]))
    ok(len(acked["sheets"]) == len(CODES) + 4 * ROUNDS * 2 + 2 * ROUNDS,
       "every sheet and new version acknowledged: %d" % len(acked["sheets"]))
    ok(len(acked["documents"]) == 4 * ROUNDS and len(acked["reviews"]) == 2 * ROUNDS,
       "every document and review acknowledged: %d, %d" % (len(acked["documents"]), len(acked["reviews"])))

    # nothing lost: every acknowledged save, the same through both servers and in the database
    for i, srv in enumerate(servers):
        chief.s = srv
        status, rows, _, _ = chief.json("GET", "/api/sheets?history=1&drafts=1")
        listed = {r["id"]: r["sha256"] for r in rows} if status == 200 else {}
        ok(all(listed.get(k) == v for k, v in acked["sheets"].items()),
           "server %d lists every acknowledged sheet with its digest (%d listed)" % (i + 1, len(listed)))
        found = {}
        for code in CODES:
            status, docs, _, _ = chief.json("GET", "/api/enterprises/%s/documents" % code)
            found.update({d["id"]: d["sha256"] for d in docs} if status == 200 else {})
        ok(all(found.get(k) == v for k, v in acked["documents"].items()),
           "server %d lists every acknowledged document with its digest" % (i + 1))
        reviews = set()
        for code in CODES:
            status, revs, _, _ = chief.json("GET", "/api/enterprises/%s/reviews" % code)
            reviews.update(r["id"] for r in revs) if status == 200 else None
        ok(acked["reviews"] <= reviews, "server %d lists every acknowledged review" % (i + 1))
    some = sorted(acked["sheets"])[::7]
    same = True
    for ident in some:
        bodies = [srv.request("GET", "/api/sheets/%d?format=xml" % ident, headers=chief.headers("GET"))
                  for srv in servers]
        same = same and all(b[0] == 200 and hashlib.sha256(b[2]).hexdigest() == acked["sheets"][ident]
                            for b in bodies)
    ok(same, "the XML of %d sheets through each server has the acknowledged digest" % len(some))
    stored = dict(query(db, "SELECT id, sha256 FROM sheet"))
    ok(all(stored.get(k) == v for k, v in acked["sheets"].items()) and len(stored) == len(acked["sheets"]),
       "the database holds exactly the acknowledged sheets (%d)" % len(stored))

    # two clients replace one version through the two servers: one 201, one 409
    for r in range(4):
        a, b = session("int", r % 2, r % 2), session("int", 1 - r % 2, 1 - r % 2)
        status, first, _, _ = a.json("POST", "/api/sheets", marked(ENTERPRISES[CODES[r]][0], "race %d" % r))
        note(status)
        acked["sheets"][first["id"]] = first["sha256"]
        answers = [None, None]
        start = threading.Barrier(2)

        def replace(i, c):
            start.wait()
            answers[i] = c.json("POST", "/api/sheets?replaces=%d" % first["id"],
                                marked(ENTERPRISES[CODES[r]][0], "race %d by %d" % (r, i)))

        race = [threading.Thread(target=replace, args=(i, c)) for i, c in enumerate((a, b))]
        for t in race:
            t.start()
        for t in race:
            t.join()
        got = sorted(x[0] for x in answers)
        ok(got == [201, 409], "round %d: two clients replacing one version through two servers: %s" % (r, got))
        for x in answers:
            note(x[0])
            if x[0] == 201:
                acked["sheets"][x[1]["id"]] = x[1]["sha256"]
        versions = [row for row in query(db, "SELECT version FROM sheet WHERE lineage = %d" % first["id"])]
        ok(sorted(versions) == [(1,), (2,)], "round %d: the lineage gained one version" % r)
finally:
    for srv in servers:
        srv.stop()

# the audit chain: one line, every acknowledged change in it once
rows = query(db, "SELECT seq, prev, hash, action FROM audit ORDER BY seq")
ok([r[0] for r in rows] == list(range(1, len(rows) + 1)), "audit seq runs 1..%d without a gap" % len(rows))
ok(all(rows[i][1] == (rows[i - 1][2] if i else "") for i in range(len(rows))),
   "every entry's prev is the hash of the entry before it")
actions = {}
for r in rows:
    actions[r[3]] = actions.get(r[3], 0) + 1
saves = actions.get("sheet.save", 0) + actions.get("sheet.submit", 0)
ok(saves == len(acked["sheets"]) and actions.get("document.save", 0) == len(acked["documents"]) and
   actions.get("review.approve", 0) == len(acked["reviews"]) and actions.get("login", 0) == acked["logins"],
   "the chain has one entry per acknowledged sheet (%d/%d), document, review and login (%d/%d)"
   % (saves, len(acked["sheets"]), actions.get("login", 0), acked["logins"]))
expected = 4 + acked["logins"] + 2 * len(CODES) + len(acked["sheets"]) + len(acked["documents"]) + len(acked["reviews"])
ok(len(rows) == expected, "the chain has %d entries: 4 accounts, %d logins, %d assignments, and the saves (%d)"
   % (expected, acked["logins"], 2 * len(CODES), len(rows)))
ok("refused" not in actions and "login.failed" not in actions, "no refusal, no failed login: %s" % actions)
env = dict(os.environ)
for k in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    env.pop(k, None)
p = subprocess.run([PROGRAM, "audit", "verify", "--db", db, "--lang", "en"], cwd=TOP, env=env,
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
out = p.stdout.decode("utf-8", "replace").strip()
ok(p.returncode == 0 and out == "the audit chain holds: %d entries" % len(rows),
   "digilevel audit verify: %s (exit %d)" % (out, p.returncode))
done()
