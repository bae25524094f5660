"""The meeting-pack download of the covenant page: its callbacks over a real app, and the whole
flow in headless Chromium against `imvo serve` (button, progress, file in the downloads)."""

import base64
import importlib
import time
import urllib.request

import pytest

from dashboard.app import create_app
from dashboard.report.control import IDS
from tests.browser_support import chromium, require_browser, serving
from tests.dashboard_support import find, reset_dash
from tests.report_support import require, tiny_warehouse

REQUEST = {"covenant": "textiel", "lang": "en"}
# The browser log shows Dash's errors as "Object": keep their text to know whose they are.
KEEP_ERRORS = """
window.consoleErrors = [];
const report = console.error;
console.error = (...parts) => {
  window.consoleErrors.push(parts.map(p => { try { return JSON.stringify(p); }
                                             catch (e) { return String(p); } }).join(" "));
  report.apply(console, parts);
};
"""


@pytest.fixture(scope="module")
def data(tmp_path_factory, defs):
    require("chromium")
    folder = tmp_path_factory.mktemp("data")
    tiny_warehouse(folder, defs)
    return folder


@pytest.fixture
def page(data):
    reset_dash()
    create_app(data / "imvo.duckdb")
    yield importlib.import_module("dashboard.pages.covenant")
    reset_dash()


def test_covenant_page_offers_the_meeting_pack(page):
    layout = page.layout(slug="textiel", lang="en")
    assert find(layout, id=IDS["make"])[0].children == "Make meeting pack"
    assert find(layout, id=IDS["year"])[0].value == 2018  # newest year with data


def test_callbacks_start_the_job_at_once_then_send_the_file(page):
    job, status = page.make_pack(1, 2018, "pptx", REQUEST)
    assert status == "Queued"
    view = page.show_pack(job, None, REQUEST)
    # the callback returned before the pack was made: it is queued or being made elsewhere
    assert view[2] is False and not view[3].startswith("Ready")
    assert view[5:] == [False, True]  # polling on, button off while the pack is made
    deadline = time.monotonic() + 180
    while view[5] is False and time.monotonic() < deadline:
        time.sleep(0.5)
        view = page.show_pack(job, 1, REQUEST)
    status, download, poll_off, button_off = view[3:]
    assert (status, poll_off, button_off) == ("Ready: meeting-pack-textiel-2018.pptx", True, False)
    assert download["filename"] == "meeting-pack-textiel-2018.pptx"
    assert base64.b64decode(download["content"])[:2] == b"PK"  # a zip: the pptx package
    assert page.show_pack(job, 2, REQUEST)[3] == ("This request is no longer known; make the "
                                                  "meeting pack again.")


@pytest.fixture(scope="module")
def server(data):
    require_browser()
    with serving(data) as url:
        yield url


@pytest.fixture(scope="module")
def browser(server, tmp_path_factory):
    downloads = tmp_path_factory.mktemp("downloads")
    with chromium(downloads) as driver:
        driver.execute_cdp_cmd("Page.setDownloadBehavior",
                               {"behavior": "allow", "downloadPath": str(downloads)})
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": KEEP_ERRORS})
        driver.downloads = downloads
        yield driver


@pytest.mark.browser
def test_download_runs_in_the_background_with_progress(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{server}/covenant/textiel?lang=en")
    button = WebDriverWait(browser, 30).until(
        lambda d: d.find_element(By.CSS_SELECTOR, ".pack-make"))
    button.click()
    status = browser.find_element(By.CSS_SELECTOR, ".pack-status")
    WebDriverWait(browser, 30).until(lambda d: status.text != "")
    with urllib.request.urlopen(f"{server}/?lang=en", timeout=10) as other:
        assert other.status == 200  # the app answers while the pack is being made
    progress = browser.find_element(By.CSS_SELECTOR, ".pack-control progress")
    assert progress.get_attribute("hidden") is None and status.text != ""
    WebDriverWait(browser, 180).until(lambda d: status.text.startswith("Ready"))
    assert status.text == "Ready: meeting-pack-textiel-2018.pdf"
    target = browser.downloads / "meeting-pack-textiel-2018.pdf"
    WebDriverWait(browser, 30).until(lambda d: target.exists())
    assert target.read_bytes()[:5] == b"%PDF-"
    errors = browser.execute_script("return window.consoleErrors")
    assert [e for e in errors if "covenant-pack" in e or "Callback error" in e] == []


@pytest.mark.browser
def test_the_form_says_busy_and_starts_nothing_at_the_limit(server, data, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from dashboard.report.jobs import owner_of
    from dashboard.report.jobstore import JobSettings, JobState, add_job, update_job
    from warehouse.access import PUBLIC

    jobs, visitor = JobSettings(data / "jobs"), owner_of(PUBLIC, None, "127.0.0.1")
    held = ["held-1", "held-2"]  # as many as a visitor may have in the making (default 2)
    for job in held:
        add_job(jobs, job, visitor, "Queued")
    try:
        browser.get(f"{server}/covenant/textiel?lang=nl")
        button = WebDriverWait(browser, 30).until(
            lambda d: d.find_element(By.CSS_SELECTOR, ".pack-make"))
        button.click()
        status = browser.find_element(By.CSS_SELECTOR, ".pack-status")
        WebDriverWait(browser, 30).until(lambda d: status.text != "")
        assert status.text == ("U laat al het hoogste aantal vergaderstukken tegelijk maken. "
                               "Tip: wacht tot er een klaar is en probeer het dan opnieuw.")
        assert button.is_enabled()  # nothing started: the user may try again
    finally:
        for job in held:
            update_job(jobs, job, JobState(visitor, "failed"))
