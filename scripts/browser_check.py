"""The workbench in a real browser (headless Chromium through Selenium and the Debian chromium-driver).

Signs in as the demo committee supervisor and the demo agency's internal supervisor, walks the overview, the
warning list, a warning's page, the queue, the rule catalogue, a case page, the sentencing and commutation calculators, and takes one warning through its
whole loop with the pages' own forms (no JavaScript is needed by the pages, and none is injected here except to
read the page). Every check names what it expected; screenshots go to --shots.
"""
import argparse
import os
import re
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def accounts(log_path):
    text = open(log_path, encoding="utf-8").read()
    found = dict(re.findall(r"^\s+(demo-[a-z]+)\t(\S+)\t", text, re.M))
    agency = re.search(r"demo-internal\t\S+\t.*（(\w+)）", text).group(1)
    return found, agency


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--accounts", required=True)
    parser.add_argument("--shots", required=True)
    args = parser.parse_args()
    passwords, agency = accounts(args.accounts)

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,1000", "--lang=zh-CN"):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    browser.implicitly_wait(5)

    def settle(condition, seconds=10):
        # A form's submit returns before the next page has loaded; wait (up to 10 s) for what the check reads.
        try:
            WebDriverWait(browser, seconds).until(lambda _: condition())
        except Exception:
            pass

    def go(path):
        browser.get(args.base + path)

    def text():
        return browser.find_element(By.TAG_NAME, "body").text

    def shot(name):
        # The whole page, not only the window: resize to the document's height first.
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(1366, min(max(height, 800), 6000))
        browser.save_screenshot(os.path.join(args.shots, name + ".png"))
        browser.set_window_size(1366, 1000)

    def sign_in(user):
        go("/login?next=/workbench")
        browser.find_element(By.ID, "username").send_keys(user)
        browser.find_element(By.ID, "password").send_keys(passwords[user])
        browser.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type=submit]").click()
        # Signing in checks a bcrypt hash and the first overview computes its figures: slower on a busy machine.
        settle(lambda: "驾驶舱" in browser.title, 30)
        check("驾驶舱" in browser.title, f"{user} signs in and lands on the overview (title {browser.title!r})")

    def sign_out():
        browser.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
        settle(lambda: "/login" in browser.current_url)
        check("/login" in browser.current_url, "sign-out returns to the sign-in page")

    def unlabelled_fields():
        return browser.execute_script("""
            return [...document.querySelectorAll('input:not([type=hidden]),select,textarea')].filter(e =>
                !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.name)""")

    def act(action_label, conclusion=None, comment=None, attachment=None):
        form = browser.find_element(By.XPATH, f"//form[.//legend[normalize-space()='{action_label}']]")
        if conclusion:
            Select(form.find_element(By.NAME, "conclusion")).select_by_visible_text(conclusion)
        if comment:
            form.find_element(By.NAME, "comment").send_keys(comment)
        if attachment:
            form.find_element(By.NAME, "attachment").send_keys(attachment)
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        settle(lambda: f"已完成：{action_label}" in text())
        check(f"已完成：{action_label}" in text(), f"{action_label}: the page confirms the step")

    # --- The supervisor: overview, list, push
    sign_in("demo-committee")
    body = text()
    for label in ("在办预警", "未销号风险发现", "在办预警按等级", "风险发现按发生月份"):
        check(label in body, f"overview shows {label}")
    check(len(browser.find_elements(By.CSS_SELECTOR, "figure svg")) >= 6, "overview draws its charts as SVG")
    check(re.search(r"\d+\s*案件", body) is not None, "overview shows the case total")
    check(not unlabelled_fields(), f"overview: every field has a label ({unlabelled_fields()})")
    shot("01-overview")
    check(re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:", browser.page_source) is None, "the overview shows no ISO timestamp")
    check("办案超期预警" in body and "流转超期预警" in body, "the overview tells case-handling lateness from workflow lateness")

    # --- The supervisor's daily task, counted: push one city's red warnings to the agencies.
    clicks = 0

    def click(element):
        nonlocal clicks
        clicks += 1
        element.click()

    city_link = browser.find_element(By.CSS_SELECTOR, "figure a[href*='region=']")
    city = re.search(r"region=(\d+)", browser.execute_script("return arguments[0].getAttribute('href')", city_link)).group(1)
    click(city_link)
    settle(lambda: "region=" in browser.current_url)
    click(browser.find_element(By.NAME, "grade"))
    Select(browser.find_element(By.NAME, "grade")).select_by_value("red")
    click(browser.find_element(By.NAME, "state"))
    Select(browser.find_element(By.NAME, "state")).select_by_value("pending_push")
    click(browser.find_element(By.XPATH, "//button[normalize-space()='筛选']"))
    settle(lambda: "grade=red" in browser.current_url)
    check(f"region={city}" in browser.current_url and "grade=red" in browser.current_url, "the city's red warnings are listed")
    waiting = int(re.search(r"共 (\d+) 条", text()).group(1))
    if waiting > 0:
        click(browser.find_element(By.CSS_SELECTOR, "input[name=confirm]"))
        click(browser.find_element(By.XPATH, "//button[contains(., '推送本筛选条件下全部待推送预警')]"))
        settle(lambda: "已推送" in text())
        check(f"已推送 {waiting} 条预警" in text(), f"every waiting red warning of the city is pushed ({waiting})")
        check(f"region={city}" in browser.current_url and "grade=red" in browser.current_url, "the list comes back with its filters")
        check("共 0 条" in text(), "nothing red is left waiting in that city")
    check(clicks <= 10, f"pushing a city's red warnings takes {clicks} clicks and no typing (goal: under 10)")
    # The list's Excel export, read by Python's own ZIP and XML readers (an independent check of the writer).
    import io, urllib.request, zipfile
    import xml.etree.ElementTree as ET
    href = browser.find_element(By.PARTIAL_LINK_TEXT, "导出 Excel").get_attribute("href")
    cookie = browser.get_cookie("tianping_session")["value"]
    data = urllib.request.urlopen(urllib.request.Request(href, headers={"Cookie": f"tianping_session={cookie}"})).read()
    book = zipfile.ZipFile(io.BytesIO(data))
    check(book.testzip() is None, "the .xlsx is a valid ZIP (every CRC matches)")
    for part in book.namelist():
        if part.endswith(".xml") or part.endswith(".rels"):
            ET.fromstring(book.read(part))
    rows = ET.fromstring(book.read("xl/worksheets/sheet1.xml")).findall(".//{http://schemas.openxmlformats.org/spreadsheetml/2006/main}row")
    check(len(rows) >= 1 and "案号" in book.read("xl/worksheets/sheet1.xml").decode(), f"the .xlsx sheet parses, with its header ({len(rows)} rows)")
    print(f"     task 'push the red warnings of one city': {clicks} clicks, 0 typed fields, {waiting} warnings")

    # --- Finding a case by its 案号 from the navigation's search box.
    go("/workbench/warnings?state=pending_push")
    number = browser.find_element(By.CSS_SELECTOR, "table a[href^='/workbench/warnings/']").text
    if "号" in number:
        box = browser.find_element(By.ID, "nav-search")
        box.send_keys(number)
        browser.find_element(By.CSS_SELECTOR, "form.search button").click()
        settle(lambda: "/cases/" in browser.current_url)
        check("/cases/" in browser.current_url and number in browser.title, f"the search box opens the case by its 案号 {number}")
    else:
        check(False, f"the list shows 案号 ({number!r})")
    go("/workbench/warnings/nope%7C1")
    check("未找到" in text() and browser.find_elements(By.LINK_TEXT, "返回工作台"), "an unknown warning is a page with a way back")

    go(f"/workbench/warnings?agency={agency}&state=pending_push")
    body = text()
    total = int(re.search(r"共 (\d+) 条", body).group(1))
    check(total > 0, f"the list has warnings of {agency} waiting to be pushed ({total})")
    check(not unlabelled_fields(), f"warning list: every field has a label ({unlabelled_fields()})")
    shot("02-warnings")
    box = browser.find_element(By.CSS_SELECTOR, "input[name=ids]:not([disabled])")
    warning_id = box.get_attribute("value")
    case_id = warning_id.split("|")[0]
    box.click()
    browser.find_element(By.ID, "bulk-comment").send_keys("请于期限内核查")
    browser.find_element(By.XPATH, "//button[contains(., '推送所选预警')]").click()
    settle(lambda: "已推送 1 条预警" in text())
    check("已推送 1 条预警" in text(), "bulk push of the selected warning is confirmed")

    go("/workbench/warnings?case=" + case_id)
    browser.find_element(By.CSS_SELECTOR, "table a[href^='/workbench/warnings/']").click()
    check("已推送" in text(), "the warning page shows state 已推送")
    warning_url = browser.current_url
    # The push issued a 督办通知书: an official document with its 文号, 主送单位 and deadline, printable to A4.
    browser.find_element(By.PARTIAL_LINK_TEXT, "督办通知书").click()
    settle(lambda: "督办通知书" in browser.title)
    body = text()
    check(re.search(r"督〔\d{4}〕\d+号", body) is not None, "the notice carries its 文号")
    check(re.search(r"\n\S+(公安局|人民检察院|人民法院)：", body) is not None, "the notice names its 主送单位")
    check(re.search(r"请于\d{4}年\d{1,2}月\d{1,2}日前签收", body) is not None, "the notice sets the deadline in Chinese")
    check("依据：" in body and "（盖章）" in body, "the notice cites the legal basis and leaves room for the seal")
    from selenium.webdriver.common.print_page_options import PrintOptions
    import base64
    notice_pdf = base64.b64decode(browser.print_page(PrintOptions()))
    with open(os.path.join(args.shots, "02b-notice.pdf"), "wb") as f:
        f.write(notice_pdf)
    check(notice_pdf.startswith(b"%PDF") and len(notice_pdf) > 10_000, f"the notice prints to PDF ({len(notice_pdf)} bytes)")
    shot("02b-notice")
    # The PDF file kept since the push, read by an independent reader (pypdf): 文号, 主送单位 and deadline.
    import io, urllib.request
    from pypdf import PdfReader
    pdf_href = browser.find_element(By.PARTIAL_LINK_TEXT, "下载 PDF").get_attribute("href")
    cookie = browser.get_cookie("tianping_session")["value"]
    kept = urllib.request.urlopen(urllib.request.Request(pdf_href, headers={"Cookie": f"tianping_session={cookie}"})).read()
    with open(os.path.join(args.shots, "02c-notice-kept.pdf"), "wb") as f:
        f.write(kept)
    kept_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(kept)).pages).replace("\n", "")
    number = re.search(r"督〔\d{4}〕\d+号", body).group(0)
    recipient = re.search(r"\n(\S+(公安局|人民检察院|人民法院))：", body).group(1)
    deadline = re.search(r"请于(\d{4}年\d{1,2}月\d{1,2}日)前签收", body).group(1)
    check(number in kept_text, f"the kept PDF carries the 文号 {number}")
    check(recipient + "：" in kept_text, f"the kept PDF names the 主送单位 {recipient}")
    check(f"请于{deadline}前签收" in kept_text, f"the kept PDF sets the deadline {deadline}")
    check("SHA-256" in body and "存证日志第" in body, "the notice page gives the kept file's SHA-256 and its dossier-log leaf")
    browser.get(warning_url)
    sign_out()

    # --- The responsible agency: queue, accept, conclude with a file, rectify, report
    sign_in("demo-internal")
    go("/workbench/queue")
    check(case_id in text(), "the agency's queue lists the pushed warning")
    shot("03-queue")
    browser.get(warning_url)
    act("签收核查")
    report = os.path.join(tempfile.mkdtemp(), "核查报告.txt")
    with open(report, "w", encoding="utf-8") as f:
        f.write("经核查，逮捕后未及时通知家属属实，已责令整改。\n")
    act("提交核查结论", conclusion="部分属实", comment="经调阅卷宗核查，部分属实。", attachment=report)
    check("核查报告.txt" in text(), "the attachment is listed on the warning page")
    link = browser.find_element(By.PARTIAL_LINK_TEXT, "核查报告.txt").get_attribute("href")
    check(re.search(r"/workbench/attachments/\d+$", link) is not None, "the attachment has its download link")
    act("开始整改")
    act("报告整改完成", comment="已补送通知书并对承办人批评教育。")
    check(not unlabelled_fields(), f"warning page: every field has a label ({unlabelled_fields()})")
    shot("04-warning-rectified")
    sign_out()

    # --- The supervisor closes it; the record shows every step
    sign_in("demo-committee")
    browser.get(warning_url)
    act("办结", comment="整改到位，予以办结。")
    body = text()
    check("已办结" in body, "the warning is closed")
    rows = browser.find_elements(By.XPATH, "//table[caption='每一步均不可更改']/tbody/tr")
    check(len(rows) >= 7, f"the record holds every step (opened, push, accept, conclude, rectify, report, close): {len(rows)} rows")
    for step in ("推送", "签收核查", "提交核查结论", "开始整改", "报告整改完成", "办结"):
        check(step in body, f"the record shows {step}")
    shot("05-warning-closed")
    # Printable: the warning page prints (navigation and forms hidden by the print stylesheet) to a PDF.
    from selenium.webdriver.common.print_page_options import PrintOptions
    import base64
    pdf = base64.b64decode(browser.print_page(PrintOptions()))
    with open(os.path.join(args.shots, "05-warning-closed.pdf"), "wb") as f:
        f.write(pdf)
    check(pdf.startswith(b"%PDF") and len(pdf) > 10_000, f"the warning page prints to PDF ({len(pdf)} bytes)")
    hidden = browser.execute_script("""
        const sheet = [...document.styleSheets].flatMap(s => [...s.cssRules]).find(r => r.media && r.media.mediaText === 'print');
        return sheet ? sheet.cssText : ''""")
    check("display: none" in hidden and "nav" in hidden, "a print stylesheet hides navigation and forms")

    go("/workbench/rules")
    check("规则目录" in browser.title and "法律依据" in text(), "the rule catalogue lists rules with their legal basis")
    shot("06-rules")
    go("/cases/" + case_id)
    body = text()
    check("跨部门办案时间轴" in body and "法定期限明细" in body, "the case page shows the timeline and its legal limits")
    check(len(browser.find_elements(By.CSS_SELECTOR, "figure svg rect")) > 0, "the timeline is drawn")
    check("风险发现及法律依据" in body, "the case page lists findings with citations")
    shot("07-case")

    # 量刑测算: fill the form as a supervisor would and read the trace.
    go("/workbench/sentencing")
    check("量刑测算" in browser.title, "the sentencing page opens from the workbench")
    check(not unlabelled_fields(), f"sentencing page: every field has a label ({unlabelled_fields()})")
    Select(browser.find_element(By.NAME, "crime")).select_by_value("盗窃罪")
    browser.find_element(By.NAME, "amount").send_keys("120000")
    browser.find_element(By.NAME, "actual").send_keys("10")
    for value in ("surrender", "plea_leniency"):
        browser.find_element(By.CSS_SELECTOR, f"input[name=c][value={value}]").click()
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    settle(lambda: "测算过程" in text())
    body = text()
    check("测算过程（可逐步复核）" in body and "量刑起点幅度3年至4年" in body, "the trace shows the band and its starting point")
    check("认罪认罚且具有自首" in body and "不重复评价" in body, "认罪认罚 with 自首 is combined, not counted twice")
    check("超出预警边界" in body, "a 10-month sentence for 120,000 yuan is shown beyond the alert bounds")
    check("平台假设" in body, "the page lists the platform's assumptions")
    shot("08-sentencing")

    # 类案检索: the demo library holds generated judgments of the province; search as a supervisor would.
    go("/workbench/similar-cases")
    check("类案检索" in browser.title, "the similar-case page opens from the navigation")
    check(not unlabelled_fields(), f"similar-case page: every field has a label ({unlabelled_fields()})")
    browser.find_element(By.ID, "sc-q").send_keys("被告人在超市内趁被害人不备盗窃手机，价值人民币六千元。到案后如实供述自己的罪行。")
    browser.find_element(By.NAME, "charge").send_keys("盗窃罪")
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    settle(lambda: "文书库" in text())
    body = text()
    check("文书库 3000 篇" in body, "the demo library's 3,000 judgments are searched")
    check(len(browser.find_elements(By.CSS_SELECTOR, "ol.hits > li")) == 10, "ten hits are listed")
    check(len(browser.find_elements(By.CSS_SELECTOR, "ol.hits mark")) > 0, "matching passages are marked")
    check("共同 罪名：盗窃罪" in body and "判决：" in body, "each hit shows the shared charge and the sentence")
    shot("09-similar-cases")
    report_href = browser.find_element(By.PARTIAL_LINK_TEXT, "类案检索报告").get_attribute("href")
    browser.find_element(By.CSS_SELECTOR, "ol.hits h2 a").click()
    settle(lambda: "文书原文" in text())
    check("认定罪名" in text() and "盗窃罪" in text(), "a hit opens the judgment with what was read from it")
    shot("10-judgment")
    browser.get(report_href)
    settle(lambda: "类案检索报告" in text())
    body = text()
    for part in ("检索主体", "检索平台", "二、检索结果及保留理由", "三、类案裁判情况分析", "刑期中位数"):
        check(part in body, f"the report shows {part}")
    align = browser.execute_script("return getComputedStyle(document.querySelector('h1')).textAlign")
    check(align == "center", f"the report's style applies under the page's security policy (h1 {align})")
    pdf = base64.b64decode(browser.print_page(PrintOptions()))
    with open(os.path.join(args.shots, "11-similar-case-report.pdf"), "wb") as f:
        f.write(pdf)
    check(pdf.startswith(b"%PDF") and len(pdf) > 10_000, f"the report prints to PDF ({len(pdf)} bytes)")
    shot("11-similar-case-report")
    # Kept in a case's dossier: the report names the case and is stored as rendered, its hash in the dossier log.
    browser.get(report_href + "&case=" + case_id)
    settle(lambda: "存入案件卷宗" in text())
    check("存入案件卷宗" in text(), f"a report for a case offers to keep it in the case's dossier ({text()[:200]})")
    browser.find_element(By.XPATH, "//button[contains(., '存入案件卷宗')]").click()
    settle(lambda: "/workbench/case-reports/" in browser.current_url)
    check("/workbench/case-reports/" in browser.current_url and "待决案件" in text() and case_id in text(),
          "the report is kept in the case's dossier and opens as kept")
    check("存入案件卷宗" not in text(), "the kept file has no keep button")

    # 量刑测算 with the case's facts: the comparable judgments' terms beside the range.
    go("/workbench/sentencing")
    Select(browser.find_element(By.NAME, "crime")).select_by_value("盗窃罪")
    browser.find_element(By.NAME, "amount").send_keys("6000")
    browser.find_element(By.NAME, "caseFacts").send_keys("被告人在超市内趁被害人不备盗窃手机，价值人民币六千元。")
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    settle(lambda: "测算过程" in text())
    body = text()
    check("类案对照" in body and "结合类案的中心" in body, "the estimate shows comparable judgments and the combined centre")
    check(len(browser.find_elements(By.CSS_SELECTOR, "a[href^='/workbench/judgments/']")) > 0, "each comparable links to its judgment")
    shot("12-sentencing-comparables")

    # 减刑假释测算: a recidivist's proposal typed as a prison's file gives it; a space in the history must survive the form.
    go("/workbench/commutation")
    check("减刑假释测算" in browser.title, "the commutation page opens from the navigation")
    check(not unlabelled_fields(), f"commutation page: every field has a label ({unlabelled_fields()})")
    Select(browser.find_element(By.NAME, "sentence")).select_by_value("fixedTerm")
    browser.find_element(By.NAME, "term").send_keys("8年")
    browser.find_element(By.NAME, "termStart").send_keys("2020年1月1日")
    browser.find_element(By.NAME, "executionStart").send_keys("2020-03-10")
    browser.find_element(By.CSS_SELECTOR, "input[name=c][value=recidivist]").click()
    browser.find_element(By.NAME, "commutations").send_keys("2022-05-03 2022-05-09 9个月")
    Select(browser.find_element(By.NAME, "grounds")).select_by_value("repentance")
    browser.find_element(By.NAME, "propose").send_keys("2023-04-01")
    browser.find_element(By.NAME, "reduce").send_keys("1年")
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    settle(lambda: "计算过程" in text() or "无法识别" in text())
    body = text()
    check("最早 2023年5月9日 报请" in body, f"the interval runs from the last ruling's service ({body[:300]})")
    check("减刑间隔时间不足" in body and "一次减刑不超过9个月" in body, "the proposal's two breaches are named")
    check("累犯，不得假释" in body and "法释〔2016〕23号第六条" in body, "parole is barred and each step cites its rule")
    shot("13-commutation")
    browser.quit()

    if failures:
        print(f"{len(failures)} browser checks failed", file=sys.stderr)
        sys.exit(1)
    print("browser checks passed")


if __name__ == "__main__":
    main()
