"""selfcheck.py: a person's self-check in a real browser (headless Chromium through Selenium), against
a real `digilevel serve` on an ephemeral loopback port.

On a phone-sized window (390x844): from the start page to the blank self-check form, every field
typed and every option clicked as a person would (the answers of examples/textile-before.xml), the
band a figure gives shown while typing; a mistake (a credit code with a wrong check character) comes
back next to its field, in Chinese, in the summary at the top, with every value still there; a
draft is saved and shows its provisional score; the sheet is submitted, the result page shows the
level the CLI gives for the same answers, and the 数字化诊断报告 PDF downloads (checked with
pdftotext). On a desktop-sized window: every input has a label, and a field, a check box and the
draft button are worked with the keyboard alone.

Usage: python3 tests/browser/selfcheck.py   (BUILD names the build folder; default build)
Exits 0 when every check holds."""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "http"))
import server  # noqa: E402  (tests/http/server.py: the server and the checks' output)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.common.exceptions import (NoSuchElementException, StaleElementReferenceException,  # noqa: E402
                                        WebDriverException)
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

ok = server.ok
EXAMPLE = os.path.join(server.EXAMPLES, "textile-before.xml")
CJK = re.compile("[\u4e00-\u9fff]")
# what chromedriver says when it is asked about a document the browser is replacing
REPLACED = ("does not belong to the document", "document unloaded", "Execution context was destroyed",
            "Cannot find context with specified id")


def browser():
    o = Options()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--disable-extensions", "--lang=zh-CN", "--window-size=390,844"):
        o.add_argument(a)
    binary = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if os.path.exists(binary):
        o.binary_location = binary
    driver = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
    d = webdriver.Chrome(service=Service(driver), options=o)
    d.set_page_load_timeout(20)
    return d


def phone(d):
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                      {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})


def desktop(d):
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                      {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})


def by_id(d, id_):
    return d.find_element(By.ID, id_)


def show(d, el):
    d.execute_script("arguments[0].scrollIntoView({block: 'center'});", el)
    return el


def loaded(d, then=None, timeout=20):
    """Wait until the page has finished loading (document.readyState) and, given the CSS selector
    then, shows that element; while a page is being replaced its elements vanish or go stale and
    chromedriver may speak of nodes no longer in the document: the question is asked again."""
    def done(drv):
        try:
            return drv.execute_script("return document.readyState") == "complete" and \
                (then is None or bool(drv.find_elements(By.CSS_SELECTOR, then)))
        except (NoSuchElementException, StaleElementReferenceException):
            return False
        except WebDriverException as e:
            if any(words in (e.msg or "") for words in REPLACED):
                return False
            raise
    WebDriverWait(d, timeout).until(done)


def gone(el):
    """Whether the page el was found on has been replaced. Selenium's staleness_of is not enough: asked
    while the new document comes in, chromedriver may answer "Node with given id does not belong to
    the document" rather than that the element is stale."""
    try:
        el.is_enabled()
        return False
    except (NoSuchElementException, StaleElementReferenceException):
        return True
    except WebDriverException as e:
        if any(words in (e.msg or "") for words in REPLACED):
            return True
        raise


def follow(d, el, then=None, keys=None):
    """Click el (or, given keys, type them into it) to go to another page, as a person does; wait
    until that page has replaced this one and has loaded (then: the CSS selector of an element it
    must show). el must be found on the page as it is now: no element is kept across pages."""
    old = d.find_element(By.TAG_NAME, "html")
    show(d, el)
    if keys is None:
        el.click()
    else:
        el.send_keys(keys)
    WebDriverWait(d, 20).until(lambda _: gone(old))
    loaded(d, then)


def click(d, id_):
    el = by_id(d, id_)
    el.click()
    return el


def type_into(d, name, text):
    el = show(d, by_id(d, "f-" + name))
    el.clear()
    el.send_keys(text)
    return el


def answers_of(path):
    """The example's answers: enterprise fields, figures, options chosen, scenario levels."""
    root = ET.parse(path).getroot()
    e = root.find("enterprise")
    ent = {c.tag: (c.text or "") for c in e if c.tag != "tags"}
    tags = [t.text for t in e.iter("tag")]
    a = root.find("assessment")
    figures = [(f.get("id"), f.text.strip()) for f in root.iter("figure")]
    chosen = [(ans.get("question"), c.get("option")) for ans in root.iter("answer")
              for c in ans.iter("choose")]
    levels = [(s.get("id"), s.get("level")) for s in root.iter("scenario")]
    return ent, tags, a.get("date"), a.find("organisation").text, figures, chosen, levels


