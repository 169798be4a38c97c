"""test_hostile.py: what a hostile or broken client can send `digilevel serve`: malformed request
lines and headers, oversized bodies (declared and chunked), huge headers, slow clients holding
connections, odd methods, paths that try to leave the server's folders, XML bombs and garbage,
broken multipart forms. Each must get a 4xx (a JSON error where the server decides it) or a closed
connection, never a crash or a hang; the server answers a normal request after each, and writes
nothing but its database."""
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from server import STORE, Server, done, example, ok  # noqa: E402


def raw(port, data, timeout=5.0, half_close=True):
    """Send bytes on a fresh connection, return what came back before the server closed or the
    timeout passed."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    got = b""
    try:
        sock.sendall(data)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
    except OSError:
        pass  # the server closed the connection before everything was sent: it refused it
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            got += chunk
    except (socket.timeout, ConnectionResetError, BrokenPipeError):
        pass
    finally:
        sock.close()
    return got


def status_of(reply):
    try:
        return int(reply.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return None


def alive(s, what):
    status, doc, _, _ = s.json("GET", "/api/health")
    return ok(status == 200 and doc["status"] == "ok", "still answering after " + what)


s = Server(extra=["--idle-timeout", "2"]).start()
try:
    cases = [
        ("garbage request line", b"\x00\x01\x02 nonsense\r\n\r\n"),
        ("an unknown HTTP version", b"GET / HTTP/9.9\r\nHost: x\r\n\r\n"),
        ("no Host header (HTTP/1.1)", b"GET /api/health HTTP/1.1\r\n\r\n"),
        ("a header without a colon", b"GET /api/health HTTP/1.1\r\nHost: x\r\nbroken header\r\n\r\n"),
        ("a bad Content-Length", b"POST /api/score HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"),
        ("a bad chunk size", b"POST /api/score HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"),
        ("a NUL in the path", b"GET /api/he\x00alth HTTP/1.1\r\nHost: x\r\n\r\n"),
    ]
    for what, data in cases:
        reply = raw(s.port, data)
        st = status_of(reply)
        ok(st is None or 400 <= st < 500 or st == 505, "%s: a 4xx (or 505) or a closed connection (%s)" % (what, st))
        alive(s, what)

    reply = raw(s.port, b"POST /api/score HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")
    ok(status_of(reply) == 400 and b'"error"' in reply, "two Content-Lengths: 400 with a JSON error")
    alive(s, "two Content-Lengths")

    # bodies larger than the limit: refused from the declared length, or as the chunks pass it
    reply = raw(s.port, b"POST /api/score HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n")
    ok(status_of(reply) == 413 and b'"error"' in reply, "a declared 100 GB body: 413 with a JSON error, not read")
    alive(s, "a declared huge body")
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=20)
    sock.sendall(b"POST /api/score HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"%x\r\n" % (1 << 20) + b"a" * (1 << 20) + b"\r\n"
    sent = 0
    try:
        for _ in range(200):  # up to 200 MiB: the server stops reading long before
            sock.sendall(chunk)
            sent += 1
        sock.sendall(b"0\r\n\r\n")
        reply = sock.recv(65536)
    except (ConnectionResetError, BrokenPipeError, socket.timeout):
        reply = b""
    sock.close()
    ok(sent <= 40, "an endless chunked body is cut off at the limit (32 MiB; %d MiB sent)" % sent)
    alive(s, "an endless chunked body")

    # huge headers
    reply = raw(s.port, b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200000 + b"\r\n\r\n")
    st = status_of(reply)
    ok(st is None or st in (400, 413, 431), "a 200 kB header: refused (%s)" % st)
    alive(s, "a huge header")
    many = b"".join(b"X-H%d: v\r\n" % i for i in range(5000))
    reply = raw(s.port, b"GET /api/health HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
    st = status_of(reply)
    ok(st is None or st in (400, 413, 431), "5000 headers: refused (%s)" % st)
    alive(s, "many headers")

    # slow clients: connections that send nothing, or half a request, do not stop others
    idle = [socket.create_connection(("127.0.0.1", s.port)) for _ in range(20)]
    for i, c in enumerate(idle):
        if i % 2:
            c.sendall(b"POST /api/score HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nab")
    alive(s, "20 slow connections are open")
    time.sleep(3.5)
    closed = 0
    for c in idle:
        c.settimeout(1)
        try:
            closed += c.recv(100) == b""
        except (ConnectionResetError, socket.timeout):
            closed += 1
        c.close()
    ok(closed == len(idle), "idle connections are closed after the idle timeout (%d of %d)" % (closed, len(idle)))

    # methods and paths
    for method in ("PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"):
        status, _, body = s.request(method, "/api/health")
        ok(400 <= status < 500, "%s /api/health: %d" % (method, status))
    for path in ("/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2fetc%2fpasswd",
                 "/api/sheets/../../etc/passwd", "//etc/passwd", "/api/sheets/1%00", "/" + "a" * 5000):
        status, _, body = s.request("GET", path)
        ok(400 <= status < 500 and b"root:" not in body, "GET %s: %d, nothing outside" % (path[:40], status))
    alive(s, "odd methods and paths")

    # hostile documents
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><answer-sheet>&lol3;</answer-sheet>')
    xxe = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><answer-sheet>&x;</answer-sheet>'
    deep = b"<a>" * 100000 + b"</a>" * 100000
    docs = [("an entity bomb", bomb), ("an external entity", xxe), ("100000 nested elements", deep),
            ("binary garbage", os.urandom(100000)), ("invalid UTF-8", example("food-before.xml").replace(b"\xe5", b"\xff", 3)),
            ("a zip that is no workbook", b"PK\x03\x04" + os.urandom(5000))]
    for what, doc in docs:
        for path in ("/api/score", "/api/sheets"):
            status, parsed, body, _ = s.json("POST", path, doc)
            ok(status in (400, 413, 422) and parsed is not None and b"root:" not in body,
               "%s to %s: %d with a JSON answer" % (what, path, status))
    alive(s, "hostile documents")
    status, doc, _, _ = s.json("GET", "/api/sheets")
    ok(doc == [], "nothing hostile was stored")

    # broken forms
    for what, ctype, body in [
            ("multipart without a boundary", "multipart/form-data", b"--x\r\n\r\n"),
            ("multipart cut off", "multipart/form-data; boundary=XYZ", b"--XYZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue"),
            ("url-encoded nonsense", "application/x-www-form-urlencoded", b"%%%&&&===%zz"),
            ("many fields", "application/x-www-form-urlencoded", b"&".join(b"f%d=v" % i for i in range(30000)))]:
        status, hdrs, reply = s.request("POST", "/upload", body, {"Content-Type": ctype})
        ok(400 <= status < 500 or status in (200, 303, 404), "%s: %d, no crash" % (what, status))
        alive(s, what)

    # nothing but the database in the server's folder (on PostgreSQL nothing at all: the folder's
    # file "database" is the harness's, naming the database)
    names = sorted(n for n in os.listdir(s.folder) if n not in ("port", "serve.log", "database"))
    ok(all(n.startswith("digilevel.db") for n in names) and (STORE == "sqlite" or not names),
       "the server wrote only its database (%s)" % names)
finally:
    code = s.stop()
ok(code == 0, "the server stops cleanly after all that (exit %s)" % code)
done()
