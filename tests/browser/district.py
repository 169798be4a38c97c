"""district.py: a district's pilot in a real browser (headless Chromium through Selenium), against a
real `digilevel serve` in district mode (accounts made with `digilevel user add`, the password on
standard input) on an ephemeral loopback port.

Every step is done by clicking and typing, as a person would: no cookie is set and no API is called
to do a step (the API and the files downloaded are only read afterwards, to check). Each role logs in
through the login page and does its main task:
- the bureau registers two enterprises and assigns each its integrator and evaluator on /district;
- an integrator stores the other enterprise's diagnosis, so that there is something not to see;
- the integrator sees only its enterprise, stores its diagnosis (the upload page), uploads a contract
  and a retrofit plan on the enterprise's documents page, and is refused another enterprise's page;
- the supervisor approves the diagnosis and returns the plan with a comment in the review queue; the
  integrator, logging in again, sees the returned plan with the comment at the top of the enterprise
  page, under its title;
- the evaluator stores the evaluation, downloads the 验收意见 (checked with pdftotext), and changing
  the submitted evaluation through its form asks for the 修改原因;
- the enterprise sees its levels, downloads its 数字化诊断报告, is refused another enterprise's page;
- the bureau's dashboard, before and after sheets are stored: every table fits a 1280 px window;
- the bureau reads the enterprise's history and downloads 一企一档 (its manifest checked);
- logging out from the header: the next page asks to log in again; a wrong password gets the same
  Chinese words for a known and an unknown account.
Screenshots of each role's main page go to /tmp/browser-district/ (SHOTS overrides).

Usage: python3 tests/browser/district.py   (BUILD names the build folder; default build)
Exits 0 when every check holds."""
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "http"))
import server  # noqa: E402  (tests/http/server.py: the server, accounts and the checks' output)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.common.exceptions import (NoSuchElementException, StaleElementReferenceException,  # noqa: E402
                                        WebDriverException)
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

ok = server.ok
CJK = re.compile("[\u4e00-\u9fff]")
FOOD = "91640303MA76L2K45X"  # examples/food-before.xml and food-after.xml
TEXTILE = "91640303MA76RT3C9U"  # examples/textile-before.xml
FOOD_NAME = ET.parse(os.path.join(server.EXAMPLES, "food-before.xml")).find("enterprise/name").text
TEXTILE_NAME = ET.parse(os.path.join(server.EXAMPLES, "textile-before.xml")).find("enterprise/name").text
PASSWORD = {"bureau": "区局-密码-2026", "integrator": "服务商一号-pw-2026",
            "integrator2": "服务商二号-pw-2026", "evaluator": "评估机构-pw-2026",
            "supervisor": "监督单位-pw-2026", "food": "食品企业-pw-2026"}
ACCOUNTS = [("ju", "bureau", "bureau", None), ("jicheng", "integrator", "integrator", None),
            ("jicheng2", "integrator", "integrator2", None), ("pinggu", "evaluator", "evaluator", None),
            ("jiandu", "supervisor", "supervisor", None), ("shipin", "enterprise", "food", FOOD)]
REFUSED = "您的账号无权进行此操作"
SHOTS = os.environ.get("SHOTS", "/tmp/browser-district")
# what chromedriver says when it is asked about a document the browser is replacing: a question
# asked again once the new page has loaded gets an answer
REPLACED = ("does not belong to the document", "document unloaded", "Execution context was destroyed",
            "Cannot find context with specified id")


def replaced(e):
    """Whether e means only that the document was being replaced when the browser was asked."""
    return isinstance(e, (NoSuchElementException, StaleElementReferenceException)) or \
        any(words in (e.msg or "") for words in REPLACED)


def gone(el):
    """Whether the page el was found on has been replaced. Selenium's staleness_of is not enough: asked
    while the new document comes in, chromedriver may answer "Node with given id does not belong to
    the document" rather than that the element is stale."""
    try:
        el.is_enabled()
        return False
    except WebDriverException as e:
        if replaced(e):
            return True
        raise


