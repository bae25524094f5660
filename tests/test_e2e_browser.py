"""End to end in real headless Chromium: the served dashboard shows the mart's numbers.

The warehouse is built by the real ingest from the hand-worked input of tests/test_kpis.py, and
`imvo serve` runs it in its own process, as a user would start it.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipelines.ingest import ingest_paths
from tests.conftest import write_tiny_inputs
from warehouse.compute import compute_kpis
from warehouse.connection import connect_writer

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
pytestmark = pytest.mark.browser


def _require_browser() -> None:
    if CHROMIUM.exists() and CHROMEDRIVER.exists():
        return
    reason = ("Chromium missing: install the Debian packages chromium and chromium-driver "
              "(make browser) to run the end-to-end tests")
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(f"!!! SKIPPED: {reason}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"imvo serve stopped: {process.stderr.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer in {seconds} s")


@pytest.fixture(scope="module")
def server(tmp_path_factory, defs):
    _require_browser()
    data = tmp_path_factory.mktemp("data")
    with connect_writer(data / "imvo.duckdb", defs.catalogue) as conn:
        ingest_paths(conn, write_tiny_inputs(data / "in"), defs, archive_dir=data / "archive")
        compute_kpis(conn, defs)
    port = _free_port()
    env = {"IMVO_SECRET_KEY": secrets.token_hex(32), **os.environ, "IMVO_DATA_DIR": str(data),
           "IMVO_PORT": str(port)}
    process = subprocess.Popen([sys.executable, "-m", "imvo", "serve"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(server):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1400,1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _open_and_find(driver, url: str, text: str) -> str:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    WebDriverWait(driver, 20).until(lambda d: text in d.find_element(By.TAG_NAME, "body").text)
    return driver.find_element(By.TAG_NAME, "body").text


def _console_errors(driver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def test_overview_shows_the_computed_share_in_both_languages(server, browser):
    # msi_share textile 2018: 2 of 3 answering members (tests/test_kpis.py) = 66.7 %
    body = _open_and_find(browser, f"{server}/?lang=nl", "66,7 %")
    assert "Convenant Duurzame Kleding en Textiel" in body
    body = _open_and_find(browser, f"{server}/?lang=en", "66.7%")
    assert "Dutch Agreement on Sustainable Garments and Textile" in body
    assert _console_errors(browser) == []


def test_covenant_page_shows_cards_and_trend_charts(server, browser):
    from selenium.webdriver.common.by import By

    # market coverage textile 2018: 10 + 5 + 3 = 18.0 %; excessive hours (47 of 420 workers,
    # 11.2 %) rests for 85.1 % on two members: suppressed by the dominance rule
    body = _open_and_find(browser, f"{server}/covenant/textiel?lang=en", "18.0%")
    assert "11.2" not in body
    charts = browser.find_elements(By.CSS_SELECTOR, ".js-plotly-plot")
    assert len(charts) == 10  # one trend chart per textile KPI
    assert _console_errors(browser) == []


def test_suppressed_value_is_marked_not_shown(server, browser):
    # bank KPIs rest on 2 members: suppressed for the public, the 57.5 % never appears
    body = _open_and_find(browser, f"{server}/covenant/banken?lang=en", "uppressed")
    assert "57.5" not in body
    assert _console_errors(browser) == []
