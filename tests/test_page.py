"""End to end: `serve` in its own process on the session index, and the page driven in headless Chromium.

Set QA_SCREENSHOT=1 to save the page with its answer to docs/page.png, the page with a chart to
docs/page-chart.png and the chart itself to docs/chart.png (the README shows them).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

import httpx
import pytest
from conftest import ROOT

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="needs chromium and chromedriver on PATH (Debian: apt-get install chromium chromium-driver)",
)

SHPO = "how many SHPOs in Norfolk 2024/25"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(index_dir, tmp_path_factory):
    """The base URL of `qa.server.serve` running on the session index, up until the module's tests end."""
    port = _free_port()
    code = "import sys; from qa.server import serve; serve(sys.argv[1], port=int(sys.argv[2]))"
    log = tmp_path_factory.mktemp("server") / "stderr.txt"
    with open(log, "w") as stderr:  # a file, not a pipe nobody reads, which could fill and block the server
        process = subprocess.Popen([sys.executable, "-c", code, str(index_dir), str(port)], cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=stderr)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited: {log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the server did not answer /health within 120 s")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1100,1500", "--lang=en-GB"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def test_ask_from_the_page(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server + "/")
    question = browser.find_element(By.ID, "question")
    assert browser.find_element(By.CSS_SELECTOR, "label[for=question]").text == "Question"
    question.send_keys(SHPO + Keys.ENTER)

    wait = WebDriverWait(browser, 30)
    value = wait.until(lambda d: d.find_element(By.ID, "value") if d.find_element(By.ID, "value").text else None)
    assert value.text == "118"
    assert browser.find_element(By.ID, "answer").text == "Norfolk had 118 Sexual Harm Prevention Orders (SHPOs) in 2024/25."
    assert browser.current_url.endswith("?q=how+many+SHPOs+in+Norfolk+2024%2F25")

    citation = browser.find_element(By.CSS_SELECTOR, "#citations > li")
    assert citation.find_element(By.TAG_NAME, "h3").text == "Norfolk Annual Report 2024 to 2025"
    meta = citation.find_element(By.CLASS_NAME, "meta").text
    assert "Norfolk · 2024/25" in meta and "Restrictive orders for Category 1 offenders" in meta
    assert "lines 109–116" in meta
    assert [mark.text for mark in citation.find_elements(By.CSS_SELECTOR, ".lines mark")] == ["118"]
    cited = citation.find_elements(By.CSS_SELECTOR, ".lines li")
    assert len(cited) == 8 and "Sexual Harm Prevention Order (SHPO)" in cited[2].text

    if os.environ.get("QA_SCREENSHOT") == "1":
        (ROOT / "docs").mkdir(exist_ok=True)
        browser.find_element(By.TAG_NAME, "body").screenshot(str(ROOT / "docs" / "page.png"))

    link = citation.find_element(By.LINK_TEXT, "Full section")
    assert "section?doc=" in link.get_attribute("href")
    link.click()
    heading = wait.until(lambda d: citation.find_element(By.CSS_SELECTOR, ".section h4"))
    assert heading.text == "MAPPA Statistics > Restrictive orders for Category 1 offenders (lines 109–116)"
    assert link.get_attribute("aria-expanded") == "true" and link.text == "Hide full section"
    assert "118" in [mark.text for mark in citation.find_elements(By.CSS_SELECTOR, ".section mark")]

    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []  # no script errors, no content-security-policy violations


def test_a_question_the_reports_cannot_answer(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server + "/?q=how+many+SHPOs+in+Norfolk+2019%2F20")
    answer = WebDriverWait(browser, 30).until(
        lambda d: d.find_element(By.ID, "answer") if "2019/20" in d.find_element(By.ID, "answer").text else None)
    assert answer.text == "No Norfolk report for 2019/20 is indexed."
    assert not browser.find_element(By.ID, "value").is_displayed()
    assert browser.find_element(By.ID, "result").get_attribute("class") == "not-found"


def test_api_docs_render_without_the_network(server, browser):
    """Swagger UI comes from the server itself: the page renders with the API's title and operations."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server + "/docs")
    title = WebDriverWait(browser, 30).until(lambda d: d.find_element(By.CSS_SELECTOR, ".swagger-ui .info .title"))
    assert title.text.startswith("qa: MAPPA annual reports")
    paths = {e.text for e in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")}
    assert {"/ask", "/batch", "/facts", "/reports", "/section", "/health"} <= paths


def test_a_comparison_is_drawn_beside_the_number(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    question = "which area had the most SHPOs in 2024/25"
    browser.get(server + "/?q=which+area+had+the+most+SHPOs+in+2024%2F25")
    wait = WebDriverWait(browser, 30)
    chart = wait.until(lambda d: d.find_element(By.ID, "chart") if d.execute_script(
        "const i = document.getElementById('chart'); return i.complete && i.naturalWidth > 0") else None)
    assert browser.find_element(By.ID, "value").text == "559"
    assert chart.is_displayed() and chart.size["width"] > 300
    assert chart.get_attribute("alt") == ("Bar chart: Cambridgeshire and Peterborough 2024/25: 135; "
                                          "London 2024/25: 559; Norfolk 2024/25: 118")
    value_box, chart_box = (browser.find_element(By.ID, name).rect for name in ("value", "chart-box"))
    assert chart_box["x"] > value_box["x"] + value_box["width"] - 1  # beside the number, not under it
    points = httpx.get(f"{server}/chart", params={"q": question, "format": "json"}).json()["points"]
    assert [(p["area"], p["value"]) for p in points] == [
        ("Cambridgeshire and Peterborough", 135), ("London", 559), ("Norfolk", 118)]
    assert [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"] == []

    browser.get(server + "/?q=how+many+SHPOs+in+Norfolk+2024%2F25")  # a single figure: no chart
    wait.until(lambda d: d.find_element(By.ID, "value").text == "118")
    assert not browser.find_element(By.ID, "chart-box").is_displayed()

    if os.environ.get("QA_SCREENSHOT") == "1":
        browser.get(server + "/?q=which+area+had+the+most+SHPOs+in+2024%2F25")
        wait.until(lambda d: d.execute_script(
            "const i = document.getElementById('chart'); return i.complete && i.naturalWidth > 0"))
        browser.find_element(By.TAG_NAME, "body").screenshot(str(ROOT / "docs" / "page-chart.png"))
        png = httpx.get(f"{server}/chart", params={"q": question, "format": "png"})
        (ROOT / "docs" / "chart.png").write_bytes(png.content)
