"""test_engines.py: the same bytes through the HTTP API whatever the store's engine. Two real servers,
one on SQLite and one on PostgreSQL, get the same requests in the same order (every example sheet
saved, one saved again as a new version, one refused as a lost update; then, in district mode, the
same accounts registering, assigning, saving, uploading and reviewing); then every list, history,
comparison, dashboard and page that reads the store is asked of both, and the answers must be the
same bytes, the times of saving alone set aside (each server stamps its own clock), and with them
the audit entries' hashes, which cover those times. So are the audit logs (`digilevel audit
list`), times and hashes aside.

It compares with PostgreSQL, so it runs in the PostgreSQL run of the HTTP suite (tests/run.sh's
script/http-pg, DL_TEST_STORE=postgresql) and says so in the SQLite one."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from server import EXAMPLES, STORE, Client, Server, add_account, cli, done, example, ok  # noqa: E402

if STORE != "postgresql":
    print("# compares SQLite with PostgreSQL: runs with DL_TEST_STORE=postgresql (script/http-pg)")
    sys.exit(0)

SHEETS = sorted(f for f in os.listdir(EXAMPLES) if f.endswith(".xml"))
TIME = re.compile(rb"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d)?Z?")
CHAIN = re.compile(rb'"(prev|hash)": "[0-9a-f]{64}"')  # an audit entry's links: they cover its time


CSRF = re.compile(rb'(name="csrf" value="|name="csrf-token" content="|"csrf": ")[^"]*"')  # a session's own


def masked(body):
    return CSRF.sub(rb'\1<token>"', CHAIN.sub(rb'"\1": "<hash>"', TIME.sub(b"<time>", body)))


def compare(x, y, what):
    """x and y, each (status, content type, body), the same bytes but for the masked parts."""
    equal = x[:2] == y[:2] and masked(x[2]) == masked(y[2])
    diff = ""
    if not equal:
        mx, my = masked(x[2]), masked(y[2])
        at = next((i for i in range(min(len(mx), len(my))) if mx[i] != my[i]), min(len(mx), len(my)))
        diff = ": %s %s vs %s %s at byte %d: %r | %r" % (x[0], x[1], y[0], y[1], at, mx[max(0, at - 60):at + 60],
                                                        my[max(0, at - 60):at + 60])
    ok(equal, "%s: the same bytes on SQLite and PostgreSQL (%d)%s" % (what, x[0], diff))
    return x


servers = {store: Server(store=store).start() for store in ("sqlite", "postgresql")}
try:
    def both(method, path, body=None, headers=None):
        """The answers of the two servers: {store: (status, content type, body)}."""
        out = {}
        for store, s in servers.items():
            status, hdrs, data = s.request(method, path, body, headers)
            out[store] = (status, hdrs.get("content-type"), data)
        return out

    def same(method, path, body=None, headers=None, what=None):
        a = both(method, path, body, headers)
        return compare(a["sqlite"], a["postgresql"], "%s %s" % (method, what or path))

    # the same saves: every example, one again as a new version, and a lost update refused
    for name in SHEETS:
        status, _, data = same("POST", "/api/sheets", example(name), what="/api/sheets " + name)
    first = json.loads(same("GET", "/api/sheets")[2].decode("utf-8"))
    sid = first[0]["id"] if first else 0
    same("POST", "/api/sheets?replaces=%d" % sid, example(SHEETS[0]), what="/api/sheets?replaces= (a new version)")
    same("POST", "/api/sheets?replaces=%d" % sid, example(SHEETS[0]), what="/api/sheets?replaces= again (a lost update)")

    # everything that reads the store
    codes = sorted(set(r["credit_code"] for r in first if r.get("credit_code")))
    ok(len(codes) == 5, "five enterprises (%d)" % len(codes))
    paths = ["/api/sheets", "/api/sheets?history=1", "/api/enterprises", "/sheets", "/dashboard",
             "/api/cohort?targets=hongsibu-2024-targets&policy=hongsibu-2024",
             "/api/cohort.csv?table=roster&targets=hongsibu-2024-targets&policy=hongsibu-2024"]
    for r in first:
        paths += ["/api/sheets/%d" % r["id"], "/sheets/%d" % r["id"]]
    for code in codes:
        paths += ["/api/enterprises/%s/%s" % (code, p) for p in
                  ("history.json", "history.csv", "pipeline", "compare?policy=hongsibu-2024",
                   "documents", "reviews")]
        paths += ["/enterprises/%s" % code, "/enterprises/%s/history" % code]
    for p in paths:
        same("GET", p)
finally:
    for s in servers.values():
        s.stop()

# district mode: the same accounts, each logged in on both servers, doing the same work: the
# bureau registers and assigns, the integrator saves a diagnosis and uploads a contract (and a new
# version of it), the supervisor reviews both; then every list and page each role reads
FOOD = "91640303MA76L2K45X"  # the food example's credit code
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
ACCOUNTS = [("chief", "bureau", None), ("int1", "integrator", None), ("eva1", "evaluator", None),
            ("sup", "supervisor", None), ("food", "enterprise", FOOD)]
district = {store: Server(store=store) for store in ("sqlite", "postgresql")}
for s in district.values():
    for name, role, code in ACCOUNTS:
        add_account(s.db, name, role, "a district password", code)
    s.start()
try:
    people = {store: {} for store in district}
    for store, s in district.items():
        for name, _, _ in ACCOUNTS:
            c = people[store][name] = Client(s)
            ok(c.login(name, "a district password")[0] == 200, "%s logs in on %s" % (name, store))

    def as_(name, method, path, body=None, headers=None, what=None):
        a = [people[store][name].request(method, path, body, headers) for store in ("sqlite", "postgresql")]
        return compare(*[(st, h.get("content-type"), b) for st, h, b in a], "%s %s %s" % (name, method, what or path))

    JSON = {"Content-Type": "application/json"}
    as_("chief", "POST", "/api/enterprises", json.dumps({"credit_code": FOOD, "name": "杞润"}).encode(), JSON)
    as_("chief", "POST", "/api/enterprises/%s/assignment" % FOOD, b'{"integrator": "int1", "evaluator": "eva1"}', JSON)
    diagnosis = json.loads(as_("int1", "POST", "/api/sheets", example("food-before.xml"))[2])
    as_("eva1", "POST", "/api/sheets", example("food-after.xml"))
    docs = "/api/enterprises/%s/documents?kind=contract&filename=%%E5%%90%%88%%E5%%90%%8C.pdf" % FOOD
    contract = json.loads(as_("int1", "POST", docs, PDF, {"Content-Type": "application/octet-stream"})[2])
    contract = json.loads(as_("int1", "POST", docs + "&replaces=%d" % contract["id"], PDF + b"%v2\n",
                              {"Content-Type": "application/octet-stream"}, what="a contract's new version")[2])
    as_("sup", "POST", "/api/reviews", json.dumps({"item": "sheet", "id": diagnosis["id"], "decision": "approved",
                                                  "comment": "诊断报告完整"}).encode(), JSON)
    as_("sup", "POST", "/api/reviews", json.dumps({"item": "document", "id": contract["id"], "decision": "returned",
                                                  "comment": "缺少盖章页"}).encode(), JSON)
    reads = ["/api/enterprises", "/api/sheets", "/api/sheets?history=1",
             "/api/enterprises/%s/documents" % FOOD, "/api/enterprises/%s/reviews" % FOOD,
             "/api/enterprises/%s/pipeline" % FOOD, "/api/enterprises/%s/history.json" % FOOD,
             "/api/enterprises/%s/history.csv" % FOOD, "/enterprises/%s" % FOOD,
             "/enterprises/%s/documents" % FOOD, "/enterprises/%s/history" % FOOD, "/sheets"]
    for name in ("chief", "int1", "eva1", "sup", "food"):
        for path in reads:
            as_(name, "GET", path)
    for name, path in (("chief", "/district"), ("sup", "/review"), ("chief", "/dashboard")):
        as_(name, "GET", path)
finally:
    for s in district.values():
        s.stop()

# the audit logs: the same entries, but for the times and the hashes that cover them
logs = {}
for store, s in list(servers.items()) + [(k + " (district)", v) for k, v in district.items()]:
    rc, out = cli("audit", "list", "--db", s.db, "--format", "json")
    entries = json.loads(out.decode("utf-8")) if rc == 0 else []
    logs[store] = [dict((k, v) for k, v in e.items() if k not in ("at", "prev", "hash")) for e in entries]
for kind in ("", " (district)"):
    a, b = logs["sqlite" + kind], logs["postgresql" + kind]
    ok(a and a == b, "audit list%s: the same %d entries on both, times and chain hashes aside%s"
       % (kind, len(a), "" if a == b else ": %r | %r" % (a, b)))
for store, s in list(servers.items()) + list(district.items()):
    rc, out = cli("audit", "verify", "--db", s.db)
    ok(rc == 0, "audit verify on %s: %s" % (store, out.decode("utf-8").strip()))
done()
