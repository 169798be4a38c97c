"""test_migrate.py: moving a district from its SQLite file to PostgreSQL (docs/store.md "Moving a
district to PostgreSQL"), always on PostgreSQL (the test cluster DL_TEST_PG), whatever store the
other HTTP tests use.

A district is built on SQLite through a real server (accounts, a disabled one, an enterprise
registered and assigned, a diagnosis in three versions (the last a draft), an evaluation frozen and
changed with a reason, a contract in two versions and a plan, reviews, failed logins, a refused
request, a logout); the server is stopped and `digilevel serve --migrate-from FILE --db URL` copies
it into a fresh database. Then: every table holds the same rows, column for column, byte for byte;
`audit verify --db URL` holds with the file's number of entries; a server on the URL serves every
sheet and document byte-identical, the copied accounts log in with their passwords (the disabled
one not), an old session goes on; new saves continue the lineages with ids above the copied ones
and the chain from the file's last hash. Refused, and changing nothing: a second migration into the
now non-empty database, a source of an older schema, a target holding another program's table. A
migration failing in the middle (a row PostgreSQL refuses) leaves the target empty, and a later one
into it succeeds. The file's bytes are the same before and after every migration."""
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import urllib.parse

try:
    import psycopg2  # noqa: F401 (the harness's PostgreSQL client)
except ImportError:  # a python3 of its own on PATH (pyenv): Debian's has python3-psycopg2
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    raise

sys.path.insert(0, os.path.dirname(__file__))
import server as harness  # noqa: E402
from server import PROGRAM, TOP, Client, Server, done, example, ok  # noqa: E402

FOOD = "91640303MA76L2K45X"  # the food example's credit code
PASSWORD = "correct horse battery"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
DOCX = b"PK\x03\x04" + bytes(range(256)) * 2  # every byte value, zero bytes too
# every table of a store and the column its rows are ordered by
TABLES = [("sheet", "id"), ("user", "id"), ("session", "token_sha256"), ("enterprise", "credit_code"),
          ("assignment", "id"), ("document", "id"), ("review", "id"), ("audit", "seq")]


