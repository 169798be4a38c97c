"""test_dashboard_pipeline.py: the dashboard's pipeline table against each enterprise's own pipeline
(docs/api.md, GET /api/enterprises/{code}/pipeline). The table takes every enterprise's acceptance
verdict from the cohort the dashboard built (server/cohort_store.h: one batch for all), where the
enterprise's pipeline compares its standing pair by itself (server/standing.h): the two must agree,
enterprise by enterprise and step by step, under every policy the targets accept, when the dashboard
is built and when it is kept, and as of a date (when the table decides each enterprise itself)."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from server import TOP, Server, done, example, ok  # noqa: E402

STEPS = ("diagnosis", "contract", "plan", "evaluation", "acceptance")


def table_states(s, query):
    """{code: [state of each step]} of the dashboard's pipeline table, or None without a table."""
    status, _, page = s.request("GET", "/dashboard?" + query)
    t = re.search(r'<table id="pipeline-enterprises">.*?</table>', page.decode(), re.S)
    if status != 200 or not t:
        return None
    rows = {}
    for code, cells in re.findall(r'<tr><td><a href="/enterprises/(\w+)">.*?</a></td><td>\1</td>(.*?)</tr>',
                                  t.group(0)):
        rows[code] = re.findall(r'class="state (\w+)"', cells)
    return rows


def api_states(s, code, policy):
    status, doc, _, _ = s.json("GET", "/api/enterprises/%s/pipeline?policy=%s" % (code, policy))
    return [doc["steps"][k]["state"] for k in STEPS] if status == 200 else status


s = Server().start()
try:
    names = sorted(n for n in os.listdir(os.path.join(TOP, "examples")) if n.endswith(".xml"))
    stored = [s.json("POST", "/api/sheets", example(n))[0] for n in names]
    ok(stored == [201] * len(names), "the %d examples are stored" % len(names))
    policies = sorted(n[:-4] for n in os.listdir(os.path.join(TOP, "policies"))
                      if n.endswith(".xml") and not n.endswith("-targets.xml"))
    verdicts = set()
    shown = 0
    for policy in policies:
        built = table_states(s, "policy=" + policy)
        if built is None:  # a policy of another edition or city: no dashboard under it
            continue
        shown += 1
        kept = table_states(s, "policy=" + policy)
        dated = table_states(s, "policy=%s&as_of=2030-12-31" % policy)
        own = {code: api_states(s, code, policy) for code in built}
        verdicts |= {states[-1] for states in own.values()}
        ok(len(built) == 5 and built == own,
           "under %s the dashboard's table is each enterprise's own pipeline: %s" % (policy, built))
        ok(kept == built, "under %s the kept dashboard's table is the same" % policy)
        ok(dated == built, "under %s as of a date (each enterprise decided by itself): the same" % policy)
    ok(shown >= 1, "the dashboard is shown under %d policies" % shown)
    ok({"passed", "failed", "rectify"} <= verdicts,
       "the examples reach each verdict: %s" % sorted(verdicts))
    none = table_states(s, "policy=none")
    ok(none and all(states[-1] == "pending" for states in none.values()),
       "without a policy every evaluated enterprise's acceptance is pending")
finally:
    ok(s.stop() == 0, "the server stops cleanly")

done()