def browser(downloads):
    o = Options()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--disable-extensions", "--lang=zh-CN", "--window-size=1280,1000"):
        o.add_argument(a)
    o.add_experimental_option("prefs", {"download.default_directory": downloads,
                                        "download.prompt_for_download": False,
                                        "plugins.always_open_pdf_externally": True})
    binary = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if os.path.exists(binary):
        o.binary_location = binary
    driver = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
    d = webdriver.Chrome(service=Service(driver), options=o)
    d.set_page_load_timeout(20)
    d.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    return d


class Person:
    """The browser, the server's address and the folder downloads land in."""

    def __init__(self, d, base, downloads):
        self.d, self.base, self.downloads = d, base, downloads

    def go(self, path, then=None):
        """Open path; then: the CSS selector of an element the page must show."""
        self.d.get(self.base + path)
        self.loaded("the page " + path, then)

    def path(self):
        return self.d.current_url[len(self.base):]

    def text(self):
        return self.d.find_element(By.TAG_NAME, "body").text

    def wait(self, cond, what, timeout=20):
        """Wait until cond() holds; while a page is being replaced, its elements vanish or go stale
        and chromedriver may speak of nodes no longer in the document: cond is asked again."""
        def holds(_):
            try:
                return cond()
            except WebDriverException as e:
                if replaced(e):
                    return False
                raise
        try:
            WebDriverWait(self.d, timeout).until(holds)
            return True
        except Exception:
            self.shot("failed-" + re.sub(r"\W+", "-", what)[:40])
            ok(False, "waited for: " + what + " (at " + self.path() + ")")
            return False

    def loaded(self, what, then=None):
        """Wait until the page has finished loading (document.readyState) and, given the CSS
        selector then, shows that element: only then are its elements found, and found once."""
        return self.wait(lambda: self.d.execute_script("return document.readyState") == "complete" and
                         (then is None or bool(self.d.find_elements(By.CSS_SELECTOR, then))),
                         what + " has loaded" + (" (" + then + ")" if then else ""))

    def el(self, css, within=None):
        return (within or self.d).find_element(By.CSS_SELECTOR, css)

    def button(self, words, within=None):
        """The button a person would find by its words."""
        for b in (within or self.d).find_elements(By.TAG_NAME, "button"):
            if words in b.text:
                return b
        raise AssertionError("no button saying " + words)

    def click(self, el, load=True, then=None):
        """Click as a person does. el must be found on the page as it is now (no element is kept
        across pages). load: wait until the page it leads to has replaced this one and has loaded;
        then: the CSS selector of an element that page must show."""
        old = self.d.find_element(By.TAG_NAME, "html")
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'});", el)
        el.click()
        if load:
            WebDriverWait(self.d, 20).until(lambda _: gone(old))
            self.loaded("the page after the click", then)

    def choose_file(self, css, path):
        """Choose path in the file input css. chromedriver hands a file to the input by the inspector's
        id of its node; while a page is still being replaced that node may no longer belong to the
        document: then the input is found again on the loaded page and the file chosen once more."""
        try:
            self.el(css).send_keys(path)
        except WebDriverException as e:
            if "does not belong to the document" not in (e.msg or ""):
                raise
            print("# choosing a file again: the page was being replaced (%s)" % e.msg)
            self.loaded("the page with " + css, css)
            self.el(css).send_keys(path)

    def link(self, words):
        return self.d.find_element(By.PARTIAL_LINK_TEXT, words)

    def type(self, css, text, within=None):
        el = self.el(css, within)
        el.clear()
        el.send_keys(text)
        return el

    def login(self, user, password):
        """The login page, as a person finds it: opening the workbench's address."""
        self.go("/", "form.login")
        self.wait(lambda: self.path().startswith("/login"), "the workbench asks to log in")
        self.type("#user", user)
        self.type("#password", password)
        self.click(self.button("登录", self.el("form.login")))
        self.wait(lambda: not self.path().startswith("/login"), user + " is logged in")

    def logout(self):
        self.click(self.button("退出登录", self.el("header .account")))
        self.wait(lambda: self.path().startswith("/login"), "logging out shows the login page")

    def shot(self, name):
        os.makedirs(SHOTS, exist_ok=True)
        # the whole page: the window as tall as the page
        h = self.d.execute_script("return document.documentElement.scrollHeight")
        self.d.set_window_size(1280, min(max(h + 120, 600), 4000))
        self.d.save_screenshot(os.path.join(SHOTS, name + ".png"))
        self.d.set_window_size(1280, 1000)

    def header_ok(self, who, role_title, tables=True):
        acc = self.el("header .account").text
        ok(who in acc and role_title in acc and "退出登录" in acc,
           "the header names %s (%s) and has the logout button (%s)" % (who, role_title, acc.replace("\n", " ")))
        w = self.d.execute_script("return document.documentElement.scrollWidth")
        ok(w <= 1280, "%s: nothing wider than the window (%d px)" % (self.path(), w))
        wide = self.d.execute_script(
            "return Array.from(document.querySelectorAll('.table-wrap')).filter("
            "  function (t) { return t.scrollWidth > t.clientWidth + 1; }).map("
            "  function (t) { var c = t.querySelector('caption'); return c ? c.textContent : '?'; });")
        if tables:
            ok(not wide, "%s: every table fits a 1280 px window, no sideways scrolling (%s)"
               % (self.path(), wide))
        elif wide:  # a page this test does not own: said, not failed
            print("# %s: tables that scroll sideways at 1280 px: %s" % (self.path(), ", ".join(wide)))

    def download(self, click, suffix, what, timeout=30):
        """Click; the file that lands in the downloads folder (bytes), or b""."""
        for f in os.listdir(self.downloads):
            os.remove(os.path.join(self.downloads, f))
        click()
        end = time.time() + timeout
        while time.time() < end:
            done = [f for f in os.listdir(self.downloads) if f.endswith(suffix)]
            if done:
                time.sleep(0.2)
                with open(os.path.join(self.downloads, done[0]), "rb") as fh:
                    return done[0], fh.read()
            time.sleep(0.1)
        ok(False, what + " downloads (%s)" % os.listdir(self.downloads))
        return "", b""

    def upload_sheet(self, path):
        """The upload page, from the header's navigation; the stored sheet's number."""
        self.click(self.link("上传"), then="input[type=file][name=sheets]")
        self.wait(lambda: self.path().startswith("/upload"), "the upload page opens")
        self.choose_file("input[type=file][name=sheets]", path)
        self.click(self.button("检查并保存"))
        self.wait(lambda: "已保存为" in self.text() or "未保存" in self.text(), "the upload's result")
        m = re.search(r"已保存为\s*(\d+)\s*号", self.text())
        return m.group(1) if m else None