def run(*args, lang=None):
    """Run the program; (exit code, standard output and error as text)."""
    env = dict(os.environ)
    for k in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(k, None)
    p = subprocess.run([PROGRAM] + (["--lang", lang] if lang else []) + list(args), cwd=TOP, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def migrate(source, target, lang=None):
    return run("serve", "--migrate-from", source, "--db", target, lang=lang)


def file_hash(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def table_rows(db, table, key):
    """(column names, rows) of a table of the store db, in key order, blobs as bytes."""
    c = harness.connect(db)
    try:
        cur = c.cursor()
        cur.execute('SELECT * FROM "%s" ORDER BY "%s"' % (table, key))
        names = [d[0] for d in cur.description]
        rows = [tuple(bytes(v) if isinstance(v, (memoryview, bytes)) else v for v in r)
                for r in cur.fetchall()]
        return names, rows
    finally:
        c.close()


def counts(db):
    return {t: harness.query(db, 'SELECT count(*) FROM "%s"' % t)[0][0] for t, _ in TABLES}


def pg_tables(url):
    return sorted(r[0] for r in harness.query(
        url, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"))


def post_document(c, kind, filename, body, replaces=None):
    q = {"kind": kind, "filename": filename}
    if replaces:
        q["replaces"] = str(replaces)
    return c.json("POST", "/api/enterprises/%s/documents?%s" % (FOOD, urllib.parse.urlencode(q)), body,
                  {"Content-Type": "application/octet-stream"})


def review(c, item, ident, decision, comment=None):
    body = {"item": item, "id": ident, "decision": decision}
    if comment is not None:
        body["comment"] = comment
    return c.json("POST", "/api/reviews", json.dumps(body).encode(), {"Content-Type": "application/json"})


def logged_in(s, name):
    c = Client(s)
    status, _, _ = c.login(name, PASSWORD)
    ok(status == 200, "%s logs in" % name)
    return c


def build_district(s):
    """The district's work through the server s; returns what it made."""
    boss, int1, eva1, sup = (logged_in(s, n) for n in ("boss", "int1", "eva1", "sup"))
    made = {"boss": boss}
    status, _, _, _ = boss.json("POST", "/api/enterprises", json.dumps(
        {"credit_code": FOOD, "name": "宁夏红寺堡杞润枸杞食品有限公司"}).encode())
    ok(status in (200, 201), "the bureau registers the enterprise")
    status, _, _, _ = boss.json("POST", "/api/enterprises/%s/assignment" % FOOD,
                                b'{"integrator": "int1", "evaluator": "eva1"}')
    ok(status == 200, "the bureau assigns int1 and eva1")

    status, d1, _, _ = int1.json("POST", "/api/sheets", example("food-before.xml"))
    ok(status == 201, "the integrator saves the diagnosis")
    status, d2, _, _ = int1.json("POST", "/api/sheets?replaces=%d&reason=%s" % (
        d1["id"], urllib.parse.quote("核对设备台账")), example("food-before.xml"))
    ok(status == 201 and d2["version"] == 2, "and its version 2 with a reason")
    status, r1, _, _ = review(sup, "sheet", d2["id"], "approved", "诊断报告完整")
    ok(status == 201, "the supervisor approves the diagnosis")
    status, d3, _, _ = int1.json("POST", "/api/sheets?draft=1&replaces=%d" % d2["id"], example("food-before.xml"))
    ok(status == 201 and d3["version"] == 3, "and a draft version 3")
    made["diagnosis"] = d3

    status, e1, _, _ = eva1.json("POST", "/api/sheets", example("food-after.xml"))
    ok(status == 201, "the evaluator submits the evaluation")
    status, _, _, _ = eva1.json("POST", "/api/sheets?replaces=%d" % e1["id"], example("food-after.xml"))
    ok(status == 409, "frozen: a new version without a reason is refused")
    status, e2, _, _ = eva1.json("POST", "/api/sheets?replaces=%d&reason=%s" % (
        e1["id"], urllib.parse.quote("现场复核后更正说明")), example("food-after.xml"))
    ok(status == 201 and e2["reason"] == "现场复核后更正说明", "with a reason: version 2 of the evaluation")

    status, c1, _, _ = post_document(int1, "contract", "数字化改造合同.pdf", PDF)
    ok(status == 201, "the integrator uploads the contract")
    status, _, _, _ = review(sup, "document", c1["id"], "returned", "合同缺少盖章页")
    ok(status == 201, "the supervisor returns it with a comment")
    status, c2, _, _ = post_document(int1, "contract", "数字化改造合同（盖章）.pdf", PDF + b"%stamp\n",
                                     replaces=c1["id"])
    ok(status == 201 and c2["version"] == 2, "and uploads its version 2")
    status, p1, _, _ = post_document(int1, "plan", "改造方案.docx", DOCX)
    ok(status == 201, "and the retrofit plan")
    made["contract"] = c2

    for name, password in (("boss", "wrong password"), ("nobody", "x"), ("gone", PASSWORD)):
        status, _, _ = Client(s).login(name, password)
        ok(status == 401, "a failed login (%s): 401" % name)
    food = logged_in(s, "food")
    status, _, _, _ = food.json("POST", "/api/enterprises", json.dumps({"credit_code": FOOD, "name": "x"}).encode())
    ok(status == 403, "the enterprise registering one: refused (an audit entry)")
    # more audit entries than the migration reads back in one batch (1000)
    statuses = set(food.json("POST", "/api/enterprises", b"{}")[0] for _ in range(1000))
    ok(statuses == {403}, "1000 more refused requests (%s)" % statuses)
    status, _, _, _ = food.json("POST", "/api/logout", b"")
    ok(status == 200, "the enterprise logs out (its session ended)")
    return made


def served(s, c):
    """Every sheet version's row and XML, and every document's bytes, as the server s gives them."""
    status, rows, _, _ = c.json("GET", "/api/sheets?history=1")
    sheets = {}
    for r in rows or []:
        st, _, xml = c.request("GET", "/api/sheets/%d?format=xml" % r["id"])
        sheets[r["id"]] = (r, xml if st == 200 else None)
    status, docs, _, _ = c.json("GET", "/api/enterprises/%s/documents" % FOOD)
    documents = {}
    for d in docs or []:
        st, _, body = c.request("GET", "/api/documents/%d" % d["id"])
        documents[d["id"]] = (d, body if st == 200 else None)
    return sheets, documents


if not os.environ.get("DL_TEST_PG"):
    ok(False, "DL_TEST_PG names the test cluster (tests/run.sh starts one; tests/scripts/pg_cluster.sh)")
    done()

src = Server()
src.db = os.path.join(src.folder, "district.db")  # SQLite, whatever DL_TEST_STORE says
for name, role, code in (("boss", "bureau", None), ("int1", "integrator", None), ("eva1", "evaluator", None),
                         ("sup", "supervisor", None), ("food", "enterprise", FOOD), ("gone", "integrator", None)):
    harness.add_account(src.db, name, role, PASSWORD, code)
harness.user(src.db, "disable", "gone")
src.start()
try:
    made = build_district(src)
    before_sheets, before_docs = served(src, made["boss"])
    old_session = made["boss"].token
finally:
    src.stop()
ok(len(before_sheets) == 5 and all(x is not None for _, x in before_sheets.values())
   and len(before_docs) == 3 and all(b is not None for _, b in before_docs.values()),
   "the district: 5 sheet versions and 3 documents served (%d, %d)" % (len(before_sheets), len(before_docs)))
ok(not os.path.exists(src.db + "-wal") or os.path.getsize(src.db + "-wal") == 0,
   "the stopped server left its file whole (no write-ahead log to carry)")
source_hash = file_hash(src.db)
source_counts = counts(src.db)
source_audit = harness.audit(src.db)
ok(all(source_counts[t] > 0 for t, _ in TABLES), "every table holds rows: %s" % source_counts)
ok({"login.failed", "refused", "logout", "review.return", "document.save", "assign"}
   <= set(e["action"] for e in source_audit) and len(source_audit) > 1000,
   "the audit log has the failed logins, the refusals, ... (%d entries)" % len(source_audit))

# --- a migration failing in the middle leaves the target empty ---------------------------------------
bad = os.path.join(src.folder, "bad.db")
shutil.copyfile(src.db, bad)
c = sqlite3.connect(bad)
c.execute("DROP TRIGGER review_never_changed")
c.execute("UPDATE review SET comment = CAST(X'C3' AS TEXT) WHERE id = (SELECT max(id) FROM review)")
c.commit()
c.close()
bad_hash = file_hash(bad)
target = harness.fresh_database()
rc, out = migrate(bad, target)
ok(rc != 0 and "review" in out, "a row PostgreSQL refuses (not UTF-8) stops the migration: exit %d, %s"
   % (rc, out.strip()[:300]))
ok(counts(target) == {t: 0 for t, _ in TABLES}, "and leaves every table of the target empty")
ok(file_hash(bad) == bad_hash, "the file it read is unchanged")

# --- the migration ------------------------------------------------------------------------------------
rc, out = migrate(src.db, target)
lineages = harness.query(src.db, "SELECT count(*) FROM sheet WHERE version = 1")[0][0]
ok(rc == 0, "serve --migrate-from into the now empty database: exit 0 (%s)" % out.strip()[:600])
ok("答卷 %d 份（%d 个版本）" % (lineages, source_counts["sheet"]) in out
   and "账户 %d 个" % source_counts["user"] in out and "审计记录 %d 条" % len(source_audit) in out
   and "审计链完好" in out and source_audit[-1]["hash"] in out,
   "it says in Chinese what it copied and that the chain holds, with the last hash")
ok(file_hash(src.db) == source_hash, "the source file's bytes are unchanged")

for table, key in TABLES:
    a, b = table_rows(src.db, table, key), table_rows(target, table, key)
    ok(a == b, "%s: the same %d rows, column for column, byte for byte" % (table, len(a[1])))
ok([r[0] for r in harness.query(target, "SELECT version FROM schema_version ORDER BY version")] == [0, 1, 2, 3],
   "the target keeps its own schema_version")
rc, out = run("audit", "verify", "--db", target)
ok(rc == 0 and "审计链完好：%d 条" % len(source_audit) in out,
   "audit verify --db URL holds with the file's %d entries (%s)" % (len(source_audit), out.strip()))
rc, out = run("serve", "--check", "--db", target)
ok(rc == 0, "serve --check on the copy: sound")
largest = {t: harness.query(src.db, 'SELECT max(id) FROM "%s"' % t)[0][0]
           for t in ("sheet", "user", "assignment", "document", "review")}

# --- a server on the URL -------------------------------------------------------------------------------
dst = Server()
dst.db = target
dst.start()
try:
    boss = Client(dst)
    boss.token = old_session
    status, doc, _, _ = boss.json("GET", "/api/sheets?history=1")
    ok(status == 200 and sorted(r["id"] for r in doc) == sorted(before_sheets),
       "a session started on the file goes on on the copy")
    boss = logged_in(dst, "boss")
    for name in ("int1", "eva1", "sup", "food"):
        logged_in(dst, name)
    status, _, _ = Client(dst).login("gone", PASSWORD)
    ok(status == 401, "the disabled account stays disabled")
    after_sheets, after_docs = served(dst, boss)
    ok(after_sheets == before_sheets, "every sheet version: the same row and the same XML bytes")
    ok(after_docs == before_docs, "every document: the same row and the same bytes")

    int1 = logged_in(dst, "int1")
    status, d4, _, _ = int1.json("POST", "/api/sheets?replaces=%d&reason=%s" % (
        made["diagnosis"]["id"], urllib.parse.quote("迁移后补充")), example("food-before.xml"))
    ok(status == 201 and d4["id"] > largest["sheet"] and d4["lineage"] == made["diagnosis"]["lineage"]
       and d4["version"] == 4, "a new save continues the lineage (version 4) with an id above the copied ones")
    status, n1, _, _ = int1.json("POST", "/api/sheets", example("food-before.xml"))
    ok(status == 201 and n1["id"] == n1["lineage"] and n1["id"] > d4["id"], "a new lineage: a new id")
    status, c3, _, _ = post_document(int1, "contract", "合同（第三版）.pdf", PDF + b"%3\n",
                                     replaces=made["contract"]["id"])
    ok(status == 201 and c3["id"] > largest["document"] and c3["version"] == 3,
       "a new document version: version 3, an id above the copied ones")
    status, r, _, _ = review(logged_in(dst, "sup"), "document", c3["id"], "approved")
    ok(status == 201 and r["id"] > largest["review"], "a new review: an id above the copied ones")
    status, _, _, _ = boss.json("POST", "/api/enterprises/%s/assignment" % FOOD, b'{"evaluator": null}')
    ok(status == 200 and harness.query(target, "SELECT max(id) FROM assignment")[0][0] > largest["assignment"],
       "a new assignment: an id above the copied ones")
    rc, _, err = harness.user(target, "add", "--role", "integrator", "int9", password=PASSWORD)
    ok(rc == 0 and harness.query(target, "SELECT id FROM \"user\" WHERE name = 'int9'")[0][0] > largest["user"],
       "a new account: an id above the copied ones")
finally:
    dst.stop()
rc, out = run("audit", "verify", "--db", target)
entries = harness.audit(target)
ok(rc == 0 and len(entries) > len(source_audit)
   and entries[len(source_audit)]["prev"] == source_audit[-1]["hash"],
   "the chain goes on from the file's last hash and holds (%s)" % out.strip())

# --- refusals that change nothing ----------------------------------------------------------------------
now = counts(target)
last = harness.audit(target)[-1]["hash"]
rc, out = migrate(src.db, target)
ok(rc == 1 and "不是空的" in out and "其中的表 sheet 有" in out,
   "a second migration into the database: refused, naming a table that holds rows (%s)" % out.strip())
rc, out = migrate(src.db, target, lang="en")
ok(rc == 1 and "is not empty" in out and "never merged" in out, "in English too (%s)" % out.strip())
ok(counts(target) == now and harness.audit(target)[-1]["hash"] == last, "and changes nothing")

old = os.path.join(src.folder, "old.db")
c = sqlite3.connect(old)
c.execute("PRAGMA application_id = %d" % 0x444C5354)
c.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)")
c.execute("INSERT INTO schema_version VALUES (0, '2024-01-01T00:00:00Z'), (1, '2024-01-01T00:00:00Z')")
c.commit()
c.close()
old_hash = file_hash(old)
fresh = harness.fresh_database()
rc, out = migrate(old, fresh)
ok(rc == 1 and "旧版" in out and "digilevel serve --db " + old in out,
   "a store of an older schema: refused, saying to start the workbench on it once (%s)" % out.strip())
ok(file_hash(old) == old_hash and pg_tables(fresh) == [], "neither it nor the target was written")

for what, sql, named in (
        ("a column", "ALTER TABLE enterprise ADD COLUMN phone TEXT NOT NULL DEFAULT ''", "enterprise.phone"),
        ("a table", "CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount INTEGER)", "invoices")):
    extra = os.path.join(src.folder, "extra.db")
    shutil.copyfile(src.db, extra)
    c = sqlite3.connect(extra)
    c.execute(sql)
    c.commit()
    c.close()
    fresh = harness.fresh_database()
    rc, out = migrate(extra, fresh)
    ok(rc == 1 and named in out and counts(fresh) == {t: 0 for t, _ in TABLES},
       "%s the migration does not know: refused, named, nothing copied (%s)" % (what, out.strip()))
    os.remove(extra)

other = harness.fresh_database()
c = harness.connect(other, readonly=False)
c.cursor().execute("CREATE TABLE invoices (id integer)")
c.close()
rc, out = migrate(src.db, other)
ok(rc == 1 and pg_tables(other) == ["invoices"], "a database of another program: refused, left as it is (%s)"
   % out.strip())
ok(file_hash(src.db) == source_hash, "after everything, the source file's bytes are still the same")
done()
