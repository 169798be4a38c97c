"""server.py: start and stop a real `digilevel serve` on an ephemeral loopback port for the HTTP
tests (tests/http/), and the small checking helpers they share. Python's standard library only."""
import atexit
import http.client
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("BUILD", "build")
if not os.path.isabs(BUILD):
    BUILD = os.path.join(TOP, BUILD)
PROGRAM = os.path.join(BUILD, "digilevel")
EXAMPLES = os.path.join(TOP, "examples")
# The store every Server gets: "sqlite" (a file in its folder) or "postgresql" (a fresh database in
# the throwaway cluster whose maintenance URL DL_TEST_PG gives; tests/scripts/pg_cluster.sh).
STORE = os.environ.get("DL_TEST_STORE", "sqlite")

failures = 0


def ok(cond, what):
    """Print one check's line; remember a failure."""
    global failures
    print(("ok - " if cond else "not ok - ") + what, flush=True)
    if not cond:
        failures += 1
    return cond


def done():
    print("%d failed" % failures)
    sys.exit(1 if failures else 0)


def example(name):
    with open(os.path.join(EXAMPLES, name), "rb") as f:
        return f.read()


class Server:
    """A digilevel serve process on 127.0.0.1:0 with its own database in a temporary folder, or on
    the database db (a file or a PostgreSQL URL) when given: several servers on one database."""

    def __init__(self, folder=None, extra=(), listen="127.0.0.1:0", db=None, store=None):
        if not folder:
            folder = tempfile.mkdtemp(prefix="dl-http-")
            if not os.environ.get("DL_KEEP"):  # DL_KEEP=1 keeps the database and log to look at
                atexit.register(shutil.rmtree, folder, True)
        self.folder = folder
        if db:  # a database given: several servers on one
            self.store = "postgresql" if db.startswith(("postgresql:", "postgres:")) else "sqlite"
            self.db = db
        else:
            self.store = store or STORE  # the run's, unless a test asks for one (test_engines.py: both)
            self.db = self._postgresql() if self.store == "postgresql" else os.path.join(self.folder, "digilevel.db")
        self.extra = list(extra)
        self.listen = listen
        self.proc = None
        self.port = None

    def _postgresql(self):
        """The folder's database in the test cluster: a fresh one, named in the folder's file
        "database", so that a Server on the same folder later (a restart) opens the same store, as
        it finds the same SQLite file."""
        named = os.path.join(self.folder, "database")
        if os.path.exists(named):
            with open(named) as f:
                return f.read()
        return fresh_database()  # named in the folder by start(): the folder may not be there yet

    def start(self, wait=10.0):
        port_file = os.path.join(self.folder, "port")
        if os.path.exists(port_file):
            os.remove(port_file)
        if self.store == "postgresql":
            with open(os.path.join(self.folder, "database"), "w") as f:
                f.write(self.db)
        env = dict(os.environ)
        for k in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
            env.pop(k, None)
        self.log = open(os.path.join(self.folder, "serve.log"), "ab")
        self.proc = subprocess.Popen(
            (os.environ.get("DL_TEST_WRAPPER", "").split() or []) +
            [PROGRAM, "serve", "--db", self.db, "--listen", self.listen, "--port-file", port_file,
             "--quiet", "--questionnaires", "questionnaires",
             "--policies", "policies"] + self.extra,
            cwd=TOP, env=env, stdout=self.log, stderr=self.log)
        atexit.register(self._kill, self.proc)  # a test that dies with a traceback leaves no server
        end = time.time() + wait
        while time.time() < end:
            if os.path.exists(port_file):
                with open(port_file) as f:
                    self.port = int(f.read())
                return self
            if self.proc.poll() is not None:
                raise RuntimeError("the server stopped: see " + self.log.name)
            time.sleep(0.02)
        raise RuntimeError("the server did not start")

    @staticmethod
    def _kill(proc):
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        code = self.proc.returncode if self.proc else None
        self.proc = None
        self.log.close()
        return code

    def request(self, method, path, body=None, headers=None, timeout=30):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            data = r.read()
            return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data
        finally:
            c.close()

    def json(self, method, path, body=None, headers=None):
        status, hdrs, data = self.request(method, path, body, headers)
        try:
            doc = json.loads(data.decode("utf-8"))
        except ValueError:
            doc = None
        return status, doc, data, hdrs


