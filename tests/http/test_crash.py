"""test_crash.py: an acknowledged save survives `kill -9`. Clients post sheets to a real server at
once; the server is killed with SIGKILL at a random moment, several times; after each restart
every sheet acknowledged with 201 is there with the bytes and digest it was acknowledged with, and
the store's integrity check (`digilevel serve --check`: SQLite's integrity_check, or the
PostgreSQL store's own) passes."""
import hashlib
import os
import random
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from server import Server, cli, done, example, ok  # noqa: E402

SHEETS = [example(n) for n in ("food-before.xml", "chemical-after.xml", "fuel-before.xml")]
acknowledged = {}  # id -> sha256 of the bytes sent
lock = threading.Lock()


def client(s, stop, seed):
    rnd = random.Random(seed)
    while not stop.is_set():
        body = rnd.choice(SHEETS)
        try:
            status, doc, _, _ = s.json("POST", "/api/sheets", body)
        except OSError:
            continue  # the server is gone: this save was never acknowledged
        if status == 201:
            with lock:
                acknowledged[doc["id"]] = hashlib.sha256(body).hexdigest()


s = Server()
rounds = 3
for r in range(rounds):
    s.start()
    stop = threading.Event()
    threads = [threading.Thread(target=client, args=(s, stop, r * 10 + i)) for i in range(6)]
    for t in threads:
        t.start()
    # the kill comes at a random moment once this round has saved something (a server under
    # valgrind takes seconds to answer its first request)
    before, end = len(acknowledged), time.time() + 60
    while len(acknowledged) == before and time.time() < end:
        time.sleep(0.05)
    time.sleep(random.uniform(0.4, 1.2))
    s.proc.send_signal(signal.SIGKILL)
    s.proc.wait()
    stop.set()
    for t in threads:
        t.join()
    s.stop()
    s.start()
    missing = wrong = 0
    for sid, digest in sorted(acknowledged.items()):
        status, hdrs, body = s.request("GET", "/api/sheets/%d" % sid, headers={"Accept": "application/xml"})
        if status != 200:
            missing += 1
        elif hashlib.sha256(body).hexdigest() != digest:
            wrong += 1
    ok(len(acknowledged) > 0 and missing == 0 and wrong == 0,
       "round %d: all %d acknowledged sheets are there, whole (%d missing, %d changed)"
       % (r + 1, len(acknowledged), missing, wrong))
    status, doc, _, _ = s.json("GET", "/api/sheets?history=1")
    ok(status == 200 and all(len(row["sha256"]) == 64 for row in doc), "round %d: the list reads" % (r + 1))
    s.stop()
    rc, out = cli("serve", "--check", "--db", s.db)
    ok(rc == 0, "round %d: the store's integrity check passes (%s)" % (r + 1, out.decode("utf-8", "replace").strip()))
done()
