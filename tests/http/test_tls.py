"""test_tls.py: `digilevel serve --tls-cert --tls-key` serves HTTPS (GnuTLS through libmicrohttpd)
with a certificate made here by openssl; plain HTTP on that port is not answered; giving one of
the two options alone is refused. Skipped, with the reason printed, without openssl."""
import atexit
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import http.client

sys.path.insert(0, os.path.dirname(__file__))
from server import Server, cli, done, ok  # noqa: E402

if not shutil.which("openssl"):
    print("skipped: openssl is not installed (it makes the test certificate)")
    done()
t = tempfile.mkdtemp(prefix="dl-tls-")
atexit.register(shutil.rmtree, t, True)
key, cert = os.path.join(t, "key.pem"), os.path.join(t, "cert.pem")
subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, stdout=subprocess.DEVNULL,
               stderr=subprocess.DEVNULL)
s = Server(extra=["--tls-cert", cert, "--tls-key", key]).start()
try:
    ctx = ssl.create_default_context(cafile=cert)
    ctx.check_hostname = False
    c = http.client.HTTPSConnection("127.0.0.1", s.port, context=ctx, timeout=10)
    c.request("GET", "/api/health")
    r = c.getresponse()
    ok(r.status == 200 and b'"ok"' in r.read(), "GET /api/health over TLS")
    c.close()
    try:
        status, _, _ = s.request("GET", "/api/health", timeout=5)
    except (OSError, http.client.HTTPException):
        status = None
    ok(status != 200, "plain HTTP is not answered on the TLS port (%s)" % status)
finally:
    ok(s.stop() == 0, "the TLS server stops cleanly")
rc, _ = cli("serve", "--tls-cert", cert, "--db", os.path.join(t, "x.db"), "--listen", "127.0.0.1:0")
ok(rc == 1, "--tls-cert without --tls-key is refused (exit %d)" % rc)
rc, _ = cli("serve", "--listen", "192.0.2.1:8080", "--db", os.path.join(t, "x.db"))
ok(rc == 1, "a non-loopback address is refused without accounts (exit %d)" % rc)
ok(not os.path.exists(os.path.join(t, "x.db")), "a refused start creates no database")
done()