def pdf_text(data):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(["pdftotext", f.name, "-"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL).stdout.decode("utf-8", "replace")


def main():
    started = time.time()
    srv = server.Server()
    for name, role, key, code in ACCOUNTS:
        server.add_account(srv.db, name, role, PASSWORD[key], credit_code=code)
    srv.start()
    base = "http://127.0.0.1:%d" % srv.port
    downloads = os.path.join(srv.folder, "downloads")
    os.makedirs(downloads)
    files = os.path.join(srv.folder, "files")
    os.makedirs(files)
    contract = os.path.join(files, "改造合同.txt")
    plan = os.path.join(files, "改造方案.txt")
    with open(contract, "w", encoding="utf-8") as f:
        f.write("数字化改造合同\n甲方：" + FOOD_NAME + "\n合同金额：人民币 800,000.00 元\n")
    with open(plan, "w", encoding="utf-8") as f:
        f.write("数字化改造方案\n一、生产管理系统（MES）上线\n二、设备联网\n")
    shutil.rmtree(SHOTS, ignore_errors=True)
    d = browser(downloads)
    p = Person(d, base, downloads)
    try:
        run(p, srv)
    except Exception as e:  # a step that could not be done: said, with where the browser was
        import traceback
        traceback.print_exc(file=sys.stdout)
        p.shot("failed-step")
        ok(False, "every step could be done: %s at %s (%s)"
           % (type(e).__name__, p.path(), str(e).splitlines()[0] if str(e) else ""))
    finally:
        d.quit()
        srv.stop()
    took = time.time() - started
    ok(took < 150, "the whole test took %.1f s" % took)
    server.done()


def run(p, srv):
    d = p.d
    # --- a wrong password: the same Chinese words, known account or not, next to the form ------
    p.go("/dashboard")
    p.wait(lambda: p.path().startswith("/login"), "a page asks to log in first")
    words = []
    for user in ("ju", "nobody-here"):
        p.type("#user", user)
        p.type("#password", "wrong password")
        p.click(p.button("登录", p.el("form.login")))
        p.wait(lambda: d.find_elements(By.CSS_SELECTOR, "[role=alert]"), "the refusal is shown")
        alert = p.el("[role=alert]")
        words.append(alert.text)
        ok(p.path().startswith("/login"), "a wrong password stays on the login page")
        follows = d.execute_script(
            "var a = document.querySelector('[role=alert]'), f = document.querySelector('form.login');"
            "return !!(a.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING)"
            " && a.parentNode === f.parentNode;")
        ok(follows, "the message is next to the form, just above it")
    ok(words[0] == words[1] == "用户名或密码不正确",
       "a wrong password and an unknown account get the same Chinese words (%s)" % words)
    p.shot("login-refused")

    # --- 1. the bureau: register, assign, see the assignment, the dashboard ----------------------
    p.login("ju", PASSWORD["bureau"])
    ok(p.path().startswith("/dashboard"), "the bureau lands on the dashboard")
    p.click(p.link("全区管理"))  # the header's link to /district
    p.wait(lambda: p.path().startswith("/district"), "the bureau opens /district")
    for code, name in ((FOOD, FOOD_NAME), (TEXTILE, TEXTILE_NAME)):
        p.type("#new-credit_code", code)
        p.type("#new-name", name)
        p.click(p.button("登记", p.el("form.register")))
        p.wait(lambda: code in p.el("[role=status]").text if d.find_elements(
            By.CSS_SELECTOR, "[role=status]") else False, "registering " + code + " is confirmed")
    for code, integrator in ((FOOD, "jicheng"), (TEXTILE, "jicheng2")):
        row = d.find_element(By.XPATH, "//table[contains(@class,'district')]//tr[td//a[text()='%s']]"
                             % code)
        Select(p.el("select[name=integrator]", row)).select_by_visible_text(integrator)
        Select(p.el("select[name=evaluator]", row)).select_by_visible_text("pinggu")
        p.click(p.button("保存", row))
        p.wait(lambda: d.find_elements(By.CSS_SELECTOR, "[role=status]") and
               code in p.el("[role=status]").text, "the assignment of " + code + " is saved")
    row = d.find_element(By.XPATH, "//table[contains(@class,'district')]//tr[td//a[text()='%s']]" % FOOD)
    ok(Select(p.el("select[name=integrator]", row)).first_selected_option.text == "jicheng" and
       Select(p.el("select[name=evaluator]", row)).first_selected_option.text == "pinggu",
       "the page shows the assignment saved")
    p.header_ok("ju", "主管部门")
    p.shot("bureau-district")
    p.click(p.link("全区看板"))
    p.wait(lambda: p.path().startswith("/dashboard"), "the bureau opens the dashboard")
    ok(CJK.search(d.title) is not None, "the dashboard's title is Chinese (%s)" % d.title)
    p.header_ok("ju", "主管部门")
    p.shot("bureau-dashboard")
    p.logout()

    # the other integrator stores the other enterprise's diagnosis
    p.login("jicheng2", PASSWORD["integrator2"])
    other = p.upload_sheet(os.path.join(server.EXAMPLES, "textile-before.xml"))
    ok(other is not None, "the second integrator stores the textile diagnosis (No. %s)" % other)
    p.logout()

    # --- 2. the integrator ---------------------------------------------------------------------
    p.login("jicheng", PASSWORD["integrator"])
    assigned = [a.text for a in d.find_elements(By.CSS_SELECTOR, "#assigned a")]
    ok(p.path().startswith("/sheets") and len(assigned) == 1 and FOOD in assigned[0],
       "the integrator's first page lists its one assigned enterprise (%s)" % assigned)
    ok(TEXTILE not in p.text(), "the integrator's first page shows nothing of another's enterprise")
    p.shot("integrator-start")
    p.click(d.find_element(By.CSS_SELECTOR, "#assigned a"))
    p.wait(lambda: p.path() == "/enterprises/" + FOOD, "the enterprise page opens")
    ok("尚未保存答卷" in p.text(), "the enterprise's page says nothing is stored yet")
    p.click(p.link("上传合同或改造方案"))
    p.wait(lambda: p.path().endswith("/documents"), "the documents page opens")
    for kind, path in (("合同", contract_of(srv)), ("改造方案", plan_of(srv))):
        Select(p.el("#kind")).select_by_visible_text(
            [o.text for o in Select(p.el("#kind")).options if kind in o.text][0])
        p.choose_file("#file", path)
        p.click(p.button("上传", p.el("#file").find_element(By.XPATH, "ancestor::form")))
        p.wait(lambda: "已上传" in p.text(), "the %s is uploaded" % kind)
    body = p.text()
    ok("改造合同.txt" in body and "改造方案.txt" in body, "both documents are listed")
    p.header_ok("jicheng", "服务商")
    p.shot("integrator-documents")
    diag = p.upload_sheet(os.path.join(server.EXAMPLES, "food-before.xml"))
    ok(diag is not None, "the integrator stores the food diagnosis (No. %s)" % diag)
    p.click(p.link("答卷"))  # the header's list of sheets
    p.wait(lambda: p.path().startswith("/sheets"), "the integrator opens the sheets")
    rows = d.find_elements(By.CSS_SELECTOR, "table tbody tr")
    ok(len(rows) == 1 and FOOD in rows[0].text and TEXTILE not in p.text(),
       "the integrator's sheets: its enterprise's only")
    p.header_ok("jicheng", "服务商")
    p.shot("integrator-sheets")
    p.go("/enterprises/" + TEXTILE)
    ok(REFUSED in p.text() and CJK.search(d.title), "another enterprise's page is refused, in Chinese")
    p.shot("integrator-refused")
    p.logout()

    # --- 3. the supervisor ---------------------------------------------------------------------
    p.login("jiandu", PASSWORD["supervisor"])
    p.click(p.link("审核队列"))
    p.wait(lambda: p.path().startswith("/review"), "the supervisor opens the review queue")
    p.header_ok("jiandu", "监督单位")
    p.shot("supervisor-queue")
    row = d.find_element(By.XPATH, "//table[@id='queue']//tr[td//a[contains(@href,'/sheets/%s')]]" % diag)
    p.click(p.button("批准", row))
    p.wait(lambda: "已批准" in p.text() or "批准" in p.el("[role=status], .notice").text,
           "the diagnosis is approved")
    row = d.find_element(By.XPATH, "//table[@id='queue']//tr[td[contains(., '改造方案')]]")
    p.type("textarea[name=comment]", "投资明细缺少设备清单，请补充后重新上传。", row)
    p.click(p.button("退回服务商", row))
    p.wait(lambda: "退回" in p.text(), "the plan is returned")
    p.logout()
    p.login("jicheng", PASSWORD["integrator"])
    p.go("/enterprises/" + FOOD, then="#returned")
    body = p.text()
    ok("投资明细缺少设备清单" in body and "退回" in body,
       "the integrator sees the returned plan with the comment on the enterprise page")
    notice = p.el("#returned").text
    ok("改造方案.txt" in notice and "投资明细缺少设备清单" in notice and "jiandu" in notice,
       "the notice says what was returned, by whom, and the reviewer's comment (%s)"
       % notice.replace("\n", " "))
    placed = d.execute_script(
        "var n = document.getElementById('returned'), t = document.querySelector('main table');"
        "return n.previousElementSibling === document.querySelector('main h1')"
        " && !!(n.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING)"
        " && n.getBoundingClientRect().bottom <= window.innerHeight;")
    ok(placed, "the notice is at the top: right under the title, before the first table, "
       "seen without scrolling")
    p.shot("integrator-returned")
    p.logout()

    # --- 4. the evaluator ----------------------------------------------------------------------
    p.login("pinggu", PASSWORD["evaluator"])
    ev = p.upload_sheet(os.path.join(server.EXAMPLES, "food-after.xml"))
    ok(ev is not None, "the evaluator stores the evaluation (No. %s)" % ev)
    p.click(p.link("答卷"))
    p.wait(lambda: p.path().startswith("/sheets"), "the evaluator opens the sheets")
    assigned = [a.text for a in d.find_elements(By.CSS_SELECTOR, "#assigned a")]
    ok(len(assigned) == 2, "the evaluator's two assigned enterprises are listed (%s)" % assigned)
    p.click(d.find_element(By.XPATH, "//ul[@id='assigned']//a[contains(., '%s')]" % FOOD))
    p.wait(lambda: p.path() == "/enterprises/" + FOOD, "the evaluator opens the enterprise page")
    p.header_ok("pinggu", "评估机构")
    p.shot("evaluator-enterprise")
    name, pdf = p.download(lambda: p.click(p.link("验收意见"), False), ".pdf", "the 验收意见")
    text = pdf_text(pdf) if pdf.startswith(b"%PDF") else ""
    flat = re.sub(r"\s+", "", text)
    ok("验收意见" in flat and FOOD_NAME in flat, "the 验收意见 PDF is Chinese and names the enterprise")
    digest = [a["sha256"] for a in server.audit(srv.db)
              if a["action"] == "sheet.submit" and str(a["sheet_id"]) == ev]
    ok(digest and digest[0] in flat and "第1版" in flat,
       "the 验收意见 names the evaluation's version and SHA-256 as stored (%s)" % digest[:1])
    # change the submitted evaluation: its form asks why
    p.go("/sheets/%s" % ev)
    p.click(p.link("修改"))
    p.wait(lambda: "/edit" in p.path(), "the evaluation's form opens")
    p.type("#f-e\\.address", "宁夏银川市金凤区食品园区 8 号")
    p.click(d.find_element(By.CSS_SELECTOR, "button[value=submit]"))
    p.wait(lambda: d.find_elements(By.ID, "e-reason"), "the form asks for the reason")
    ok("修改原因" in p.text() and "须写明原因" in p.el("#e-reason").text,
       "saving without 修改原因 is refused, in Chinese")
    ok(p.el("#f-e\\.address").get_attribute("value").endswith("8 号"), "what was typed is still there")
    p.shot("evaluator-reason")
    # the message at the top links to the field, as a person follows it: the field in sight, clear
    # of the buttons that stay at the bottom of the window
    p.click(d.find_element(By.CSS_SELECTOR, "a[href='#f-reason']"), False)
    clear = d.execute_script(
        "var r = document.getElementById('f-reason').getBoundingClientRect();"
        "var e = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);"
        "return e && e.id === 'f-reason';")
    os.makedirs(SHOTS, exist_ok=True)
    d.save_screenshot(os.path.join(SHOTS, "evaluator-reason-field.png"))
    ok(clear, "the link at the top shows the 修改原因 field, not hidden by the buttons")
    p.type("#f-reason", "地址更正：企业迁入食品园区")
    p.click(d.find_element(By.CSS_SELECTOR, "button[value=submit]"))
    p.wait(lambda: re.search(r"/sheets/\d+$", p.path()), "the new version is saved")
    ok("地址更正" in p.text(), "the new version shows its reason")
    p.logout()

    # --- 5. the enterprise ---------------------------------------------------------------------
    p.login("shipin", PASSWORD["food"])
    ok(p.path() == "/enterprises/" + FOOD, "the enterprise lands on its own page")
    body = p.text()
    ok("级" in body, "the enterprise sees its levels")
    p.header_ok("shipin", "企业")
    p.shot("enterprise-page")
    p.click(d.find_element(By.XPATH, "//a[contains(@href,'/sheets/%s')]" % diag))
    p.wait(lambda: p.path() == "/sheets/" + diag, "the diagnosis opens")
    name, pdf = p.download(lambda: p.click(p.button("数字化诊断报告"), False), ".pdf", "the 数字化诊断报告")
    flat = re.sub(r"\s+", "", pdf_text(pdf)) if pdf.startswith(b"%PDF") else ""
    ok("数字化诊断报告" in flat and FOOD_NAME in flat, "the enterprise downloads its 数字化诊断报告")
    p.go("/enterprises/" + TEXTILE)
    ok(REFUSED in p.text(), "another enterprise's page is refused to the enterprise")
    p.logout()

    # --- 6. the bureau: history and 一企一档 -----------------------------------------------------
    p.login("ju", PASSWORD["bureau"])
    p.click(p.link("全区管理"))
    p.wait(lambda: p.path().startswith("/district"), "the district page opens")
    row = d.find_element(By.XPATH, "//table[contains(@class,'district')]//tr[td//a[text()='%s']]" % FOOD)
    p.click(row.find_element(By.PARTIAL_LINK_TEXT, "历史"))
    p.wait(lambda: p.path().endswith("/history"), "the history page opens")
    body = p.text()
    ok("jicheng" in body and "pinggu" in body and "jiandu" in body and "地址更正" in body,
       "the history says who changed what (the integrator, the evaluator, the supervisor, the reason)")
    p.header_ok("ju", "主管部门")
    p.shot("bureau-history")
    # the dashboard with sheets stored: the roster (nine dates a row) fits the window too
    p.click(p.link("全区看板"), then="table#roster")
    p.header_ok("ju", "主管部门")
    p.shot("bureau-dashboard-roster")
    p.go("/enterprises/" + FOOD)
    name, data = p.download(lambda: p.click(p.link("一企一档"), False), ".zip", "一企一档")
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        manifest = json.loads(z.read("manifest.json").decode("utf-8"))
        listed = {f["name"]: f for f in manifest["files"]}
        members = [n for n in z.namelist() if n != "manifest.json"]
        good = all(n in listed and listed[n]["sha256"] == hashlib.sha256(z.read(n)).hexdigest() and
                   listed[n]["size"] == len(z.read(n)) for n in members) and len(listed) == len(members)
        ok(good, "一企一档: every file is in the manifest with its size and SHA-256 (%d)" % len(members))
        ok(manifest.get("credit_code") == FOOD and
           (manifest.get("downloaded_by") or {}).get("user") == "ju",
           "the manifest names the enterprise and the bureau's account")
        ok(any(n.startswith("documents/") for n in members) and
           any("evaluation" in n for n in members), "the archive holds the documents and the evaluation")
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        ok(False, "一企一档 opens as a ZIP with its manifest (%s)" % e)

    # --- 7. log out from the header ------------------------------------------------------------
    p.logout()
    p.go("/enterprises/" + FOOD)
    ok(p.path().startswith("/login") and d.find_elements(By.ID, "password"),
       "after logging out the next page asks to log in again")


def contract_of(srv):
    return os.path.join(srv.folder, "files", "改造合同.txt")


def plan_of(srv):
    return os.path.join(srv.folder, "files", "改造方案.txt")


if __name__ == "__main__":
    main()
