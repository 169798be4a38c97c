"""server.py: start and stop a real `digilevel serve` on an ephemeral loopback port for the HTTP
tests (tests/http/), and the small checking helpers they share. Python's standard library only."""
import atexit
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("BUILD", "build")
if not os.path.isabs(BUILD):
    BUILD = os.path.join(TOP, BUILD)
PROGRAM = os.path.join(BUILD, "digilevel")
EXAMPLES = os.path.join(TOP, "examples")

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
    """A digilevel serve process on 127.0.0.1:0 with its own database in a temporary folder."""

    def __init__(self, folder=None, extra=()):
        if not folder:
            folder = tempfile.mkdtemp(prefix="dl-http-")
            if not os.environ.get("DL_KEEP"):  # DL_KEEP=1 keeps the database and log to look at
                atexit.register(shutil.rmtree, folder, True)
        self.folder = folder
        self.db = os.path.join(self.folder, "digilevel.db")
        self.extra = list(extra)
        self.proc = None
        self.port = None

    def start(self, wait=10.0):
        port_file = os.path.join(self.folder, "port")
        if os.path.exists(port_file):
            os.remove(port_file)
        env = dict(os.environ)
        for k in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
            env.pop(k, None)
        self.log = open(os.path.join(self.folder, "serve.log"), "ab")
        self.proc = subprocess.Popen(
            (os.environ.get("DL_TEST_WRAPPER", "").split() or []) +
            [PROGRAM, "serve", "--db", self.db, "--listen", "127.0.0.1:0", "--port-file", port_file,
             "--quiet", "--questionnaires", "questionnaires",
             "--policies", "policies"] + self.extra,
            cwd=TOP, env=env, stdout=self.log, stderr=self.log)
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


def cli(*args, cwd=TOP):
    """Run the program; (exit code, stdout bytes)."""
    env = dict(os.environ)
    for k in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(k, None)
    p = subprocess.run([PROGRAM] + list(args), cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    return p.returncode, p.stdout
