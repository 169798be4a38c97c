"""test_engines.py: the same bytes through the HTTP API whatever the store's engine. Two real servers,
one on SQLite and one on PostgreSQL, get the same requests in the same order (every example sheet
saved, one saved again as a new version, one refused as a lost update); then every list, history,
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
from server import EXAMPLES, STORE, Server, cli, done, example, ok  # noqa: E402

if STORE != "postgresql":
    print("# compares SQLite with PostgreSQL: runs with DL_TEST_STORE=postgresql (script/http-pg)")
    sys.exit(0)

SHEETS = sorted(f for f in os.listdir(EXAMPLES) if f.endswith(".xml"))
TIME = re.compile(rb"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d)?Z?")
CHAIN = re.compile(rb'"(prev|hash)": "[0-9a-f]{64}"')  # an audit entry's links: they cover its time


def masked(body):
    return CHAIN.sub(rb'"\1": "<hash>"', TIME.sub(b"<time>", body))


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
        x, y = a["sqlite"], a["postgresql"]
        equal = x[:2] == y[:2] and masked(x[2]) == masked(y[2])
        diff = ""
        if not equal:
            mx, my = masked(x[2]), masked(y[2])
            at = next((i for i in range(min(len(mx), len(my))) if mx[i] != my[i]), min(len(mx), len(my)))
            diff = ": %s %s vs %s %s at byte %d: %r | %r" % (x[0], x[1], y[0], y[1], at,
                                                            mx[max(0, at - 60):at + 60], my[max(0, at - 60):at + 60])
        ok(equal, "%s %s: the same bytes on SQLite and PostgreSQL (%d)%s" % (method, what or path, x[0], diff))
        return x

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

# the audit logs: the same entries, but for the times and the hashes that cover them
logs = {}
for store, s in servers.items():
    rc, out = cli("audit", "list", "--db", s.db, "--format", "json")
    entries = json.loads(out.decode("utf-8")) if rc == 0 else []
    logs[store] = [dict((k, v) for k, v in e.items() if k not in ("at", "prev", "hash")) for e in entries]
ok(logs["sqlite"] and logs["sqlite"] == logs["postgresql"],
   "audit list: the same %d entries on both, times and chain hashes aside" % len(logs["sqlite"]))
for store, s in servers.items():
    rc, out = cli("audit", "verify", "--db", s.db)
    ok(rc == 0, "audit verify on %s: %s" % (store, out.decode("utf-8").strip()))
done()
