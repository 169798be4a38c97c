"""test_audit_tamper.py: the audit chain against someone who edits the database behind the server's
back, and the backup. A real server (personal mode) saves sheets through POST /api/sheets; a backup
is taken while it runs and the copy verifies; then the database is changed with Python's sqlite3 or
psycopg2 (triggers dropped, a sheet's XML rewritten, then its audit entry "fixed" to match) and
`digilevel audit verify` fails naming that entry each time; restoring the backup (server stopped,
the backup put in its place, start) verifies again and serves the sheets. Last, the account
commands that change a store (user add, passwd, disable, enable) with the password on standard
input, and their entries in a chain that holds.

On SQLite the backup is `digilevel serve --backup` and the restore a copy of its file; on
PostgreSQL (DL_TEST_STORE=postgresql) `serve --backup` is refused, saying to use pg_dump, and the
backup is PostgreSQL's own, as docs/store.md "PostgreSQL" says to take it: `pg_dump -Fc` while the
server runs, restored with `pg_restore` into a new database, which the server is then started on."""
import hashlib
import json
import os
import glob
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from server import PROGRAM, STORE, TOP, Server, connect, done, example, fresh_database, ok, query  # noqa: E402

PG = STORE == "postgresql"
P = "%s" if PG else "?"  # the parameter marker of the engine's Python driver


def pg_program(name):
    """PostgreSQL's program name (pg_dump, pg_restore) of the newest server version installed, as
    tests/scripts/pg_cluster.sh finds the server's, so that it matches the test cluster."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/" + name),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    return found[-1] if found else name


def pg_copy(dump):
    """A new database holding the pg_dump -Fc file dump (pg_restore); its URL."""
    url = fresh_database()
    p = subprocess.run([pg_program("pg_restore"), "--no-owner", "--exit-on-error", "-d", url, dump],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise RuntimeError("pg_restore: " + p.stderr.decode("utf-8", "replace"))
    return url


def tamper(target, *statements):
    """Run statements ((sql, parameters) or sql) on the store target behind the server's back, as
    someone with the database's password would, and commit."""
    raw = connect(target, readonly=False)
    try:
        cur = raw.cursor()
        for st in statements:
            sql, args = (st, ()) if isinstance(st, str) else st
            cur.execute(sql, args)
        raw.commit()
    finally:
        raw.close()


def drop_trigger(name, table):
    return "DROP TRIGGER %s ON %s" % (name, table) if PG else "DROP TRIGGER " + name