_databases = []


def _drop_databases():
    import psycopg2
    c = psycopg2.connect(os.environ["DL_TEST_PG"])
    c.autocommit = True
    for name in _databases:
        c.cursor().execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)
    c.close()


def fresh_database():
    """A new, empty database in the test cluster (DL_TEST_PG), dropped when the test ends; its URL."""
    import psycopg2
    import urllib.parse
    admin = os.environ.get("DL_TEST_PG")
    if not admin:
        raise RuntimeError("DL_TEST_STORE=postgresql needs DL_TEST_PG (tests/scripts/pg_cluster.sh)")
    name = "dl_%d_%d" % (os.getpid(), len(_databases) + 1)
    c = psycopg2.connect(admin)
    c.autocommit = True
    c.cursor().execute('CREATE DATABASE "%s"' % name)
    c.close()
    if not _databases:
        atexit.register(_drop_databases)
    _databases.append(name)
    u = urllib.parse.urlsplit(admin)  # urlunsplit would drop the empty host of postgresql:///db?host=DIR
    return "%s://%s/%s%s" % (u.scheme, u.netloc, name, "?" + u.query if u.query else "")


def connect(db, readonly=True):
    """A DB-API connection to the store db (an SQLite file or a PostgreSQL URL), to look inside it
    as no request can: what a request changed, the audit entries, a tampering. SQL written for both:
    "user" quoted, no booleans summed."""
    if db.startswith(("postgresql:", "postgres:")):
        import psycopg2
        c = psycopg2.connect(db)
        c.set_session(readonly=readonly, autocommit=True)
        return c
    import sqlite3
    return sqlite3.connect(("file:%s?mode=ro" % db) if readonly else db, uri=readonly, timeout=30)


def query(db, sql):
    """The rows of sql on the store db, as tuples."""
    c = connect(db)
    try:
        cur = c.cursor()
        cur.execute(sql)
        return [tuple(r) for r in cur.fetchall()]
    finally:
        c.close()