def no_sideways_scroll(d, what, width, note_only=False):
    w = d.execute_script("return document.documentElement.scrollWidth")
    if note_only:  # a page this test does not own: said, not failed
        print("# %s: %d px wide at a %d px window" % (what, w, width))
    else:
        ok(w <= width, "%s: nothing wider than the window (%d <= %d)" % (what, w, width))


def main():
    ent, tags, date, organisation, figures, chosen, levels = answers_of(EXAMPLE)
    code, out = server.cli("score", "--format", "json", EXAMPLE)
    expected = json.loads(out.decode("utf-8")) if code == 0 else {}
    srv = server.Server().start()
    base = "http://127.0.0.1:%d" % srv.port
    d = browser()
    started = time.time()
    try:
        phone(d)
        # the workbench's address, then the start, as a person would
        d.get(base + "/")
        loaded(d)
        ok("新建评测" in d.title, "the start page's title is Chinese")
        no_sideways_scroll(d, "the start page on a phone", 390)
        follow(d, d.find_element(By.LINK_TEXT, "自评"), "form#sheet")
        ok("/new/self-check" in d.current_url, "the self-check link opens the form")
        no_sideways_scroll(d, "the form on a phone", 390)

        # every input has a label
        unlabelled = d.execute_script("""
            var bad = [];
            document.querySelectorAll('input:not([type=hidden]), select, textarea').forEach(function (el) {
                if (!(el.labels && el.labels.length)) bad.push(el.name || el.id);
            });
            return bad;""")
        ok(unlabelled == [], "every input has a label (%s)" % ", ".join(unlabelled[:5]))
        groups = d.execute_script(
            "return document.querySelectorAll('fieldset.question:not(.scenario)').length")
        ok(groups == 15, "the 15 questions, drawn from the questionnaire (%d)" % groups)
        ok(len(d.find_elements(By.CSS_SELECTOR, "fieldset.scenario")) == 16, "the 16 scenarios")

        # type and click the answers; the credit code with a wrong check character first
        good_code = ent["credit-code"]
        bad_code = good_code[:-1] + ("A" if good_code[-1] != "A" else "B")
        for field in ("name", "region", "address", "industry", "main-products"):
            if ent.get(field):
                type_into(d, "e." + field, ent[field])
        type_into(d, "e.credit-code", bad_code)
        type_into(d, "e.employees", ent["employees"])
        show(d, by_id(d, "f-e.scale")).send_keys(ent["scale"])
        type_into(d, "e.tags", "\n".join(tags))
        type_into(d, "a.date", date)
        type_into(d, "a.organisation", organisation)
        type_into(d, "as.1.name", "马文博")
        for fid, value in figures:
            type_into(d, "f." + fid, value)
        # the band the figures give, while typing (the optional script)
        try:
            WebDriverWait(d, 10).until(lambda drv: by_id(drv, "band-Q02").text.strip() != "")
            band = by_id(d, "band-Q02").text
        except Exception:
            band = ""
        ok("B" in band and "20" in band and CJK.search(band),
           "the band of Q02 is shown as the figures are typed (%s)" % band)
        for q, opt in chosen:
            click(d, "f-q.%s-%s" % (q, opt))
        # 无 (exclusive) clears the other options of its question and the reverse
        click(d, "f-q.Q06-A")
        ok(not by_id(d, "f-q.Q06-C").is_selected() and by_id(d, "f-q.Q06-A").is_selected(),
           "choosing 无 clears the other options")
        click(d, "f-q.Q06-C")
        ok(not by_id(d, "f-q.Q06-A").is_selected(), "choosing another option clears 无")
        for sid, level in levels:
            click(d, "f-s.%s-%s" % (sid, level))
        ok(time.time() - started < 45, "filling in took %.1f s" % (time.time() - started))

        # submit with the mistake: the same form, the mistake next to its field, in Chinese
        try:
            follow(d, d.find_element(By.CSS_SELECTOR, "button[value=submit]"), "#mistakes")
        except Exception:
            d.save_screenshot(os.path.join(srv.folder, "submit.png"))
            raise
        code_input = by_id(d, "f-e.credit-code")
        ok(code_input.get_attribute("value") == bad_code, "the wrong credit code is still there")
        ok(code_input.get_attribute("aria-invalid") == "true", "the credit code is marked invalid")
        described = (code_input.get_attribute("aria-describedby") or "").split()
        messages = [by_id(d, i).text for i in described if i.startswith("e")]
        ok(messages and CJK.search(messages[0]) and "信用代码" in messages[0],
           "the mistake is next to the credit code, in Chinese (%s)" % (messages[:1],))
        links = [a.get_attribute("href") for a in
                 d.find_elements(By.CSS_SELECTOR, "#mistakes a")]
        ok(any(h.endswith("#f-e.credit-code") for h in links),
           "the summary at the top links to the credit code")
        ok(d.execute_script("return document.activeElement.id") == "mistakes",
           "the focus is on the list of mistakes")
        ok(by_id(d, "f-e.name").get_attribute("value") == ent["name"] and
           by_id(d, "f-q.Q04-N").is_selected() and by_id(d, "f-s.S13-2").is_selected() and
           by_id(d, "f-f.cost_y0").get_attribute("value") == dict(figures)["cost_y0"],
           "nothing typed or chosen is lost")
        no_sideways_scroll(d, "the form with mistakes on a phone", 390)

        # fix it, save a draft: kept, with its provisional score
        type_into(d, "e.credit-code", good_code)
        click(d, "f-s.S16-none")  # one scenario left for later
        follow(d, d.find_element(By.CSS_SELECTOR, "button[value=draft]"), "#score")
        WebDriverWait(d, 10).until(lambda drv: "saved=1" in drv.current_url)
        ok("/edit" in d.current_url, "the draft is saved and its form comes back")
        notice = d.find_element(By.CSS_SELECTOR, ".notice").text
        ok("草稿已保存" in notice, "the page says the draft was saved (%s)" % notice)
        score = by_id(d, "score").text
        ok("暂定得分" in score and expected.get("level_name", "?") in score,
           "the draft shows its provisional score (%s)" % score)
        ok(by_id(d, "f-s.S16-none").is_selected() and
           by_id(d, "f-e.credit-code").get_attribute("value") == good_code,
           "the draft's form holds what was typed")

        # submit: the result page shows the level the CLI gives
        click(d, "f-s.S16-" + dict(levels)["S16"])
        follow(d, d.find_element(By.CSS_SELECTOR, "button[value=submit]"))
        WebDriverWait(d, 10).until(lambda drv: re.search(r"/sheets/\d+$", drv.current_url))
        sheet_id = re.search(r"/sheets/(\d+)$", d.current_url).group(1)
        body = d.find_element(By.TAG_NAME, "body").text
        ok(expected.get("level_name", "?") in body,
           "the result page shows the level %s" % expected.get("level_name"))
        no_sideways_scroll(d, "the result page on a phone", 390, note_only=True)
        status, doc, _, _ = srv.json("GET", "/api/sheets/" + sheet_id,
                                     headers={"Accept": "application/json"})
        ok(status == 200 and doc and doc.get("total") == expected.get("total") and
           doc.get("level") == expected.get("level"),
           "the stored sheet scores as the example file does (%s)" % (doc or {}).get("total"))
        with urllib.request.urlopen(base + "/api/sheets/%s/report.pdf" % sheet_id, timeout=30) as r:
            pdf = r.read()
            ctype = r.headers.get("Content-Type", "")
        ok(pdf.startswith(b"%PDF") and "pdf" in ctype, "the report downloads as a PDF")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(pdf)
            f.flush()
            text = subprocess.run(["pdftotext", f.name, "-"], stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL).stdout.decode()
        ok(ent["name"] in text and "数字化诊断报告" in text.replace(" ", ""),
           "the PDF is the 数字化诊断报告 of the enterprise")

        # desktop: the keyboard alone
        desktop(d)
        d.get(base + "/sheets/%s/edit" % sheet_id)
        loaded(d, "form#sheet")
        no_sideways_scroll(d, "the form on a desktop", 1280)
        body_el = d.find_element(By.TAG_NAME, "body")
        body_el.send_keys(Keys.TAB)
        reached = False
        for _ in range(40):
            if d.execute_script("return document.activeElement.name") == "e.name":
                reached = True
                break
            d.switch_to.active_element.send_keys(Keys.TAB)
        ok(reached, "Tab reaches the first field")
        active = d.switch_to.active_element
        active.send_keys(Keys.CONTROL, "a")
        active.send_keys("键盘公司")
        by_id(d, "f-q.Q01-C").send_keys(Keys.SPACE)
        ok(by_id(d, "f-q.Q01-C").is_selected(), "Space ticks a check box")
        d.switch_to.active_element.send_keys(Keys.SHIFT, Keys.TAB)
        prev = d.execute_script("return document.activeElement.id")
        ok(prev == "f-q.Q01-B", "Shift+Tab goes back to the option before (%s)" % prev)
        follow(d, by_id(d, "f-e.name"), "#score", keys=Keys.ENTER)  # Enter in a field saves a draft
        WebDriverWait(d, 10).until(lambda drv: "saved=1" in drv.current_url)
        ok(by_id(d, "f-e.name").get_attribute("value") == "键盘公司" and
           by_id(d, "f-q.Q01-C").is_selected(), "Enter saved a draft with what was typed")
    finally:
        d.quit()
        srv.stop()
    print("# %.1f s" % (time.time() - started))
    server.done()


if __name__ == "__main__":
    main()
