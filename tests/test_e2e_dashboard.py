"""End to end in headless Chromium: year filter and URL, downloads, and the commission's pages.

Input: the hand-worked textile 2018 files of tests/test_kpis.py, textile 2017 files for A, B
and C (MSI: A yes, B and C no), and member E's 2018 file with one slip (47 of 40 workers above
60 hours), which is quarantined.
"""

import csv
import time

import pytest

from pipelines.ingest import ingest_paths
from tests.browser_support import (
    body_text,
    chromium,
    console_errors,
    open_and_find,
    require_browser,
    serving,
    wait_for,
)
from tests.conftest import mat, site, write_csv_submission, write_tiny_inputs
from warehouse.compute import compute_kpis
from warehouse.connection import connect_writer

pytestmark = pytest.mark.browser


def _inputs(folder):
    paths = write_tiny_inputs(folder)
    for member, msi in (("A", "ja"), ("B", "nee"), ("C", "nee")):
        paths.append(write_csv_submission(
            folder / f"2017_{member}.csv", "textiel", 2017, member,
            answers={"msi_member": msi, "dd_report_published": "nee", "market_share_pct": "2 %"},
            sites=[site(f"{member}7", "BD", 100, 10, "ja", 1, 0, 0, "ja")],
            materials=[mat("cotton", 10, 2)]))
    paths.append(write_csv_submission(
        folder / "E.csv", "textiel", 2018, "E",
        answers={"msi_member": "ja", "dd_report_published": "ja", "market_share_pct": "1 %"},
        sites=[site("E1", "BD", 40, 47, "ja", 1, 0, 0, "ja"),
               site("E2", "BD", 60, 6, "nee", 1, 0, 0, "ja")],
        materials=[mat("cotton", 5, 1)]))
    return paths


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, defs):
    require_browser()
    data = tmp_path_factory.mktemp("data")
    with connect_writer(data / "imvo.duckdb", defs.catalogue) as conn:
        ingest_paths(conn, _inputs(data / "in"), defs, archive_dir=data / "archive")
        compute_kpis(conn, defs)
    return data


@pytest.fixture(scope="module")
def public(data_dir):
    with serving(data_dir) as url:
        yield url


@pytest.fixture(scope="module")
def commission(data_dir):
    with serving(data_dir, "--role", "commission", "--covenant", "textiel") as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    downloads = tmp_path_factory.mktemp("downloads")
    with chromium(downloads) as driver:
        driver.downloads = downloads
        yield driver


def _choose_year(driver, year: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.ID, "overview-year").click()
    option = wait_for(driver, lambda d: d.find_element(
        By.XPATH, f"//*[@role='option'][normalize-space()='{year}']"))
    option.click()


def test_year_filter_updates_numbers_and_url_and_the_url_round_trips(public, browser):
    # MSI textile: 2018 A, C yes of A, B, C, E -> 3 of 4 = 75 %; 2017 A yes of A, B, C = 33.3 %
    open_and_find(browser, f"{public}/?lang=en", "75.0%")
    _choose_year(browser, "2017")
    wait_for(browser, lambda d: "33.3%" in body_text(d))
    assert "year=2017" in browser.current_url
    copied = browser.current_url
    browser.get(f"{public}/?lang=en")
    open_and_find(browser, copied, "33.3%")
    assert "75.0%" not in body_text(browser)
    assert console_errors(browser) == []


def test_covenant_page_shows_change_on_last_year(public, browser):
    text = open_and_find(browser, f"{public}/covenant/textiel?lang=en", "75.0%")
    assert "+41.7 percentage points on last year" in text  # 75.0 - 33.3
    assert console_errors(browser) == []


def test_overview_downloads_as_csv_with_the_shown_values(public, browser):
    from selenium.webdriver.common.by import By

    open_and_find(browser, f"{public}/?lang=en", "75.0%")
    browser.find_element(By.XPATH, "//button[normalize-space()='Download CSV']").click()
    target = browser.downloads / "overview.csv"
    deadline = time.monotonic() + 15
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    with target.open(encoding="utf-8-sig") as handle:
        rows = {(r["covenant"], r["kpi"]): r for r in csv.DictReader(handle)}
    assert float(rows[("textiel", "msi_share")]["value"]) == pytest.approx(75.0)
    assert rows[("banken", "policy_share")]["value"] == ""
    assert rows[("banken", "policy_share")]["suppressed"] == "true"
    assert console_errors(browser) == []


def test_public_is_refused_the_quality_page(public, browser):
    text = open_and_find(browser, f"{public}/quality?lang=en", "Data quality")
    assert "monitoring commission and secretariat" in text
    assert "TEX" not in text and "E.csv" not in text


def test_commission_sees_quarantine_and_drills_through_to_the_member(commission, browser):
    from selenium.webdriver.common.by import By

    # one slip of E, and for B's two files of one run which of them counts
    text = open_and_find(browser, f"{commission}/quality?lang=en", "Quarantine (3)")
    assert "above_other" in text and "larger than" in text
    browser.find_element(By.LINK_TEXT, "E").click()
    wait_for(browser, lambda d: "This member's submissions" in body_text(d))
    assert "/member/textiel/E" in browser.current_url
    assert "E.csv" in body_text(browser)
    assert console_errors(browser) == []


def test_kpi_detail_public_sees_breakdowns_commission_sees_companies(public, commission, browser):
    from selenium.webdriver.common.by import By

    # dd_reports textile 2018: A, B (corrected) and E published -> 3 members
    url = "/kpi/textiel/dd_reports?lang=en&year=2018"
    text = open_and_find(browser, f"{public}{url}", "Spread across the members")
    assert "monitoring commission of this agreement only" in text
    assert "Values per company" not in text
    text = open_and_find(browser, f"{commission}{url}", "Values per company")
    grid = wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".ag-row"))
    assert len(grid) == 5  # A, B, C, D, E each submitted for 2018
    assert console_errors(browser) == []
