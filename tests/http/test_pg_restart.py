"""test_pg_restart.py: the workbench on PostgreSQL while the database goes away and comes back, and its
connection pool's bound (docs/store.md "PostgreSQL", "Several servers").

1. Four client threads save sheets without pause while the test cluster is stopped for a few seconds
   and started again (tests/scripts/pg_cluster.sh halt, resume), then restarted at once (restart):
   while it is away a save gets 503 with Retry-After, never a 500 and never a wait without end; once it
   is back saves succeed again, with the same `digilevel serve` process; every save acknowledged with
   201 is in the store afterwards, with its digest.
2. `serve --db-connections 4` under 32 concurrent clients reading and saving: the database never sees
   more than 4 + 1 connections of the server (pg_stat_activity), and every request succeeds.

Always on PostgreSQL: DL_TEST_PG and DL_TEST_PG_CLUSTER name the run's throwaway cluster (tests/run.sh)."""
import hashlib
import json
import os
import subprocess
import sys
import threading
import time

try:
    import psycopg2
except ImportError:  # the Debian python3 has it (python3-psycopg2); another python3 on PATH may not
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != "/usr/bin/python3":
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    raise

sys.path.insert(0, os.path.dirname(__file__))
from server import TOP, Server, done, example, fresh_database, ok, query  # noqa: E402

CLUSTER = os.environ.get("DL_TEST_PG_CLUSTER")
if not os.environ.get("DL_TEST_PG") or not CLUSTER:
    ok(False, "DL_TEST_PG and DL_TEST_PG_CLUSTER name the test cluster (tests/run.sh starts one: make check)")
    done()

XML = example("food-before.xml")
SLOW = 20.0  # seconds: a request that takes longer is a hang


