"""test_auth.py: district mode's front door against a real `digilevel serve` (docs/security.md "The
workbench"): logging in and out, the session cookie's attributes, the same refusal for an unknown
account, a wrong password and a disabled account, sessions ended by logout, `digilevel user passwd`
and `user disable`, the CSRF token on every state-changing request, the failed-login limiter per
account and per address, the security headers on every answer, and which addresses the server may
listen on with and without accounts."""
import http.client
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from server import (Client, Server, add_account, audit, cli, cookie_of, done, example, ok,  # noqa: E402
                    user)

CODE_A = "91640303MA76L2K45X"  # examples/food-before.xml
PASSWORD = "correct horse 1"
REFUSED = "用户名或密码不正确"


def security_headers(hdrs, what, static=False):
    csp = hdrs.get("content-security-policy", "")
    good = ("frame-ancestors 'none'" in csp and "base-uri 'none'" in csp and
            "form-action 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp and
            hdrs.get("x-content-type-options") == "nosniff" and
            hdrs.get("referrer-policy") in ("no-referrer", "same-origin") and
            hdrs.get("x-frame-options") == "DENY" and
            (static or hdrs.get("cache-control") == "no-store"))
    return ok(good, "security headers on %s" % what)


# --- personal mode: nothing to log into ------------------------------------------------------------
p = Server().start()
try:
    status, doc, _, _ = p.json("POST", "/api/login", b'{"user": "x", "password": "y"}')
    ok(status == 404 and "error" in doc, "personal mode: POST /api/login is 404 (%s)" % status)
    status, _, _ = p.request("GET", "/login")
    ok(status == 404, "personal mode: GET /login is 404 (%s)" % status)
    status, _, _ = p.request("GET", "/api/sheets")
    ok(status == 200, "personal mode: no session is needed")
finally:
    p.stop()

