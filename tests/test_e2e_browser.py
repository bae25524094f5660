"""End to end in real headless Chromium: the served dashboard shows the mart's numbers.

The warehouse is built by the real ingest from the hand-worked input of tests/test_kpis.py, and
`imvo serve` runs it in its own process, as a user would start it.
"""

import pytest

from pipelines.ingest import ingest_paths
from tests.browser_support import (
    chromium,
    console_errors,
    open_and_find,
    require_browser,
    serving,
)
from tests.conftest import write_tiny_inputs
from warehouse.compute import compute_kpis
from warehouse.connection import connect_writer

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory, defs):
    require_browser()
    data = tmp_path_factory.mktemp("data")
    with connect_writer(data / "imvo.duckdb", defs.catalogue) as conn:
        ingest_paths(conn, write_tiny_inputs(data / "in"), defs, archive_dir=data / "archive")
        compute_kpis(conn, defs)
    with serving(data) as url:
        yield url


@pytest.fixture(scope="module")
def browser(server):
    with chromium() as driver:
        yield driver


def test_overview_shows_the_computed_share_in_both_languages(server, browser):
    # msi_share textile 2018: 2 of 3 answering members (tests/test_kpis.py) = 66.7 %
    body = open_and_find(browser, f"{server}/?lang=nl", "66,7 %")
    assert "Convenant Duurzame Kleding en Textiel" in body
    body = open_and_find(browser, f"{server}/?lang=en", "66.7%")
    assert "Dutch Agreement on Sustainable Garments and Textile" in body
    assert console_errors(browser) == []


def test_covenant_page_shows_cards_and_trend_charts(server, browser):
    from selenium.webdriver.common.by import By

    # market coverage textile 2018: 10 + 5 + 3 = 18.0 %; excessive hours (47 of 420 workers,
    # 11.2 %) rests for 85.1 % on two members: suppressed by the dominance rule
    body = open_and_find(browser, f"{server}/covenant/textiel?lang=en", "18.0%")
    assert "11.2" not in body
    charts = browser.find_elements(By.CSS_SELECTOR, ".js-plotly-plot")
    assert len(charts) == 10  # one trend chart per textile KPI
    assert console_errors(browser) == []


def test_suppressed_value_is_marked_not_shown(server, browser):
    # bank KPIs rest on 2 members: suppressed for the public, the 57.5 % never appears
    body = open_and_find(browser, f"{server}/covenant/banken?lang=en", "uppressed")
    assert "57.5" not in body
    assert console_errors(browser) == []