def run(args, stdin=b"", env_extra=None):
    """The program with stdin; (exit code, stdout text, stderr text)."""
    env = dict(os.environ)
    for k in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(k, None)
    env.update(env_extra or {})
    p = subprocess.run([PROGRAM] + list(args), cwd=TOP, env=env, input=stdin,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


s = Server().start()
db = s.db
sheets = [example(n) for n in ("food-before.xml", "chemical-after.xml", "fuel-before.xml")]
ids = []
for body in sheets:
    status, doc, _, _ = s.json("POST", "/api/sheets", body)
    ok(status == 201, "save a sheet: %s" % status)
    ids.append(doc["id"] if doc else 0)

# the backup while the server runs
backup = os.path.join(s.folder, "backup.db")
if PG:
    code, out, err = run(["serve", "--backup", backup, "--db", db])
    ok(code != 0 and "pg_dump" in err and not os.path.exists(backup),
       "serve --backup on PostgreSQL is refused, saying to use pg_dump, and makes no file: %d %s" % (code, err))
    dump = os.path.join(s.folder, "backup.dump")
    p = subprocess.run([pg_program("pg_dump"), "-Fc", "-f", dump, db], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    ok(p.returncode == 0 and os.path.exists(dump), "pg_dump -Fc while the server runs: %s" % p.stderr)
    copy = pg_copy(dump)
else:
    code, out, err = run(["serve", "--backup", backup, "--db", db])
    ok(code == 0 and os.path.exists(backup), "serve --backup while the server runs: %d %s" % (code, err))
    ok(not [f for f in os.listdir(s.folder) if ".tmp-" in f], "no temporary file is left")
    before = open(backup, "rb").read()
    code, out, err = run(["serve", "--backup", backup, "--db", db])
    ok(code != 0 and "已经存在" in err and open(backup, "rb").read() == before,
       "a second backup to the same name is refused and changes nothing: %s" % err.strip())
    copy = os.path.join(s.folder, "check.db")
    shutil.copy(backup, copy)
code, out, err = run(["audit", "verify", "--db", copy])
ok(code == 0 and out.strip() == "审计链完好：3 条", "the backup's chain holds: %r" % out)
code, out, err = run(["audit", "verify", "--db", db])
ok(code == 0 and "3 条" in out, "so does the live store's: %r" % out)

# behind the server's back: rewrite the second sheet's XML
if PG:
    rewrite = "convert_to(replace(convert_from(xml, 'UTF8'), '2024', '2023'), 'UTF8')"
else:
    rewrite = "replace(xml, '2024', '2023')"
tamper(db, drop_trigger("sheet_never_changed", "sheet"),
       ("UPDATE sheet SET xml = %s WHERE id = %s" % (rewrite, P), (ids[1],)))
code, out, err = run(["audit", "verify", "--db", db])
ok(code == 1 and "第 2 条" in out and "内容被改动过" in out,
   "verify fails naming entry 2, whose sheet's XML was changed: %r" % out)

# and cover it up: the sheet's digest column and the entry's digest made to match
tampered = query(db, "SELECT xml FROM sheet WHERE id = %d" % ids[1])[0][0]
tampered = tampered.encode() if isinstance(tampered, str) else bytes(tampered)
ok(b"2023" in tampered and tampered != sheets[1], "the sheet's XML was changed in the database")
digest = hashlib.sha256(tampered).hexdigest()
tamper(db, drop_trigger("audit_never_changed", "audit"),
       ("UPDATE sheet SET sha256 = %s WHERE id = %s" % (P, P), (digest, ids[1])),
       ("UPDATE audit SET sha256 = %s WHERE seq = 2" % P, (digest,)))
code, out, err = run(["audit", "verify", "--db", db])
ok(code == 1 and "第 2 条" in out and "哈希与内容不符" in out,
   "verify still names entry 2: its hash no longer matches: %r" % out)
code, out, err = run(["--lang", "en", "audit", "verify", "--db", db])
ok(code == 1 and "broken at entry 2" in out, "in English too: %r" % out)

# an entry's detail changed: the first broken entry is named
tamper(db, "UPDATE audit SET detail = 'nothing happened' WHERE seq = 1")
code, out, err = run(["audit", "verify", "--db", db])
ok(code == 1 and "第 1 条" in out, "a changed entry 1 is named before entry 2: %r" % out)

# the newest entry cut from the end (of a copy of the backup): the sheet it recorded has none
if PG:
    cut = pg_copy(dump)
else:
    cut = os.path.join(s.folder, "cut.db")
    shutil.copy(backup, cut)
tamper(cut, drop_trigger("audit_never_deleted", "audit"), "DELETE FROM audit WHERE seq = 3")
code, out, err = run(["audit", "verify", "--db", cut])
ok(code == 1 and "第 3 条" in out and "答卷 %d" % ids[2] in out and "末尾" in out,
   "cutting the last entry is found: its sheet has no entry: %r" % out)

# restore: stop, copy the backup over, start; it verifies and serves the sheets as saved
ok(s.stop() == 0, "the server stops cleanly")
if PG:  # a new database restored from the dump takes the tampered one's place
    db = s.db = pg_copy(dump)
else:
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    shutil.copy(backup, db)
s.start()
code, out, err = run(["audit", "verify", "--db", db])
ok(code == 0 and "3 条" in out, "the restored store verifies: %r" % out)
status, hdrs, data = s.request("GET", "/api/sheets/%d" % ids[1], headers={"Accept": "application/xml"})
ok(status == 200 and data == sheets[1], "the restored store has the sheet as it was saved")
code, out, err = run(["audit", "list", "--db", db, "--format", "json"])
entries = json.loads(out) if code == 0 else []
ok([e["action"] for e in entries] == ["sheet.submit"] * 3 and
   [e["sheet_id"] for e in entries] == ids and
   entries[1]["sha256"] == hashlib.sha256(sheets[1]).hexdigest(),
   "its entries name each sheet and its digest")
s.stop()

# the account commands that change a store, password on standard input
accounts = fresh_database() if PG else os.path.join(s.folder, "accounts.db")
who = {"USER": "clerk"}
code, out, err = run(["user", "add", "--db", accounts, "--role", "bureau", "boss"], b"bureau-pass-1\n", who)
ok(code == 0 and out.strip() == "已添加账户 boss：主管部门（bureau）",
   "user add makes the store and the account, its role said in words: %r %r" % (out, err))
code, out, err = run(["user", "add", "--db", accounts, "--role", "enterprise", "--credit-code",
                      "91350100M000100Y43", "acme"], b"acme-pass-12\r\n", who)
ok(code == 0 and "企业（enterprise），统一社会信用代码 91350100M000100Y43" in out,
   "an enterprise account (a password line ending in CRLF): %r" % out)
code, out, err = run(["user", "add", "--db", accounts, "--role", "bureau", "boss"], b"another-pass\n", who)
ok(code == 1 and "已被使用" in err, "a name taken: %r" % err)
code, out, err = run(["user", "passwd", "--db", accounts, "acme"], b"new-acme-pass\n", who)
ok(code == 0, "a new password")
code, out, err = run(["user", "passwd", "--db", accounts, "acme"], b"short\n", who)
ok(code == 1 and "至少 8 个字符" in err, "a short one is refused: %r" % err)
code, out, err = run(["user", "disable", "--db", accounts, "acme"], b"", who)
ok(code == 0, "disable")
code, out, err = run(["user", "list", "--db", accounts, "--format", "json"])
users = json.loads(out) if code == 0 else []
ok([(u["name"], u["disabled"]) for u in users] == [("acme", True), ("boss", False)],
   "the list shows acme disabled: %r" % users)
code, out, err = run(["user", "enable", "--db", accounts, "acme"], b"", who)
ok(code == 0, "enable")
hashes = query(accounts, 'SELECT password_hash FROM "user" ORDER BY name')
if PG:  # everything the database holds, as pg_dump writes it out
    everything = subprocess.run([pg_program("pg_dump"), accounts], stdout=subprocess.PIPE).stdout
else:
    everything = open(accounts, "rb").read()
ok(len(hashes) == 2 and all(h[0].startswith("$argon2id$v=19$m=19456,t=2,p=1$") for h in hashes) and
   b"acme" in everything and b"new-acme-pass" not in everything,
   "only Argon2id hashes are stored, never a password")
code, out, err = run(["audit", "list", "--db", accounts, "--format", "csv"])
rows = out.splitlines()[1:]
ok([r.split(",")[5] for r in rows] == ["user.add", "user.add", "user.passwd", "user.disable",
                                         "user.enable"] and
   all(r.split(",")[2:5] == ["clerk", "cli", ""] for r in rows),
   "each change is an entry by the operating-system account, role cli: %r" % rows)
code, out, err = run(["audit", "verify", "--db", accounts])
ok(code == 0 and "5 条" in out, "and the chain holds: %r" % out)
if PG:
    admin = os.environ["DL_TEST_PG"]  # postgresql:///postgres?host=DIR&user=digilevel
    none = "dl_none_%d" % os.getpid()
    code, out, err = run(["user", "list", "--db", admin.replace("///postgres?", "///%s?" % none, 1)])
    ok(code != 0 and "does not exist" in err and
       not query(admin, "SELECT 1 FROM pg_database WHERE datname = '%s'" % none),
       "user list on a database that is not there fails and makes none: %r" % err)
else:
    code, out, err = run(["user", "list", "--db", os.path.join(s.folder, "none.db")])
    ok(code == 1 and not os.path.exists(os.path.join(s.folder, "none.db")),
       "user list never makes a database")
done()