# --- a district ------------------------------------------------------------------------------------
s = Server()
add_account(s.db, "chief", "bureau", PASSWORD)
add_account(s.db, "acme", "enterprise", PASSWORD, CODE_A)
add_account(s.db, "victim", "integrator", PASSWORD)
add_account(s.db, "ghost", "evaluator", PASSWORD)
rc, _, err = user(s.db, "disable", "ghost")
ok(rc == 0, "digilevel user disable ghost (%s)" % err.strip())
s.start()
address_failures = 0  # every failed login from 127.0.0.1 counts towards the address's limit
try:
    # without a session
    status, hdrs, body = s.request("GET", "/api/health")
    ok(status == 200, "GET /api/health needs no session")
    security_headers(hdrs, "GET /api/health")
    status, doc, _, hdrs = s.json("GET", "/api/sheets")
    ok(status == 401 and doc.get("error"), "the API without a session: 401 with a JSON error")
    security_headers(hdrs, "a 401")
    status, hdrs, _ = s.request("GET", "/sheets")
    ok(status == 303 and hdrs.get("location") == "/login?next=/sheets",
       "a page without a session: 303 to /login?next=/sheets (%s %s)" % (status, hdrs.get("location")))
    status, hdrs, _ = s.request("GET", "/")
    ok(status == 303 and hdrs.get("location") == "/login", "GET / without a session: 303 to /login")
    status, hdrs, _ = s.request("POST", "/sheets", b"phase=diagnosis",
                                {"Content-Type": "application/x-www-form-urlencoded"})
    ok(status == 303 and hdrs.get("location") == "/login", "a form POST without a session: 303 to /login")
    status, hdrs, body = s.request("GET", "/static/style.css")
    ok(status == 200, "the style sheet needs no session")
    security_headers(hdrs, "the style sheet", static=True)
    status, hdrs, body = s.request("GET", "/login?next=/sheets")
    page = body.decode("utf-8")
    ok(status == 200 and 'name="password"' in page and 'type="password"' in page and
       'name="next" value="/sheets"' in page and "登录" in page, "GET /login: the login form in Chinese")
    ok("<nav" not in page and "csrf" not in page, "the login page has no navigation and no token")
    security_headers(hdrs, "the login page")
    status, hdrs, body = s.request("GET", "/nothing-here")
    ok(status == 404, "an unknown path: 404 without a session")
    security_headers(hdrs, "a 404")
    status, hdrs, body = s.request("DELETE", "/api/health")
    ok(status == 405, "a known path with another method: 405")
    security_headers(hdrs, "a 405")

    # refusals: the same status and the same words for an unknown account, a wrong password and
    # a disabled one, by the API and by the form
    answers = []
    for name, password, what in (("nobody", PASSWORD, "an unknown account"),
                                 ("acme", "wrong password", "a wrong password"),
                                 ("ghost", PASSWORD, "a disabled account")):
        c = Client(s)
        status, doc, hdrs = c.login(name, password)
        address_failures += 1
        ok(status == 401 and doc == {"error": REFUSED} and "set-cookie" not in hdrs,
           "POST /api/login with %s: 401 %s, no cookie" % (what, REFUSED))
        answers.append((status, json.dumps(doc)))
        status, hdrs, body = s.request("POST", "/login", ("user=%s&password=%s" % (name, password.replace(" ", "+"))).encode(),
                                       {"Content-Type": "application/x-www-form-urlencoded"})
        address_failures += 1
        page = body.decode("utf-8")
        alert = re.search(r'<p class="error" role="alert">([^<]*)</p>', page)
        ok(status == 401 and alert and alert.group(1) == REFUSED and "set-cookie" not in hdrs,
           "POST /login with %s: 401, %s in an element with role=alert" % (what, REFUSED))
        answers.append((status, alert.group(1) if alert else None))
    ok(len(set(answers[0::2])) == 1 and len(set(answers[1::2])) == 1,
       "the three refusals cannot be told apart")
    failed = [e for e in audit(s.db) if e["action"] == "login.failed"]
    ok(len(failed) == 6 and set(e["detail"] for e in failed) == {"nobody", "acme", "ghost"} and
       all(e["remote"] == "127.0.0.1" for e in failed),
       "every failed login is an audit entry naming the name tried and the address")
    status, doc, _, _ = s.json("POST", "/api/login", b'{"user": "acme"}')
    ok(status == 400, "a login without a password: 400")
    status, doc, _, _ = s.json("POST", "/api/login", b'not json')
    ok(status == 400, "a login that is not JSON: 400")

    # a login sent by another site's page (login CSRF): refused before the password is looked at
    body = json.dumps({"user": "chief", "password": PASSWORD}).encode()
    status, doc, _, hdrs = s.json("POST", "/api/login", body, {"Sec-Fetch-Site": "cross-site"})
    ok(status == 403 and "set-cookie" not in hdrs and "登录页" in doc.get("error", ""),
       "POST /api/login from another site's page (Sec-Fetch-Site: cross-site): 403, no cookie")
    status, _, page = s.request("POST", "/login", urllib.parse.urlencode(
        {"user": "chief", "password": PASSWORD}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-site"})
    ok(status == 403, "POST /login from a sibling site (Sec-Fetch-Site: same-site): 403")

    # a login: the cookie's attributes, the answer
    bureau = Client(s)
    status, doc, hdrs = bureau.login("chief", PASSWORD)
    sc = hdrs.get("set-cookie", "")
    ok(status == 200 and doc["user"] == "chief" and doc["role"] == "bureau" and doc["credit_code"] == "" and
       re.fullmatch("[0-9a-f]{64}", doc["csrf"]), "POST /api/login: 200 with user, role, credit code, CSRF token")
    attrs = [a.strip() for a in sc.split(";")]
    ok(re.fullmatch("dl_session=[0-9a-f]{64}", attrs[0]) and "HttpOnly" in attrs and
       "SameSite=Strict" in attrs and "Path=/" in attrs and "Max-Age=28800" in attrs and
       "Secure" not in attrs, "the cookie: 256 random bits, HttpOnly, SameSite=Strict, Path=/, 8 hours, "
       "not Secure without TLS (%s)" % sc)
    ok(bureau.token not in json.dumps(doc), "the token is in the cookie only")
    logins = [e for e in audit(s.db) if e["action"] == "login"]
    ok(len(logins) == 1 and logins[0]["user"] == "chief" and logins[0]["role"] == "bureau",
       "a login is an audit entry")
    other = Client(s)
    other.login("chief", PASSWORD)
    ok(other.token != bureau.token and other.csrf != bureau.csrf, "each login is a new session and token")
    status, doc, _, hdrs = bureau.json("GET", "/api/sheets")
    ok(status == 200 and doc == [], "with the cookie: GET /api/sheets answers")
    security_headers(hdrs, "an answer with a session")
    status, hdrs, body = bureau.request("GET", "/sheets")
    page = body.decode("utf-8")
    ok(status == 200 and '<meta name="csrf-token" content="%s">' % bureau.csrf in page,
       "a page carries the session's CSRF token in a meta element")
    ok("chief（主管部门）" in page and 'action="/logout"' in page and
       'name="csrf" value="%s"' % bureau.csrf in page,
       "the header names the account and its role in Chinese, with a logout form carrying the token")
    security_headers(hdrs, "a page with a session")
    status, hdrs, _ = bureau.request("GET", "/")
    ok(status == 303 and hdrs.get("location") == "/dashboard", "GET / sends the bureau to the dashboard")
    status, hdrs, _ = bureau.request("GET", "/login?next=/sheets")
    ok(status == 303 and hdrs.get("location") == "/sheets", "GET /login when logged in: on to next")

    # the form login: to next, or to the role's page; never to another site
    for nxt, where in (("/sheets", "/sheets"), ("//evil.example/x", "/dashboard"),
                       ("http://evil.example/", "/dashboard"), ("/\\evil.example", "/dashboard")):
        body = "user=chief&password=%s&next=%s" % (PASSWORD.replace(" ", "+"), nxt)
        status, hdrs, _ = s.request("POST", "/login", body.encode(),
                                    {"Content-Type": "application/x-www-form-urlencoded"})
        ok(status == 303 and hdrs.get("location") == where and cookie_of(hdrs),
           "POST /login with next=%s: 303 to %s (%s)" % (nxt, where, hdrs.get("location")))
    ent = Client(s)
    ent.login("acme", PASSWORD)
    status, hdrs, _ = ent.request("GET", "/")
    ok(status == 303 and hdrs.get("location") == "/new",
       "an enterprise with nothing stored yet starts at a new assessment")

    # CSRF: a state-changing request with the cookie must carry the session's token
    before = len([e for e in audit(s.db) if e["action"] == "refused"])
    status, doc, _, hdrs = bureau.json("POST", "/api/score", example("food-before.xml"), csrf=False)
    ok(status == 403 and doc.get("error"), "POST /api/score with the cookie but no token: 403")
    security_headers(hdrs, "a 403")
    status, doc, _, _ = bureau.json("POST", "/api/score", example("food-before.xml"),
                                    {"X-CSRF-Token": other.csrf})
    ok(status == 403, "with another session's token: 403")
    status, doc, _, _ = bureau.json("POST", "/api/score", example("food-before.xml"),
                                    {"X-CSRF-Token": bureau.csrf[:63] + "x"})
    ok(status == 403, "with a token one character off: 403")
    status, doc, _, _ = bureau.json("POST", "/api/score", example("food-before.xml"))
    ok(status == 200 and doc.get("level") is not None, "with the X-CSRF-Token header: 200")
    status, hdrs, body = bureau.form("/form/score", [("questionnaire", "miit-2024"), ("version", "2024")],
                                     csrf=False)
    ok(status == 403 and "role=\"alert\"" in body.decode("utf-8"), "a form POST without the token: 403 page")
    status, hdrs, body = bureau.form("/form/score", [("questionnaire", "miit-2024"), ("version", "2024")])
    ok(status == 200, "a form POST with the token as the field csrf: 200")
    refused = [e for e in audit(s.db) if e["action"] == "refused"]
    ok(len(refused) == before + 4 and all("CSRF" in e["detail"] for e in refused[before:]),
       "every request without its token is an audit entry \"refused\"")
    status, _, body = s.request("GET", "/static/app.js")
    ok(b"X-CSRF-Token" in body and b"csrf-token" in body, "app.js sends the page's token with its fetch")

    # logout ends the session, by the API and by the page
    status, doc, _, hdrs = other.json("POST", "/api/logout")
    ok(status == 200 and cookie_of(hdrs) == "" and "Max-Age=0" in hdrs.get("set-cookie", ""),
       "POST /api/logout: 200, the cookie cleared (Max-Age=0)")
    status, doc, _, _ = other.json("GET", "/api/sheets")
    ok(status == 401, "the ended session's cookie opens nothing")
    third = Client(s)
    third.login("chief", PASSWORD)
    status, hdrs, _ = third.form("/logout", [])
    ok(status == 303 and hdrs.get("location") == "/login" and "Max-Age=0" in hdrs.get("set-cookie", ""),
       "POST /logout: 303 to /login, the cookie cleared")
    status, hdrs, _ = third.request("GET", "/sheets")
    ok(status == 303 and hdrs.get("location", "").startswith("/login"), "after logout a page asks to log in")
    ok(any(e["action"] == "logout" and e["user"] == "chief" for e in audit(s.db)), "a logout is an audit entry")

    # a password change and a disabled account end the sessions
    status, _, _, _ = ent.json("GET", "/api/sheets")
    ok(status == 200, "the enterprise's session is live")
    rc, _, err = user(s.db, "passwd", "acme", password="another password 2")
    ok(rc == 0, "digilevel user passwd acme (%s)" % err.strip())
    status, _, _, _ = ent.json("GET", "/api/sheets")
    ok(status == 401, "`digilevel user passwd` ends the account's sessions")
    status, _, _ = Client(s).login("acme", "another password 2")
    ok(status == 200, "the new password logs in")
    fresh = Client(s)
    fresh.login("acme", "another password 2")
    rc, _, err = user(s.db, "disable", "acme")
    status, _, _, _ = fresh.json("GET", "/api/sheets")
    ok(rc == 0 and status == 401, "`digilevel user disable` ends the account's sessions")

    # the limiter, per account: five failures, then 429 even for the right password
    victim = Client(s)
    for i in range(5):
        status, _, _ = victim.login("victim", "wrong %d" % i)
        address_failures += 1
    status, doc, hdrs = victim.login("victim", PASSWORD)
    ok(status == 429 and int(hdrs.get("retry-after", "0")) > 0 and "set-cookie" not in hdrs,
       "after 5 failures of one account: 429 with Retry-After, the right password included (%s %s)"
       % (status, hdrs.get("retry-after")))
    ok(doc and "error" in doc and "分钟" in doc["error"], "the 429 says when to try again")
    status, hdrs, body = s.request("POST", "/login", ("user=victim&password=" + PASSWORD).encode(),
                                   {"Content-Type": "application/x-www-form-urlencoded"})
    ok(status == 429 and "retry-after" in hdrs and 'role="alert"' in body.decode("utf-8"),
       "the form says the same: 429 with the message in an alert")
    status, _, _ = Client(s).login("chief", PASSWORD)
    ok(status == 200, "another account still logs in from the same address")

    # the limiter, per address: 20 failures from one address, whatever the names
    first_429 = None
    for i in range(30):
        status, _, hdrs = Client(s).login("name%d" % i, "wrong")
        if status == 429:
            first_429 = address_failures
            break
        address_failures += 1
    ok(first_429 == 20, "after 20 failures from one address: 429 for any name (at %s)" % first_429)
    status, _, hdrs = Client(s).login("chief", PASSWORD)
    ok(status == 429 and "retry-after" in hdrs, "then even a right password from that address waits")
    failed = [e for e in audit(s.db) if e["action"] == "login.failed"]
    ok(len(failed) == address_failures and all(e["remote"] == "127.0.0.1" for e in failed),
       "every failure, and no refusal, is a login.failed entry with the address (%d, %d)"
       % (len(failed), address_failures))
finally:
    ok(s.stop() == 0, "the district server stops cleanly")

# --- the limiter's count is in the database: a restart, and a second server, keep it --------------
s.start()
try:
    status, _, hdrs = Client(s).login("chief", PASSWORD)
    ok(status == 429 and 0 < int(hdrs.get("retry-after", "0")) <= 900,
       "after a restart the address still waits (%s %s)" % (status, hdrs.get("retry-after")))
    other = Server(db=s.db).start()
    try:
        status, _, hdrs = Client(other).login("victim", PASSWORD)
        ok(status == 429 and "retry-after" in hdrs,
           "a second server on the same database refuses the same login (%s)" % status)
    finally:
        ok(other.stop() == 0, "the second server stops cleanly")
finally:
    ok(s.stop() == 0, "the restarted server stops cleanly")

# per account, across servers: failures on one server count on the other; a success ends the count
db = Server().db
add_account(db, "clerk", "integrator", PASSWORD)
one, two = Server(db=db).start(), Server(db=db).start()
try:
    for i in range(4):
        status, _, _ = Client(one if i % 2 else two).login("clerk", "wrong %d" % i)
    status, _, _ = Client(one).login("clerk", PASSWORD)
    ok(status == 200, "four failures on two servers, then the right password logs in (%s)" % status)
    for i in range(4):
        Client(one if i % 2 else two).login("clerk", "wrong again %d" % i)
    status, _, _ = Client(two).login("clerk", PASSWORD)
    ok(status == 200, "the login ended the count: four more failures do not reach five (%s)" % status)
    for i in range(5):
        Client(one if i % 2 else two).login("clerk", "wrong at last %d" % i)
    status, _, hdrs = Client(one).login("clerk", PASSWORD)
    ok(status == 429 and "retry-after" in hdrs,
       "five failures since the last login, on either server: 429 on both (%s)" % status)
    status, _, _ = Client(two).login("clerk", PASSWORD)
    ok(status == 429, "and on the other server (%s)" % status)
finally:
    one.stop()
    two.stop()

# --- which addresses: any with accounts, loopback only without --------------------------------------
t = tempfile.mkdtemp(prefix="dl-auth-")
lonely = os.path.join(t, "personal.db")
rc, _ = cli("serve", "--listen", "0.0.0.0:0", "--db", lonely)
ok(rc == 1 and not os.path.exists(lonely), "0.0.0.0 without a database: refused, nothing made")
p = Server(folder=os.path.join(t, "p"))
os.makedirs(p.folder)
p.start()
p.stop()
# (the questionnaires named as Server names them: tests/run.sh sets DIGILEVEL_QUESTIONNAIRES for the cases)
rc, _ = cli("serve", "--listen", "0.0.0.0:0", "--db", p.db, "--questionnaires", "questionnaires")
ok(rc == 1, "0.0.0.0 with a database without accounts: refused (%d)" % rc)
d = Server(listen="0.0.0.0:0")
add_account(d.db, "chief", "bureau", PASSWORD)
d.start()
try:
    status, _, _ = d.request("GET", "/api/health")
    ok(status == 200, "with an account the server listens on 0.0.0.0 (reached through 127.0.0.1)")
    status, _, _ = d.request("GET", "/api/sheets")
    ok(status == 401, "and asks for a session")
finally:
    d.stop()
with open(os.path.join(d.folder, "serve.log"), encoding="utf-8") as f:
    ok("区级模式" in f.read(), "the log says the server runs in district mode")

# --- under TLS the cookie is Secure ------------------------------------------------------------------
if shutil.which("openssl"):
    key, cert = os.path.join(t, "key.pem"), os.path.join(t, "cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out",
                    cert, "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    h = Server(extra=["--tls-cert", cert, "--tls-key", key])
    add_account(h.db, "chief", "bureau", PASSWORD)
    h.start()
    try:
        ctx = ssl.create_default_context(cafile=cert)
        ctx.check_hostname = False
        c = http.client.HTTPSConnection("127.0.0.1", h.port, context=ctx, timeout=20)
        c.request("POST", "/api/login", json.dumps({"user": "chief", "password": PASSWORD}),
                  {"Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        attrs = [a.strip() for a in (r.getheader("Set-Cookie") or "").split(";")]
        ok(r.status == 200 and "Secure" in attrs and "HttpOnly" in attrs,
           "over TLS the session cookie is Secure (%s)" % r.getheader("Set-Cookie"))
        c.close()
    finally:
        h.stop()
else:
    print("skipped: the Secure cookie under TLS (openssl is not installed)")
shutil.rmtree(t, True)
done()