def cli(*args, cwd=TOP):
    """Run the program; (exit code, stdout bytes)."""
    env = dict(os.environ)
    for k in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(k, None)
    p = subprocess.run([PROGRAM] + list(args), cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    return p.returncode, p.stdout


# --- district mode: accounts, sessions (tests/http/test_auth.py, test_roles.py) -------------------

def user(db, *args, password=None):
    """Run `digilevel user ARGS --db DB`, the password (if any) on standard input, as a person pipes
    it; (exit code, stdout, stderr) as text."""
    env = dict(os.environ)
    for k in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(k, None)
    p = subprocess.run([PROGRAM, "user"] + list(args) + ["--db", db], cwd=TOP, env=env,
                       input=(password + "\n").encode("utf-8") if password is not None else b"",
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def add_account(db, name, role, password, credit_code=None):
    """Add an account with `digilevel user add` (the password on standard input); raises if refused."""
    args = ["add", "--role", role] + (["--credit-code", credit_code] if credit_code else []) + [name]
    rc, out, err = user(db, *args, password=password)
    if rc != 0:
        raise RuntimeError("digilevel user add %s: exit %d: %s" % (name, rc, err))


def audit(db):
    """The store's audit entries, oldest first, as dicts (read-only: the server may be running)."""
    c = connect(db)
    try:
        cur = c.cursor()
        cur.execute("SELECT * FROM audit ORDER BY seq")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]
    finally:
        c.close()


def cookie_of(hdrs):
    """The session token a Set-Cookie header sets ("" when it clears it), or None."""
    sc = hdrs.get("set-cookie")
    if not sc or not sc.startswith("dl_session="):
        return None
    return sc.split(";", 1)[0][len("dl_session="):]


class Client:
    """One person at a browser or one program: keeps the session cookie it was given and sends the
    session's CSRF token with every request that changes something, as the pages and app.js do."""

    def __init__(self, server, name=None):
        self.s = server
        self.name = name
        self.token = None
        self.csrf = None
        self.role = None

    def login(self, user, password):
        """POST /api/login; (status, JSON document, headers). Keeps the cookie on success."""
        body = json.dumps({"user": user, "password": password}).encode("utf-8")
        status, doc, _, hdrs = self.s.json("POST", "/api/login", body,
                                           {"Content-Type": "application/json"})
        if status == 200:
            self.token = cookie_of(hdrs)
            self.csrf = doc["csrf"]
            self.role = doc["role"]
            self.name = user
        return status, doc, hdrs

    def headers(self, method, headers=None, csrf=True):
        h = dict(headers or {})
        if self.token:
            h["Cookie"] = "dl_session=" + self.token
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            h.setdefault("X-CSRF-Token", self.csrf)
        return h

    def request(self, method, path, body=None, headers=None, csrf=True):
        return self.s.request(method, path, body, self.headers(method, headers, csrf))

    def json(self, method, path, body=None, headers=None, csrf=True):
        return self.s.json(method, path, body, self.headers(method, headers, csrf))

    def form(self, path, fields, csrf=True):
        """POST fields (a list of (name, value)) url-encoded, as a page's form; the token as the
        form field "csrf" as html_form writes it."""
        import urllib.parse
        fields = list(fields)
        if csrf and self.csrf:
            fields = [("csrf", self.csrf)] + fields
        body = urllib.parse.urlencode(fields).encode("utf-8")
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        if self.token:
            h["Cookie"] = "dl_session=" + self.token
        return self.s.request("POST", path, body, h)

    def upload(self, path, files, csrf=True):
        """POST files (a list of (file name, bytes)) as multipart/form-data field "sheets"."""
        boundary = "dlboundary7MA4YWxkTrZu0gW"
        parts = []
        if csrf and self.csrf:
            parts.append(("--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
                          % (boundary, self.csrf)).encode("utf-8"))
        for name, data in files:
            parts.append(("--%s\r\nContent-Disposition: form-data; name=\"sheets\"; filename=\"%s\"\r\n"
                          "Content-Type: application/xml\r\n\r\n" % (boundary, name)).encode("utf-8")
                         + data + b"\r\n")
        parts.append(("--%s--\r\n" % boundary).encode("utf-8"))
        h = {"Content-Type": "multipart/form-data; boundary=" + boundary}
        if self.token:
            h["Cookie"] = "dl_session=" + self.token
        return self.s.request("POST", path, b"".join(parts), h)


class FormFields(HTMLParser):
    """The fields the form #sheet posts, as a browser sends them: checked boxes only, and a select's
    selected option (its first when none is selected). Feed it the page; then .fields."""

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
            self.fields.append((self.select[0], self.select[1] if self.select[1] is not None else self.select[2] or ""))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append(tuple(self.textarea))
            self.textarea = None


def multipart(fields, files):
    """A multipart/form-data body and its content type: fields [(name, value)], files
    [(field, file name, bytes)]."""
    boundary = "----dltest7MA4YWxkTrZu0gW"
    out = io.BytesIO()
    for name, value in fields:
        out.write(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" %
                   (boundary, name, value)).encode())
    for name, filename, data in files:
        out.write(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                   "Content-Type: application/octet-stream\r\n\r\n" % (boundary, name, filename)).encode())
        out.write(data + b"\r\n")
    out.write(("--%s--\r\n" % boundary).encode())
    return out.getvalue(), "multipart/form-data; boundary=" + boundary
