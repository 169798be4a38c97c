"""test_audit_tamper.py: the audit chain against someone who edits the database behind the server's
back, and the online backup. A real server (personal mode) saves sheets through POST /api/sheets;
`digilevel serve --backup` copies the store while it runs and the copy verifies; then the database
is changed with Python's sqlite3 (triggers dropped, a sheet's XML rewritten, then its audit entry
"fixed" to match) and `digilevel audit verify` fails naming that entry each time; restoring the
backup (server stopped, copy over, start) verifies again and serves the sheets. Last, the account
commands that change a store (user add, passwd, disable, enable) with the password on standard
input, and their entries in a chain that holds."""
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from server import PROGRAM, TOP, Server, done, example, ok  # noqa: E402


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
raw = sqlite3.connect(db)
raw.execute("DROP TRIGGER sheet_never_changed")
raw.execute("UPDATE sheet SET xml = replace(xml, '2024', '2023') WHERE id = ?", (ids[1],))
raw.commit()
code, out, err = run(["audit", "verify", "--db", db])
ok(code == 1 and "第 2 条" in out and "内容被改动过" in out,
   "verify fails naming entry 2, whose sheet's XML was changed: %r" % out)

# and cover it up: the sheet's digest column and the entry's digest made to match
tampered = raw.execute("SELECT xml FROM sheet WHERE id = ?", (ids[1],)).fetchone()[0]
digest = hashlib.sha256(tampered if isinstance(tampered, bytes) else tampered.encode()).hexdigest()
raw.execute("DROP TRIGGER audit_never_changed")
raw.execute("UPDATE sheet SET sha256 = ? WHERE id = ?", (digest, ids[1]))
raw.execute("UPDATE audit SET sha256 = ? WHERE seq = 2", (digest,))
raw.commit()
code, out, err = run(["audit", "verify", "--db", db])
ok(code == 1 and "第 2 条" in out and "哈希与内容不符" in out,
   "verify still names entry 2: its hash no longer matches: %r" % out)
code, out, err = run(["--lang", "en", "audit", "verify", "--db", db])
ok(code == 1 and "broken at entry 2" in out, "in English too: %r" % out)

# an entry's detail changed: the first broken entry is named
raw.execute("UPDATE audit SET detail = 'nothing happened' WHERE seq = 1")
raw.commit()
raw.close()
code, out, err = run(["audit", "verify", "--db", db])
ok(code == 1 and "第 1 条" in out, "a changed entry 1 is named before entry 2: %r" % out)

# the newest entry cut from the end (of a copy of the backup): the sheet it recorded has none
cut = os.path.join(s.folder, "cut.db")
shutil.copy(backup, cut)
raw = sqlite3.connect(cut)
raw.execute("DROP TRIGGER audit_never_deleted")
raw.execute("DELETE FROM audit WHERE seq = 3")
raw.commit()
raw.close()
code, out, err = run(["audit", "verify", "--db", cut])
ok(code == 1 and "第 3 条" in out and "答卷 %d" % ids[2] in out and "末尾" in out,
   "cutting the last entry is found: its sheet has no entry: %r" % out)

# restore: stop, copy the backup over, start; it verifies and serves the sheets as saved
ok(s.stop() == 0, "the server stops cleanly")
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
accounts = os.path.join(s.folder, "accounts.db")
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
hashes = sqlite3.connect(accounts).execute("SELECT password_hash FROM user ORDER BY name").fetchall()
ok(all(h[0].startswith("$argon2id$v=19$m=19456,t=2,p=1$") for h in hashes) and
   b"new-acme-pass" not in open(accounts, "rb").read(),
   "only Argon2id hashes are stored, never a password")
code, out, err = run(["audit", "list", "--db", accounts, "--format", "csv"])
rows = out.splitlines()[1:]
ok([r.split(",")[5] for r in rows] == ["user.add", "user.add", "user.passwd", "user.disable",
                                         "user.enable"] and
   all(r.split(",")[2:5] == ["clerk", "cli", ""] for r in rows),
   "each change is an entry by the operating-system account, role cli: %r" % rows)
code, out, err = run(["audit", "verify", "--db", accounts])
ok(code == 0 and "5 条" in out, "and the chain holds: %r" % out)
code, out, err = run(["user", "list", "--db", os.path.join(s.folder, "none.db")])
ok(code == 1 and not os.path.exists(os.path.join(s.folder, "none.db")),
   "user list never makes a database")
done()