def cluster(what):
    p = subprocess.run(["sh", os.path.join(TOP, "tests", "scripts", "pg_cluster.sh"), what, CLUSTER],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode == 0


def wait_for_cluster(seconds=30):
    end = time.time() + seconds
    while time.time() < end:
        try:
            psycopg2.connect(os.environ["DL_TEST_PG"]).close()
            return True
        except psycopg2.Error:
            time.sleep(0.2)
    return False


class Load:
    """threads clients saving sheets on server s until stopped; what each got."""

    def __init__(self, s, threads):
        self.s, self.stop, self.lock = s, threading.Event(), threading.Lock()
        self.answers = []  # (time sent, seconds taken, status, Retry-After)
        self.acked = {}    # id -> sha256
        self.wrong = []    # ids answered with another digest than the XML sent
        self.threads = [threading.Thread(target=self.run, args=(t,)) for t in range(threads)]

    def run(self, t):
        n = 0
        while not self.stop.is_set():
            n += 1
            xml = XML + ("<!-- thread %d save %d -->\n" % (t, n)).encode()
            sent = time.time()
            try:
                status, hdrs, body = self.s.request("POST", "/api/sheets", xml, timeout=SLOW + 10)
            except OSError as e:
                status, hdrs, body = "no answer: %s" % e, {}, b""
            took = time.time() - sent
            with self.lock:
                self.answers.append((sent, took, status, hdrs.get("retry-after")))
                if status == 201:
                    doc = json.loads(body)
                    self.acked[doc["id"]] = hashlib.sha256(xml).hexdigest()
                    if doc["sha256"] != self.acked[doc["id"]]:
                        self.wrong.append(doc["id"])
            if status != 201:
                time.sleep(0.1)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join()

    def since(self, moment):
        with self.lock:
            return [a for a in self.answers if a[0] >= moment]


# --- 1. the database goes away and comes back under load ------------------------------------------
db = fresh_database()
s = Server(db=db).start()
try:
    with Load(s, 4) as load:
        time.sleep(1.5)
        halted = time.time()
        ok(cluster("halt"), "the cluster is stopped under load")
        time.sleep(3)
        away = load.since(halted)
        resumed_at = time.time()
        ok(cluster("resume"), "the cluster is started again")
        wait_for_cluster()
        time.sleep(2)
        ok(cluster("restart"), "the cluster is restarted at once (pg_ctl restart -m immediate)")
        wait_for_cluster()
        restarted = time.time()
        time.sleep(2)
        after = load.since(restarted + 0.5)
        back = load.since(resumed_at + 1.0)
    answers = load.answers
    statuses = sorted(set(str(a[2]) for a in answers))
    ok(set(a[2] for a in answers) <= {201, 503}, "every answer is 201 or 503: %s" % statuses)
    ok(not [a for a in answers if a[2] == 500], "no 500")
    slow = max(a[1] for a in answers) if answers else 0
    ok(slow < SLOW, "no request waited without end (the slowest took %.1f s)" % slow)
    away_503 = [a for a in away if a[2] == 503]
    ok(len(away_503) > 0, "while the database is away, saves get 503 (%d of %d)" % (len(away_503), len(away)))
    ok(all(a[3] and int(a[3]) > 0 for a in answers if a[2] == 503),
       "every 503 says Retry-After (%s)" % sorted(set(a[3] for a in answers if a[2] == 503)))
    ok(len([a for a in back if a[2] == 201]) > 0,
       "once it is back, saves succeed again without restarting digilevel (%d)" % len([a for a in back if a[2] == 201]))
    ok(len([a for a in after if a[2] == 201]) > 0 and not [a for a in after if a[2] != 201],
       "once the restarted cluster answers: only 201s, no connection it broke fails a request (%s)" % sorted(set(str(a[2]) for a in after)))
    ok(s.proc.poll() is None, "the same server process serves throughout")
    ok(not load.wrong, "every 201 names the digest of the XML sent (%s)" % load.wrong[:5])
    stored = dict(query(db, "SELECT id, sha256 FROM sheet"))
    lost = [k for k, v in load.acked.items() if stored.get(k) != v]
    ok(load.acked and not lost, "every acknowledged save (%d) is in the store with its digest; lost: %s"
       % (len(load.acked), lost[:5]))
    status, rows, _, _ = s.json("GET", "/api/sheets?history=1&drafts=1")
    listed = {r["id"] for r in rows} if status == 200 else set()
    ok(set(load.acked) <= listed, "and the server lists them all (%d listed)" % len(listed))
finally:
    ok(s.stop() == 0, "the server stops cleanly")
    wait_for_cluster()

# --- 2. the pool's bound: 32 clients, at most 4 readers and 1 writer -----------------------------
BOUND = 4
db = fresh_database()
name = db.split("/")[3].split("?")[0]
s = Server(db=db, extra=["--db-connections", str(BOUND)]).start()
peak, stop, failures = [0], threading.Event(), []
count_lock = threading.Lock()


def watch():
    c = psycopg2.connect(os.environ["DL_TEST_PG"])  # the maintenance database: not counted
    c.autocommit = True
    cur = c.cursor()
    while not stop.is_set():
        cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (name,))
        peak[0] = max(peak[0], cur.fetchone()[0])
        time.sleep(0.01)
    c.close()


def client(t):
    for i in range(6):
        if i % 3 == 2:
            xml = XML + ("<!-- client %d save %d -->\n" % (t, i)).encode()
            status, _, _ = s.request("POST", "/api/sheets", xml, timeout=60)
            want = 201
        else:
            status, _, _ = s.request("GET", "/api/sheets?history=1&drafts=1", timeout=60)
            want = 200
        if status != want:
            with count_lock:
                failures.append(status)


try:
    s.request("POST", "/api/sheets", XML)
    watcher = threading.Thread(target=watch)
    watcher.start()
    clients = [threading.Thread(target=client, args=(t,)) for t in range(32)]
    for t in clients:
        t.start()
    for t in clients:
        t.join()
    stop.set()
    watcher.join()
    ok(not failures, "32 concurrent clients: every request succeeds (%d failed: %s)" % (len(failures), failures[:5]))
    ok(1 < peak[0] <= BOUND + 1, "the database saw at most %d + 1 connections of the server (peak %d)"
       % (BOUND, peak[0]))
    count = query(db, "SELECT count(*) FROM sheet")[0][0]
    ok(count == 1 + 32 * 2, "every save is stored (%d)" % count)
finally:
    stop.set()
    ok(s.stop() == 0, "the bounded server stops cleanly")
done()
